import CockpitCore
import CockpitLayout

/// A metric's recent history: a one-line sparkline, or a small column chart when there are rows
/// to spare; eighth blocks, or ASCII where the terminal has no Unicode.
public enum SparklineWidget: Widget {
    public static let spec = WidgetSpec(name: "sparkline", minMetrics: 1, maxMetrics: 1, minWidth: 16, minHeight: 3)

    static let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiLevels: [Character] = [" ", ".", ".", ":", "-", "=", "+", "*", "#"]

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        guard let metric = ctx.panel.metric else { return }
        let inner = ctx.frame(&c, r)
        let series = (ctx.data.history[ScreenData.historyKey(ctx.data.unit.id, metric)] ?? []).compactMap { $0 }.filter(\.isFinite)
        guard !series.isEmpty, inner.width >= 4 else { return ctx.noData(&c, inner) }
        let last = ValueFormat.text(metric, series.last)
        let labelW = Text.width(last) + 1
        let w = max(1, inner.width - labelW)
        let points = Array(series.suffix(w))
        let lo = min(0, points.min()!), hi = max(points.max()!, lo + 1e-9)
        let level = ctx.panel.thresholds?.level(value: series.last) ?? .none
        let style = Style(ctx.tint(level, otherwise: .cyan))
        let h = inner.height
        for (i, p) in points.enumerated() {
            // Eighths of the whole chart height, at least one for a value above the floor.
            let share = (p - lo) / (hi - lo)
            var eighths = share.isFinite ? Int((min(1, max(0, share)) * Double(h * 8)).rounded()) : 0
            if p > lo { eighths = max(1, eighths) }
            for row in 0..<h {
                let fill = min(8, max(0, eighths - row * 8))
                let ch = (ctx.options.ascii ? asciiLevels : blocks)[fill]
                if ch != " " { c.put(String(ch), x: inner.x + i, y: inner.maxY - 1 - row, style: style) }
            }
        }
        c.put(last, x: inner.maxX - Text.width(last), y: inner.maxY - 1, style: Style(level == .none ? .normal : style.tint, bold: true))
    }
}
