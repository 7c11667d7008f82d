/// One push of a case: the state the case system sent at one moment (DESIGN.md §3, abnormal rules).
public struct CasePush: Sendable, Equatable {
    public var pushedAt: Int64
    public var status: ServiceCase.Status
    public var unit: String
    public var department: String
    public var source: String
    public var line: Int

    public init(pushedAt: Int64, status: ServiceCase.Status, unit: String, department: String, source: String, line: Int) {
        self.pushedAt = pushedAt; self.status = status; self.unit = unit; self.department = department
        self.source = source; self.line = line
    }
}

/// A broken rule of a case's own data, with the push and field that prove it.
public struct CaseFinding: Sendable, Equatable {
    public enum Level: String, Sendable { case error, flag }

    /// Stable codes: never renumbered, shown to users and kept in reports.
    public enum Code: String, Sendable, CaseIterable {
        case completedBeforeAccepted = "ABN01_COMPLETED_BEFORE_ACCEPTED"
        case closedWithoutCompletionTime = "ABN02_CLOSED_WITHOUT_COMPLETION_TIME"
        case suspendedWithoutOpenSuspension = "ABN03_SUSPENDED_WITHOUT_OPEN_SUSPENSION"
        case suspensionOpenPastEnd = "ABN04_SUSPENSION_OPEN_PAST_END"
        case statusBackwards = "ABN05_STATUS_BACKWARDS"
        case unitChanged = "ABN06_UNIT_CHANGED"
        case departmentChanged = "ABN07_DEPARTMENT_CHANGED"
        case futureTime = "ABN08_FUTURE_TIME"
        case stalled = "ABN09_STALLED"
        case outsideWorkingHours = "FLG01_OUTSIDE_WORKING_HOURS"
        case implausiblyFast = "FLG02_IMPLAUSIBLY_FAST"

        public var level: Level { rawValue.hasPrefix("FLG") ? .flag : .error }

        /// Bit of the code in the stored masks (`abn`, `flags` columns): the case order.
        public var bit: Int { 1 << Self.allCases.firstIndex(of: self)! }

        public var reasonZh: String {
            switch self {
            case .completedBeforeAccepted: "办结时间早于受理时间"
            case .closedWithoutCompletionTime: "已办结或不予受理但没有办结时间"
            case .suspendedWithoutOpenSuspension: "状态为暂停计时但没有未结束的挂起"
            case .suspensionOpenPastEnd: "挂起在办件结束后仍未结束"
            case .statusBackwards: "两次推送之间状态倒退"
            case .unitChanged: "同一办件编号推送了不同的所属单位"
            case .departmentChanged: "同一办件编号推送了不同的部门"
            case .futureTime: "时间晚于统计时刻"
            case .stalled: "在办超过 10 个工作日没有任何变化"
            case .outsideWorkingHours: "在工作时间以外办理"
            case .implausiblyFast: "办理快得不合常理"
            }
        }

        public var reasonEn: String {
            switch self {
            case .completedBeforeAccepted: "completed before it was accepted"
            case .closedWithoutCompletionTime: "completed or rejected without a completion time"
            case .suspendedWithoutOpenSuspension: "status suspended, but no suspension is open"
            case .suspensionOpenPastEnd: "a suspension is still open after the case ended"
            case .statusBackwards: "the status moved backwards between two pushes"
            case .unitChanged: "the same id was pushed with another unit"
            case .departmentChanged: "the same id was pushed with another department"
            case .futureTime: "a time later than the moment of the figures"
            case .stalled: "open with no change for more than 10 working days"
            case .outsideWorkingHours: "handled outside working hours"
            case .implausiblyFast: "handled implausibly fast"
            }
        }
    }

    public var code: Code
    public var level: Level { code.level }
    /// The field that shows it (`completed_at`, `status`, …).
    public var field: String
    /// The push that proves it: source file and line, and its push time.
    public var source: String
    public var line: Int
    public var pushedAt: Int64
    /// The values involved, e.g. "completed_at 2026-09-01T10:00:00+08:00 < accepted_at …".
    public var detail: String

