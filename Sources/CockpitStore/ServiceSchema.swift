import GRDB

/// Tables of hall tickets, data sharing, evaluations, items and scenario series.
///
/// Like `case_rollup`, the `*_day` tables hold per-day sums kept current by deltas at ingest, so
/// that a figure over whole days reads a few rows per unit instead of every raw record. Only the
/// ragged ends of a window (the part of `at`'s day up to `at`) are read from the raw tables, through
/// an index on time, which costs one day's records however large the store grows.
extension Schema {
    static func registerServices(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2 tickets, sharing, ratings, items, series") { db in
            try db.execute(sql: """
                CREATE TABLE tickets (
                    day INTEGER NOT NULL,          -- local day of issued_at: a ticket id is unique per hall and day
                    hall TEXT NOT NULL,
                    id TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    service TEXT NOT NULL,
                    issued_at INTEGER NOT NULL,
                    called_at INTEGER,
                    win TEXT,
                    finished_at INTEGER,
                    status TEXT NOT NULL,
                    source TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    PRIMARY KEY (day, hall, id)
                ) WITHOUT ROWID;
                -- Covering the flow figures' read of a window's ragged ends.
                CREATE INDEX tickets_by_issue ON tickets (issued_at, hall, zone, called_at, finished_at, status);
                -- Per hall, zone and issue day: sums of the tickets issued that day.
                CREATE TABLE ticket_day (
                    hall TEXT NOT NULL, zone TEXT NOT NULL, day INTEGER NOT NULL,
                    issued INTEGER NOT NULL, called INTEGER NOT NULL, wait_sum INTEGER NOT NULL,
                    served INTEGER NOT NULL, handle_sum INTEGER NOT NULL,
                    no_show INTEGER NOT NULL, abandoned INTEGER NOT NULL,
                    PRIMARY KEY (hall, zone, day)
                ) WITHOUT ROWID;

                CREATE TABLE directory (
                    provider TEXT NOT NULL, dataset TEXT NOT NULL, interface TEXT NOT NULL,
                    share_type TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (provider, dataset, interface)
                ) WITHOUT ROWID;

                CREATE TABLE calls (
                    id INTEGER PRIMARY KEY,
                    interface TEXT NOT NULL, provider TEXT NOT NULL, consumer TEXT NOT NULL,
                    at INTEGER NOT NULL, ok INTEGER NOT NULL, latency_ms INTEGER NOT NULL,
                    bucket INTEGER NOT NULL
                );
                -- An identical call pushed twice counts once. Ordered by time and covering the columns
                -- the figures group by (bucket follows from latency_ms), so today's calls are read
                -- from the index alone.
                CREATE UNIQUE INDEX calls_by_time ON calls (at, consumer, provider, bucket, ok, interface, latency_ms);
                -- Latency histograms per consumer unit and per provider and day (bucket: CallLatency).
                CREATE TABLE call_unit_day (
                    unit TEXT NOT NULL, day INTEGER NOT NULL, bucket INTEGER NOT NULL,
                    n INTEGER NOT NULL, ok INTEGER NOT NULL,
                    PRIMARY KEY (unit, day, bucket)
                ) WITHOUT ROWID;
                CREATE TABLE call_provider_day (
                    provider TEXT NOT NULL, day INTEGER NOT NULL, bucket INTEGER NOT NULL,
                    n INTEGER NOT NULL, ok INTEGER NOT NULL,
                    PRIMARY KEY (provider, day, bucket)
                ) WITHOUT ROWID;
                -- Which consumer called which provider on a day (distinct consumers per provider).
                CREATE TABLE call_pair_day (
                    day INTEGER NOT NULL, provider TEXT NOT NULL, consumer TEXT NOT NULL, n INTEGER NOT NULL,
                    PRIMARY KEY (day, provider, consumer)
                ) WITHOUT ROWID;

                CREATE TABLE quality (
                    id TEXT PRIMARY KEY NOT NULL,
                    dataset TEXT NOT NULL, provider TEXT NOT NULL, kind TEXT NOT NULL,
                    opened_at INTEGER NOT NULL, due_at INTEGER NOT NULL, resolved_at INTEGER
                ) WITHOUT ROWID;

                CREATE TABLE ratings (
                    case_id TEXT PRIMARY KEY NOT NULL,
                    unit TEXT NOT NULL,               -- the rated case's unit, from cases
                    level INTEGER NOT NULL, channel TEXT NOT NULL,
                    rated_at INTEGER NOT NULL, rectified_at INTEGER,
                    rectify_due INTEGER NOT NULL      -- 24:00 of the 15th working day after rated_at
                ) WITHOUT ROWID;
                -- Covering, partial indexes so that each rating figure reads only what it counts
                -- (the window's ratings; poor ones still open; poor ones due in the window), not
                -- every poor rating ever given.
                CREATE INDEX ratings_by_time ON ratings (rated_at, unit, level);
                CREATE INDEX ratings_poor_unrectified ON ratings (rated_at, unit) WHERE level <= 2 AND rectified_at IS NULL;
                CREATE INDEX ratings_poor_rectified ON ratings (rectified_at, rated_at, unit) WHERE level <= 2 AND rectified_at IS NOT NULL;
                CREATE INDEX ratings_poor_due ON ratings (rectify_due, unit, rectified_at) WHERE level <= 2;

                CREATE TABLE items (
                    department TEXT NOT NULL, item_code TEXT NOT NULL, item_name TEXT NOT NULL,
                    realised INTEGER NOT NULL, online INTEGER NOT NULL,
                    PRIMARY KEY (department, item_code)
                ) WITHOUT ROWID;

                CREATE TABLE series (
                    unit TEXT NOT NULL, metric TEXT NOT NULL, at INTEGER NOT NULL, value REAL NOT NULL,
                    PRIMARY KEY (unit, metric, at)
                ) WITHOUT ROWID;
                CREATE TABLE series_keys (
                    unit TEXT NOT NULL, metric TEXT NOT NULL, PRIMARY KEY (unit, metric)
                ) WITHOUT ROWID;

                -- case_rollup's key starts with the unit, so "open classes" and "completed between
                -- two days" scanned the whole roll-up (68k rows at 1M cases, growing with history).
                -- Keyed by class and day, both read only the rows they count.
                CREATE INDEX case_rollup_by_class ON case_rollup (k_class, k_day, unit, n, late);
                """)
        }
    }
}
