import CockpitCore
import GRDB
import GRDBSQLite

extension Schema {
    /// v3 added hour-level roll-ups of cases (`case_done_hour`, `case_latest_hour`; v4 replaced them
    /// by the times of cases within their day, `CaseTimes`) and `case_flagged`: flagged cases per
    /// unit (`cases.flagged` does not depend on the moment; the day roll-up spreads them over ~70k
    /// rows at 1M cases).
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
            // (The hour tables are not filled: the v4 migration replaces them by `CaseTimes`.)
            try CaseUnitCounts.rebuildFlagged(db)
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
            try CaseUnitCounts.rebuildTotals(db)
        }
        m.registerMigration("v3 covering case time indexes") { db in
            // (The partial hours were read from two covering time indexes here; v4 dropped them for
            // `CaseTimes`, and `CaseIndexes.create` now makes the open-case index only.)
            try db.execute(sql: "DROP INDEX IF EXISTS cases_by_completion; DROP INDEX IF EXISTS cases_by_latest")
            try CaseIndexes.create(db)
        }
    }
}

/// The per-unit counts of cases: flagged cases (`case_flagged`) and the open totals
/// (`case_unit_totals`). `CaseCounts` counts every case it adds (+1) or stops counting (−1) here.
struct CaseUnitCounts {
    struct Totals: Equatable {
        var running = 0, suspended = 0, stallKeyed = 0
        static let zero = Totals()
    }
    /// By unit index (a tree has a few hundred units): no hashing per case.
    private var flagged: [Int] = []
    private var totals: [Totals] = []

    @inline(__always) private mutating func grow(to unit: Int) {
        guard unit >= flagged.count else { return }
        flagged += repeatElement(0, count: unit + 1 - flagged.count)
        totals += repeatElement(.zero, count: unit + 1 - totals.count)
    }

    /// Adds `other`'s deltas to these.
    mutating func merge(_ other: CaseUnitCounts) {
        grow(to: other.flagged.count - 1)
        for (u, n) in other.flagged.enumerated() { flagged[u] += n }
        for (u, d) in other.totals.enumerated() {
            totals[u].running += d.running; totals[u].suspended += d.suspended; totals[u].stallKeyed += d.stallKeyed
        }
    }

    mutating func count(unit: Int, caseClass: Int, errors: Int, flags: Int, stallDay: Int32?, sign: Int) {
        grow(to: unit)
        if flags != 0 { flagged[unit] += sign }
        if caseClass == Schema.CaseClass.running.rawValue { totals[unit].running += sign }
        if caseClass == Schema.CaseClass.suspended.rawValue { totals[unit].suspended += sign }
        if errors == 0, stallDay != nil { totals[unit].stallKeyed += sign }
    }

    /// Writes the deltas with the raw C API; a unit whose counts went down is deleted when they reached 0.
    mutating func flush(_ db: Database, units: UnitTable) throws {
        func run(_ sql: String, _ bind: (OpaquePointer) -> Void) throws { try CaseCounts.run(db, sql, bind) }
        for (unit, n) in flagged.enumerated() where n != 0 {
            try run("INSERT INTO case_flagged (unit, n) VALUES (?, ?) ON CONFLICT(unit) DO UPDATE SET n = n + excluded.n") { st in
                bindStatic(st, 1, units.bytes[unit]); sqlite3_bind_int64(st, 2, Int64(n))
            }
            if n < 0 { try run("DELETE FROM case_flagged WHERE unit = ? AND n <= 0") { bindStatic($0, 1, units.bytes[unit]) } }
        }
        for (unit, d) in totals.enumerated() where d != .zero {
            try run("""
                INSERT INTO case_unit_totals (unit, running, suspended, stall_keyed) VALUES (?, ?, ?, ?)
                ON CONFLICT(unit) DO UPDATE SET running = running + excluded.running, suspended = suspended + excluded.suspended,
                    stall_keyed = stall_keyed + excluded.stall_keyed
                """) { st in
                bindStatic(st, 1, units.bytes[unit])
                sqlite3_bind_int64(st, 2, Int64(d.running)); sqlite3_bind_int64(st, 3, Int64(d.suspended)); sqlite3_bind_int64(st, 4, Int64(d.stallKeyed))
            }
            if d.running < 0 || d.suspended < 0 || d.stallKeyed < 0 {
                try run("DELETE FROM case_unit_totals WHERE unit = ? AND running = 0 AND suspended = 0 AND stall_keyed = 0") {
                    bindStatic($0, 1, units.bytes[unit])
                }
            }
        }
        flagged = []
        totals = []
    }

    /// Recounts the per-unit tables and the times tables from `cases`: wherever the day roll-ups are
    /// rebuilt (`rebuildRollup`: a calendar ingest, new abnormal keys, a bulk load cut short).
    static func rebuild(_ db: Database) throws {
        try rebuildFlagged(db)
        if try db.tableExists("case_unit_totals") { try rebuildTotals(db) }
        if try db.tableExists("case_done_times") { try CaseTimes.rebuild(db) }
    }

    static func rebuildFlagged(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM case_flagged;
            INSERT INTO case_flagged (unit, n) SELECT unit, count(*) FROM cases WHERE flags != 0 GROUP BY unit;
            """)
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
