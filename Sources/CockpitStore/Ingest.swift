import CockpitCore
import Foundation
import GRDB
import GRDBSQLite

/// What one file brings in.
public enum IngestKind: String, CaseIterable, Sendable {
    case units, calendar, cases, tickets, directory, calls, quality, ratings, items, series

    var required: [String] {
        switch self {
        case .units: ["id", "name", "tier", "parent"]
        case .calendar: ["date", "kind"]
        case .cases: ["id", "unit", "department", "item_code", "item_name", "channel", "accepted_at",
                      "promised_days", "status", "completed_at", "suspensions"]
        case .tickets: ["id", "hall", "zone", "service", "issued_at", "called_at", "window", "finished_at", "status"]
        case .directory: ["provider", "dataset", "interface", "share_type"]
        case .calls: ["interface", "provider", "consumer", "at", "ok", "latency_ms"]
        case .quality: ["id", "dataset", "provider", "kind", "opened_at", "due_at", "resolved_at"]
        case .ratings: ["case", "level", "channel", "rated_at", "rectified_at"]
        case .items: ["department", "item_code", "item_name", "realised", "online"]
        case .series: ["unit", "metric", "at", "value"]
        }
    }

    var optional: [String] {
        switch self {
        case .units: ["code", "made_up"]
        case .calendar: ["note"]
        case .directory: ["name"]
        case .cases: ["pushed_at"]
        default: []
        }
    }
}

/// A file that cannot be ingested at all (unreadable, no header, missing columns): exit 2.
public struct IngestFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

public struct IngestReport: Sendable {
    public var accepted = 0
    public var rejected = 0
    /// The first rejection reasons, as "file:line: field: reason".
    public var reasons: [String] = []
    /// Things worth saying that reject nothing (ignored columns, calendar gaps).
    public var warnings: [String] = []
    public var seconds: Double = 0
}

public struct IngestProgress: Sendable {
    public var rows: Int
    public var bytesRead: Int64
    public var bytesTotal: Int64
}

/// A refused row: where, which field, why.
struct Rejection {
    var field: String?
    var reason: String
}

extension CockpitStore {
    static let maxReasons = 20

