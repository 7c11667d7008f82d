import CockpitCore
import GRDB

extension Schema {
    /// Push history and the abnormal rules (DESIGN.md §3).
    ///
    /// `cases` gains the keys of the abnormal rules: `abn` / `flags` (bit masks of the codes that
    /// do not depend on the moment), `latest_at` (a time in the future of `at` iff latest_at > at),
    /// `stall_day` (an open case is stalled once `at` is past 24:00 of that day) and `pushed_at`.
    /// `case_abnormal_rollup` counts cases per unit and those keys, so that `cases.abnormal` as of
    /// any `at` is a few range sums (plus the cases whose latest time falls on `at`'s own day).
    ///
    /// `case_pushes` keeps every push of a case pushed more than once. A case pushed once has its
    /// only push in its `cases` row; when a second push comes the first is copied over. So the
    /// bulk of a load (new cases) writes one row, and the history of every case is still complete.
    static func registerCaseAbnormal(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2 case pushes and abnormal rules") { db in
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN pushed_at INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE cases ADD COLUMN latest_at INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE cases ADD COLUMN stall_day INTEGER;
                ALTER TABLE cases ADD COLUMN abn INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE cases ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE case_pushes (
                    id TEXT NOT NULL,
                    pushed_at INTEGER NOT NULL,
                    seq INTEGER NOT NULL,         -- pushes with the same push time, in order of arrival
                    status TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    department TEXT NOT NULL,
                    item_code TEXT NOT NULL,
                    item_name TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    promised_days INTEGER NOT NULL,
                    completed_at INTEGER,
                    suspensions TEXT NOT NULL,
                    source TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    PRIMARY KEY (id, pushed_at, seq)
                ) WITHOUT ROWID;
                CREATE TABLE case_abnormal_rollup (
                    unit TEXT NOT NULL,
                    err INTEGER NOT NULL,         -- 1: a static error finding (then the days are 0)
                    flag INTEGER NOT NULL,        -- 1: a flag
                    stall_day INTEGER NOT NULL,   -- 2147483647 when the case is not open
                    latest_day INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (unit, err, flag, stall_day, latest_day)
                ) WITHOUT ROWID;
                CREATE INDEX case_abnormal_by_stall ON case_abnormal_rollup (err, stall_day);
                CREATE INDEX case_abnormal_by_latest ON case_abnormal_rollup (err, latest_day);
                CREATE INDEX case_abnormal_flagged ON case_abnormal_rollup (unit) WHERE flag = 1;
                """)
            try CaseIndexes.create(db)
            try CockpitStore.recomputeCaseKeys(db)
        }
    }
}

/// The secondary indexes of `cases`. A bulk load keeps them up to date row by row (measured
/// cheaper than dropping them and sorting them back at the end); `create` after every cases
/// ingest restores any that a crashed load of an earlier version left dropped.
enum CaseIndexes {
    static let all = [
        ("cases_open_by_key", "cases (unit, k_class, k_day)", "WHERE k_class IN (0, 1)"),
        // (No index on a time: the ragged ends of a window are read from `CaseTimes`.)
    ]

    static func create(_ db: Database) throws {
        for (name, on, whereClause) in all {
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(name) ON \(on) \(whereClause)")
        }
    }
}
