import CockpitCore
import GRDB
import GRDBSQLite

/// What cases add to (+1) or take from (−1) every case roll-up: the day roll-up, the abnormal
/// roll-up, the times within the day (`CaseTimes`) and the per-unit ones (`CaseUnitCounts`), keyed
/// by the unit's index in a `UnitTable`.
/// `CasesConsumer` counts into one and writes it once per transaction; a bulk load's parsing
/// thread counts into its own, written once at the end (`CaseBulkIngest.swift`).
struct CaseCounts {
    struct RollupKey: Hashable {
        var unit: Int; var caseClass: Int; var day: Int32
        // One word to hash instead of three (the parsing thread counts every record).
        func hash(into h: inout Hasher) { h.combine(UInt64(truncatingIfNeeded: unit) << 40 ^ UInt64(truncatingIfNeeded: caseClass) << 32 ^ UInt64(UInt32(bitPattern: day))) }
    }
    struct RollupDelta {
        var n = 0, late = 0, outside = 0
        /// Completed cases (k_class 2): their completion times (`case_done_times` of the key's day).
        var times = TimesDelta()
        mutating func add(n: Int, late: Int, outside: Int) { self.n += n; self.late += late; self.outside += outside }
    }
    struct AbnormalKey: Hashable {
        var unit: Int; var err: Bool; var flag: Bool; var stallDay: Int32; var latestDay: Int32
        func hash(into h: inout Hasher) {
            h.combine(UInt64(truncatingIfNeeded: unit) << 2 | (err ? 2 : 0) | (flag ? 1 : 0))
            h.combine(UInt64(UInt32(bitPattern: stallDay)) << 32 | UInt64(UInt32(bitPattern: latestDay)))
        }
    }
    struct AbnormalDelta {
        var n = 0
        /// Without a static error: the latest times (`case_latest_times` of the key's latest day).
        var times = TimesDelta()
    }

    /// `stall_day` of a case that is not open, in the roll-ups' keys.
    static let notOpen = Int32.max

    private(set) var days: [RollupKey: RollupDelta] = [:]
    private(set) var abnormal: [AbnormalKey: AbnormalDelta] = [:]
    private(set) var perUnit = CaseUnitCounts()

    /// A case with its derived keys, as `cases` stores it.
    mutating func count(unit: Int, keys: DerivedKeys, completedAt: Int64?, masks: (errors: Int, flags: Int),
                        timeKeys: CaseAbnormal.TimeKeys, sign: Int) {
        count(unit: unit, caseClass: keys.caseClass.rawValue, day: keys.day, late: keys.late ? 1 : 0,
              outside: keys.deadline.outsideCalendar ? 1 : 0, completedAt: completedAt, errors: masks.errors, flags: masks.flags,
              stallDay: timeKeys.stallDay, latestAt: timeKeys.latestAt, sign: sign)
    }

    /// A case by its stored columns (`k_class`, `k_day`, `late`, `outside_calendar`, ...).
    mutating func count(unit: Int, caseClass: Int, day: Int32, late: Int, outside: Int, completedAt: Int64?, errors: Int, flags: Int,
                        stallDay: Int32?, latestAt: Int64, sign: Int) {
        perUnit.count(unit: unit, caseClass: caseClass, errors: errors, flags: flags, stallDay: stallDay, sign: sign)
        // One lookup a dictionary (through the `_modify` of the default subscript).
        func addDay(_ d: inout RollupDelta) {
            d.add(n: sign, late: late * sign, outside: outside * sign)
            if caseClass == Schema.CaseClass.completed.rawValue, let c = completedAt { d.times.add(CaseTimes.doneEntry(c, late: late != 0), sign: sign) }
        }
        addDay(&days[RollupKey(unit: unit, caseClass: caseClass, day: day), default: .init()])
        func addAbnormal(_ d: inout AbnormalDelta) {
            d.n += sign
            if errors == 0 { d.times.add(CaseTimes.second(of: latestAt), sign: sign) }
        }
        addAbnormal(&abnormal[Self.abnormalKey(unit: unit, errors: errors, flags: flags, stallDay: stallDay, latestAt: latestAt), default: .init()])
    }

    static func abnormalKey(unit: Int, errors: Int, flags: Int, stallDay: Int32?, latestAt: Int64) -> AbnormalKey {
        // A static error counts whatever the moment: its days would only spread the roll-up.
        errors != 0
            ? AbnormalKey(unit: unit, err: true, flag: flags != 0, stallDay: 0, latestDay: 0)
            : AbnormalKey(unit: unit, err: false, flag: flags != 0, stallDay: stallDay ?? notOpen, latestDay: LocalTime.day(of: latestAt))
    }

