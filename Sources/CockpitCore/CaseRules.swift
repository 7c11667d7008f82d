/// The light of a case as of a moment (DESIGN.md §3).
public enum CaseLight: String, Sendable, CaseIterable {
    case green, yellow, red, grey
    /// A case that is no longer open has no light.
    case closed
}

/// The deadline rules of DESIGN.md §3. Pure: everything comes in as arguments.
public struct CaseRules: Sendable {
    public var calendar: WorkCalendar

    public init(calendar: WorkCalendar) { self.calendar = calendar }

    public struct Deadline: Sendable, Equatable {
        /// The local day whose 24:00 is the deadline.
        public var day: Int32
        /// Working days added for suspensions.
        public var suspendedWorkingDays: Int
        /// A day involved lay outside the calendar's years: the weekday rule was used there.
        public var outsideCalendar: Bool
        /// The deadline instant: 24:00 of `day`, i.e. 00:00 of the next day.
        public var instant: Int64 { LocalTime.startOf(day: day + 1) }
    }

    /// The end of the N-th working day after the day of acceptance (that day not counted; N = 0:
    /// the end of the day of acceptance), pushed later by one working day for every working day
    /// suspended, counted from each suspension's date inclusive to its resumption's date exclusive.
    /// An open suspension counts up to `openUntil` (the completion time, or nothing when nil).
    public func deadline(acceptedAt: Int64, promisedDays: Int, suspensions: [ServiceCase.Suspension],
                         openUntil: Int64? = nil) -> Deadline {
        var outside = false
        let acceptedDay = LocalTime.day(of: acceptedAt)
        var day = calendar.workingDay(max(0, promisedDays), after: acceptedDay, outside: &outside)
        // Day ranges [from, to) merged first: a day under two overlapping suspensions counts once.
        var ranges: [(Int32, Int32)] = suspensions.compactMap { s in
            guard let end = s.to ?? openUntil else { return nil }
            return (LocalTime.day(of: s.from), LocalTime.day(of: end))
        }.filter { $0.1 > $0.0 }
        ranges.sort { $0.0 < $1.0 }
        var suspended = 0
        var covered: Int32 = .min   // days before this are already counted
        for (from, to) in ranges where to > covered {
            suspended += calendar.workingDays(from: max(from, covered), to: to, outside: &outside)
            covered = to
        }
        if suspended > 0 { day = calendar.workingDay(suspended, after: day, outside: &outside) }
        return Deadline(day: day, suspendedWorkingDays: suspended, outsideCalendar: outside)
    }

    public func deadline(of c: ServiceCase) -> Deadline {
        deadline(acceptedAt: c.acceptedAt, promisedDays: c.promisedDays, suspensions: c.suspensions,
                 openUntil: c.status.isOpen ? nil : c.completedAt)
    }

    /// Light as of `at`: grey when suspended (clock stopped); red when open and `at` is past the
    /// deadline; yellow when the deadline falls on `at`'s date or the next working day; else green.
    public func light(of c: ServiceCase, deadline: Deadline, at: Int64) -> CaseLight {
        guard c.status.isOpen else { return .closed }
        if c.status == .suspended { return .grey }
        return Self.light(deadlineDay: deadline.day, at: at, calendar: calendar)
    }

    /// The light of an open, running case from its deadline day alone; the aggregation uses the
    /// same boundaries (see `LightBoundaries`), so per-case and rolled-up figures always agree.
    public static func light(deadlineDay: Int32, at: Int64, calendar: WorkCalendar) -> CaseLight {
        let b = LightBoundaries(at: at, calendar: calendar)
        if deadlineDay < b.firstNotOverdueDay { return .red }
        if deadlineDay <= b.lastWarningDay { return .yellow }
        return .green
    }

    /// True when a completion came after its deadline (超期办结).
    public static func completedLate(completedAt: Int64, deadline: Deadline) -> Bool {
        completedAt > deadline.instant
    }

    /// Whole days past the deadline as of `at` (0 when not past).
    public static func daysOver(deadline: Deadline, at: Int64) -> Int {
        daysOver(deadlineInstant: deadline.instant, at: at)
    }

    /// Whole days (started days count) from a deadline instant to `at`; 0 when not past.
    public static func daysOver(deadlineInstant: Int64, at: Int64) -> Int {
        let over = at - deadlineInstant
        return over <= 0 ? 0 : Int((over + LocalTime.secondsPerDay - 1) / LocalTime.secondsPerDay)
    }
}

/// Day boundaries of the lights as of `at`, for open, running cases bucketed by deadline day:
/// red  ⇔ deadline day <  firstNotOverdueDay  (at > 24:00 of the deadline day),
/// yellow ⇔ firstNotOverdueDay ≤ deadline day ≤ lastWarningDay.
public struct LightBoundaries: Sendable, Equatable {
    public var firstNotOverdueDay: Int32
    public var lastWarningDay: Int32

    public init(at: Int64, calendar: WorkCalendar) {
        // Deadline 24:00 of day D is D+1 00:00; overdue iff at > that, i.e. D < day(at − 1 s).
        firstNotOverdueDay = LocalTime.day(of: at - 1)
        lastWarningDay = calendar.nextWorkingDay(after: LocalTime.day(of: at))
    }
}