    public init(code: Code, field: String, push: CasePush, detail: String) {
        self.code = code; self.field = field; self.source = push.source; self.line = push.line
        self.pushedAt = push.pushedAt; self.detail = detail
    }
}

/// The parts of a case the abnormal rules read: no strings, so the ingest can judge a row cheaply.
public struct CaseFacts: Sendable, Equatable {
    public var status: ServiceCase.Status
    public var channel: ServiceCase.Channel
    public var acceptedAt: Int64
    public var promisedDays: Int
    public var completedAt: Int64?
    public var suspensions: [ServiceCase.Suspension]

    public init(status: ServiceCase.Status, channel: ServiceCase.Channel, acceptedAt: Int64, promisedDays: Int,
                completedAt: Int64?, suspensions: [ServiceCase.Suspension]) {
        self.status = status; self.channel = channel; self.acceptedAt = acceptedAt; self.promisedDays = promisedDays
        self.completedAt = completedAt; self.suspensions = suspensions
    }
}

extension ServiceCase {
    public var facts: CaseFacts {
        CaseFacts(status: status, channel: channel, acceptedAt: acceptedAt, promisedDays: promisedDays,
                  completedAt: completedAt, suspensions: suspensions)
    }
}

/// The abnormal rules (异常). Split in two so that a store can keep figures as of any `at` cheap:
/// `staticFindings` do not depend on `at` (stored as bit masks), and the two that do (a time in the
/// future of `at`, stalled) depend only on two stored keys, `latestAt` and `stallDay`.
public enum CaseAbnormal {
    public typealias Code = CaseFinding.Code
    /// Working hours for the outside-hours flag: 08:30–17:30 on a working day (the hall's hours).
    public static let workStart: Int64 = 8 * 3600 + 30 * 60
    public static let workEnd: Int64 = 17 * 3600 + 30 * 60
    /// A case with promised working days is not done in less than this (seconds after acceptance).
    public static let fastLimit: Int64 = 10 * 60
    /// An immediate item (即办件, 0 days) is not done in less than this.
    public static let fastLimitImmediate: Int64 = 60
    /// Open and unchanged for more than this many working days = stalled.
    public static let stallWorkingDays = 10

    /// How far a status has come: a later push must not go back. In review and suspended are the
    /// same step (a case goes in and out of suspension); every end state is the last step.
    static func rank(_ s: ServiceCase.Status) -> Int {
        switch s {
        case .accepted: 0
        case .inReview, .suspended: 1
        case .completed, .rejected, .withdrawn: 2
        }
    }

    /// Pushes in push-time order; pushes with the same time keep the order they came in
    /// (Swift's sort is stable).
    public static func ordered(_ pushes: [CasePush]) -> [CasePush] {
        pushes.sorted { $0.pushedAt < $1.pushedAt }
    }

    /// Findings that do not depend on `at`. `current` is the case as its latest push has it;
    /// `pushes` its pushes (any order; may be just the latest one).
    public static func staticFindings(current c: ServiceCase, pushes: [CasePush], calendar: WorkCalendar) -> [CaseFinding] {
        var out: [CaseFinding] = []
        _ = evaluate(c.facts, history: ordered(pushes), calendar: calendar) { out.append($0()) }
        return out
    }

    /// The static masks without building any finding: the ingest's hot path. `history` in push
    /// order; empty = one push only (nothing to compare).
    public static func staticMasks(_ c: CaseFacts, history: [CasePush], calendar: WorkCalendar) -> (errors: Int, flags: Int) {
        evaluate(c, history: history, calendar: calendar, report: nil)
    }

