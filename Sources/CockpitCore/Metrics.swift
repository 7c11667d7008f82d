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
    public static var reported: [String] { caseFigures }

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
    public var since: Int64
    public init(at: Int64, since: Int64? = nil) {
        self.at = at
        self.since = since ?? LocalTime.startOfMonth(containing: at)
    }
}
