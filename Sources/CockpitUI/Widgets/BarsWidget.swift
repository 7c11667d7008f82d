import CockpitCore
import CockpitLayout

/// Horizontal bars, one per child (the 8 streets, or a street's communities): one metric, or
/// stacked red / yellow / green where `red:`, `yellow:` and `total:` are given (green = the rest),
/// drawn █ ▓ ░ (ASCII # = -) so that the parts differ in monochrome as well.
public enum BarsWidget: Widget {
    public static let spec = WidgetSpec(name: "bars", options: ["red": .metric, "yellow": .metric, "total": .metric],
                                        minMetrics: 0, maxMetrics: 1, minWidth: 24, minHeight: 4)

    public static func list(_ panel: Panel) -> ListKind? { panel.of == .unit ? nil : .children }

    public static func preferredHeight(_ ctx: WidgetContext, width: Int) -> Int? { ctx.data.children.count + 2 }

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let inner = ctx.frame(&c, r)
        guard inner.height >= 1 else { return }
        let rows: [(unit: OrgUnit, figures: Figures)] = ctx.showsChildren(default: true) ? ctx.data.children : [(ctx.data.unit, ctx.data.figures)]
        guard !rows.isEmpty else { return ctx.noData(&c, inner) }
        let stacked = ctx.panel.binding("total")
        let nameW = min(14, max(6, rows.map { Text.width($0.unit.name, ambiguousWide: ctx.wide) }.max() ?? 6)) + 2
        let valueW = 7
        let barW = inner.width - nameW - valueW - 2
        guard barW >= 4 else { return }
        func v(_ f: Figures, _ b: MetricBinding?) -> Double { b.flatMap { f[$0.metric] } ?? 0 }
        let maxV = rows.map { stacked != nil ? v($0.figures, stacked) : v($0.figures, ctx.panel.metrics.first) }.max() ?? 0
        let selected = ctx.selected ?? -1
        let top = Scroll.top(selected: max(0, selected), count: rows.count, visible: inner.height)
        for (n, i) in (top..<min(rows.count, top + inner.height)).enumerated() {
            let (unit, f) = rows[i]
            let y = inner.y + n
            let isSel = i == selected
            if list(ctx.panel) != nil { c.rowTargets[y] = (.children, i) }
            c.put(Text.pad((isSel ? "> " : "  ") + unit.name, nameW, ambiguousWide: ctx.wide), x: inner.x, y: y,
                  style: Style(bold: isSel, reverse: isSel))
            let bx = inner.x + nameW + 1
            if let total = stacked {
                let red = v(f, ctx.panel.binding("red")), yellow = v(f, ctx.panel.binding("yellow"))
                let all = v(f, total)
                let green = max(0, all - red - yellow)
                var x = bx
                // Each segment rounded on its own would drift: round the running ends instead.
                var end = 0.0
                // Each segment has its own glyph too, so the three read apart without colour.
                let glyphs = ctx.options.ascii ? ["#", "=", "-"] : ["█", "▓", "░"]
                for (amount, tint, ch) in [(red, Tint.red, glyphs[0]), (yellow, Tint.yellow, glyphs[1]), (green, Tint.green, glyphs[2])] {
                    // Clamped to the bar: parts may add up to more than the total in odd data.
                    func cell(_ e: Double) -> Int {
                        let f = e / max(maxV, 1)
                        return f.isFinite ? Int((min(1, max(0, f)) * Double(barW)).rounded()) : 0
                    }
                    let start = cell(end)
                    end += max(0, amount)
                    let stop = cell(end)
                    if stop > start {
                        x += c.put(String(repeating: ch, count: stop - start), x: x, y: y, style: Style(tint))
                    }
                }
                c.put(Text.pad(Format.count(all), valueW, align: .right), x: inner.maxX - valueW, y: y, style: .plain)
            } else if let m = ctx.panel.metrics.first {
                let value = f[m.metric]
                let level = ctx.panel.thresholds?.level(value: value) ?? .none
                let s = Bar.horizontal(value: value ?? 0, max: maxV, width: barW, ascii: ctx.options.ascii)
                c.put(s, x: bx, y: y, style: Style(ctx.tint(level, otherwise: .cyan)))
                c.put(Text.pad(ValueFormat.text(m.metric, value), valueW, align: .right), x: inner.maxX - valueW, y: y)
            }
        }
        if ctx.selected != nil { Scroll.hint(&c, r, top: top, visible: inner.height, count: rows.count) }
    }
}
