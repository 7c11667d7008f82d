import CockpitCore
import Foundation
import GRDB
import GRDBSQLite

extension Schema {
    /// The times of cases within their day, for the ragged ends of a window, replace the hour
    /// roll-ups and the two covering time indexes of `cases`:
    /// - `case_done_times`: per completion day and unit, the second of the day of every completed
    ///   case, with its late bit;
    /// - `case_latest_times`: per day of the latest time, unit, flag and stall day (the keys of
    ///   `case_abnormal_rollup` without a static error), the second of the day of every latest time.
    ///
    /// A window's ragged ends are at most two days: a figure reads those days' rows (one per unit)
    /// and counts the times inside the window. Measured (1M cases, sqlite3 shell): the two time
    /// indexes cost 2.0–4.7 s of a load's 3.7–7.0 s of inserts, since their keys arrive out of order;
    /// these tables have ~110k rows against ~730k hour rows, and a bulk load writes them once.
    static func registerCaseTimes(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4 case times by day") { db in
            try db.execute(sql: """
                DROP INDEX IF EXISTS cases_by_completion;
                DROP INDEX IF EXISTS cases_by_latest;
                DROP TABLE IF EXISTS case_done_hour;
                DROP TABLE IF EXISTS case_latest_hour;
                CREATE TABLE case_done_times (
                    day INTEGER NOT NULL, unit TEXT NOT NULL,
                    times BLOB NOT NULL,          -- CaseTimes.doneEntry of each case, ascending
                    PRIMARY KEY (day, unit)
                ) WITHOUT ROWID;
                CREATE TABLE case_latest_times (
                    day INTEGER NOT NULL, unit TEXT NOT NULL, flag INTEGER NOT NULL,
                    stall_day INTEGER NOT NULL,   -- 2147483647 when the case is not open
                    times BLOB NOT NULL,          -- CaseTimes.second of each latest time, ascending
                    PRIMARY KEY (day, unit, flag, stall_day)
                ) WITHOUT ROWID;
                """)
            try CaseTimes.rebuild(db)
        }
    }
}

