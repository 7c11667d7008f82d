/// Whether a figure is a stock (a level as of `at`: open, overdue, waiting, …) or a flow (a total
/// or ratio over the window `since … at`: completed, on-time rate, served, calls, …), DESIGN.md §4.
/// History down-samples the two differently, and the Prometheus export says which one a figure is.
public enum MetricKind: String, Sendable {
    case stock, flow

    /// Flow figures by base name (without `@part`). Everything else — including `series.<name>`,
    /// readings of a level such as free parking spaces — is a stock.
    public static let flowNames: Set<String> = [
        "cases.completed", "cases.completed_overdue", "cases.on_time_rate",
        "queue.avg_wait_s", "queue.avg_handle_s", "queue.served", "queue.no_show_rate", "queue.abandon_rate",
        "share.calls", "share.success_rate", "share.p95_latency_ms", "share.consumers", "share.mttf_h",
        "rating.count", "rating.poor", "rating.rectify_late",
    ]

    public static func of(_ metric: String) -> MetricKind {
        let base = Metric.base(of: metric)
        // A series' change over the window is a flow; its latest value, min and max are levels.
        if base.hasPrefix("series."), base.hasSuffix(".delta") { return .flow }
        return flowNames.contains(base) ? .flow : .stock
    }
}

extension Metric {
    /// `queue.waiting@intake` → (`queue.waiting`, `intake`); a name without `@` has no part.
    public static func split(_ name: String) -> (base: String, part: String?) {
        guard let at = name.firstIndex(of: "@") else { return (name, nil) }
        return (String(name[..<at]), String(name[name.index(after: at)...]))
    }

    public static func base(of name: String) -> String { split(name).base }
}
