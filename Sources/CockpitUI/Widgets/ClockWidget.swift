import CockpitCore
import CockpitLayout

/// The time the figures are for and how fresh each data source is: a stale source in red with
/// the time since it has not been updated.
public enum ClockWidget: Widget {
    public static let spec = WidgetSpec(name: "clock", minWidth: 20, minHeight: 1)

    public static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: WidgetContext) {
        let inner = r.height >= 3 ? ctx.frame(&c, r) : r
        guard inner.height >= 1 else { return }
        let s = ctx.strings
        var x = inner.x
        x += c.put("\(s.asOf) \(LocalTime.short(ctx.data.at))  ", x: x, y: inner.y, style: Style(.title, bold: true), maxWidth: inner.width)
        if ctx.data.sources.isEmpty {
            // No source statuses (yet): say so rather than repeat the title bar's data time.
            c.put("\(s.sources) \(s.noPanelData)", x: x, y: inner.y, style: Style(.grey), maxWidth: max(0, inner.maxX - x))
            return
        }
        let stale = ctx.data.sources.filter(\.isStale)
        if stale.isEmpty {
            c.put((ctx.options.ascii ? "ok " : "✓ ") + s.sourcesOK, x: x, y: inner.y, style: Style(.green), maxWidth: max(0, inner.maxX - x))
            return
        }
        for src in stale where x < inner.maxX {
            let since = src.staleSince.map { LocalTime.short($0) } ?? "?"
            x += c.put("\(src.name) \(s.staleSince(since))  ", x: x, y: inner.y, style: Style(.red, bold: true), maxWidth: inner.maxX - x)
        }
    }
}