    /// Adds `other` in (give the smaller of the two as `other`: each of its keys is looked up here).
    mutating func merge(_ other: CaseCounts) {
        for (k, d) in other.days {
            days[k, default: .init()].add(n: d.n, late: d.late, outside: d.outside)
            if !d.times.isEmpty { days[k]!.times.merge(d.times) }
        }
        for (k, d) in other.abnormal {
            abnormal[k, default: .init()].n += d.n
            if !d.times.isEmpty { abnormal[k]!.times.merge(d.times) }
        }
        perUnit.merge(other.perUnit)
    }

    /// Writes the counts with the raw C API, in key order (the B-trees are written page after
    /// page), and empties them. Only a key whose count went down can have emptied: those are
    /// deleted when empty, rather than scanning the roll-ups (~70k rows each on 1M cases).
    mutating func flush(_ db: Database, units: UnitTable) throws {
        let rank = units.rank
        var dayRows = RowUpserts(db, into: "case_rollup (unit, k_class, k_day, n, late, outside_calendar)", width: 6, conflict: """
            ON CONFLICT(unit, k_class, k_day) DO UPDATE SET n = n + excluded.n, late = late + excluded.late,
                outside_calendar = outside_calendar + excluded.outside_calendar
            """, deleteEmptied: "DELETE FROM case_rollup WHERE unit = ? AND k_class = ? AND k_day = ? AND n <= 0")
        let sortedDays = days.sorted(by: { (rank[$0.key.unit], $0.key.caseClass, $0.key.day) < (rank[$1.key.unit], $1.key.caseClass, $1.key.day) })
        for (k, d) in sortedDays where d.n != 0 || d.late != 0 || d.outside != 0 {
            let bindKey = { (st: OpaquePointer, at: Int32) in
                bindStatic(st, at + 1, units.bytes[k.unit]); sqlite3_bind_int64(st, at + 2, Int64(k.caseClass)); sqlite3_bind_int64(st, at + 3, Int64(k.day))
            }
            try dayRows.add(key: bindKey, wentDown: d.n <= 0) { st, at in
                bindKey(st, at); sqlite3_bind_int64(st, at + 4, Int64(d.n)); sqlite3_bind_int64(st, at + 5, Int64(d.late))
                sqlite3_bind_int64(st, at + 6, Int64(d.outside))
            }
        }
        try dayRows.finish()
        // The times tables' keys lead with the day.
        try CaseTimes.write(db, table: "case_done_times", keyColumns: ["day", "unit"], sortedDays
            .filter { !$0.value.times.isEmpty }
            .sorted { ($0.key.day, rank[$0.key.unit]) < ($1.key.day, rank[$1.key.unit]) }
            .map { k, d in
                (key: { (st: OpaquePointer, at: Int32) in sqlite3_bind_int64(st, at + 1, Int64(k.day)); bindStatic(st, at + 2, units.bytes[k.unit]) },
                 delta: d.times)
            })
        days.removeAll(keepingCapacity: true)

        func keyOrder(_ k: AbnormalKey) -> (Int, Int, Int, Int32, Int32) { (rank[k.unit], k.err ? 1 : 0, k.flag ? 1 : 0, k.stallDay, k.latestDay) }
        var abnormalRows = RowUpserts(db, into: "case_abnormal_rollup (unit, err, flag, stall_day, latest_day, n)", width: 6, conflict: """
            ON CONFLICT(unit, err, flag, stall_day, latest_day) DO UPDATE SET n = n + excluded.n
            """, deleteEmptied: "DELETE FROM case_abnormal_rollup WHERE unit = ? AND err = ? AND flag = ? AND stall_day = ? AND latest_day = ? AND n <= 0")
        let sortedAbnormal = abnormal.sorted(by: { keyOrder($0.key) < keyOrder($1.key) })
        for (k, d) in sortedAbnormal where d.n != 0 {
            let n = d.n
            let bindKey = { (st: OpaquePointer, at: Int32) in
                bindStatic(st, at + 1, units.bytes[k.unit])
                sqlite3_bind_int64(st, at + 2, k.err ? 1 : 0)
                sqlite3_bind_int64(st, at + 3, k.flag ? 1 : 0)
                sqlite3_bind_int64(st, at + 4, Int64(k.stallDay))
                sqlite3_bind_int64(st, at + 5, Int64(k.latestDay))
            }
            try abnormalRows.add(key: bindKey, wentDown: n < 0) { st, at in bindKey(st, at); sqlite3_bind_int64(st, at + 6, Int64(n)) }
        }
        try abnormalRows.finish()
        try CaseTimes.write(db, table: "case_latest_times", keyColumns: ["day", "unit", "flag", "stall_day"], sortedAbnormal
            .filter { !$0.value.times.isEmpty }
            .sorted { ($0.key.latestDay, rank[$0.key.unit], $0.key.flag ? 1 : 0, $0.key.stallDay) < ($1.key.latestDay, rank[$1.key.unit], $1.key.flag ? 1 : 0, $1.key.stallDay) }
            .map { k, d in
                (key: { (st: OpaquePointer, at: Int32) in
                    sqlite3_bind_int64(st, at + 1, Int64(k.latestDay)); bindStatic(st, at + 2, units.bytes[k.unit])
                    sqlite3_bind_int64(st, at + 3, k.flag ? 1 : 0); sqlite3_bind_int64(st, at + 4, Int64(k.stallDay))
                 }, delta: d.times)
            })
        abnormal.removeAll(keepingCapacity: true)
        try perUnit.flush(db, units: units)
    }

