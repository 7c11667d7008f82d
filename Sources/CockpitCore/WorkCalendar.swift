/// The working-day calendar: Saturdays and Sundays are off, listed public holidays are off,
/// listed adjusted working weekends (调休上班) are on. Which years it covers is part of the data:
/// asking about a day outside them is answered by the weekday rule but flagged, never silently.
public struct WorkCalendar: Sendable, Equatable {
    public enum Kind: String, Sendable { case holiday, workday }

    public private(set) var holidays: Set<Int32> = []
    public private(set) var workdays: Set<Int32> = []
    public private(set) var years: Set<Int> = []

    public init() {}

    /// All entries at once (and any extra covered years): the day table is built once, not per entry.
    public init(entries: [(day: Int32, kind: Kind)], coveredYears: [Int] = []) {
        for e in entries {
            switch e.kind {
            case .holiday: holidays.insert(e.day); workdays.remove(e.day)
            case .workday: workdays.insert(e.day); holidays.remove(e.day)
            }
            years.insert(LocalTime.civil(e.day).year)
        }
        years.formUnion(coveredYears)
        rebuildFlags()
    }

    /// Per day from `flagsStart` to the end of the last covered year: bit 0 = covered, bit 1 =
    /// working. Deadlines walk day by day through this for every case ingested, so it is a flat
    /// array rather than set lookups and date conversions.
    private var flagsStart: Int32 = 0
    private var flags: [UInt8] = []

    public mutating func add(day: Int32, kind: Kind) {
        switch kind {
        case .holiday: holidays.insert(day); workdays.remove(day)
        case .workday: workdays.insert(day); holidays.remove(day)
        }
        years.insert(LocalTime.civil(day).year)
        rebuildFlags()
    }

    /// Marks a year as covered even if it has no listed day (rare, but lets users say "no holidays").
    public mutating func cover(year: Int) {
        years.insert(year)
        rebuildFlags()
    }

    private mutating func rebuildFlags() {
        guard let first = years.min(), let last = years.max() else { flags = []; return }
        flagsStart = LocalTime.dayNumber(year: first, month: 1, day: 1)
        let end = LocalTime.dayNumber(year: last + 1, month: 1, day: 1)
        flags = (flagsStart..<end).map { d in
            (years.contains(LocalTime.civil(d).year) ? 1 : 0) | (Self.ruleIsWorking(d, holidays, workdays) ? 2 : 0)
        }
    }

    private static func ruleIsWorking(_ day: Int32, _ holidays: Set<Int32>, _ workdays: Set<Int32>) -> Bool {
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return LocalTime.weekday(day) < 5
    }

    @inline(__always) private func flag(_ day: Int32) -> UInt8? {
        let i = Int(day) - Int(flagsStart)
        return i >= 0 && i < flags.count ? flags[i] : nil
    }

    public func covers(_ day: Int32) -> Bool { (flag(day) ?? 0) & 1 != 0 }

    public func isWorkingDay(_ day: Int32) -> Bool {
        if let f = flag(day) { return f & 2 != 0 }
        return Self.ruleIsWorking(day, holidays, workdays)
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
