import CockpitCore
import CockpitLayout

/// KPI tile: the big value, its label (the title), the change since the previous bucket with
/// its sign, and a second line (another figure, or the value as a share of another).
public enum KPIWidget: Widget {
    public static let spec = WidgetSpec(
        name: "kpi",
        options: ["sub": .metric, "sub_label": .text, "ratio_of": .metric,
                  "colour": .oneOf(["normal", "red", "yellow", "green", "cyan", "grey"])],
        minMetrics: 1, maxMetrics: 1, minWidth: 12, minHeight: 4)

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        guard let metric = ctx.panel.metric else { return }
        let f = ctx.data.figures, unit = ctx.data.unit.id
        let value = f[metric]
        let previous = ctx.previous(metric, unit: unit)
        let delta = value.flatMap { v in previous.map { v - $0 } }
        let fallback = ctx.panel.string("colour").flatMap(Tint.named) ?? .normal
        let level = ctx.panel.thresholds?.level(value: value, delta: delta) ?? .none
        let tint = ctx.tint(level, otherwise: fallback)
        let inner = ctx.frame(&c, r, titleTint: tint == .grey ? .normal : tint)
        guard inner.height >= 1, inner.width >= 1 else { return }
        let changed = ctx.data.changed.contains("\(unit)|\(metric)")
        let text = ValueFormat.text(metric, value)
        // Tall tiles (walls) draw the value in big digits; otherwise one bold line.
        // A changed value is drawn in reverse video, the value's own cells only: the highlight (and
        // its end) costs a few bytes on the wire, not the tile's whole width.
        func drawValue(_ line: String, y: Int) {
            let w = Text.width(line, ambiguousWide: ctx.wide)
            c.put(String(repeating: " ", count: max(0, inner.width - w)), x: inner.x, y: y, style: Style(tint, bold: true))
            c.put(line, x: inner.x + max(0, inner.width - w), y: y, style: Style(tint, bold: true, reverse: changed), maxWidth: inner.width)
        }
        if inner.height >= 5, let big = BigDigits.render(text), big[0].count <= inner.width {
            for (i, line) in big.enumerated() { drawValue(line, y: inner.y + i) }
        } else {
            drawValue(text, y: inner.y)
        }
        if let delta {
            let d = ValueFormat.delta(metric, delta, ascii: ctx.options.ascii)
            let better = ctx.panel.thresholds?.better ?? .lower
            let dt: Tint = delta == 0 ? .grey : ((delta > 0) == (better == .lower) ? .red : .green)
            if Text.width(d) + Text.width(text) + 1 <= inner.width { c.put(d, x: inner.x, y: inner.y, style: Style(dt)) }
        }
        guard inner.height >= 2 else { return }
        let (sub, short) = subLine(ctx, value: value)
        guard !sub.isEmpty else { return }
        let line = Text.width(sub, ambiguousWide: ctx.wide) <= inner.width ? sub : short
        c.put(Text.pad(line, inner.width, align: .right, ambiguousWide: ctx.wide), x: inner.x, y: inner.maxY - 1, style: Style(dim: true))
    }

    /// ("占比 25.6%", "25.6%"): the second line, and its form without the label for narrow tiles.
    static func subLine(_ ctx: WidgetContext, value: Double?) -> (String, String) {
        let f = ctx.data.figures
        var v = ""
        if let of = ctx.panel.binding("ratio_of") {
            let base = f[of.metric] ?? 0
            v = base > 0 ? Format.percent((value ?? 0) / base) : "—"
        } else if let sub = ctx.panel.binding("sub") {
            v = ValueFormat.text(sub.metric, f[sub.metric])
        } else {
            return ("", "")
        }
        let label = ctx.panel.text("sub_label").map(ctx.text) ?? ctx.panel.binding("sub").map { ctx.label($0) } ?? ""
        return (label.isEmpty ? v : label + " " + v, v)
    }
}

extension Tint {
    static func named(_ s: String) -> Tint? {
        switch s {
        case "normal": .normal
        case "red": .red
        case "yellow": .yellow
        case "green": .green
        case "cyan": .cyan
        case "grey": .grey
        default: nil
        }
    }
}

/// Digits three rows high in block characters, for values read from across a room.
enum BigDigits {
    static let glyphs: [Character: [String]] = [
        "0": ["█▀█", "█ █", "▀▀▀"], "1": [" ▄█", "  █", "  ▀"], "2": ["▀▀█", "█▀▀", "▀▀▀"], "3": ["▀▀█", " ▀█", "▀▀▀"],
        "4": ["█ █", "▀▀█", "  ▀"], "5": ["█▀▀", "▀▀█", "▀▀▀"], "6": ["█▀▀", "█▀█", "▀▀▀"], "7": ["▀▀█", "  █", "  ▀"],
        "8": ["█▀█", "█▀█", "▀▀▀"], "9": ["█▀█", "▀▀█", "▀▀▀"], ".": ["  ", "  ", "▀ "], "%": ["▀ ▄", " ▄▀", "▀ ▀"],
        "—": ["   ", "▀▀▀", "   "],
    ]

    static func render(_ text: String) -> [String]? {
        var rows = ["", "", ""]
        for ch in text {
            guard let g = glyphs[ch] else { return nil }
            for i in 0..<3 { rows[i] += g[i] + " " }
        }
        return rows.map { String($0.dropLast()) }
    }
}
