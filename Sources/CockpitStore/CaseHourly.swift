import CockpitCore
import GRDB
import GRDBSQLite

extension Schema {
    /// Hour-level roll-ups of cases under the day-level ones, so that a window's ragged ends are
    /// whole hours from a roll-up plus at most one partial hour at each end read from `cases`
    /// (bounded by one hour's records, not by the store's size):
    /// - `case_done_hour`: completed cases per completion hour and unit, with how many were late;
    /// - `case_latest_hour`: cases without a static error per hour of their latest time, unit and
    ///   stall day (ABN08 "a time after `at`" for the rest of `at`'s day);
    /// - `case_flagged`: flagged cases per unit (`cases.flagged` does not depend on the moment; the
    ///   day roll-up spreads them over ~70k rows at 1M cases).
    /// Hours are Unix hours (seconds ÷ 3600): local days (UTC+8) start on a whole hour.
    static func registerCaseHourly(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3 hourly case roll-ups") { db in
            try db.execute(sql: """
                CREATE TABLE case_done_hour (
                    hour INTEGER NOT NULL, unit TEXT NOT NULL, n INTEGER NOT NULL, late INTEGER NOT NULL,
                    PRIMARY KEY (hour, unit)
                ) WITHOUT ROWID;
                CREATE TABLE case_latest_hour (
                    hour INTEGER NOT NULL, unit TEXT NOT NULL,
                    stall_day INTEGER NOT NULL,   -- 2147483647 when the case is not open
                    n INTEGER NOT NULL,
                    PRIMARY KEY (hour, unit, stall_day)
                ) WITHOUT ROWID;
                CREATE TABLE case_flagged (unit TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
                """)
            try CaseHourly.rebuild(db)
        }
    }

    /// Per-unit totals of open cases, so that the stock figures read only the rows of the days
    /// ahead instead of every open case's deadline or stall day since the store began (those pile
    /// up with the store: old cases left open):
    /// overdue = running − running with a deadline day from at's day on; stalled = stall-keyed −
    /// stall-keyed with a stall day from the day before at on.
    static func registerCaseUnitTotals(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3 case unit totals") { db in
            try db.execute(sql: """
                CREATE TABLE case_unit_totals (
                    unit TEXT PRIMARY KEY NOT NULL,
                    running INTEGER NOT NULL,      -- open, clock running (k_class 0)
                    suspended INTEGER NOT NULL,    -- open, clock stopped (k_class 1)
                    stall_keyed INTEGER NOT NULL   -- no static error and a stall day (open)
                ) WITHOUT ROWID;
                -- Covering: the stalled figure reads the stall days ahead without a lookup per row.
                DROP INDEX case_abnormal_by_stall;
                CREATE INDEX case_abnormal_by_stall ON case_abnormal_rollup (err, stall_day, unit, n);
                """)
            try CaseHourly.rebuildTotals(db)
        }
        m.registerMigration("v3 covering case time indexes") { db in
            // The partial hours are read from these two indexes alone (CaseIndexes): measured at 1M
            // cases, the lookup of each row in `cases` was most of the figures' remaining growth.
            try db.execute(sql: "DROP INDEX IF EXISTS cases_by_completion; DROP INDEX IF EXISTS cases_by_latest")
            try CaseIndexes.create(db)
        }
    }
}

/// The hourly roll-ups' deltas of one ingest batch: `CasesConsumer` counts every case it adds
/// (+1) or stops counting (−1) here, beside its day roll-ups, and flushes once per batch.
struct CaseHourly {
    private struct DoneKey: Hashable { var unit: Int; var hour: Int64 }
    private struct LatestKey: Hashable { var unit: Int; var stallDay: Int32; var hour: Int64 }
    private var done: [DoneKey: (n: Int, late: Int)] = [:]
    private var latest: [LatestKey: Int] = [:]
    private var flagged: [Int: Int] = [:]
    /// running, suspended, stall_keyed
    private var totals: [Int: [Int]] = [:]

