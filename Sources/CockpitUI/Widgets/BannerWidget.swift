import CockpitCore
import CockpitLayout

/// A line of text for walls; when it is longer than the room it runs as a ticker, moved on by the
/// clock of the data (`at`), so that a snapshot is still repeatable. With `alerts: true` the open
/// alerts follow the text.
public enum BannerWidget: Widget {
    public static let spec = WidgetSpec(name: "banner", options: ["text": .text, "alerts": .bool, "border": .bool,
                                                                  "colour": .oneOf(["normal", "red", "yellow", "green", "cyan", "grey"])],
                                        minWidth: 10, minHeight: 1, required: ["text"])

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let boxed = ctx.panel.options["border"] == nil ? r.height >= 3 : ctx.panel.flag("border")
        let inner = boxed ? ctx.frame(&c, r) : r
        guard inner.height >= 1, inner.width >= 1 else { return }
        var text = ctx.panel.text("text").map(ctx.text) ?? ""
        if ctx.panel.flag("alerts") {
            let open = ctx.data.alerts.filter { $0.state == .open }
            for a in open.prefix(20) {
                text += "  ·  " + ctx.strings.alertLevel(a.level) + " " + (ctx.data.unitNames[a.unit] ?? a.unit) + " "
                    + ctx.strings.metricLabel(a.metric) + " " + ValueFormat.text(a.metric, a.value)
            }
        }
        let tint = ctx.panel.string("colour").flatMap(Tint.named) ?? .title
        let y = inner.y + (inner.height - 1) / 2
        let w = Text.width(text, ambiguousWide: ctx.wide)
        if w <= inner.width {
            c.put(Text.pad(text, inner.width, align: .center, ambiguousWide: ctx.wide), x: inner.x, y: y, style: Style(tint, bold: true))
            return
        }
        // Ticker: start at a character chosen by the time, wrap around with a gap.
        let loop = Array(text + "     ")
        let n = Int64(loop.count)
        let start = Int(((ctx.data.at / 2) % n + n) % n)
        var shown = "", cols = 0, i = start
        while true {
            let ch = loop[i % loop.count]
            let cw = Text.width(String(ch), ambiguousWide: ctx.wide)
            if cols + cw > inner.width { break }
            shown.append(ch); cols += cw; i += 1
        }
        c.put(shown, x: inner.x, y: y, style: Style(tint, bold: true))
    }
}
