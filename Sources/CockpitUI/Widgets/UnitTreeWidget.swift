import CockpitCore
import CockpitLayout

/// The 1+8+X tree around the unit: the district, its streets, and the children of the street on
/// the way to the unit, each with a dot coloured by the panel's metric and thresholds.
public enum UnitTreeWidget: Widget {
    public static let spec = WidgetSpec(name: "tree", minMetrics: 0, maxMetrics: 1, minWidth: 20, minHeight: 5)

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let inner = ctx.frame(&c, r)
        guard let tree = ctx.data.tree, inner.height >= 1 else { return ctx.noData(&c, inner) }
        let metric = ctx.panel.metric ?? "cases.overdue"
        let th = ctx.panel.thresholds ?? Thresholds(yellow: 1, red: 10)
        let onPath = Set(ctx.data.path.map(\.id))
        var lines: [(unit: OrgUnit, depth: Int)] = []
        func walk(_ u: OrgUnit, _ depth: Int) {
            lines.append((u, depth))
            // Streets are always listed; below them only the branch the unit is on.
            guard depth == 0 || onPath.contains(u.id) else { return }
            for child in tree.children(of: u.id) { walk(child, depth + 1) }
        }
        walk(tree.root, 0)
        let current = lines.firstIndex { $0.unit.id == ctx.data.unit.id } ?? 0
        let top = Scroll.top(selected: min(lines.count - 1, current + inner.height / 2), count: lines.count, visible: inner.height)
        let dot = ctx.options.ascii ? "*" : "●"
        for (n, i) in (top..<min(lines.count, top + inner.height)).enumerated() {
            let (u, depth) = lines[i]
            let y = inner.y + n
            let v = ctx.data.allFigures[u.id]?[metric]
            let x = inner.x + depth * 2
            c.put(dot, x: x, y: y, style: Style(ctx.tint(th.level(value: v), otherwise: .grey)))
            let isCurrent = u.id == ctx.data.unit.id
            let value = ValueFormat.text(metric, v)
            let nameRoom = inner.maxX - x - 2 - Text.width(value) - 1
            c.put(Text.fit(u.name, nameRoom, ambiguousWide: ctx.wide), x: x + 2, y: y, style: Style(bold: isCurrent, reverse: isCurrent))
            c.put(value, x: inner.maxX - Text.width(value), y: y, style: Style(.grey))
        }
        Scroll.hint(&c, r, top: top, visible: inner.height, count: lines.count)
    }
}
