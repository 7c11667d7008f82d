import CockpitCore

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

/// Draws the district, street and community cockpits: the model + data → a canvas.
public struct CockpitScreen {
    public let options: RenderOptions
    private var s: Strings { options.strings }

    public init(options: RenderOptions = RenderOptions()) { self.options = options }

    public func render(model: CockpitModel, data unfiltered: ScreenData, width: Int, height: Int) -> Canvas {
        let data = model.filtered(unfiltered)
        var c = Canvas(width: width, height: height, ambiguousWide: options.ambiguousWide)
        guard width >= RenderOptions.minWidth, height >= RenderOptions.minHeight else {
            drawTooSmall(&c)
            return c
        }
        var (title, rest) = c.bounds.takeTop(1)
        drawTitle(&c, title, data: data)
        let (body, keys) = rest.takeBottom(1)
        rest = body
        drawBottomLine(&c, keys, model: model, leaf: data.showsCases)
        if !data.warnings.isEmpty {
            let (top, warn) = rest.takeBottom(1)
            c.put(Text.fit(data.warnings.joined(separator: "；"), warn.width - 2, ambiguousWide: options.ambiguousWide),
                  x: warn.x + 1, y: warn.y, style: Style(.yellow))
            rest = top
        }
        let (tiles, lower) = rest.takeTop(4)
        drawTiles(&c, tiles, data: data)
        if data.showsCases {
            drawCases(&c, lower, data: data, selected: model.selectedRow, showUnit: false, focused: true)
        } else {
            // The comparison takes what it needs; the most overdue cases fill the rest when there is
            // room. Where there is not, Tab switches which of the two is drawn.
            let needed = data.children.count + 3
            let cases = model.casesFocused ? model.selectedCase : nil
            if lower.height - needed >= 6 {
                let (top, bottom) = lower.takeTop(needed)
                drawComparison(&c, top, data: data, selected: model.selectedRow, focused: !model.casesFocused)
                drawCases(&c, bottom, data: data, selected: cases, showUnit: true, focused: model.casesFocused)
            } else if model.casesFocused {
                drawCases(&c, lower, data: data, selected: cases, showUnit: true, focused: true)
            } else {
                drawComparison(&c, lower, data: data, selected: model.selectedRow, focused: true)
            }
        }
        if model.showHelp { drawHelp(&c) }
        return c
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

    func drawTitle(_ c: inout Canvas, _ r: Rect, data: ScreenData) {
        let bar = Style(.title, reverse: true)
        c.fill(r, style: bar)
        let sep = options.ascii ? " > " : " › "
        let crumbs = data.path.map(\.name).joined(separator: sep)
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
    func drawBottomLine(_ c: inout Canvas, _ r: Rect, model: CockpitModel, leaf: Bool) {
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
        drawKeyBar(&c, Rect(x: x, y: r.y, width: r.maxX - x, height: 1), leaf: leaf)
    }

    func drawKeyBar(_ c: inout Canvas, _ r: Rect, leaf: Bool) {
        var items: [(String, String)] = [(options.ascii ? "Up/Dn" : "↑↓", leaf ? s.scroll : s.select)]
        if !leaf { items.append(("Enter", s.drill)) }
        items += [("Esc", s.back), ("/", s.filterLabel), ("?", s.help), ("q", s.quit)]
        var x = r.x
        for (key, label) in items where x < r.maxX {
            x += c.put(key, x: x, y: r.y, style: Style(.cyan, bold: true, reverse: true), maxWidth: r.maxX - x)
            x += c.put(" " + label + "  ", x: x, y: r.y, maxWidth: max(0, r.maxX - x))
        }
    }

    /// `sub` is "label value"; where it does not fit, only `subValue` is shown.
    struct Tile { var metric: String; var label: String; var value: String; var sub: String; var subValue: String; var tint: Tint }

    func tiles(_ f: Figures) -> [Tile] {
        let open = f[Metric.casesOpen] ?? 0
        func pct(_ v: Double?) -> String { open > 0 ? Format.percent((v ?? 0) / open) : "—" }
        let overdue = f[Metric.casesOverdue] ?? 0, warning = f[Metric.casesWarning] ?? 0
        let late = f[Metric.casesCompletedOverdue] ?? 0
        return [
            Tile(metric: Metric.casesOpen, label: s.open, value: Format.count(f[Metric.casesOpen]), sub: s.inWindow(Format.count(f[Metric.casesCompleted])),
                 subValue: Format.count(f[Metric.casesCompleted]), tint: .normal),
            Tile(metric: Metric.casesOverdue, label: s.overdue, value: Format.count(overdue), sub: s.ofOpen(pct(overdue)), subValue: pct(overdue), tint: overdue > 0 ? .red : .green),
            Tile(metric: Metric.casesWarning, label: s.warning, value: Format.count(warning), sub: s.ofOpen(pct(warning)), subValue: pct(warning), tint: warning > 0 ? .yellow : .green),
            Tile(metric: Metric.casesSuspended, label: s.suspended, value: Format.count(f[Metric.casesSuspended]), sub: s.ofOpen(pct(f[Metric.casesSuspended])),
                 subValue: pct(f[Metric.casesSuspended]), tint: .grey),
            Tile(metric: Metric.casesCompletedOverdue, label: s.completedOverdue, value: Format.count(late), sub: s.onTime(Format.percent(f[Metric.casesOnTimeRate])),
                 subValue: Format.percent(f[Metric.casesOnTimeRate]), tint: late > 0 ? .red : .green),
        ]
    }

    func drawTiles(_ c: inout Canvas, _ r: Rect, data: ScreenData) {
        let list = tiles(data.figures)
        for (tile, rect) in zip(list, r.columns(list.count, gap: 1)) {
            c.box(rect, title: tile.label, style: Style(.grey), titleStyle: Style(tile.tint == .grey ? .normal : tile.tint, bold: true), ascii: options.ascii)
            let inner = rect.inset(dx: 2, dy: 1)
            let changed = data.changed.contains("\(data.unit.id)|\(tile.metric)")
            c.put(Text.pad(tile.value, inner.width, align: .right), x: inner.x, y: inner.y, style: Style(tile.tint, bold: true, reverse: changed))
            // Labels on all tiles or on none, so that the row reads evenly.
            let labelled = list.allSatisfy { Text.width($0.sub, ambiguousWide: options.ambiguousWide) <= inner.width }
            let sub = labelled ? tile.sub : tile.subValue
            c.put(Text.pad(sub, inner.width, align: .right, ambiguousWide: options.ambiguousWide), x: inner.x, y: inner.y + 1, style: Style(dim: true))
        }
    }

    /// The children compared: one row each, figures in aligned columns and a bar of overdue.
    func drawComparison(_ c: inout Canvas, _ r: Rect, data: ScreenData, selected: Int, focused: Bool) {
        c.box(r, title: s.compare(data.unit.tier), style: Style(focused ? .cyan : .grey),
              titleStyle: Style(focused ? .cyan : .normal, bold: true), ascii: options.ascii)
        let inner = r.inset(dx: 2, dy: 1)
        guard inner.height >= 2 else { return }
        let metrics: [(String, String, Bool)] = [
            (s.open, Metric.casesOpen, false), (s.overdue, Metric.casesOverdue, false), (s.warning, Metric.casesWarning, false),
            (s.suspended, Metric.casesSuspended, false), (s.completedOverdue, Metric.casesCompletedOverdue, false),
            (s.onTimeRate, Metric.casesOnTimeRate, true),
        ]
        let nameW = 2 + min(18, max(8, data.children.map { Text.width($0.unit.name) }.max() ?? 8))
        let numW = 9
        let fixed = nameW + metrics.count * numW + 2
        let barW = inner.width - fixed - 1
        // Header
        var x = inner.x
        x += c.put(Text.pad("  " + s.name, nameW), x: x, y: inner.y, style: Style.bold)
        for (label, _, _) in metrics { x += c.put(Text.pad(label, numW, align: .right), x: x, y: inner.y, style: Style.bold) }
        if barW >= 8 { c.put("  " + Text.fit(s.overdue, barW), x: x, y: inner.y, style: Style.bold) }

        let maxOverdue = data.children.map { $0.figures[Metric.casesOverdue] ?? 0 }.max() ?? 0
        let visible = inner.height - 1
        let top = scrollTop(selected: selected, count: data.children.count, visible: visible)
        for (row, i) in (top..<min(data.children.count, top + visible)).enumerated() {
            let (unit, f) = data.children[i]
            let y = inner.y + 1 + row
            c.rowTargets[y] = (.children, i)
            let isSel = i == selected
            let base = isSel ? Style(reverse: true) : Style.plain
            if isSel { c.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: base) }
            var x = inner.x
            // ">" marks the selection in monochrome and in snapshots too, not only by reverse video.
            x += c.put(Text.pad((isSel ? "> " : "  ") + unit.name, nameW, ambiguousWide: options.ambiguousWide), x: x, y: y,
                       style: Style(base.tint, bold: isSel, reverse: isSel))
            for (_, metric, isRate) in metrics {
                let v = f[metric]
                let text = isRate ? Format.percent(v) : Format.count(v)
                var st = base
                if metric == Metric.casesOverdue, (v ?? 0) > 0 { st.tint = .red }
                if metric == Metric.casesWarning, (v ?? 0) > 0 { st.tint = .yellow }
                if data.changed.contains("\(unit.id)|\(metric)") { st.bold = true; st.reverse = !isSel }
                x += c.put(Text.pad(text, numW, align: .right), x: x, y: y, style: st)
            }
            if barW >= 8 {
                let v = f[Metric.casesOverdue] ?? 0
                let bar = Bar.horizontal(value: v, max: maxOverdue, width: barW - 2, ascii: options.ascii)
                c.put("  " + bar, x: x, y: y, style: Style(.red, reverse: isSel))
            }
        }
        drawScrollHint(&c, r, top: top, visible: visible, count: data.children.count)
    }

    /// Overdue cases under the unit, most overdue first; with `showUnit`, which community each is in.
    func drawCases(_ c: inout Canvas, _ r: Rect, data: ScreenData, selected: Int?, showUnit: Bool, focused: Bool) {
        let title = "\(showUnit ? s.mostOverdue : s.overdueCases) (\(Format.count(data.figures[Metric.casesOverdue])))"
        c.box(r, title: title, style: Style(focused && showUnit ? .cyan : .grey), titleStyle: Style(.red, bold: true), ascii: options.ascii)
        let inner = r.inset(dx: 2, dy: 1)
        guard inner.height >= 2 else { return }
        guard !data.overdueCases.isEmpty else {
            c.put(s.noOverdueCases, x: inner.x, y: inner.y + 1, style: Style(.green))
            return
        }
        let idW = 16, overW = 9, deadlineW = 10
        let unitW = showUnit ? min(14, max(8, data.overdueCases.map { Text.width(data.unitNames[$0.unit] ?? $0.unit) }.max() ?? 8)) : 0
        let rest = inner.width - idW - overW - deadlineW - unitW - (showUnit ? 5 : 4) - 2
        let deptW = max(10, rest * 2 / 5), itemW = max(10, rest - deptW)
        func row(_ cols: [(String, Int, Text.Align)], y: Int, style: Style) {
            var cols = cols
            if !showUnit { cols.remove(at: 1) }
            var x = inner.x
            for (i, (text, w, align)) in cols.enumerated() {
                x += c.put(Text.pad(text, w, align: align, ambiguousWide: options.ambiguousWide), x: x, y: y, style: style)
                if i < cols.count - 1 { x += c.put(" ", x: x, y: y, style: style) }
            }
        }
        row([("  " + s.caseID, idW + 2, .left), (s.unitColumn, unitW, .left), (s.item, itemW, .left), (s.department, deptW, .left),
             (s.deadline, deadlineW, .left), (s.daysOver, overW, .right)], y: inner.y, style: .bold)
        let visible = inner.height - 1
        let top = scrollTop(selected: selected ?? 0, count: data.overdueCases.count, visible: visible)
        for (n, i) in (top..<min(data.overdueCases.count, top + visible)).enumerated() {
            let k = data.overdueCases[i]
            let isSel = i == selected
            let y = inner.y + 1 + n
            c.rowTargets[y] = (.cases, i)
            if isSel { c.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: Style(reverse: true)) }
            let st = Style(.normal, reverse: isSel)
            row([((isSel ? "> " : "  ") + k.id, idW + 2, .left), (data.unitNames[k.unit] ?? k.unit, unitW, .left),
                 (k.itemName, itemW, .left), (k.department, deptW, .left),
                 (LocalTime.dayString(LocalTime.day(of: k.deadline - 1)), deadlineW, .left),
                 (s.daysSuffix(k.daysOver), overW, .right)], y: y, style: st)
            c.put(Text.pad(s.daysSuffix(k.daysOver), overW, align: .right), x: inner.maxX - overW, y: y, style: Style(.red, bold: true, reverse: isSel))
        }
        if selected != nil { drawScrollHint(&c, r, top: top, visible: visible, count: data.overdueCases.count) }
    }

    func scrollTop(selected: Int, count: Int, visible: Int) -> Int {
        guard count > visible, visible > 0 else { return 0 }
        return min(max(0, selected - visible + 1), count - visible)
    }

    func drawScrollHint(_ c: inout Canvas, _ r: Rect, top: Int, visible: Int, count: Int) {
        guard count > visible else { return }
        let hint = " \(top + 1)-\(min(count, top + visible))/\(count) "
        c.put(hint, x: r.maxX - Text.width(hint) - 2, y: r.maxY - 1, style: Style(.grey))
    }
}

/// Horizontal bars in eighth blocks (or '#').
public enum Bar {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public static func horizontal(value: Double, max: Double, width: Int, ascii: Bool = false) -> String {
        guard width > 0, max > 0, value > 0 else { return "" }
        let cells = Swift.min(Double(width), value / max * Double(width))
        if ascii { return String(repeating: "#", count: Swift.max(1, Int(cells.rounded()))) }
        let whole = Int(cells)
        let frac = Int(((cells - Double(whole)) * 8).rounded(.down))
        let s = String(repeating: "█", count: whole) + eighths[frac]
        return s.isEmpty ? "▏" : s
    }
}