    /// The one implementation of the static rules. Each finding is built only when `report` is
    /// given, so that counting costs no strings.
    static func evaluate(_ c: CaseFacts, history: [CasePush], calendar: WorkCalendar,
                         report: ((() -> CaseFinding) -> Void)?) -> (errors: Int, flags: Int) {
        var errors = 0, flags = 0
        func hit(_ code: Code, _ field: String, _ push: @autoclosure () -> CasePush?, _ detail: @autoclosure () -> String) {
            if code.level == .error { errors |= code.bit } else { flags |= code.bit }
            guard let report else { return }
            let p = push() ?? CasePush(pushedAt: 0, status: c.status, unit: "", department: "", source: "", line: 0)
            report { CaseFinding(code: code, field: field, push: p, detail: detail()) }
        }
        let iso = LocalTime.iso

        if let done = c.completedAt, done < c.acceptedAt {
            hit(.completedBeforeAccepted, "completed_at", history.last,
                "completed_at \(iso(done)) is before accepted_at \(iso(c.acceptedAt))")
        }
        if c.status == .completed || c.status == .rejected, c.completedAt == nil {
            hit(.closedWithoutCompletionTime, "completed_at", history.last, "status \(c.status.rawValue) with an empty completed_at")
        }
        if c.status == .suspended, !c.suspensions.contains(where: { $0.to == nil }) {
            hit(.suspendedWithoutOpenSuspension, "suspensions", history.last,
                c.suspensions.isEmpty ? "status suspended with no suspension" : "status suspended, every suspension has ended")
        }
        if !c.status.isOpen {
            let end = c.completedAt
            if let s = c.suspensions.first(where: { $0.to == nil || (end != nil && $0.to! > end!) }) {
                hit(.suspensionOpenPastEnd, "suspensions", history.last,
                    "suspension from \(iso(s.from)) " + (s.to == nil ? "is still open" : "ends \(iso(s.to!))")
                        + ", but the case is \(c.status.rawValue)" + (end.map { " since \(iso($0))" } ?? ""))
            }
        }
        // History: each push against the one before it; the first push that breaks a rule proves it.
        if history.count > 1 {
            var seen = 0
            for (prev, next) in zip(history, history.dropFirst()) {
                let backwards = rank(next.status) < rank(prev.status) || (rank(prev.status) == 2 && next.status != prev.status)
                if backwards, seen & Code.statusBackwards.bit == 0 {
                    seen |= Code.statusBackwards.bit
                    hit(.statusBackwards, "status", next,
                        "\(prev.status.rawValue) (pushed \(iso(prev.pushedAt)), \(prev.source):\(prev.line)) → \(next.status.rawValue)")
                }
                if next.unit != prev.unit, seen & Code.unitChanged.bit == 0 {
                    seen |= Code.unitChanged.bit
                    hit(.unitChanged, "unit", next, "\(prev.unit) (\(prev.source):\(prev.line)) → \(next.unit)")
                }
                if next.department != prev.department, seen & Code.departmentChanged.bit == 0 {
                    seen |= Code.departmentChanged.bit
                    hit(.departmentChanged, "department", next, "\(prev.department) (\(prev.source):\(prev.line)) → \(next.department)")
                }
            }
        }

        // Flags: counted apart, the case is not abnormal for them.
        func outsideHours(_ t: Int64) -> Bool {
            let day = LocalTime.day(of: t)
            let sec = t - LocalTime.startOf(day: day)
            return sec < workStart || sec >= workEnd || !calendar.isWorkingDay(day)
        }
        if c.channel == .hall, outsideHours(c.acceptedAt) {
            hit(.outsideWorkingHours, "accepted_at", history.last, "accepted in the hall at \(iso(c.acceptedAt))")
        } else if c.status == .completed || c.status == .rejected, let done = c.completedAt, outsideHours(done) {
            hit(.outsideWorkingHours, "completed_at", history.last, "\(c.status.rawValue) at \(iso(done))")
        }
        if c.status == .completed, let done = c.completedAt, done >= c.acceptedAt,
           done - c.acceptedAt < (c.promisedDays == 0 ? fastLimitImmediate : fastLimit) {
            hit(.implausiblyFast, "completed_at", history.last,
                "completed \(done - c.acceptedAt) s after acceptance (promised \(c.promisedDays) working days)")
        }
        return (errors, flags)
    }

