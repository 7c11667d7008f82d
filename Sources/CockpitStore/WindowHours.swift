import CockpitCore

/// A window [since, at] (whole seconds, both ends included) split three ways, so that a figure
/// reads whole days from a per-day roll-up, whole hours from a per-hour roll-up, and raw records
/// only for the partial hours at the two ends — at most two hours of records, however large the
/// store. Local days start on a whole UTC hour (UTC+8), so a day is 24 whole hours.
struct WindowHours: Equatable {
    /// Local day numbers wholly inside the window.
    var days: ClosedRange<Int32>?
    /// Hour numbers (Unix seconds ÷ 3600) wholly inside the window and outside `days`: at most
    /// one range before the days and one after.
    var hours: [ClosedRange<Int64>] = []
    /// The partial hours at the ends, read from the raw records.
    var raw: [ClosedRange<Int64>] = []

    static let hour: Int64 = 3600

    init(since: Int64, at: Int64) {
        let since = min(since, at)
        let firstHour = Self.floorDiv(since + Self.hour - 1, Self.hour)   // the first hour starting at or after since
        let lastHour = Self.floorDiv(at + 1, Self.hour) - 1               // the last hour ending at or before at
        guard firstHour <= lastHour else {
            raw = [since...at]
            return
        }
        if since < firstHour * Self.hour { raw.append(since...(firstHour * Self.hour - 1)) }
        if (lastHour + 1) * Self.hour - 1 < at { raw.append(((lastHour + 1) * Self.hour)...at) }
        // Day d covers the hours 24·d − 8 … 24·d + 15 (its start is 00:00 UTC+8).
        let firstDay = Self.floorDiv(firstHour + 8 + 23, 24)
        let lastDay = Self.floorDiv(lastHour + 8 + 1, 24) - 1
        if firstDay <= lastDay {
            days = Int32(firstDay)...Int32(lastDay)
            let dayFirstHour = firstDay * 24 - 8, dayLastHour = lastDay * 24 + 15
            if firstHour < dayFirstHour { hours.append(firstHour...(dayFirstHour - 1)) }
            if dayLastHour < lastHour { hours.append((dayLastHour + 1)...lastHour) }
        } else {
            hours = [firstHour...lastHour]
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func hour(of t: Int64) -> Int64 { floorDiv(t, hour) }
}
