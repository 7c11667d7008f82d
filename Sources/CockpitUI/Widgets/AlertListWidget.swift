import CockpitCore
import CockpitLayout

/// Alerts on the unit and below: red before yellow, open before acknowledged, newest first.
public enum AlertListWidget: Widget {
    public static let spec = WidgetSpec(name: "alerts", minWidth: 30, minHeight: 4)

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let inner = ctx.frame(&c, r)
        let mine = ctx.data.alerts.filter { ($0.unit == ctx.data.unit.id || ctx.data.unitNames[$0.unit] != nil) && ($0.state == .open || $0.state == .acknowledged) }
        guard !mine.isEmpty else { return ctx.noData(&c, inner) }
        let sorted = mine.sorted {
            if $0.level != $1.level { return $0.level > $1.level }
            if $0.state != $1.state { return $0.state == .open }
            return $0.openedAt > $1.openedAt
        }
        let dot = ctx.options.ascii ? "*" : "●"
        for (i, a) in sorted.prefix(inner.height).enumerated() {
            let y = inner.y + i
            let tint: Tint = a.level == .red ? .red : .yellow
            c.put(dot, x: inner.x, y: y, style: Style(tint, bold: true))
            let unit = ctx.data.unitNames[a.unit] ?? a.unit
            let what = "\(unit) \(ctx.strings.metricLabel(a.metric)) \(ValueFormat.text(a.metric, a.value))"
            let when = LocalTime.short(a.openedAt)
            let state = ctx.strings.alertState(a.state)
            let tail = " \(when) \(state)"
            let tailW = Text.width(tail, ambiguousWide: ctx.wide)
            c.put(Text.fit(what, inner.width - 2 - tailW, ambiguousWide: ctx.wide), x: inner.x + 2, y: y,
                  style: Style(a.state == .open ? .normal : .grey, bold: a.state == .open))
            if tailW + 4 <= inner.width { c.put(tail, x: inner.maxX - tailW, y: y, style: Style(.grey)) }
        }
        Scroll.hint(&c, r, top: 0, visible: inner.height, count: sorted.count)
    }
}
