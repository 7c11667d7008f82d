import CockpitCore
import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// The hot path of ingest: cases. Rows are bound with the raw SQLite API (no boxing into
/// DatabaseValue) and the roll-up is kept current with deltas applied once per batch.
final class CasesConsumer: BatchConsumer {
    let tree: OrgTree
    let rules: CaseRules

    private struct RollupKey: Hashable { var unit: String; var caseClass: Int; var day: Int32 }
    private struct RollupDelta { var n = 0; var late = 0; var outside = 0 }
    private var deltas: [RollupKey: RollupDelta] = [:]

    private var insert: Statement?
    private var selectOld: Statement?
    private var upsert: Statement?
    private var columns: [Int] = []

    init(file: String, source: String, tree: OrgTree, rules: CaseRules) {
        self.tree = tree
        self.rules = rules
        super.init(file: file, source: source, kind: .cases)
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        if columns.isEmpty { columns = IngestKind.cases.required.map { header[$0]! } }
        let f = row.fields
        @inline(__always) func field(_ i: Int) -> String { f[columns[i]] }

        let id = field(0).trimmingSpaces
        guard !id.isEmpty else { return Rejection(field: "id", reason: "missing id") }
        let unit = field(1).trimmingSpaces
        guard tree.contains(unit) else {
            let near = tree.nearest(to: unit, limit: 1).first.map { " (nearest: '\($0)')" } ?? ""
            return Rejection(field: "unit", reason: "unknown unit '\(unit)'\(near)")
        }
        let department = field(2).trimmingSpaces
        guard !department.isEmpty else { return Rejection(field: "department", reason: "missing department") }
        let itemCode = field(3).trimmingSpaces
        let itemName = field(4).trimmingSpaces
        guard !itemName.isEmpty else { return Rejection(field: "item_name", reason: "missing item name") }
        let channelText = field(5).trimmingSpaces
        guard let channel = ServiceCase.Channel(rawValue: channelText) else {
            return Rejection(field: "channel", reason: "unknown channel '\(channelText)' (hall, online or mobile)")
        }
        let acceptedText = field(6).trimmingSpaces
        guard let acceptedAt = LocalTime.parse(acceptedText) else {
            return Rejection(field: "accepted_at", reason: acceptedText.isEmpty ? "missing acceptance time" : "'\(acceptedText)' is not an ISO 8601 time")
        }
        let daysText = field(7).trimmingSpaces
        guard let promised = Int(daysText) else {
            return Rejection(field: "promised_days", reason: "'\(daysText)' is not a whole number of working days")
        }
        guard promised >= 0, promised <= 3650 else {
            return Rejection(field: "promised_days", reason: "\(promised) is out of range (0 to 3650 working days)")
        }
        let statusText = field(8).trimmingSpaces
        guard let status = ServiceCase.Status(rawValue: statusText) else {
            return Rejection(field: "status", reason: "unknown status '\(statusText)' (accepted, in_review, suspended, completed, rejected or withdrawn)")
        }
        let completedText = field(9).trimmingSpaces
        var completedAt: Int64? = nil
        if !completedText.isEmpty {
            guard let t = LocalTime.parse(completedText) else {
                return Rejection(field: "completed_at", reason: "'\(completedText)' is not an ISO 8601 time")
            }
            completedAt = t
        }
        let suspensionsText = field(10).trimmingSpaces
        let suspensions: [ServiceCase.Suspension]
        switch ServiceCase.Suspension.parseList(suspensionsText) {
        case .success(let list): suspensions = list
        case .failure(let e): return Rejection(field: "suspensions", reason: e.message)
        }

        let keys = DerivedKeys(acceptedAt: acceptedAt, promisedDays: promised, status: status, completedAt: completedAt,
                               suspensions: suspensions, rules: rules)

        func bindAll(_ st: OpaquePointer) {
            bindText(st, 1, id)
            bindText(st, 2, unit)
            bindText(st, 3, department)
            bindText(st, 4, itemCode)
            bindText(st, 5, itemName)
            bindText(st, 6, channel.rawValue)
            sqlite3_bind_int64(st, 7, acceptedAt)
            sqlite3_bind_int64(st, 8, Int64(promised))
            bindText(st, 9, status.rawValue)
            if let c = completedAt { sqlite3_bind_int64(st, 10, c) } else { sqlite3_bind_null(st, 10) }
            bindText(st, 11, suspensions.isEmpty ? "" : ServiceCase.Suspension.format(suspensions))
            sqlite3_bind_int64(st, 12, keys.deadline.instant)
            sqlite3_bind_int64(st, 13, keys.deadline.outsideCalendar ? 1 : 0)
            sqlite3_bind_int64(st, 14, Int64(keys.caseClass.rawValue))
            sqlite3_bind_int64(st, 15, Int64(keys.day))
            sqlite3_bind_int64(st, 16, keys.late ? 1 : 0)
            bindText(st, 17, source)
            sqlite3_bind_int64(st, 18, Int64(row.line))
        }
        let insertSQL = """
            INSERT INTO cases (id, unit, department, item_code, item_name, channel, accepted_at, promised_days, status,
                               completed_at, suspensions, deadline, outside_calendar, k_class, k_day, late, source, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        // Most rows are new: a plain insert. Only when the id is already stored (a later push)
        // is the earlier row looked up, so that it stops counting where it counted, and replaced.
        let ins = try prepared(&insert, db, insertSQL)
        bindAll(ins)
        var rc = sqlite3_step(ins)
        sqlite3_reset(ins)
        if rc & 0xFF == SQLITE_CONSTRAINT { // extended codes are on: SQLITE_CONSTRAINT_PRIMARYKEY
            let old = try prepared(&selectOld, db, "SELECT unit, k_class, k_day, late, outside_calendar FROM cases WHERE id = ?")
            sqlite3_reset(old)
            bindText(old, 1, id)
            if sqlite3_step(old) == SQLITE_ROW {
                let oldUnit = String(cString: sqlite3_column_text(old, 0))
                let key = RollupKey(unit: oldUnit, caseClass: Int(sqlite3_column_int(old, 1)), day: sqlite3_column_int(old, 2))
                deltas[key, default: .init()].n -= 1
                deltas[key, default: .init()].late -= Int(sqlite3_column_int(old, 3))
                deltas[key, default: .init()].outside -= Int(sqlite3_column_int(old, 4))
            }
            sqlite3_reset(old)
            let up = try prepared(&upsert, db, insertSQL + """

                ON CONFLICT(id) DO UPDATE SET unit = excluded.unit, department = excluded.department,
                    item_code = excluded.item_code, item_name = excluded.item_name, channel = excluded.channel,
                    accepted_at = excluded.accepted_at, promised_days = excluded.promised_days, status = excluded.status,
                    completed_at = excluded.completed_at, suspensions = excluded.suspensions, deadline = excluded.deadline,
                    outside_calendar = excluded.outside_calendar, k_class = excluded.k_class, k_day = excluded.k_day,
                    late = excluded.late, source = excluded.source, line = excluded.line
                """)
            bindAll(up)
            rc = sqlite3_step(up)
            sqlite3_reset(up)
        }
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }

        let key = RollupKey(unit: unit, caseClass: keys.caseClass.rawValue, day: keys.day)
        deltas[key, default: .init()].n += 1
        deltas[key, default: .init()].late += keys.late ? 1 : 0
        deltas[key, default: .init()].outside += keys.deadline.outsideCalendar ? 1 : 0
        return nil
    }

    override func endBatch(db: Database) throws {
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO case_rollup (unit, k_class, k_day, n, late, outside_calendar) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(unit, k_class, k_day) DO UPDATE SET n = n + excluded.n, late = late + excluded.late,
                outside_calendar = outside_calendar + excluded.outside_calendar
            """)
        for (k, d) in deltas where d.n != 0 || d.late != 0 || d.outside != 0 {
            try stmt.execute(arguments: [k.unit, k.caseClass, Int(k.day), d.n, d.late, d.outside])
        }
        try db.execute(sql: "DELETE FROM case_rollup WHERE n <= 0")
        deltas.removeAll(keepingCapacity: true)
    }

    private func prepared(_ slot: inout Statement?, _ db: Database, _ sql: String) throws -> OpaquePointer {
        if let s = slot { return s.sqliteStatement }
        let s = try db.makeStatement(sql: sql)
        slot = s
        return s.sqliteStatement
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bytes, so the Swift string may go away after binding.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

@inline(__always) func bindText(_ stmt: OpaquePointer, _ index: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buf in
        buf.withMemoryRebound(to: CChar.self) { chars in
            if let base = chars.baseAddress {
                _ = sqlite3_bind_text(stmt, index, base, Int32(chars.count), sqliteTransient)
            } else {
                _ = sqlite3_bind_text(stmt, index, "", 0, sqliteTransient) // empty strings may have no storage
            }
        }
    }
}