    /// Reads a CSV file of `kind` into the store. Good rows go in, one transaction per batch; bad
    /// rows are kept in `rejects` with line, field and reason. Re-ingesting the same source
    /// replaces its earlier rejects; a row with an id already stored replaces it (the later push wins).
    public func ingest(kind: IngestKind, file: String, source: String? = nil, batchSize: Int = 50_000,
                       now: Int64 = Int64(Date().timeIntervalSince1970),
                       progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        if kind == .cases { return try ingestCases(file: file, source: source ?? file, batchSize: batchSize, now: now, progress: progress) }
        let started = Date()
        let source = source ?? file
        let reader: CSVReader
        do { reader = try CSVReader(path: file) } catch { throw IngestFileError(description: "\(error)") }
        defer { reader.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0

        var header: [String: Int]? = nil
        var headerCount = 0
        var report = IngestReport()
        var batch: [CSVRow] = []
        batch.reserveCapacity(batchSize)
        var consumer: BatchConsumer? = nil
        var bytes: Int64 = 0

        func flush() throws {
            guard let consumer, !batch.isEmpty else { return }
            try database.writeWithoutTransaction { db in
                try db.inTransaction {
                    try consumer.consume(batch, header: header!, headerCount: headerCount, db: db, report: &report, now: now)
                    try Self.setMeta(db, "last_ingest_at", String(now))
                    return .commit
                }
            }
            batch.removeAll(keepingCapacity: true)
            progress?(IngestProgress(rows: report.accepted + report.rejected, bytesRead: bytes, bytesTotal: total))
        }

        try reader.forEachRow { row in
            bytes = row.bytesRead
            if header == nil {
                header = try Self.readHeader(row, kind: kind, file: file, report: &report)
                headerCount = row.fields.count
                consumer = try makeConsumer(kind: kind, file: file, source: source)
                try database.write { db in
                    try db.execute(sql: "DELETE FROM rejects WHERE source = ?", arguments: [source])
                }
                return true
            }
            batch.append(row)
            if batch.count >= batchSize { try flush() }
            return true
        }
        guard header != nil else { throw IngestFileError(description: "\(file): empty file (no header row)") }
        try flush()
        if let consumer { try database.write { db in try consumer.finish(db: db, report: &report) } }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    static func readHeader(_ row: CSVRow, kind: IngestKind, file: String, report: inout IngestReport) throws -> [String: Int] {
        if let e = row.error { throw IngestFileError(description: "\(file):\(row.line): header: \(e)") }
        var map: [String: Int] = [:]
        for (i, raw) in row.fields.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            if map[name] != nil {
                throw IngestFileError(description: "\(file):\(row.line): header: column '\(name)' appears twice")
            }
            map[name] = i
            if !kind.required.contains(name), !kind.optional.contains(name) {
                let known = kind.required + kind.optional
                let near = known.min { editDistance($0, name) < editDistance($1, name) } ?? ""
                report.warnings.append("\(file):\(row.line): unknown column '\(name)' ignored"
                    + (editDistance(near, name) <= 3 ? " (did you mean '\(near)'?)" : ""))
            }
        }
        let missing = kind.required.filter { map[$0] == nil }
        if !missing.isEmpty {
            throw IngestFileError(description: "\(file):\(row.line): header: missing column\(missing.count > 1 ? "s" : "") "
                + missing.map { "'\($0)'" }.joined(separator: ", ") + " (a \(kind.rawValue) file needs: \(kind.required.joined(separator: ",")))")
        }
        return map
    }

    func makeConsumer(kind: IngestKind, file: String, source: String) throws -> BatchConsumer {
        switch kind {
        case .units: return UnitsConsumer(file: file, source: source)
        case .calendar: return CalendarConsumer(file: file, source: source)
        case .cases:
            try settleCaseRollups()
            let tree = try? self.tree()
            let calendar = try self.calendar()
            guard let tree else { throw IngestFileError(description: "\(file): the store has no units yet: ingest --kind units first") }
            return CasesConsumer(file: file, source: source, tree: tree, rules: CaseRules(calendar: calendar))
        case .tickets: return TicketsConsumer(file: file, source: source, tree: try requireTree(file))
        case .directory: return DirectoryConsumer(file: file, source: source)
        case .calls: return CallsConsumer(file: file, source: source, tree: try requireTree(file))
        case .quality: return QualityConsumer(file: file, source: source, calendar: try calendar())
        case .ratings: return RatingsConsumer(file: file, source: source, calendar: try calendar())
        case .items: return ItemsConsumer(file: file, source: source)
        case .series: return SeriesConsumer(file: file, source: source, tree: try requireTree(file))
        }
    }

    private func requireTree(_ file: String) throws -> OrgTree {
        guard let tree = try? self.tree() else {
            throw IngestFileError(description: "\(file): the store has no units yet: ingest --kind units first")
        }
        return tree
    }
}

/// Turns batches of CSV rows of one kind into rows of the store.
class BatchConsumer {
    let file: String
    let source: String
    let kind: IngestKind

    init(file: String, source: String, kind: IngestKind) { self.file = file; self.source = source; self.kind = kind }

    func consume(_ rows: [CSVRow], header: [String: Int], headerCount: Int, db: Database, report: inout IngestReport, now: Int64) throws {
        let rejectStmt = try db.cachedStatement(sql: "INSERT INTO rejects (source, kind, line, field, reason, raw, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for row in rows {
            var rejection: Rejection? = nil
            if let e = row.error {
                rejection = Rejection(field: nil, reason: e)
            } else if row.fields.count != headerCount {
                rejection = Rejection(field: nil, reason: "expected \(headerCount) fields, found \(row.fields.count)")
            } else {
                rejection = try accept(row, header: header, db: db)
            }
            if let r = rejection {
                report.rejected += 1
                if report.reasons.count < CockpitStore.maxReasons {
                    report.reasons.append("\(file):\(row.line): \(r.field.map { "\($0): " } ?? "")\(r.reason)")
                }
                try rejectStmt.execute(arguments: [source, kind.rawValue, row.line, r.field, r.reason, row.raw, now])
            } else {
                report.accepted += 1
            }
        }
        try endBatch(db: db)
    }

    /// Stores the row, or says why not.
    func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? { fatalError("abstract") }
    func endBatch(db: Database) throws {}
    func finish(db: Database, report: inout IngestReport) throws {}
}

final class UnitsConsumer: BatchConsumer {
    private var known: Set<String> = []
    private var hasRoot: String? = nil
    private var ord = 0
    private var pending: [(line: Int, id: String, parent: String)] = []

