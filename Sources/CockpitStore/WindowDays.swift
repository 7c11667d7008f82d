import CockpitCore

/// A window [since, at] split into whole days (read from per-day roll-ups) and the ragged ends
/// (read from raw records through an index on time): at most the part of at's own day up to `at`
/// and the part of since's day after `since`.
struct WindowDays {
    var fullDays: ClosedRange<Int32>?
    var rawRanges: [ClosedRange<Int64>] = []

    init(since: Int64, at: Int64) {
        let since = min(since, at)
        let sinceDay = LocalTime.day(of: since), atDay = LocalTime.day(of: at)
        let fullFrom = LocalTime.startOf(day: sinceDay) == since ? sinceDay : sinceDay + 1
        let fullTo = atDay - 1
        if fullFrom <= fullTo {
            fullDays = fullFrom...fullTo
            if fullFrom > sinceDay { rawRanges.append(since...(LocalTime.startOf(day: fullFrom) - 1)) }
            rawRanges.append(LocalTime.startOf(day: atDay)...at)
        } else {
            rawRanges.append(since...at)
        }
    }

    /// When no record of at's day lies after `at` (`latest` ≤ at, the live case: at is now), the
    /// ragged end [start of at's day, at] holds exactly what that day's roll-up row holds, so it is
    /// read from the roll-up too and today's raw rows are not scanned on every refresh.
    func closingToday(at: Int64, latest: Int64?) -> WindowDays {
        guard let latest, latest <= at, let last = rawRanges.last else { return self }
        let atDay = LocalTime.day(of: at)
        guard last.lowerBound == LocalTime.startOf(day: atDay), last.upperBound == at else { return self }
        if let full = fullDays, full.upperBound != atDay - 1 { return self }
        var out = self
        out.rawRanges.removeLast()
        out.fullDays = (fullDays?.lowerBound ?? atDay)...atDay
        return out
    }
}

/// Adds each leaf's values to every unit on its path (community → street → district).
func rollUp<V>(_ leaves: [String: V], tree: OrgTree, zero: V, add: (inout V, V) -> Void) -> [String: V] {
    var out: [String: V] = [:]
    for (unit, v) in leaves where tree.contains(unit) {
        for u in tree.path(to: unit) { add(&out[u.id, default: zero], v) }
    }
    return out
}

func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }
