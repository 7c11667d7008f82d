import CockpitCore
import CockpitLayout

/// Options that change how a screen is drawn, not what it shows.
public struct RenderOptions: Sendable {
    public var strings: Strings
    public var ascii: Bool
    public var ambiguousWide: Bool
    public static let minWidth = 80
    public static let minHeight = 24

    public init(strings: Strings = Strings(.zh), ascii: Bool = false, ambiguousWide: Bool = false) {
        self.strings = strings; self.ascii = ascii; self.ambiguousWide = ambiguousWide
    }
}

/// Draws a unit's cockpit from its tier's layout: the model + data → a canvas. The title bar,
/// the key bar, warnings, help and the too-small message are the same on every screen; the body
/// is the layout's panels, each drawn by its widget.
public struct CockpitScreen {
    public let options: RenderOptions
    public let layouts: LayoutCatalog
    private var s: Strings { options.strings }

    /// `layouts` nil: the bundled ones (an empty catalogue if they cannot be found or read, which
    /// the screen then says; the commands check the layouts before they start).
    public init(options: RenderOptions = RenderOptions(), layouts: LayoutCatalog? = nil) {
        self.options = options
        self.layouts = layouts ?? ((try? Widgets.bundled.get()) ?? LayoutCatalog(layouts: [:]))
    }

    /// The layout a unit is drawn with: the one `:layout` chose, else its tier's.
    public func layout(model: CockpitModel, data: ScreenData) -> Layout? {
        if let name = model.layoutName, let l = layouts[name] { return l }
        return layouts.layout(for: data.unit.tier)
    }

    public func render(model: CockpitModel, data unfiltered: ScreenData, width: Int, height: Int) -> Canvas {
        let data = model.filtered(unfiltered)
        var c = Canvas(width: width, height: height, ambiguousWide: options.ambiguousWide)
        guard width >= RenderOptions.minWidth, height >= RenderOptions.minHeight else {
            drawTooSmall(&c)
            return c
        }
        let layout = self.layout(model: model, data: data)
        var (title, rest) = c.bounds.takeTop(1)
        let (body, keys) = rest.takeBottom(1)
        rest = body
        if !data.warnings.isEmpty {
            let (top, warn) = rest.takeBottom(1)
            c.put(Text.fit(data.warnings.joined(separator: "；"), warn.width - 2, ambiguousWide: options.ambiguousWide),
                  x: warn.x + 1, y: warn.y, style: Style(.yellow))
            rest = top
        }
        var hidden = 0
        if let layout {
            hidden = drawBody(&c, rest, layout: layout, model: model, data: data)
        } else {
            c.put(Text.fit(s.noLayout(data.unit.tier.rawValue), rest.width - 2, ambiguousWide: options.ambiguousWide),
                  x: rest.x + 1, y: rest.y + 1, style: Style(.red, bold: true))
        }
        drawTitle(&c, title, data: data, layoutTitle: layout?.title.map { context(Panel.none, data: data).text($0) })
        drawBottomLine(&c, keys, model: model, leaf: data.showsCases, panels: c.focusables.count, hidden: hidden)
        if model.showHelp { drawHelp(&c) }
        return c
    }

    func context(_ panel: Panel, data: ScreenData, focused: Bool = false, selected: Int? = nil, sortedBy: String? = nil) -> WidgetContext {
        WidgetContext(panel: panel, data: data, options: options, focused: focused, selected: selected, sortedBy: sortedBy)
    }

