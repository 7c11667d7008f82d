import CockpitCore
import CockpitLayout

/// The overdue cases under the unit, most overdue first; on a unit with children, which
/// community or park each is in.
public enum CaseListWidget: Widget {
    public static let spec = WidgetSpec(name: "cases", minWidth: 40, minHeight: 5)

    public static func list(_ panel: Panel) -> ListKind? { .cases }

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let data = ctx.data, s = ctx.strings
        let showUnit = !data.showsCases
        let title = ctx.panel.title.map(ctx.text) ?? (showUnit ? s.mostOverdue : s.overdueCases)
        let inner = ctx.frame(&c, r, title: "\(title) (\(Format.count(data.figures[Metric.casesOverdue])))", titleTint: .red)
        guard inner.height >= 2 else { return }
        guard !data.overdueCases.isEmpty else {
            c.put(Text.fit(s.noOverdueCases, inner.width, ambiguousWide: ctx.wide), x: inner.x, y: inner.y + 1, style: Style(.green))
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
                x += c.put(Text.pad(text, w, align: align, ambiguousWide: ctx.wide), x: x, y: y, style: style, maxWidth: max(0, inner.maxX - x))
                if i < cols.count - 1 { x += c.put(" ", x: x, y: y, style: style, maxWidth: max(0, inner.maxX - x)) }
            }
        }
        row([("  " + s.caseID, idW + 2, .left), (s.unitColumn, unitW, .left), (s.item, itemW, .left), (s.department, deptW, .left),
             (s.deadline, deadlineW, .left), (s.daysOver, overW, .right)], y: inner.y, style: .bold)
        let visible = inner.height - 1
        let selected = ctx.selected
        let top = Scroll.top(selected: selected ?? 0, count: data.overdueCases.count, visible: visible)
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
        if selected != nil { Scroll.hint(&c, r, top: top, visible: visible, count: data.overdueCases.count) }
    }
}
