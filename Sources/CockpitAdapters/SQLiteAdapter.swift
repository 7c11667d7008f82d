import CockpitCore
import CockpitStore
import Foundation
import GRDB

/// Rows of a table (or of a query) in another SQLite database, read incrementally by a cursor
/// column (`updated_at`, a rowid, …) that grows as rows are added or changed. The checkpoint is
/// the last cursor value committed. Rows sharing a cursor value always land in the same batch,
/// so a cursor with ties (timestamps) never skips a row.
public final class SQLiteAdapter: Adapter {
    public let name: String
    let path: String
    let kind: IngestKind
    /// A SELECT whose rows are the records.
    let query: String
    let cursor: String
    /// A column naming the record in positions (default: the cursor).
    let key: String?
    let mapping: FieldMapping
    private var queue: DatabaseQueue?

    struct Checkpoint: Codable, Equatable {
        var int: Int64?
        var real: Double?
        var text: String?
    }

    public init(name: String, path: String, kind: IngestKind, table: String?, query: String?, cursor: String,
                key: String? = nil, mapping: FieldMapping = FieldMapping()) {
        self.name = name; self.path = path; self.kind = kind
        self.query = query ?? "SELECT * FROM \"\(table ?? "")\""
        self.cursor = cursor; self.key = key; self.mapping = mapping
    }

    public func close() {
        try? queue?.close()
        queue = nil
    }

    public func poll(from checkpointText: String?, limit: Int) throws -> Batch {
        if queue == nil {
            guard FileManager.default.fileExists(atPath: path) else { throw AdapterError("\(path): no such database") }
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(5)
            do { queue = try DatabaseQueue(path: path, configuration: config) } catch {
                throw AdapterError("\(path): cannot open (\(error))")
            }
        }
        let last = CheckpointCoding.decode(Checkpoint.self, checkpointText)
        let lastValue: DatabaseValue = last.map { $0.int?.databaseValue ?? $0.real?.databaseValue ?? $0.text?.databaseValue ?? .null } ?? .null
        let c = "\"\(cursor.replacingOccurrences(of: "\"", with: "\"\""))\""
        let source = "(\(query))"
        let after = lastValue.isNull ? "\(c) IS NOT NULL" : "\(c) > ?"
        let args: StatementArguments = lastValue.isNull ? [] : [lastValue]
        let rows: [Row]
        do {
            rows = try queue!.read { db -> [Row] in
                // The cursor value at the limit; the batch then takes every row up to and including it.
                let bound = try DatabaseValue.fetchOne(db, sql: "SELECT \(c) FROM \(source) WHERE \(after) ORDER BY \(c) LIMIT 1 OFFSET ?",
                                                       arguments: args + [max(0, limit - 1)])
                if let bound, !bound.isNull {
                    return try Row.fetchAll(db, sql: "SELECT * FROM \(source) WHERE \(after) AND \(c) <= ? ORDER BY \(c)", arguments: args + [bound])
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM \(source) WHERE \(after) ORDER BY \(c)", arguments: args)
            }
        } catch let e as DatabaseError {
            throw AdapterError("\(path): \(e.message ?? "\(e)") (query: \(query), cursor: \(cursor))")
        }
        var records: [SourceRecord] = []
        records.reserveCapacity(rows.count)
        var newest = last
        for row in rows {
            var pairs: [(String, String)] = []
            var raw: [String] = []
            for (column, value) in row {
                guard let text = Self.text(value) else { continue }
                pairs.append((column, text))
                raw.append("\(column)=\(text.prefix(200))")
            }
            let cursorValue = row[cursor] as DatabaseValue? ?? .null
            let keyText = key.flatMap { (row[$0] as DatabaseValue?).flatMap(Self.text) } ?? Self.text(cursorValue) ?? "?"
            let m = mapping.apply(pairs, kind: kind)
            records.append(SourceRecord(position: "\(name):\(key ?? cursor)=\(keyText)", fields: m.fields,
                                        raw: raw.joined(separator: " "), error: m.error, errorField: m.errorField))
            switch cursorValue.storage {
            case .int64(let i): newest = Checkpoint(int: i)
            case .double(let d): newest = Checkpoint(real: d)
            case .string(let s): newest = Checkpoint(text: s)
            default: break
            }
        }
        let checkpoint = newest.map { CheckpointCoding.encode($0) }
        return Batch(groups: records.isEmpty ? [] : [RecordGroup(kind: kind, records: records)], checkpoint: checkpoint,
                     replaceRejects: checkpointText == nil && !records.isEmpty, more: records.count >= limit)
    }

    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): s
        case .blob(let b): String(data: b, encoding: .utf8)
        }
    }
}
