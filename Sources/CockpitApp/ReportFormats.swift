import CockpitCore
import Foundation

/// `cockpit report` as CSV and as the Prometheus text exposition format. Pure functions of the
/// units and their figures, so that tests can parse what they print.
public enum ReportFormats {
    /// The figures a unit reports, in order: every name of `Metric.reported`, each followed by its
    /// parts (`queue.waiting@intake`, sorted), then the scenario series (`series.<name>`, sorted).
    public static func reportedNames(_ f: Figures?) -> [String] {
        let reported = Metric.reported
        let known = Set(reported)
        var parts: [String: [String]] = [:]
        var series: [String] = []
        for name in (f?.values.keys).map(Array.init) ?? [] where !known.contains(name) {
            let (base, part) = Metric.split(name)
            if part != nil, known.contains(base) {
                parts[base, default: []].append(name)
            } else if base.hasPrefix("series."), !known.contains(name) {
                series.append(name)
            }
        }
        return reported.flatMap { [$0] + (parts[$0]?.sorted() ?? []) } + series.sorted()
    }

    // MARK: CSV

    /// RFC 4180, one row per unit and figure: `at,unit,name,tier,metric,value`. A missing value
    /// (a rate over an empty window) is an empty field, never NaN. UTF-8 without a BOM.
    public static func csv(units: [OrgUnit], figures: [String: Figures], window: FigureWindow) -> String {
        var out = "at,unit,name,tier,metric,value\r\n"
        let at = LocalTime.iso(window.at)
        for u in units {
            let f = figures[u.id]
            for name in reportedNames(f) {
                let fields = [at, u.id, u.name, u.tier.rawValue, name, number(f?[name])]
                out += fields.map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Prometheus

    /// `cases.open` → `cockpit_cases_open`: every character outside [a-zA-Z0-9_] becomes `_`.
    public static func prometheusName(_ metric: String) -> String {
        var out = "cockpit_"
        for u in metric.unicodeScalars {
            let ok = (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9") || u == "_"
            out.unicodeScalars.append(ok ? u : "_")
        }
        return out
    }

    /// A label value: backslash, double quote and line feed escaped, everything else (Chinese
    /// names included) as UTF-8.
    public static func labelValue(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The text exposition format (version 0.0.4): one family per metric with HELP and TYPE, one
    /// sample per unit with labels `unit`, `name`, `tier` (and `part` for `metric@part`). Every
    /// figure is a gauge: flows are totals over a window that restarts, not monotonic counters.
    /// Missing values are left out. No timestamps: the time is `--at`, given in a comment.
    public static func prometheus(units: [OrgUnit], figures: [String: Figures], window: FigureWindow) -> String {
        // Families in first-seen order; two metric names that sanitise alike share nothing: the
        // second gets a suffix so that no family is declared twice.
        var families: [(name: String, metric: String, samples: [String])] = []
        var index: [String: Int] = [:]        // metric base → family
        var taken: [String: String] = [:]     // family name → metric base
        for u in units {
            let f = figures[u.id]
            for full in reportedNames(f) {
                guard let v = f?[full], v.isFinite else { continue }
                let (base, part) = Metric.split(full)
                let i: Int
                if let known = index[base] {
                    i = known
                } else {
                    var name = prometheusName(base)
                    var k = 2
                    while taken[name] != nil { name = prometheusName(base) + "_\(k)"; k += 1 }
                    taken[name] = base
                    families.append((name, base, []))
                    i = families.count - 1
                    index[base] = i
                }
                var labels = "unit=\"\(labelValue(u.id))\",name=\"\(labelValue(u.name))\",tier=\"\(labelValue(u.tier.rawValue))\""
                if let part { labels += ",part=\"\(labelValue(part))\"" }
                families[i].samples.append("\(families[i].name){\(labels)} \(number(v))")
            }
        }
        var out = "# cockpit report at \(LocalTime.iso(window.at)), flows since \(LocalTime.iso(window.since))\n"
        for fam in families {
            let kind = MetricKind.of(fam.metric)
            let help = kind == .stock ? "\(fam.metric): stock, as of the report's time"
                                      : "\(fam.metric): flow, over the report's window"
            out += "# HELP \(fam.name) \(help)\n# TYPE \(fam.name) gauge\n"
            out += fam.samples.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// Whole numbers without decimals; other values with enough digits to round-trip.
    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