    /// The keys the `at`-dependent rules need.
    public struct TimeKeys: Sendable, Equatable {
        /// The latest time anywhere in the case (its times and its pushes): future iff > at.
        public var latestAt: Int64
        /// Which time that is, for the proof.
        public var latestField: String
        /// Open cases: stalled once `at` is past 24:00 of this day. Nil when not open.
        public var stallDay: Int32?
        /// The last change the stall is counted from.
        public var lastChangeAt: Int64
    }

    /// The last change of an open case is its latest event time (acceptance, suspension start or
    /// end) or the push time of the latest push that changed status, unit or department.
    public static func timeKeys(current c: ServiceCase, pushes: [CasePush], calendar: WorkCalendar) -> TimeKeys {
        let history = ordered(pushes)
        return timeKeys(c.facts, history: history, pushedAt: history.last?.pushedAt ?? c.acceptedAt, calendar: calendar)
    }

    /// `history` in push order (empty for a case pushed once); `pushedAt` the latest push's time.
    public static func timeKeys(_ c: CaseFacts, history: [CasePush], pushedAt: Int64, calendar: WorkCalendar) -> TimeKeys {
        var latest = (c.acceptedAt, "accepted_at")
        func see(_ t: Int64?, _ field: String) { if let t, t > latest.0 { latest = (t, field) } }
        see(c.completedAt, "completed_at")
        var lastChange = c.acceptedAt
        for s in c.suspensions {
            see(s.from, "suspensions"); see(s.to, "suspensions")
            lastChange = max(lastChange, s.from, s.to ?? s.from)
        }
        see(pushedAt, "pushed_at")
        for (prev, next) in zip(history, history.dropFirst())
        where next.status != prev.status || next.unit != prev.unit || next.department != prev.department {
            lastChange = max(lastChange, next.pushedAt)
        }
        var stallDay: Int32? = nil
        if c.status.isOpen {
            var ignored = false
            stallDay = calendar.workingDay(stallWorkingDays, after: LocalTime.day(of: lastChange), outside: &ignored)
        }
        return TimeKeys(latestAt: latest.0, latestField: latest.1, stallDay: stallDay, lastChangeAt: lastChange)
    }

    /// Stalled as of `at`: past 24:00 of the stall day (the same boundary as overdue).
    public static func isStalled(stallDay: Int32?, at: Int64) -> Bool {
        guard let d = stallDay else { return false }
        return d < LocalTime.day(of: at - 1)
    }

    /// Every finding as of `at`: the static ones plus a future time and a stall.
    public static func findings(current c: ServiceCase, pushes: [CasePush], at: Int64, calendar: WorkCalendar) -> [CaseFinding] {
        var out = staticFindings(current: c, pushes: pushes, calendar: calendar)
        let keys = timeKeys(current: c, pushes: pushes, calendar: calendar)
        let latest = ordered(pushes).last!
        if keys.latestAt > at {
            // Prove it with the push carrying the time when it is a push time.
            let push = keys.latestField == "pushed_at" ? ordered(pushes).last { $0.pushedAt == keys.latestAt } ?? latest : latest
            out.append(.init(code: .futureTime, field: keys.latestField, push: push,
                             detail: "\(keys.latestField) \(LocalTime.iso(keys.latestAt)) is after \(LocalTime.iso(at))"))
        }
        if isStalled(stallDay: keys.stallDay, at: at) {
            out.append(.init(code: .stalled, field: "status", push: latest,
                             detail: "\(c.status.rawValue) since \(LocalTime.iso(keys.lastChangeAt)); "
                                 + "\(stallWorkingDays) working days ran out at the end of \(LocalTime.dayString(keys.stallDay!))"))
        }
        return out
    }

    /// Bit masks of codes, errors and flags apart.
    public static func masks(_ findings: [CaseFinding]) -> (errors: Int, flags: Int) {
        // (the same split as `evaluate`)
        var e = 0, f = 0
        for x in findings { if x.level == .error { e |= x.code.bit } else { f |= x.code.bit } }
        return (e, f)
    }
}