    /// Lays the panels out (the least important giving way), draws them, and records on the
    /// canvas which panels Tab can reach. Returns how many panels gave way.
    func drawBody(_ c: inout Canvas, _ r: Rect, layout: Layout, model: CockpitModel, data: ScreenData) -> Int {
        let arrangement = Arranger.arrange(layout, in: r, minSize: Widgets.minSize) { panel, width in
            Widgets.byName[panel.widget]?.preferredHeight(context(panel, data: data), width: width)
        }
        let hiddenIDs = Set(arrangement.hidden.map(\.id))
        func list(_ p: Panel) -> ListKind? { Widgets.byName[p.widget]?.list(p) }
        // Tab reaches the lists and every panel that gave way (drawn in the main panel's place).
        let focusables = layout.panels.filter { list($0) != nil || hiddenIDs.contains($0.id) }
            .map { PanelFocus(id: $0.id, list: list($0), metrics: $0.metrics.map(\.metric)) }
        c.focusables = focusables
        let focusIndex = PanelFocus.resolve(focusables, focused: model.focusedPanel, casesFocused: model.casesFocused)
        let focusedID = focusIndex.map { focusables[$0].id }
        var placed = arrangement.placed
        if let id = focusedID, hiddenIDs.contains(id), let panel = arrangement.hidden.first(where: { $0.id == id }) {
            // A panel that gave way, brought forward: it takes the place of the largest list (else the largest panel).
            let candidates = placed.indices.filter { list(placed[$0].panel) != nil }
            let pool = candidates.isEmpty ? Array(placed.indices) : candidates
            if let i = pool.max(by: { placed[$0].rect.width * placed[$0].rect.height < placed[$1].rect.width * placed[$1].rect.height }) {
                placed[i].panel = panel
            }
        }
        for (panel, rect) in placed {
            guard let widget = Widgets.byName[panel.widget], !rect.isEmpty else { continue }
            let hasKeys = panel.id == focusedID
            var selected: Int? = nil
            switch list(panel) {
            case .children?: selected = model.selectedRow
            case .cases?: selected = data.showsCases ? model.selectedRow : (hasKeys ? model.selectedCase : nil)
            case nil: break
            }
            // The focus is framed only where there is more than one place it could be.
            let framed = hasKeys && focusables.count > 1
            widget.draw(&c, rect, context(panel, data: data, focused: framed, selected: selected, sortedBy: model.sortMetric))
        }
        return arrangement.hidden.count
    }

    /// The keys, in a box over the middle of the screen.
    func drawHelp(_ c: inout Canvas) {
        let lines = s.helpLines
        let keyW = lines.map { Text.width($0.0, ambiguousWide: options.ambiguousWide) }.max() ?? 0
        let textW = lines.map { Text.width($0.1, ambiguousWide: options.ambiguousWide) }.max() ?? 0
        let w = min(c.width - 4, max(keyW + textW + 7, Text.width(s.helpTitle) + 8))
        let h = min(c.height - 2, lines.count + 4)
        let r = Rect(x: (c.width - w) / 2, y: (c.height - h) / 2, width: w, height: h)
        c.fill(r)
        c.box(r, title: s.helpTitle, style: Style(.cyan), titleStyle: Style(.cyan, bold: true), ascii: options.ascii)
        for (i, (keys, what)) in lines.prefix(h - 4).enumerated() {
            let y = r.y + 2 + i
            c.put(Text.pad(keys, keyW, ambiguousWide: options.ambiguousWide), x: r.x + 3, y: y, style: Style(.cyan, bold: true))
            c.put(Text.fit(what, r.width - keyW - 8, ambiguousWide: options.ambiguousWide), x: r.x + 5 + keyW, y: y)
        }
    }

    // MARK: parts

    func drawTooSmall(_ c: inout Canvas) {
        let msg = s.tooSmall(needW: RenderOptions.minWidth, needH: RenderOptions.minHeight, w: c.width, h: c.height)
        let w = Text.width(msg, ambiguousWide: options.ambiguousWide)
        let y = c.height / 2
        if w <= c.width {
            c.put(msg, x: (c.width - w) / 2, y: y, style: Style(.yellow, bold: true))
        } else {
            // Tiny terminals: wrap by characters, as much as fits.
            var line = "", row = max(0, y - 1)
            for ch in msg {
                if Text.width(line + String(ch)) > c.width { c.put(line, x: 0, y: row, style: Style(.yellow, bold: true)); row += 1; line = "" }
                line.append(ch)
            }
            c.put(line, x: 0, y: row, style: Style(.yellow, bold: true))
        }
    }

    /// Data older than this is shown stale (red, with its age), so an old number never looks current.
    public static let staleAfter: Int64 = 15 * 60

