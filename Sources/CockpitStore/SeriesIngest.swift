import CockpitCore
import GRDB

/// Scenario series (`series`): any number per unit, metric and time. A point pushed again for
/// the same unit, metric and time replaces the value.
final class SeriesConsumer: BatchConsumer {
    let tree: OrgTree
    private var keys: Set<String> = []

    init(file: String, source: String, tree: OrgTree) {
        self.tree = tree
        super.init(file: file, source: source, kind: .series)
    }

    /// Lower-case ASCII letters, digits, `_` and inner dots: it becomes part of `series.<metric>`.
    static func validName(_ s: String) -> Bool {
        !s.isEmpty && s.first != "." && s.last != "." && !s.contains("@") && !s.hasSuffix(".delta") && !s.hasSuffix(".min")
            && !s.hasSuffix(".max") && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 46 }
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let unit = try f.unit("unit", in: tree).get()
            let metric = f["metric"]
            guard Self.validName(metric) else {
                throw FieldError(field: "metric", reason: metric.isEmpty ? "missing metric"
                    : "'\(metric)' is not a metric name (a-z, 0-9, _ and inner dots; not ending in .delta, .min or .max)")
            }
            let at = try f.time("at").get()
            let valueText = f["value"]
            guard let value = Double(valueText), value.isFinite else {
                throw FieldError(field: "value", reason: "'\(valueText)' is not a number")
            }
            try db.cachedStatement(sql: """
                INSERT INTO series (unit, metric, at, value) VALUES (?, ?, ?, ?)
                ON CONFLICT(unit, metric, at) DO UPDATE SET value = excluded.value
                """).execute(arguments: [unit, metric, at, value])
            if keys.insert(unit + "\u{0}" + metric).inserted {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO series_keys (unit, metric) VALUES (?, ?)").execute(arguments: [unit, metric])
            }
        }
    }
}