    static let notOpen = Int32.max

    /// Adds `other`'s deltas to these.
    mutating func merge(_ other: CaseHourly) {
        for (k, d) in other.done { let m = done[k] ?? (0, 0); done[k] = (m.n + d.n, m.late + d.late) }
        for (k, n) in other.latest { latest[k, default: 0] += n }
        for (k, n) in other.flagged { flagged[k, default: 0] += n }
        for (k, d) in other.totals { var m = totals[k] ?? [0, 0, 0]; for i in 0..<3 { m[i] += d[i] }; totals[k] = m }
    }

    mutating func count(unit: Int, caseClass: Int, completedAt: Int64?, late: Bool, errors: Int, flags: Int,
                        stallDay: Int32?, latestAt: Int64, sign: Int) {
        if caseClass == Schema.CaseClass.completed.rawValue, let c = completedAt {
            let k = DoneKey(unit: unit, hour: WindowHours.hour(of: c))
            let d = done[k] ?? (0, 0)
            done[k] = (d.n + sign, d.late + (late ? sign : 0))
        }
        // A case with a static error is abnormal whatever the moment: its latest time never matters.
        if errors == 0 {
            latest[LatestKey(unit: unit, stallDay: stallDay ?? Self.notOpen, hour: WindowHours.hour(of: latestAt)), default: 0] += sign
        }
        if flags != 0 { flagged[unit, default: 0] += sign }
        if caseClass == Schema.CaseClass.running.rawValue { totals[unit, default: [0, 0, 0]][0] += sign }
        if caseClass == Schema.CaseClass.suspended.rawValue { totals[unit, default: [0, 0, 0]][1] += sign }
        if errors == 0, stallDay != nil { totals[unit, default: [0, 0, 0]][2] += sign }
    }

    /// Writes the deltas, bound with the raw C API (a bulk load has about one key per case); a key
    /// whose count went down is deleted when it reached 0.
    mutating func flush(_ db: Database, units: UnitTable) throws {
        func run(_ sql: String, _ bind: (OpaquePointer) -> Void) throws { try CaseCounts.run(db, sql, bind) }
        // In key order: the B-tree is written page after page instead of at random; many keys a
        // statement (a bulk load writes ~730k hour keys at its end).
        let rank = units.rank
        var doneRows = RowUpserts(db, into: "case_done_hour (hour, unit, n, late)", width: 4, conflict: """
            ON CONFLICT(hour, unit) DO UPDATE SET n = n + excluded.n, late = late + excluded.late
            """, deleteEmptied: "DELETE FROM case_done_hour WHERE hour = ? AND unit = ? AND n <= 0")
        for (k, d) in done.sorted(by: { ($0.key.hour, rank[$0.key.unit]) < ($1.key.hour, rank[$1.key.unit]) }) where d.n != 0 || d.late != 0 {
            let bindKey = { (st: OpaquePointer, at: Int32) in sqlite3_bind_int64(st, at + 1, k.hour); bindStatic(st, at + 2, units.bytes[k.unit]) }
            try doneRows.add(key: bindKey, wentDown: d.n < 0) { st, at in
                bindKey(st, at); sqlite3_bind_int64(st, at + 3, Int64(d.n)); sqlite3_bind_int64(st, at + 4, Int64(d.late))
            }
        }
        try doneRows.finish()
        var latestRows = RowUpserts(db, into: "case_latest_hour (hour, unit, stall_day, n)", width: 4, conflict: """
            ON CONFLICT(hour, unit, stall_day) DO UPDATE SET n = n + excluded.n
            """, deleteEmptied: "DELETE FROM case_latest_hour WHERE hour = ? AND unit = ? AND stall_day = ? AND n <= 0")
        for (k, n) in latest.sorted(by: { ($0.key.hour, rank[$0.key.unit], $0.key.stallDay) < ($1.key.hour, rank[$1.key.unit], $1.key.stallDay) }) where n != 0 {
            let bindKey = { (st: OpaquePointer, at: Int32) in
                sqlite3_bind_int64(st, at + 1, k.hour); bindStatic(st, at + 2, units.bytes[k.unit]); sqlite3_bind_int64(st, at + 3, Int64(k.stallDay))
            }
            try latestRows.add(key: bindKey, wentDown: n < 0) { st, at in bindKey(st, at); sqlite3_bind_int64(st, at + 4, Int64(n)) }
        }
        try latestRows.finish()
        for (unit, n) in flagged where n != 0 {
            try run("INSERT INTO case_flagged (unit, n) VALUES (?, ?) ON CONFLICT(unit) DO UPDATE SET n = n + excluded.n") { st in
                bindStatic(st, 1, units.bytes[unit]); sqlite3_bind_int64(st, 2, Int64(n))
            }
            if n < 0 { try run("DELETE FROM case_flagged WHERE unit = ? AND n <= 0") { bindStatic($0, 1, units.bytes[unit]) } }
        }
        for (unit, d) in totals where d != [0, 0, 0] {
            try run("""
                INSERT INTO case_unit_totals (unit, running, suspended, stall_keyed) VALUES (?, ?, ?, ?)
                ON CONFLICT(unit) DO UPDATE SET running = running + excluded.running, suspended = suspended + excluded.suspended,
                    stall_keyed = stall_keyed + excluded.stall_keyed
                """) { st in
                bindStatic(st, 1, units.bytes[unit])
                for i in 0..<3 { sqlite3_bind_int64(st, Int32(i + 2), Int64(d[i])) }
            }
            if d.contains(where: { $0 < 0 }) {
                try run("DELETE FROM case_unit_totals WHERE unit = ? AND running = 0 AND suspended = 0 AND stall_keyed = 0") {
                    bindStatic($0, 1, units.bytes[unit])
                }
            }
        }
        totals.removeAll(keepingCapacity: true)
        done.removeAll(keepingCapacity: true)
        latest.removeAll(keepingCapacity: true)
        flagged.removeAll(keepingCapacity: true)
    }