    func drawTitle(_ c: inout Canvas, _ r: Rect, data: ScreenData, layoutTitle: String? = nil) {
        let bar = Style(.title, reverse: true)
        c.fill(r, style: bar)
        let sep = options.ascii ? " > " : " › "
        var crumbs = data.path.map(\.name).joined(separator: sep)
        if let layoutTitle, !layoutTitle.isEmpty { crumbs += "  " + layoutTitle }
        let clock = "\(s.asOf) \(LocalTime.short(data.at))  "
        var fresh = "\(s.data) " + (data.dataAsOf.map { LocalTime.short($0) } ?? s.noData)
        var stale = data.dataAsOf == nil
        if let asOf = data.dataAsOf, data.at - asOf >= 60 {
            fresh += s.age(seconds: data.at - asOf)
            stale = data.at - asOf > Self.staleAfter
        }
        let rw = Text.width(clock + fresh, ambiguousWide: options.ambiguousWide)
        let room = max(0, r.width - rw - 4)
        c.put(" " + Text.fit(crumbs, room, ambiguousWide: options.ambiguousWide), x: r.x, y: r.y, style: Style(.title, bold: true, reverse: true))
        let x = r.maxX - rw - 1
        c.put(clock, x: x, y: r.y, style: bar)
        c.put(fresh + " ", x: x + Text.width(clock), y: r.y, style: stale ? Style(.red, bold: true, reverse: true) : bar)
    }

    /// The key bar, or what is being typed (`/filter`, `:command`), or a message.
    func drawBottomLine(_ c: inout Canvas, _ r: Rect, model: CockpitModel, leaf: Bool, panels: Int = 0, hidden: Int = 0) {
        if let input = model.input {
            let text = (input == .filter ? "/" + model.filter : ":" + model.command) + (options.ascii ? "_" : "▏")
            c.put(Text.fit(text, r.width, ambiguousWide: options.ambiguousWide), x: r.x, y: r.y, style: Style(.cyan, bold: true))
            return
        }
        if let m = model.message {
            c.put(Text.fit(m, r.width, ambiguousWide: options.ambiguousWide), x: r.x, y: r.y, style: Style(.yellow, bold: true))
            return
        }
        var x = r.x
        if !model.filter.isEmpty {
            x += c.put("/" + model.filter + "  ", x: x, y: r.y, style: Style(.cyan, bold: true), maxWidth: r.width / 3)
        }
        drawKeyBar(&c, Rect(x: x, y: r.y, width: r.maxX - x, height: 1), leaf: leaf, panels: panels, hidden: hidden)
    }

    func drawKeyBar(_ c: inout Canvas, _ r: Rect, leaf: Bool, panels: Int = 0, hidden: Int = 0) {
        var items: [(String, String)] = [(options.ascii ? "Up/Dn" : "↑↓", leaf ? s.scroll : s.select)]
        if !leaf { items.append(("Enter", s.drill)) }
        if panels > 1 { items.append(("Tab", s.panels + (hidden > 0 ? "(+\(hidden))" : ""))) }
        items += [("Esc", s.back), ("/", s.filterLabel), ("?", s.help), ("q", s.quit)]
        var x = r.x
        for (key, label) in items where x < r.maxX {
            x += c.put(key, x: x, y: r.y, style: Style(.cyan, bold: true, reverse: true), maxWidth: r.maxX - x)
            x += c.put(" " + label + "  ", x: x, y: r.y, maxWidth: max(0, r.maxX - x))
        }
    }

}

/// Horizontal bars in eighth blocks (or '#').
public enum Bar {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public static func horizontal(value: Double, max: Double, width: Int, ascii: Bool = false) -> String {
        guard width > 0, max > 0, value > 0, value.isFinite, max.isFinite else { return "" }
        let cells = Swift.min(Double(width), value / max * Double(width))
        if ascii { return String(repeating: "#", count: Swift.max(1, Int(cells.rounded()))) }
        let whole = Int(cells)
        let frac = Int(((cells - Double(whole)) * 8).rounded(.down))
        let s = String(repeating: "█", count: whole) + eighths[frac]
        return s.isEmpty ? "▏" : s
    }
}
