import CockpitCore
import CockpitLayout

/// A rate against its target: a bar filled to the value with a mark at the target, green when
/// the target is met (or the other side, where lower is better).
public enum GaugeWidget: Widget {
    public static let spec = WidgetSpec(name: "gauge", options: ["target": .number, "max": .number],
                                        minMetrics: 1, maxMetrics: 1, minWidth: 16, minHeight: 3, required: ["target"])

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        guard let metric = ctx.panel.metric, let target = ctx.panel.number("target") else { return }
        let inner = ctx.frame(&c, r)
        let value = ctx.data.figures[metric]
        guard let value, value.isFinite else { return ctx.noData(&c, inner) }
        let better = ctx.panel.thresholds?.better ?? .higher
        let met = better == .higher ? value >= target : value <= target
        let tint: Tint = met ? .green : .red
        let text = ValueFormat.text(metric, value)
        let goal = "\(ctx.strings.target) \(ValueFormat.text(metric, target))"
        let barW = inner.width - Text.width(text) - 1
        guard barW >= 4 else { return }
        let top = ctx.panel.number("max") ?? (metric.hasSuffix("_rate") ? 1 : max(value, target) * 1.1)
        var line = Bar.horizontal(value: value, max: top, width: barW, ascii: ctx.options.ascii)
        line += String(repeating: ctx.options.ascii ? "." : "░", count: max(0, barW - Text.width(line)))
        c.put(line, x: inner.x, y: inner.y, style: Style(tint))
        // Clamped as a Double first: a target far beyond the scale must not overflow Int.
        let tx = inner.x + Int(min(Double(barW - 1), max(0, (target / max(top, 1e-9) * Double(barW)).rounded())))
        c.put(ctx.options.ascii ? "|" : "┃", x: tx, y: inner.y, style: Style(.normal, bold: true))
        c.put(text, x: inner.maxX - Text.width(text), y: inner.y, style: Style(tint, bold: true))
        if inner.height >= 2 { c.put(Text.fit(goal, inner.width, ambiguousWide: ctx.wide), x: inner.x, y: inner.y + 1, style: Style(dim: true)) }
    }
}
