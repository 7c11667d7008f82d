import CockpitCore
import CockpitLayout

/// Hall queue boards (排队叫号): per zone, how many wait and the longest wait, then each window
/// with the ticket it serves.
public enum QueueBoardWidget: Widget {
    public static let spec = WidgetSpec(name: "queue", minWidth: 30, minHeight: 5)

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let inner = ctx.frame(&c, r)
        let boards = ctx.data.boards.filter { ctx.data.unitNames[$0.hall] != nil || $0.hall == ctx.data.unit.id }
        guard !boards.isEmpty else { return ctx.noData(&c, inner) }
        var y = inner.y
        let s = ctx.strings
        for board in boards {
            if boards.count > 1, y < inner.maxY {
                c.put(Text.fit(ctx.data.unitNames[board.hall] ?? board.hall, inner.width, ambiguousWide: ctx.wide), x: inner.x, y: y, style: .bold)
                y += 1
            }
            for zone in board.zones where y < inner.maxY {
                let longest = zone.longestWaitS.map { ValueFormat.duration(Double($0)) } ?? "—"
                let head = Text.pad(s.zone(zone.zone), 6, ambiguousWide: ctx.wide) + " \(s.waiting) \(zone.waiting)  \(s.longestWait) \(longest)"
                let tint: Tint = zone.waiting > 3 * max(1, zone.windows.count) ? .red : (zone.waiting > zone.windows.count ? .yellow : .green)
                c.put(Text.fit(head, inner.width, ambiguousWide: ctx.wide), x: inner.x, y: y, style: Style(tint, bold: true))
                y += 1
                // Windows side by side, as many as fit a line, then the next line.
                var x = inner.x + 2
                for w in zone.windows {
                    let cell = "\(w.id):" + (w.ticket ?? s.idle)
                    let cw = Text.width(cell, ambiguousWide: ctx.wide) + 2
                    if x + cw > inner.maxX { y += 1; x = inner.x + 2 }
                    guard y < inner.maxY else { break }
                    c.put(cell, x: x, y: y, style: Style(w.ticket == nil ? .grey : .normal), maxWidth: max(0, inner.maxX - x))
                    x += cw
                }
                if !zone.windows.isEmpty { y += 1 }
            }
        }
    }
}
