/// Stable dotted metric names (DESIGN.md §4): the same in layouts, reports and alerts.
public enum Metric {
    public static let casesOpen = "cases.open"
    public static let casesOverdue = "cases.overdue"
    public static let casesWarning = "cases.warning"
    public static let casesSuspended = "cases.suspended"
    public static let casesCompleted = "cases.completed"
    public static let casesCompletedOverdue = "cases.completed_overdue"
    public static let casesOnTimeRate = "cases.on_time_rate"
    /// Cases with at least one error-level abnormal finding as of `at` (DESIGN.md §3).
    public static let casesAbnormal = "cases.abnormal"
    /// Cases with a flag (outside working hours, implausibly fast), counted apart.
    public static let casesFlagged = "cases.flagged"

    /// The case figures every report carries, in display order.
    public static let caseFigures = [casesOpen, casesOverdue, casesWarning, casesSuspended,
                                     casesCompleted, casesCompletedOverdue, casesOnTimeRate, casesAbnormal, casesFlagged]

    /// Every figure `cockpit report` carries, in display order. Each family of figures adds its
    /// names here (cases, queue, share, rating, items; `series.<name>` are listed per store).
    public static var reported: [String] { caseFigures + queueFigures + shareFigures + ratingFigures + itemFigures }

    // Hall queues (排队叫号). Stock: waiting, longest wait, windows open, saturation, estimated wait
    // as of `at`; flow (tickets issued in the window): average wait and handling, served, no-show rate.
    public static let queueWaiting = "queue.waiting"
    public static let queueLongestWait = "queue.longest_wait_s"
    public static let queueAvgWait = "queue.avg_wait_s"
    public static let queueAvgHandle = "queue.avg_handle_s"
    public static let queueWindowsOpen = "queue.windows_open"
    public static let queueSaturation = "queue.saturation"
    public static let queueServed = "queue.served"
    public static let queueNoShowRate = "queue.no_show_rate"
    public static let queueEstimatedWait = "queue.est_wait_s"
    /// Zones of a hall: the per-zone figures are `Metric.part(name, zone)`.
    public static let queueZones = ["intake", "approval", "delivery"]
    /// The queue figures also given per zone.
    public static let queueZoneFigures = [queueWaiting, queueLongestWait, queueWindowsOpen, queueEstimatedWait, queueServed]
    public static let queueFigures = [queueWaiting, queueLongestWait, queueAvgWait, queueAvgHandle, queueWindowsOpen,
                                      queueSaturation, queueServed, queueNoShowRate, queueEstimatedWait]
        + queueZones.flatMap { z in queueZoneFigures.map { part($0, z) } }

    // Data sharing (数据共享), per consumer unit and per provider department.
    public static let shareCalls = "share.calls"
    public static let shareSuccessRate = "share.success_rate"
    public static let shareP95Latency = "share.p95_latency_ms"
    public static let shareConsumers = "share.consumers"
    public static let shareQualityOpen = "share.quality_open"
    public static let shareQualityOverdue = "share.quality_overdue"
    public static let shareMeanTimeToFix = "share.mttf_h"
    /// Directory entries of a provider, and how many of them are not shared.
    public static let shareEntries = "share.entries"
    public static let shareNotShared = "share.not_shared"
    public static let shareFigures = [shareCalls, shareSuccessRate, shareP95Latency, shareConsumers,
                                      shareQualityOpen, shareQualityOverdue, shareMeanTimeToFix]

    // Evaluations (好差评).
    public static let ratingCount = "rating.count"
    public static let ratingPoor = "rating.poor"
    public static let ratingPoorOpen = "rating.poor_open"
    public static let ratingRectifyLate = "rating.rectify_late"
    public static let ratingFigures = [ratingCount, ratingPoor, ratingPoorOpen, ratingRectifyLate]

    // Internal 最多跑一次 items, per department and for the district.
    public static let itemsCount = "items.count"
    public static let itemsRealisedRate = "items.realised_rate"
    public static let itemsOnlineRate = "items.online_rate"
    public static let itemFigures = [itemsCount, itemsRealisedRate, itemsOnlineRate]

    /// The figures a provider department carries (`providerFigures`).
    public static let providerFigures = [shareCalls, shareSuccessRate, shareP95Latency, shareConsumers,
                                         shareQualityOpen, shareQualityOverdue, shareMeanTimeToFix,
                                         shareEntries, shareNotShared] + itemFigures

    /// Scenario series: `series.<name>` is the latest value as of `at`; `.delta` the change over the
    /// window, `.min` / `.max` the extremes in it.
    public static func series(_ name: String) -> String { "series." + name }
    public static func seriesFigures(_ name: String) -> [String] {
        let m = series(name)
        return [m, m + ".delta", m + ".min", m + ".max"]
    }

    /// A figure of one part of a unit, e.g. `queue.waiting@intake` for one zone of a hall.
    public static func part(_ metric: String, _ part: String) -> String { metric + "@" + part }
}

/// A unit's figures by metric name. A missing value (e.g. a rate over an empty window) is nil,
/// shown as "—", never NaN.
public struct Figures: Sendable, Equatable {
    public var values: [String: Double] = [:]
    public init(_ values: [String: Double] = [:]) { self.values = values }
    public subscript(_ name: String) -> Double? {
        get { values[name] }
        set { values[name] = newValue }
    }
    public func int(_ name: String) -> Int { Int(values[name] ?? 0) }
}

/// The moment a figure is computed for, and the window of flow figures.
public struct FigureWindow: Sendable, Equatable {
    public var at: Int64
    /// The start of the window of case figures (the start of at's month unless given).
    public var since: Int64
    /// Whether `since` was given; if not, each family uses its own default (DESIGN.md §4).
    public var sinceGiven: Bool = false
    public init(at: Int64, since: Int64? = nil) {
        self.at = at
        self.since = since ?? LocalTime.startOfMonth(containing: at)
        self.sinceGiven = since != nil
    }

    /// The start of the window of hall, sharing, rating and series figures: the given `since`, or
    /// the start of at's day.
    public var daySince: Int64 { sinceGiven ? since : LocalTime.startOfDay(containing: at) }
}

/// A YAML 1.1 boolean written by hand (true/false, yes/no, on/off, any case): the loaders read YAML
/// with Yams' basic resolver, which leaves every plain scalar a string.
public func yamlBool(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: return nil
    }
}
