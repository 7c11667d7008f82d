import CockpitCore
import CockpitLayout
import CockpitStore
import CockpitUI

/// Fetches what a screen shows from the store: one place for the TUI, `snapshot` and `report`,
/// so the three always agree.
public struct ScreenLoader {
    public let store: CockpitStore
    public let tree: OrgTree
    public let strings: Strings

    /// The metrics whose trend is drawn (KPI deltas, sparklines): read from the history per load.
    public var historyMetrics: [String]
    /// Trends are drawn from hour buckets: the last `historyBuckets` of them, the current one last.
    public static let historyBuckets = 24

    public init(store: CockpitStore, tree: OrgTree, strings: Strings, layouts: LayoutCatalog? = nil) {
        self.store = store; self.tree = tree; self.strings = strings
        self.historyMetrics = layouts.map(Self.trendMetrics) ?? Metric.caseFigures
    }

    /// Every metric a KPI tile or a trend widget of any layout binds: only those need history.
    static func trendMetrics(_ catalog: LayoutCatalog) -> [String] {
        trendMetrics(of: catalog.layouts.values.sorted(by: { $0.name < $1.name }))
    }

    static func trendMetrics(of layouts: [Layout]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for layout in layouts {
            for panel in layout.panels where ["kpi", "sparkline", "line", "gauge"].contains(panel.widget) {
                for m in panel.metrics.map(\.metric) where seen.insert(m).inserted { out.append(m) }
            }
        }
        return out
    }

    /// What a screen draws beyond the figures, so that a process that shows one known layout (a
    /// wall, 64 of them on one store) reads only that.
    public struct Needs: Sendable {
        public var cases = true
        public var boards = true
        public var alerts = true
        /// Trend metrics; nil: the loader's `historyMetrics`.
        public var historyMetrics: [String]? = nil
        public static let everything = Needs()
        public init() {}
        /// Just what `layout`'s widgets read.
        public init(layout: Layout) {
            let widgets = Set(layout.panels.map(\.widget))
            cases = widgets.contains("cases")
            boards = widgets.contains("queue")
            alerts = widgets.contains("alerts") || layout.panels.contains { $0.widget == "banner" && $0.flag("alerts") }
            historyMetrics = ScreenLoader.trendMetrics(of: [layout])
        }
    }

    public func load(unitID: String, window: FigureWindow, needs: Needs = .everything) throws -> ScreenData {
        let all = try store.figures(tree: tree, window: window)
        let unit = tree.unit(unitID) ?? tree.root
        let children = tree.children(of: unit.id).map { (unit: $0, figures: all[$0.id] ?? Figures()) }
        let cases = needs.cases
            ? try store.cases(under: unit.id, tree: tree, light: .red, at: window.at, limit: children.isEmpty ? 500 : 100) : []
        var warnings: [String] = []
        let calendar = try store.calendar()
        if !calendar.covers(LocalTime.day(of: window.at)) {
            warnings.append(strings.atOutsideCalendar(LocalTime.dayString(LocalTime.day(of: window.at))))
        }
        if let pending = try store.caseRollupsPending() {
            warnings.append(strings.caseFiguresPending(since: pending.since, interrupted: !pending.running))
        }
        let outside = try store.casesOutsideCalendar()
        if outside > 0 { warnings.append(strings.outsideCalendar(outside)) }
        var data = ScreenData(path: tree.path(to: unit.id), figures: all[unit.id] ?? Figures(), children: children,
                              overdueCases: cases, at: window.at, dataAsOf: try store.lastIngestAt(), warnings: warnings,
                              unitNames: Dictionary(uniqueKeysWithValues: tree.subtree(of: unit.id).map { ($0.id, $0.name) }))
        data.tree = tree
        data.allFigures = all
        // Only alerts inside this loader's tree: a scoped process (a wall) never sees another street's.
        let inside = Set(tree.subtree(of: unit.id).map(\.id))
        if needs.alerts { data.alerts = try store.alerts(activeOnly: true).filter { inside.contains($0.unit) } }
        data.sources = try store.sourceStatuses(now: window.at)
        if needs.boards { data.boards = try store.hallBoards(under: unit.id, tree: tree, at: window.at) }
        data.history = try history(unit: unit.id, at: window.at, metrics: needs.historyMetrics ?? historyMetrics)
        return data
    }

    /// The last hour buckets of the trend metrics, one slot per bucket (nil where none was recorded).
    func history(unit: String, at: Int64, metrics: [String]) throws -> [String: [Double?]] {
        let res = HistoryResolution.hour
        let last = res.bucketStart(at)
        let first = last - Int64(Self.historyBuckets - 1) * res.seconds
        var out: [String: [Double?]] = [:]
        for metric in metrics {
            let points = try store.history(unit: unit, metric: metric, from: first, to: at, resolution: res)
            guard !points.isEmpty else { continue }
            var slots = [Double?](repeating: nil, count: Self.historyBuckets)
            for p in points {
                let i = Int((p.bucket - first) / res.seconds)
                if i >= 0, i < slots.count { slots[i] = p.value }
            }
            out[ScreenData.historyKey(unit, metric)] = slots
        }
        return out
    }
}