    init(file: String, source: String) { super.init(file: file, source: source, kind: .units) }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        if known.isEmpty {
            known = Set(try String.fetchAll(db, sql: "SELECT id FROM units"))
            hasRoot = try String.fetchOne(db, sql: "SELECT id FROM units WHERE parent IS NULL")
            ord = try Int.fetchOne(db, sql: "SELECT coalesce(max(ord), -1) + 1 FROM units") ?? 0
        }
        func f(_ name: String) -> String { header[name].map { row.fields[$0].trimmingSpaces } ?? "" }
        let id = f("id"), name = f("name"), tierText = f("tier"), parent = f("parent"), code = f("code")
        guard !id.isEmpty else { return Rejection(field: "id", reason: "missing id") }
        guard id.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }) else {
            return Rejection(field: "id", reason: "'\(id)' is not an ASCII slug (a-z, 0-9, - and _)")
        }
        guard !name.isEmpty else { return Rejection(field: "name", reason: "missing name") }
        guard let tier = OrgUnit.Tier(rawValue: tierText) else {
            return Rejection(field: "tier", reason: "unknown tier '\(tierText)' (district, street, community or park)")
        }
        if parent.isEmpty {
            if let root = hasRoot, root != id { return Rejection(field: "parent", reason: "empty parent, but '\(root)' is already the root") }
            hasRoot = id
        } else if parent == id {
            return Rejection(field: "parent", reason: "a unit cannot be its own parent")
        } else if !known.contains(parent) {
            // The parent may come later in the file: checked again at the end.
            pending.append((row.line, id, parent))
        }
        known.insert(id)
        try db.execute(sql: """
            INSERT INTO units (id, name, tier, parent, code, ord) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, tier = excluded.tier, parent = excluded.parent, code = excluded.code
            """, arguments: [id, name, tier.rawValue, parent.isEmpty ? nil : parent, code.isEmpty ? nil : code, ord])
        ord += 1
        return nil
    }

    override func finish(db: Database, report: inout IngestReport) throws {
        // Children whose parent never came are taken out again, with their own children in turn.
        func exists(_ id: String) throws -> Bool {
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM units WHERE id = ?)", arguments: [id]) ?? false
        }
        var changed = true
        while changed {
            changed = false
            for p in pending where try exists(p.id) && !exists(p.parent) {
                try db.execute(sql: "DELETE FROM units WHERE id = ?", arguments: [p.id])
                let reason = "unknown parent '\(p.parent)'"
                try db.execute(sql: "INSERT INTO rejects (source, kind, line, field, reason, raw, at) VALUES (?, 'units', ?, 'parent', ?, '', 0)",
                               arguments: [source, p.line, reason])
                report.accepted -= 1
                report.rejected += 1
                if report.reasons.count < CockpitStore.maxReasons { report.reasons.append("\(file):\(p.line): parent: \(reason)") }
                changed = true
            }
        }
    }
}

final class CalendarConsumer: BatchConsumer {
    private var changed = false

    init(file: String, source: String) { super.init(file: file, source: source, kind: .calendar) }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let dateText = row.fields[header["date"]!].trimmingSpaces
        let kindText = row.fields[header["kind"]!].trimmingSpaces.lowercased()
        guard let day = LocalTime.parseDay(dateText) else {
            return Rejection(field: "date", reason: "'\(dateText)' is not a date (YYYY-MM-DD)")
        }
        guard let kind = WorkCalendar.Kind(rawValue: kindText) else {
            return Rejection(field: "kind", reason: "unknown kind '\(kindText)' (holiday or workday)")
        }
        if kind == .workday, LocalTime.weekday(day) < 5 {
            return Rejection(field: "kind", reason: "\(dateText) is a weekday: only a Saturday or Sunday can be an adjusted working day")
        }
        try db.execute(sql: "INSERT INTO calendar (day, date, kind) VALUES (?, ?, ?) ON CONFLICT(day) DO UPDATE SET kind = excluded.kind",
                       arguments: [Int(day), dateText, kind.rawValue])
        try db.execute(sql: "INSERT OR IGNORE INTO calendar_years (year) VALUES (?)", arguments: [LocalTime.civil(day).year])
        changed = true
        return nil
    }

    /// Deadlines (and stalls, and working hours) depend on the calendar: recompute every stored case's keys.
    override func finish(db: Database, report: inout IngestReport) throws {
        guard changed else { return }
        try CockpitStore.recomputeCaseKeys(db)
    }
}
