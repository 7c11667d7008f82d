import CockpitCore

/// A screen described by a layout file: a title and a tree of rows and columns holding panels.
/// Written once per tier and applied to any unit of it; every part remembers where in its file
/// it came from, so that a problem found later still names file:line:col.
public struct Layout: Sendable {
    public var name: String
    public var file: String
    public var title: LocalText?
    public var root: LayoutNode

    /// Every panel in document order.
    public var panels: [Panel] { root.panels }
}

/// Where something is in a layout file (line and column from 1).
public struct SourceMark: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

/// How much of its parent's length a part of a row or column takes.
public enum LayoutSize: Sendable, Equatable {
    /// A fixed number of cells.
    case cells(Int)
    /// A share of what the fixed parts leave ("2fr").
    case fraction(Int)
    /// What the panel asks for (e.g. a table: its rows), taken before the fractions.
    case auto
}

public indirect enum LayoutContent: Sendable {
    case rows([LayoutNode])
    case columns([LayoutNode])
    case panel(Panel)
}

public struct LayoutNode: Sendable {
    public var size: LayoutSize
    /// Blank cells between the parts of a row or column.
    public var gap: Int
    public var content: LayoutContent
    public var mark: SourceMark

    public var panels: [Panel] {
        switch content {
        case .panel(let p): return [p]
        case .rows(let n), .columns(let n): return n.flatMap(\.panels)
        }
    }
}

/// Text in the screen's language: one string for both, or one per language. `{unit.name}` and the
/// other placeholders are filled when the screen is drawn.
public struct LocalText: Sendable, Equatable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    public init(_ both: String) { zh = both; en = both }
    public func text(english: Bool) -> String { english ? en : zh }
}

/// A metric shown by a panel, with an optional label of its own.
public struct MetricBinding: Sendable, Equatable {
    public var metric: String
    public var label: LocalText?
    /// Table columns give way lowest priority first when the table is narrow.
    public var priority: Int
    /// Colours of this column's values (tables), else the panel's.
    public var thresholds: Thresholds?
    public var mark: SourceMark
    public init(metric: String, label: LocalText? = nil, priority: Int = 0, thresholds: Thresholds? = nil, mark: SourceMark) {
        self.metric = metric; self.label = label; self.priority = priority; self.thresholds = thresholds; self.mark = mark
    }
}

/// Green / yellow / red by value (crossing `yellow`, then `red`), or by the direction of change.
public struct Thresholds: Sendable, Equatable {
    public enum Better: String, Sendable, CaseIterable { case lower, higher }
    public enum By: String, Sendable, CaseIterable { case value, delta }
    public var yellow: Double?
    public var red: Double?
    public var better: Better
    public var by: By
    public init(yellow: Double? = nil, red: Double? = nil, better: Better = .lower, by: By = .value) {
        self.yellow = yellow; self.red = red; self.better = better; self.by = by
    }

    public enum Level: Sendable, Equatable { case green, yellow, red, none }

    /// The level of `value` (by value) or of the change `delta` (by direction).
    public func level(value: Double?, delta: Double? = nil) -> Level {
        switch by {
        case .delta:
            guard let delta, delta != 0 else { return .none }
            return (delta > 0) == (better == .lower) ? .red : .green
        case .value:
            guard let v = value else { return .none }
            func crossed(_ t: Double?) -> Bool {
                guard let t else { return false }
                return better == .lower ? v >= t : v <= t
            }
            if crossed(red) { return .red }
            if crossed(yellow) { return .yellow }
            return (red == nil && yellow == nil) ? .none : .green
        }
    }
}

/// One panel: a widget, what it binds, how it is coloured, and how much it matters.
public struct Panel: Sendable {
    /// Unique within its layout: the given `id`, else the widget and its place ("kpi-3").
    public var id: String
    public var widget: String
    public var title: LocalText?
    public var metrics: [MetricBinding]
    public var thresholds: Thresholds?
    /// Higher stays longer: when the screen is too small the lowest give way (hidden, behind Tab).
    public var priority: Int
    /// Whose figures: the unit itself or its children (tables and bars default to children).
    public var of: Of?
    /// Every other key the widget accepts, as typed values.
    public var options: [String: LayoutValue]
    public var minWidth: Int?
    public var minHeight: Int?
    public var mark: SourceMark

    /// A panel standing for none, for text filled outside any panel (the layout's title).
    public static let none = Panel(id: "", widget: "", title: nil, metrics: [], thresholds: nil, priority: 0, of: nil,
                                   options: [:], minWidth: nil, minHeight: nil, mark: SourceMark(file: "", line: 0, column: 0))

    public enum Of: String, Sendable, CaseIterable { case unit, children }

    public var metric: String? { metrics.first?.metric }
    public func string(_ key: String) -> String? { if case .string(let s)? = options[key] { return s }; return nil }
    public func number(_ key: String) -> Double? { if case .number(let d)? = options[key] { return d }; return nil }
    public func flag(_ key: String) -> Bool { if case .bool(let b)? = options[key] { return b }; return false }
    public func text(_ key: String) -> LocalText? { if case .text(let t)? = options[key] { return t }; return nil }
    public func binding(_ key: String) -> MetricBinding? { if case .metric(let m)? = options[key] { return m }; return nil }
}

/// A widget option's value, checked against the kind the widget declares.
public enum LayoutValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case text(LocalText)
    case metric(MetricBinding)
}

/// What a widget accepts in a layout file: the loader checks panels against it.
public struct WidgetSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        case string, number, bool, text, metric
        case oneOf([String])
    }
    public var name: String
    /// Options beyond the common keys, with their kinds.
    public var options: [String: Kind]
    /// Needs at least this many metrics (`metric:` or `metrics:`).
    public var minMetrics: Int
    public var maxMetrics: Int
    public var minWidth: Int
    public var minHeight: Int
    /// Options that must be present.
    public var required: [String]
    public init(name: String, options: [String: Kind] = [:], minMetrics: Int = 0, maxMetrics: Int = 0,
                minWidth: Int, minHeight: Int, required: [String] = []) {
        self.name = name; self.options = options; self.minMetrics = minMetrics; self.maxMetrics = maxMetrics
        self.minWidth = minWidth; self.minHeight = minHeight; self.required = required
    }
}
