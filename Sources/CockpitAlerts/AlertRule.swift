import CockpitCore

/// One alert rule: a metric watched over a scope of units, with thresholds by level and the
/// hysteresis that keeps a flapping figure from opening and closing incidents all day.
public struct AlertRule: Sendable, Equatable {
    public enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">=", above = ">", atMost = "<=", below = "<"

        /// Whether `value` meets `threshold`, with the threshold moved `margin` towards "clear"
        /// (a holding condition stays held until the figure is clearly back).
        public func holds(_ value: Double, _ threshold: Double, margin: Double = 0) -> Bool {
            switch self {
            case .atLeast: value >= threshold - margin
            case .above: value > threshold - margin
            case .atMost: value <= threshold + margin
            case .below: value < threshold + margin
            }
        }
    }

    /// Which units a rule watches: every unit of a tier, or one unit (and only that unit).
    public enum Scope: Sendable, Equatable, CustomStringConvertible {
        case tier(OrgUnit.Tier)
        case unit(String)
        public var description: String {
            switch self {
            case .tier(let t): t.rawValue
            case .unit(let u): u
            }
        }
    }

    public struct Threshold: Sendable, Equatable {
        public var level: AlertItem.Level
        public var value: Double
        public init(level: AlertItem.Level, value: Double) { self.level = level; self.value = value }
    }

    public var id: String
    public var title: String
    /// A metric name (DESIGN.md §4), `series.<name>`, `x@part`, or `source.stale_s`.
    public var metric: String
    public var scope: Scope
    public var comparison: Comparison
    /// Ascending by level (yellow before red).
    public var thresholds: [Threshold]
    /// The condition must hold this long (seconds) before an alert opens or re-opens.
    public var holdFor: Int64
    /// Once open, the condition counts as gone only past threshold ∓ margin…
    public var clearMargin: Double
    /// …and only after it has stayed gone this long (seconds).
    public var clearAfter: Int64
    /// Where the rule was written (file:line:col), for messages about it.
    public var origin: String

    public init(id: String, title: String? = nil, metric: String, scope: Scope, comparison: Comparison,
                thresholds: [Threshold], holdFor: Int64 = 0, clearMargin: Double = 0, clearAfter: Int64 = 0,
                origin: String = "") {
        self.id = id; self.title = title ?? id; self.metric = metric; self.scope = scope
        self.comparison = comparison; self.thresholds = thresholds.sorted { $0.level < $1.level }
        self.holdFor = holdFor; self.clearMargin = clearMargin; self.clearAfter = clearAfter; self.origin = origin
    }

    /// The highest level whose threshold `value` meets. `current` is the level already open:
    /// levels up to it need only hold within the clear margin (hysteresis between levels too).
    public func level(for value: Double, current: AlertItem.Level?) -> AlertItem.Level? {
        var best: AlertItem.Level?
        for t in thresholds {
            let sticky = current.map { t.level <= $0 } ?? false
            if comparison.holds(value, t.value, margin: sticky ? clearMargin : 0) { best = t.level }
        }
        return best
    }

    public func threshold(_ level: AlertItem.Level) -> Double? { thresholds.first { $0.level == level }?.value }
}

/// Metric names a rule may watch.
public enum AlertMetrics {
    /// Seconds a data source has been stale (0 when current); one figure per source, `source.stale_s@NAME`.
    public static let sourceStale = "source.stale_s"

    /// DESIGN.md §4's names (the families other engineers are adding included) and the source one.
    public static let known: [String] = [
        "cases.open", "cases.overdue", "cases.warning", "cases.suspended", "cases.abnormal", "cases.completed",
        "cases.completed_overdue", "cases.on_time_rate", "queue.waiting", "queue.longest_wait_s", "queue.avg_wait_s",
        "queue.avg_handle_s", "queue.served", "queue.no_show_rate", "share.calls", "share.success_rate",
        "share.p95_latency_ms", "share.quality_open", "rating.count", "rating.poor", sourceStale,
    ]

    /// Nil when `name` is acceptable, else why not (with the nearest known name).
    public static func problem(with name: String) -> String? {
        let base = name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? name
        if name.hasSuffix("@") || name.hasPrefix("@") { return "metric '\(name)' has an empty part" }
        if base.hasPrefix("series.") { return base.count > "series.".count ? nil : "metric 'series.' needs a series name" }
        if known.contains(base) || Metric.reported.contains(base) { return nil }
        return "unknown metric '\(base)' (nearest: '\(nearest(base, in: known + ["series.<name>"]))')"
    }
}

/// The candidate closest to `word` by edit distance.
public func nearest(_ word: String, in candidates: [String]) -> String {
    candidates.min { editDistance($0, word) < editDistance($1, word) } ?? ""
}
