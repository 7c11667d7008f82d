import GRDB

/// The store's tables, as named migration steps (GRDB's DatabaseMigrator).
///
/// `cases` keeps each case's derived keys (`k_class`, `k_day`, `late`) beside the raw fields, and
/// `case_rollup` keeps how many cases of each unit share a key. Screens read the roll-up (a few
/// thousand rows) rather than the raw cases (millions): overdue as of any moment is "open cases
/// whose deadline day is before D", a sum over the roll-up. Ingest keeps it current by deltas.
enum Schema {
    /// k_class values.
    enum CaseClass: Int {
        case running = 0     // open, clock running: k_day = deadline day
        case suspended = 1   // open, clock stopped: k_day = provisional deadline day
        case completed = 2   // k_day = completion day; late = completed after the deadline
        case closed = 3      // rejected or withdrawn: k_day = closing day (or acceptance day)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        registerV1(&m)
        // Later steps, each registered by the file of the records it adds, in this order:
        registerAlerts(&m)
        registerHistory(&m)
        registerSources(&m)
        registerServices(&m)
        registerCaseAbnormal(&m)
        registerCaseOpenIndex(&m)
        registerCaseHourly(&m)
        registerRatingRollup(&m)
        registerCaseUnitTotals(&m)
        registerCaseTimes(&m)
        return m
    }

    static func registerV1(_ m: inout DatabaseMigrator) {
        m.registerMigration("v1 units, calendar, cases, rejects") { db in
            try db.execute(sql: """
                CREATE TABLE units (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    tier TEXT NOT NULL,
                    parent TEXT,
                    code TEXT,
                    ord INTEGER NOT NULL
                );
                CREATE TABLE calendar (
                    day INTEGER PRIMARY KEY NOT NULL,   -- local day number
                    date TEXT NOT NULL,                 -- YYYY-MM-DD, for people
                    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday'))
                );
                CREATE TABLE calendar_years (year INTEGER PRIMARY KEY NOT NULL);
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY NOT NULL,
                    unit TEXT NOT NULL,
                    department TEXT NOT NULL,
                    item_code TEXT NOT NULL,
                    item_name TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    promised_days INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    completed_at INTEGER,
                    suspensions TEXT NOT NULL,
                    deadline INTEGER NOT NULL,          -- instant: 24:00 of the deadline day
                    outside_calendar INTEGER NOT NULL,  -- the deadline used days outside the calendar
                    k_class INTEGER NOT NULL,
                    k_day INTEGER NOT NULL,
                    late INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    line INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX cases_by_key ON cases (unit, k_class, k_day);
                CREATE INDEX cases_by_completion ON cases (completed_at) WHERE completed_at IS NOT NULL;
                CREATE TABLE case_rollup (
                    unit TEXT NOT NULL,
                    k_class INTEGER NOT NULL,
                    k_day INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    late INTEGER NOT NULL,
                    outside_calendar INTEGER NOT NULL,
                    PRIMARY KEY (unit, k_class, k_day)
                ) WITHOUT ROWID;
                CREATE TABLE rejects (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    field TEXT,
                    reason TEXT NOT NULL,
                    raw TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX rejects_by_source ON rejects (source, line);
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                """)
        }
    }
}
