import CockpitCore
import CockpitLayout

/// The children compared in a table: a row each, figures in aligned columns, an optional bar;
/// the selected row highlighted, the position shown when it scrolls, and columns dropped lowest
/// priority first when the table is narrow.
public enum TableWidget: Widget {
    public static let spec = WidgetSpec(name: "table", options: ["bar": .metric], minMetrics: 1, maxMetrics: 12,
                                        minWidth: 30, minHeight: 5)

    public static func list(_ panel: Panel) -> ListKind? { panel.of == .unit ? nil : .children }

    public static func preferredHeight(_ ctx: WidgetContext, width: Int) -> Int? { ctx.data.children.count + 3 }

    static let numW = 9

    /// The columns that fit `width` beside the names: lowest priority (then the last) go first.
    static func columns(_ metrics: [MetricBinding], width: Int, nameW: Int) -> [MetricBinding] {
        var cols = metrics
        while !cols.isEmpty, nameW + cols.count * numW > width {
            let drop = cols.indices.min { a, b in cols[a].priority != cols[b].priority ? cols[a].priority < cols[b].priority : a > b }!
            cols.remove(at: drop)
        }
        return cols
    }

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let data = ctx.data
        let inner = ctx.frame(&c, r)
        guard inner.height >= 2 else { return }
        let rows: [(unit: OrgUnit, figures: Figures)] = ctx.showsChildren(default: true) ? data.children : [(data.unit, data.figures)]
        let nameW = 2 + min(18, max(8, rows.map { Text.width($0.unit.name, ambiguousWide: ctx.wide) }.max() ?? 8))
        let cols = columns(ctx.panel.metrics, width: inner.width, nameW: nameW)
        let bar = ctx.panel.binding("bar")
        let barW = inner.width - nameW - cols.count * numW - 3
        var x = inner.x
        x += c.put(Text.pad("  " + ctx.strings.name, nameW, ambiguousWide: ctx.wide), x: x, y: inner.y, style: .bold)
        for col in cols {
            let mark = ctx.sortedBy == col.metric ? (ctx.options.ascii ? "v" : "▼") : ""
            // A header never touches its neighbour: at most numW - 1 columns, cut with "…" ("Suspended"
            // in English is as wide as the column).
            let header = Text.fit(mark + ctx.label(col), Self.numW - 1, ambiguousWide: ctx.wide)
            x += c.put(Text.pad(header, numW, align: .right, ambiguousWide: ctx.wide), x: x, y: inner.y, style: .bold)
        }
        if let bar, barW >= 8 { c.put("  " + Text.fit(ctx.label(bar), barW, ambiguousWide: ctx.wide), x: x, y: inner.y, style: .bold) }
        guard !rows.isEmpty else { return ctx.noData(&c, Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1)) }
        let maxBar = bar.map { b in rows.map { $0.figures[b.metric] ?? 0 }.max() ?? 0 } ?? 0
        let visible = inner.height - 1
        let selected = ctx.selected ?? -1
        let top = Scroll.top(selected: max(0, selected), count: rows.count, visible: visible)
        for (n, i) in (top..<min(rows.count, top + visible)).enumerated() {
            let (unit, f) = rows[i]
            let y = inner.y + 1 + n
            if list(ctx.panel) != nil { c.rowTargets[y] = (.children, i) }
            let isSel = i == selected
            let base = isSel ? Style(reverse: true) : Style.plain
            if isSel { c.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: base) }
            var x = inner.x
            // ">" marks the selection in monochrome and in snapshots too, not only by reverse video.
            x += c.put(Text.pad((isSel ? "> " : "  ") + unit.name, nameW, ambiguousWide: ctx.wide), x: x, y: y,
                       style: Style(base.tint, bold: isSel, reverse: isSel))
            for col in cols {
                let v = f[col.metric]
                var st = base
                let level = (col.thresholds ?? ctx.panel.thresholds)?.level(value: v) ?? .none
                if level == .red || level == .yellow { st.tint = ctx.tint(level) }
                let text = ValueFormat.text(col.metric, v)
                if data.changed.contains("\(unit.id)|\(col.metric)"), !isSel {
                    // Only the figure's own cells in reverse: the highlight stays cheap on the wire.
                    let pad = max(0, numW - Text.width(text))
                    x += c.put(String(repeating: " ", count: pad), x: x, y: y, style: st)
                    st.bold = true; st.reverse = true
                    x += c.put(text, x: x, y: y, style: st)
                    continue
                }
                x += c.put(Text.pad(text, numW, align: .right), x: x, y: y, style: st)
            }
            if let bar, barW >= 8 {
                let s = Bar.horizontal(value: f[bar.metric] ?? 0, max: maxBar, width: barW - 2, ascii: ctx.options.ascii)
                c.put("  " + s, x: x, y: y, style: Style(.red, reverse: isSel))
            }
        }
        if ctx.selected != nil { Scroll.hint(&c, r, top: top, visible: visible, count: rows.count) }
    }
}

/// Keeping the selected row in view, and saying where the view is.
public enum Scroll {
    public static func top(selected: Int, count: Int, visible: Int) -> Int {
        guard count > visible, visible > 0 else { return 0 }
        return min(max(0, selected - visible + 1), count - visible)
    }

    /// " 3-10/75 " in the bottom border when not everything is in view.
    public static func hint(_ c: inout Canvas, _ r: Rect, top: Int, visible: Int, count: Int) {
        guard count > visible else { return }
        let hint = " \(top + 1)-\(min(count, top + visible))/\(count) "
        guard r.height >= 2, Text.width(hint) + 4 <= r.width else { return }
        c.put(hint, x: r.maxX - Text.width(hint) - 2, y: r.maxY - 1, style: Style(.grey))
    }
}
