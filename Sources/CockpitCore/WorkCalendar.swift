/// The working-day calendar: Saturdays and Sundays are off, listed public holidays are off,
/// listed adjusted working weekends (调休上班) are on. Which years it covers is part of the data:
/// asking about a day outside them is answered by the weekday rule but flagged, never silently.
public struct WorkCalendar: Sendable, Equatable {
    public enum Kind: String, Sendable { case holiday, workday }

    public private(set) var holidays: Set<Int32> = []
    public private(set) var workdays: Set<Int32> = []
    public private(set) var years: Set<Int> = []

    public init() {}

    public init(entries: [(day: Int32, kind: Kind)]) {
        for e in entries { add(day: e.day, kind: e.kind) }
    }

    public mutating func add(day: Int32, kind: Kind) {
        switch kind {
        case .holiday: holidays.insert(day); workdays.remove(day)
        case .workday: workdays.insert(day); holidays.remove(day)
        }
        years.insert(LocalTime.civil(day).year)
    }

    /// Marks a year as covered even if it has no listed day (rare, but lets users say "no holidays").
    public mutating func cover(year: Int) { years.insert(year) }

    public func covers(_ day: Int32) -> Bool { years.contains(LocalTime.civil(day).year) }

    public func isWorkingDay(_ day: Int32) -> Bool {
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return LocalTime.weekday(day) < 5
    }

    /// The n-th working day after `day` (`day` itself not counted); n = 0 gives `day`.
    /// `outside` is set when any day walked over lies outside the calendar's years.
    public func workingDay(_ n: Int, after day: Int32, outside: inout Bool) -> Int32 {
        var d = day
        var left = n
        if !covers(d) { outside = true }
        while left > 0 {
            d += 1
            if !covers(d) { outside = true }
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }

    /// Working days in the half-open range [from, to).
    public func workingDays(from: Int32, to: Int32, outside: inout Bool) -> Int {
        guard to > from else { return 0 }
        var count = 0
        var d = from
        while d < to {
            if !covers(d) { outside = true }
            if isWorkingDay(d) { count += 1 }
            d += 1
        }
        return count
    }

    /// The first working day strictly after `day`.
    public func nextWorkingDay(after day: Int32) -> Int32 {
        var ignored = false
        return workingDay(1, after: day, outside: &ignored)
    }
}
