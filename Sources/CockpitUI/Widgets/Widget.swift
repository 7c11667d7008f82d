import CockpitCore
import CockpitLayout

/// A kind of panel: draws into its rectangle of the canvas from a `WidgetContext`. A new widget
/// is one file with a type conforming to this and one line in `Widgets.all`.
public protocol Widget {
    /// What a layout may say to it; the loader checks panels against this.
    static var spec: WidgetSpec { get }
    static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext)
    /// Rows it would like at `width` (for `size: auto`), nil for no preference.
    static func preferredHeight(_ ctx: WidgetContext, width: Int) -> Int?
    /// The list it shows, if any: what the arrows select and Enter opens.
    static func list(_ panel: Panel) -> ListKind?
}

extension Widget {
    public static func preferredHeight(_ ctx: WidgetContext, width: Int) -> Int? { nil }
    public static func list(_ panel: Panel) -> ListKind? { nil }
}

/// Every widget a layout can name.
public enum Widgets {
    // Metatypes of stateless enums: nothing here can change after start.
    nonisolated(unsafe) public static let all: [any Widget.Type] = [
        KPIWidget.self, TableWidget.self, BarsWidget.self, SparklineWidget.self, GaugeWidget.self,
        QueueBoardWidget.self, AlertListWidget.self, UnitTreeWidget.self, BannerWidget.self, ClockWidget.self,
        CaseListWidget.self,
    ]
    nonisolated(unsafe) public static let byName: [String: any Widget.Type] = Dictionary(all.map { ($0.spec.name, $0) }, uniquingKeysWith: { a, _ in a })
    public static var specs: [WidgetSpec] { all.map { $0.spec } }
    public static let loader = LayoutLoader(widgets: specs)

    /// The layouts shipped with cockpit (see `LayoutCatalog.bundledDirectory`), loaded once.
    public static let bundled: Result<LayoutCatalog, LayoutErrors> = {
        do {
            return .success(try LayoutCatalog.load(loader: loader, bundled: LayoutCatalog.bundledDirectory()))
        } catch let e as LayoutErrors { return .failure(e) } catch {
            return .failure(LayoutErrors(errors: []))
        }
    }()

    public static func minSize(_ p: Panel) -> (width: Int, height: Int) {
        let spec = byName[p.widget]?.spec
        return (p.minWidth ?? spec?.minWidth ?? 10, p.minHeight ?? spec?.minHeight ?? 3)
    }
}

/// A panel's view of the screen: its settings, the unit's data and how to draw.
public struct WidgetContext {
    public var panel: Panel
    public var data: ScreenData
    public var options: RenderOptions
    public var focused: Bool
    /// The selected row when the panel shows the focused list.
    public var selected: Int?
    /// The column the children are sorted by (`s`), if any.
    public var sortedBy: String?

    public init(panel: Panel, data: ScreenData, options: RenderOptions, focused: Bool = false, selected: Int? = nil, sortedBy: String? = nil) {
        self.panel = panel; self.data = data; self.options = options; self.focused = focused; self.selected = selected; self.sortedBy = sortedBy
    }

    public var strings: Strings { options.strings }
    public var english: Bool { options.strings.language == .en }
    public var wide: Bool { options.ambiguousWide }

    public func text(_ t: LocalText) -> String {
        Placeholders.fill(t.text(english: english)) { name in
            switch name {
            case "unit.name": return data.unit.name
            case "unit.id": return data.unit.id
            case "unit.code": return data.unit.code ?? ""
            case "unit.tier": return strings.tier(data.unit.tier)
            case "parent.name": return data.path.dropLast().last?.name ?? ""
            case "compare": return strings.compare(data.unit.tier)
            case "children": return String(data.children.count)
            default:
                if name.hasPrefix("=") { return ValueFormat.text(String(name.dropFirst()), data.figures[String(name.dropFirst())]) }
                return nil
            }
        }
    }

    /// The panel's title, else the label of its first metric.
    public var title: String {
        if let t = panel.title { return text(t) }
        return panel.metric.map { strings.metricLabel($0) } ?? ""
    }