    /// Runs `body` with the secondary indexes of `tables` dropped, then builds them again from
    /// their stored definitions: for writing many rows into empty roll-ups (a bulk load's end).
    /// Sorting ~70k entries once costs less than keeping the covering indexes up row by row
    /// (measured: the abnormal roll-up's rows took 0.41–0.53 s with its three indexes). Run inside
    /// a transaction, so that a crash leaves the indexes as they were.
    static func withIndexesRebuilt(_ db: Database, tables: [String], _ body: () throws -> Void) throws {
        precondition(db.isInsideTransaction)
        let indexes = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
            AND tbl_name IN (\(tables.map { _ in "?" }.joined(separator: ", "))) ORDER BY name
            """, arguments: StatementArguments(tables))
        for index in indexes { try db.execute(sql: "DROP INDEX \((index["name"] as String).quotedDatabaseIdentifier)") }
        try body()
        for index in indexes { try db.execute(sql: index["sql"]) }
    }

    /// Binds, steps and resets a cached statement.
    static func run(_ db: Database, _ sql: String, _ bind: (OpaquePointer) -> Void) throws {
        let st = try db.cachedStatement(sql: sql).sqliteStatement
        bind(st)
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
    }
}

/// Upserts of many rows a statement (`INSERT INTO t (…) VALUES (…), (…), … ON CONFLICT …`, up
/// to 64 rows): SQLite runs one statement for 64 keys. Measured in C, 360k hour keys into an empty
/// table: 0.7–1.0 µs a row, against 1.8–2.2 µs with one statement a row. Rows are bound by
/// closures given the index of the row's first parameter minus one. A key whose count went down
/// is deleted by `deleteEmptied` once every row is written, if it reached 0.
struct RowUpserts {
    static let rowsPerStatement = 64
    typealias Bind = (OpaquePointer, Int32) -> Void
    private let db: Database
    private let into: String, conflict: String, deleteEmptied: String
    private let width: Int
    private var rows: [Bind] = []
    private var wentDown: [Bind] = []
    /// The statement of a full set of rows, prepared once.
    private var full: OpaquePointer? = nil

    init(_ db: Database, into: String, width: Int, conflict: String, deleteEmptied: String) {
        self.db = db; self.into = into; self.width = width; self.conflict = conflict; self.deleteEmptied = deleteEmptied
        rows.reserveCapacity(Self.rowsPerStatement)
    }

    /// `key` binds the key's columns (for the delete); `row` binds the whole row.
    mutating func add(key: @escaping Bind, wentDown down: Bool, _ row: @escaping Bind) throws {
        rows.append(row)
        if down { wentDown.append(key) }
        if rows.count == Self.rowsPerStatement { try write() }
    }

    /// Writes the rows still waiting (a statement of their number), then deletes emptied keys.
    mutating func finish() throws {
        if !rows.isEmpty { try write() }
        for key in wentDown { try CaseCounts.run(db, deleteEmptied) { key($0, 0) } }
        wentDown.removeAll()
    }

    private mutating func write() throws {
        let st: OpaquePointer
        if rows.count == Self.rowsPerStatement, let full {
            st = full
        } else {
            let one = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            let sql = "INSERT INTO \(into) VALUES " + Array(repeating: one, count: rows.count).joined(separator: ", ") + " " + conflict
            st = try db.cachedStatement(sql: sql).sqliteStatement
            if rows.count == Self.rowsPerStatement { full = st }
        }
        for (i, bind) in rows.enumerated() { bind(st, Int32(i * width)) }
        rows.removeAll(keepingCapacity: true)
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
    }
}
