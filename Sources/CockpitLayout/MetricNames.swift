import CockpitCore

/// The metric names a layout may bind (DESIGN.md §4), and the two open families:
/// `series.<name>` for scenario series and `metric@part` for a part of a unit.
public enum MetricNames {
    public static let known: [String] = [
        "cases.open", "cases.overdue", "cases.warning", "cases.suspended", "cases.abnormal", "cases.completed",
        "cases.completed_overdue", "cases.on_time_rate",
        "queue.waiting", "queue.longest_wait_s", "queue.avg_wait_s", "queue.avg_handle_s", "queue.served",
        "queue.no_show_rate",
        "share.calls", "share.success_rate", "share.p95_latency_ms", "share.quality_open",
        "rating.count", "rating.poor",
    ]

    /// nil when `name` is valid, else why not.
    public static func problem(_ name: String) -> String? {
        if let at = name.firstIndex(of: "@") {
            let base = String(name[..<at]), part = String(name[name.index(after: at)...])
            if part.isEmpty || !part.allSatisfy(isNameCharacter) { return "a part name after '@' (letters, digits, _ or -)" }
            return problem(base)
        }
        if name.hasPrefix("series.") {
            let rest = name.dropFirst("series.".count)
            return !rest.isEmpty && rest.allSatisfy(isNameCharacter) ? nil : "a series name after 'series.' (letters, digits, _, - or .)"
        }
        return known.contains(name) ? nil : "a metric name"
    }

    /// The closest known name, for "did you mean".
    public static func nearest(_ name: String) -> String? {
        let base = name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? name
        let suffix = name.contains("@") ? String(name[name.firstIndex(of: "@")!...]) : ""
        return Nearest.name(base, in: known + ["series."]).map { $0 + suffix }
    }

    static func isNameCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".") }
}

/// The nearest valid spelling of a misspelt name.
public enum Nearest {
    public static func name(_ wrong: String, in valid: [String]) -> String? {
        let w = wrong.lowercased()
        let scored = valid.map { ($0, editDistance(w, $0.lowercased())) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first else { return nil }
        // Far-off guesses help nobody: allow about a third of the word to differ.
        return best.1 <= max(2, (max(wrong.count, best.0.count) + 2) / 3) ? best.0 : nil
    }
}

/// The placeholders titles and banners may use, filled in when a screen is drawn.
public enum Placeholders {
    public static let names = ["unit.name", "unit.id", "unit.code", "unit.tier", "parent.name", "compare", "children"]

    /// The placeholders in `text` ("{unit.name}") with their offsets in characters.
    public static func find(in text: String) -> [(name: String, offset: Int)] {
        var out: [(String, Int)] = []
        var current: String? = nil, start = 0
        for (i, ch) in text.enumerated() {
            if ch == "{" { current = ""; start = i } else if ch == "}", let c = current { out.append((c, start)); current = nil } else { current?.append(ch) }
        }
        return out
    }

    /// nil when `name` is a placeholder: one of `names`, or `=METRIC` (that figure of the unit).
    public static func problem(_ name: String) -> String? {
        if name.hasPrefix("=") { return MetricNames.problem(String(name.dropFirst())) }
        return names.contains(name) ? nil : "a placeholder (\(names.map { "{\($0)}" }.joined(separator: ", ")) or {=METRIC})"
    }

    /// `text` with its placeholders replaced by `value(name)` (left as they are when nil).
    public static func fill(_ text: String, _ value: (String) -> String?) -> String {
        guard text.contains("{") else { return text }
        var out = "", current: String? = nil
        for ch in text {
            if ch == "{" {
                if let c = current { out += "{" + c }
                current = ""
            } else if ch == "}", let c = current {
                out += value(c) ?? "{\(c)}"
                current = nil
            } else if current != nil {
                current!.append(ch)
            } else {
                out.append(ch)
            }
        }
        if let c = current { out += "{" + c }
        return out
    }
}