/// Times within a day as stored in the times tables: 32-bit little-endian entries, ascending.
enum CaseTimes {
    /// The second of its local day of the instant `t` (0 … 86399).
    @inline(__always) static func second(of t: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: t - LocalTime.startOf(day: LocalTime.day(of: t)))
    }

    /// A completion: its second of the day, and whether it was late in the lowest bit.
    @inline(__always) static func doneEntry(_ t: Int64, late: Bool) -> UInt32 { second(of: t) << 1 | (late ? 1 : 0) }

    static func encode(_ entries: [UInt32]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: entries.count * 4)
        for (i, e) in entries.enumerated() {
            out[i * 4] = UInt8(truncatingIfNeeded: e)
            out[i * 4 + 1] = UInt8(truncatingIfNeeded: e >> 8)
            out[i * 4 + 2] = UInt8(truncatingIfNeeded: e >> 16)
            out[i * 4 + 3] = UInt8(truncatingIfNeeded: e >> 24)
        }
        return out
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> [UInt32] {
        (0..<bytes.count / 4).map { i in
            UInt32(bytes[i * 4]) | UInt32(bytes[i * 4 + 1]) << 8 | UInt32(bytes[i * 4 + 2]) << 16 | UInt32(bytes[i * 4 + 3]) << 24
        }
    }

    static func decode(_ data: Data) -> [UInt32] { data.withUnsafeBytes { decode($0) } }

    /// The parts of the ranges that fall on each day: (day, first second, last second), both ends
    /// included. A window's ragged ends span at most two days.
    static func dayPieces(_ ranges: [ClosedRange<Int64>]) -> [(day: Int32, from: UInt32, to: UInt32)] {
        var out: [(day: Int32, from: UInt32, to: UInt32)] = []
        for r in ranges {
            var s = r.lowerBound
            while s <= r.upperBound {
                let d = LocalTime.day(of: s)
                let end = min(r.upperBound, LocalTime.startOf(day: d + 1) - 1)
                out.append((d, second(of: s), second(of: end)))
                s = end + 1
            }
        }
        return out
    }

    /// Completed cases per unit, and how many of them late, in [from, to] seconds of `day`.
    static func completed(_ db: Database, day: Int32, from: UInt32, to: UInt32) throws -> [(unit: String, n: Int, late: Int)] {
        try Row.fetchAll(db, sql: "SELECT unit, times FROM case_done_times WHERE day = ?", arguments: [Int(day)]).compactMap { row in
            var n = 0, late = 0
            for e in decode(row[1] as Data) where e >> 1 >= from && e >> 1 <= to {
                n += 1
                late += Int(e & 1)
            }
            return n > 0 ? (row[0], n, late) : nil
        }
    }

    /// Cases per unit without a static error whose latest time lies after `second` on `day`, and
    /// whose stall day is `stallFrom` or later (not yet counted as stalled).
    static func latestAfter(_ db: Database, day: Int32, second: UInt32, stallFrom: Int32) throws -> [(unit: String, n: Int)] {
        try Row.fetchAll(db, sql: "SELECT unit, times FROM case_latest_times WHERE day = ? AND stall_day >= ?",
                         arguments: [Int(day), Int(stallFrom)]).compactMap { row in
            let n = decode(row[1] as Data).reduce(0) { $0 + ($1 > second ? 1 : 0) }
            return n > 0 ? (row[0], n) : nil
        }
    }

    /// Writes the rows of changed keys, given in key order with a closure binding the key's columns
    /// (`key`, from parameter 1). Into an empty table the rows are written as they are, 64 a statement;
    /// otherwise each row is read, changed and written back, and deleted once it holds no time.
    static func write(_ db: Database, table: String, keyColumns: [String],
                      _ changes: [(key: (OpaquePointer, Int32) -> Void, delta: TimesDelta)]) throws {
        guard !changes.isEmpty else { return }
        let keys = keyColumns.joined(separator: ", ")
        let fresh = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") ?? false)
        let width = keyColumns.count + 1
        if fresh {
            var rows = RowUpserts(db, into: "\(table) (\(keys), times)", width: width,
                                  conflict: "ON CONFLICT(\(keys)) DO UPDATE SET times = excluded.times", deleteEmptied: "")
            for c in changes {
                let blob = encode(c.delta.applied(to: []))
                guard !blob.isEmpty else { continue }
                try rows.add(key: c.key, wentDown: false) { st, at in
                    c.key(st, at)
                    bindBlob(st, at + Int32(width), blob)
                }
            }
            try rows.finish()
            return
        }
        let match = keyColumns.map { "\($0) = ?" }.joined(separator: " AND ")
        let select = try db.cachedStatement(sql: "SELECT times FROM \(table) WHERE \(match)").sqliteStatement
        let delete = "DELETE FROM \(table) WHERE \(match)"
        let upsert = "INSERT INTO \(table) (\(keys), times) VALUES (\(Array(repeating: "?", count: width).joined(separator: ", ")))"
            + " ON CONFLICT(\(keys)) DO UPDATE SET times = excluded.times"
        for c in changes {
            c.key(select, 0)
            var old: [UInt32] = []
            let rc = sqlite3_step(select)
            if rc == SQLITE_ROW, let p = sqlite3_column_blob(select, 0) {
                old = decode(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(select, 0))))
            }
            sqlite3_reset(select)
            guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw sqliteError(rc, db) }
            let new = c.delta.applied(to: old)
            if new.isEmpty {
                if !old.isEmpty { try CaseCounts.run(db, delete) { c.key($0, 0) } }
            } else {
                let blob = encode(new)
                try CaseCounts.run(db, upsert) { st in
                    c.key(st, 0)
                    bindBlob(st, Int32(width), blob)
                }
            }
        }
    }

    /// Recounts both tables from `cases`: in the migration, and wherever the roll-ups are rebuilt.
    /// Read and written with the raw C API, units interned by their bytes: it scans every case
    /// (1M cases: the v4 migration took 11.7 s through GRDB rows and one prepare per row written).
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM case_done_times; DELETE FROM case_latest_times")
        var units: [String] = [], unitOf: [UInt64: [Int]] = [:]
        func unit(_ st: OpaquePointer, _ column: Int32) -> Int {
            let b = UnsafeBufferPointer(start: sqlite3_column_text(st, column), count: Int(sqlite3_column_bytes(st, column)))
            let h = UnitTable.hash(b)
            if let found = unitOf[h]?.first(where: { units[$0].utf8.elementsEqual(b) }) { return found }
            units.append(b.string)
            unitOf[h, default: []].append(units.count - 1)
            return units.count - 1
        }
        func scan(_ sql: String, _ row: (OpaquePointer) -> Void) throws {
            let statement = try db.makeStatement(sql: sql) // finalized when released: kept to the end
            defer { withExtendedLifetime(statement) {} }
            let st = statement.sqliteStatement
            while true {
                let rc = sqlite3_step(st)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw sqliteError(rc, db) }
                row(st)
            }
        }
        struct DoneKey: Hashable { var day: Int32, unit: Int }
        struct LatestKey: Hashable { var day: Int32, unit: Int, flag: Int, stallDay: Int32 }
        var done: [DoneKey: [UInt32]] = [:]
        try scan("SELECT unit, completed_at, late FROM cases WHERE k_class = \(Schema.CaseClass.completed.rawValue) AND completed_at IS NOT NULL") { st in
            let t = sqlite3_column_int64(st, 1)
            done[DoneKey(day: LocalTime.day(of: t), unit: unit(st, 0)), default: []].append(doneEntry(t, late: sqlite3_column_int64(st, 2) != 0))
        }
        var latest: [LatestKey: [UInt32]] = [:]
        try scan("SELECT unit, flags != 0, coalesce(stall_day, \(CaseCounts.notOpen)), latest_at FROM cases WHERE abn = 0") { st in
            let t = sqlite3_column_int64(st, 3)
            latest[LatestKey(day: LocalTime.day(of: t), unit: unit(st, 0), flag: Int(sqlite3_column_int64(st, 1)),
                             stallDay: Int32(truncatingIfNeeded: sqlite3_column_int64(st, 2))), default: []].append(second(of: t))
        }
        // Written roughly in key order (the B-trees are appended to); the order changes nothing else.
        let doneStatement = try db.makeStatement(sql: "INSERT INTO case_done_times (day, unit, times) VALUES (?, ?, ?)")
        let latestStatement = try db.makeStatement(sql: "INSERT INTO case_latest_times (day, unit, flag, stall_day, times) VALUES (?, ?, ?, ?, ?)")
        defer { withExtendedLifetime((doneStatement, latestStatement)) {} }
        let insertDone = doneStatement.sqliteStatement
        for (k, entries) in done.sorted(by: { ($0.key.day, units[$0.key.unit]) < ($1.key.day, units[$1.key.unit]) }) {
            sqlite3_bind_int64(insertDone, 1, Int64(k.day)); bindText(insertDone, 2, units[k.unit]); bindBlob(insertDone, 3, encode(entries.sorted()))
            let rc = sqlite3_step(insertDone)
            sqlite3_reset(insertDone)
            guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
        }
        let insertLatest = latestStatement.sqliteStatement
        for (k, entries) in latest.sorted(by: { ($0.key.day, units[$0.key.unit], $0.key.flag, $0.key.stallDay) < ($1.key.day, units[$1.key.unit], $1.key.flag, $1.key.stallDay) }) {
            sqlite3_bind_int64(insertLatest, 1, Int64(k.day)); bindText(insertLatest, 2, units[k.unit])
            sqlite3_bind_int64(insertLatest, 3, Int64(k.flag)); sqlite3_bind_int64(insertLatest, 4, Int64(k.stallDay))
            bindBlob(insertLatest, 5, encode(entries.sorted()))
            let rc = sqlite3_step(insertLatest)
            sqlite3_reset(insertLatest)
            guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
        }
    }
}

/// What a batch adds to and takes from one row of a times table: a multiset of entries.
struct TimesDelta {
    var added: [UInt32] = []
    var removed: [UInt32] = []

    var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    @inline(__always) mutating func add(_ entry: UInt32, sign: Int) {
        if sign > 0 { added.append(entry) } else { removed.append(entry) }
    }

    mutating func merge(_ other: TimesDelta) {
        added += other.added
        removed += other.removed
    }

    /// `old` (ascending) with the added entries in and one of each removed entry out, ascending.
    /// A case added and taken back in the same batch leaves nothing behind.
    func applied(to old: [UInt32]) -> [UInt32] {
        var all = old
        if !added.isEmpty { all += added; all.sort() }
        guard !removed.isEmpty else { return all }
        var out: [UInt32] = []
        out.reserveCapacity(all.count)
        var i = 0
        for r in removed.sorted() {
            while i < all.count, all[i] < r { out.append(all[i]); i += 1 }
            if i < all.count, all[i] == r { i += 1 } // one occurrence out
        }
        out += all[i...]
        return out
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
@inline(__always) func bindBlob(_ stmt: OpaquePointer, _ index: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { b in
        _ = sqlite3_bind_blob(stmt, index, b.baseAddress, Int32(b.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }
}