    /// The hour of a Unix time in SQL (floor, also for times before 1970).
    private static func hourSQL(_ column: String) -> String { "((\(column) - (((\(column)) % 3600) + 3600) % 3600) / 3600)" }

    /// Recounts the hourly roll-ups from `cases`: in the migration, and wherever the day roll-ups
    /// are rebuilt (`rebuildRollup`: a calendar ingest, new abnormal keys).
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM case_done_hour;
            INSERT INTO case_done_hour (hour, unit, n, late)
                SELECT \(hourSQL("completed_at")), unit, count(*), sum(late) FROM cases
                WHERE k_class = \(Schema.CaseClass.completed.rawValue) AND completed_at IS NOT NULL GROUP BY 1, 2;
            DELETE FROM case_latest_hour;
            INSERT INTO case_latest_hour (hour, unit, stall_day, n)
                SELECT \(hourSQL("latest_at")), unit, coalesce(stall_day, \(notOpen)), count(*) FROM cases WHERE abn = 0 GROUP BY 1, 2, 3;
            DELETE FROM case_flagged;
            INSERT INTO case_flagged (unit, n) SELECT unit, count(*) FROM cases WHERE flags != 0 GROUP BY unit;
            """)
        if try db.tableExists("case_unit_totals") { try rebuildTotals(db) }
    }

    static func rebuildTotals(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM case_unit_totals;
            INSERT INTO case_unit_totals (unit, running, suspended, stall_keyed)
                SELECT unit, sum(k_class = \(Schema.CaseClass.running.rawValue)), sum(k_class = \(Schema.CaseClass.suspended.rawValue)),
                       sum(abn = 0 AND stall_day IS NOT NULL)
                FROM cases GROUP BY unit HAVING sum(k_class IN (0, 1)) + sum(abn = 0 AND stall_day IS NOT NULL) > 0;
            """)
    }
}