    public func label(_ b: MetricBinding) -> String { b.label.map(text) ?? strings.metricLabel(b.metric) }

    /// Whose figures a panel shows (tables and bars: the children, unless the layout says otherwise).
    public func showsChildren(default children: Bool) -> Bool { panel.of.map { $0 == .children } ?? children }

    /// The previous bucket's value of a metric, from the history, for the delta.
    public func previous(_ metric: String, unit: String) -> Double? {
        guard let h = data.history[ScreenData.historyKey(unit, metric)], h.count >= 2 else { return nil }
        return h[h.count - 2]
    }

    public func tint(_ level: Thresholds.Level, otherwise: Tint = .normal) -> Tint {
        switch level {
        case .red: return .red
        case .yellow: return .yellow
        case .green: return .green
        case .none: return otherwise
        }
    }

    /// The box every panel sits in, cyan with its title in reverse when focused (which shows in
    /// monochrome too); returns the room inside (one column of air each side).
    @discardableResult
    public func frame(_ c: inout Canvas, _ r: Rect, title: String? = nil, titleTint: Tint? = nil) -> Rect {
        let t = title ?? self.title
        c.box(r, title: t.isEmpty ? nil : t, style: Style(focused ? .cyan : .grey),
              titleStyle: Style(titleTint ?? (focused ? .cyan : .normal), bold: true, reverse: focused), ascii: options.ascii)
        staleness(&c, r)
        return r.inset(dx: 2, dy: 1)
    }

    /// A panel fed by a source that is late carries the data's age in its bottom border, in red,
    /// so that an old number never looks current.
    func staleness(_ c: inout Canvas, _ r: Rect) {
        guard let name = panel.string("source"), r.height >= 2,
              let src = data.sources.first(where: { $0.name == name }), src.isStale else { return }
        let age = src.lastSuccess.map { strings.data + strings.age(seconds: max(0, data.at - $0)) } ?? strings.data + " " + strings.noData
        let text = " " + age + " "
        guard Text.width(text, ambiguousWide: wide) + 4 <= r.width else { return }
        c.put(text, x: r.x + 2, y: r.maxY - 1, style: Style(.red, bold: true))
    }

    /// "无数据" / "no data" where a panel has nothing to show.
    public func noData(_ c: inout Canvas, _ inner: Rect) {
        guard !inner.isEmpty else { return }
        c.put(Text.fit(strings.noPanelData, inner.width, ambiguousWide: wide), x: inner.x, y: inner.y, style: Style(.grey))
    }
}

/// How a figure reads, by the kind its name says: rates as percentages, `_s` as durations,
/// `_ms` as milliseconds, everything else as a count; "—" when unknown.
public enum ValueFormat {
    public static func text(_ metric: String, _ v: Double?) -> String {
        let base = metric.split(separator: "@").first.map(String.init) ?? metric
        guard let v, v.isFinite else { return "—" }
        guard abs(v) < 9e15 else { return String(v) }
        if base.hasSuffix("_rate") { return Format.percent(v) }
        if base.hasSuffix("_s") { return duration(v) }
        if base.hasSuffix("_ms") { return "\(Int(v.rounded())) ms" }
        if base.hasPrefix("series."), v != v.rounded() { return String((v * 10).rounded() / 10) }
        return Format.count(v)
    }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite, abs(s) < 9e15 else { return "—" }
        let t = Int(s.rounded())
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m\(t % 60 < 10 ? "0" : "")\(t % 60)s" }
        return "\(t / 3600)h\(t / 60 % 60 < 10 ? "0" : "")\(t / 60 % 60)m"
    }

    /// A change with its sign and arrow: "▲+12", "▼-3" (ASCII "^+12", "v-3"), "=0".
    public static func delta(_ metric: String, _ d: Double, ascii: Bool) -> String {
        let base = metric.split(separator: "@").first.map(String.init) ?? metric
        let mag: String = base.hasSuffix("_rate") ? Format.percent(abs(d)) : text(metric, abs(d))
        if d > 0 { return (ascii ? "^+" : "▲+") + mag }
        if d < 0 { return (ascii ? "v-" : "▼-") + mag }
        return "=0"
    }
}
