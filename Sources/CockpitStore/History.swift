import CockpitCore
import Foundation
import GRDB
import GRDBSQLite

/// The width of a history bucket. Buckets start on whole minutes, hours and local (UTC+8) days.
public enum HistoryResolution: Int, CaseIterable, Sendable {
    case minute = 0, hour = 1, day = 2

    public var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .day: "day"
        }
    }

    public init?(name: String) {
        guard let r = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = r
    }

    public var seconds: Int64 {
        switch self {
        case .minute: 60
        case .hour: 3600
        case .day: LocalTime.secondsPerDay
        }
    }

    /// The start of the bucket holding `t`. UTC+8 has no DST and a whole-hour offset, so minutes
    /// and hours are plain multiples; days start at local midnight.
    public func bucketStart(_ t: Int64) -> Int64 {
        switch self {
        case .minute, .hour:
            let s = seconds
            return t >= 0 ? t / s * s : (t - s + 1) / s * s
        case .day:
            return LocalTime.startOfDay(containing: t)
        }
    }
}

/// How many buckets of each resolution are kept, counted back from the newest recorded moment
/// (the bucket holding it included). Stored in `meta` as `history.minutes_kept`, … .
public struct HistoryRetention: Sendable, Equatable {
    public var minutes: Int
    public var hours: Int
    public var days: Int

    /// A day of minutes, 90 days of hours, three years of days.
    public static let standard = HistoryRetention(minutes: 1440, hours: 2160, days: 1096)

    public init(minutes: Int, hours: Int, days: Int) {
        self.minutes = minutes
        self.hours = hours
        self.days = days
    }

    public func kept(_ r: HistoryResolution) -> Int {
        switch r {
        case .minute: minutes
        case .hour: hours
        case .day: days
        }
    }

    static func metaKey(_ r: HistoryResolution) -> String { "history.\(r.name)s_kept" }
    static let latestKey = "history.latest_at"

    /// The first bucket start of `r` still kept when `latest` is the newest recorded moment.
    func cutoff(_ r: HistoryResolution, latest: Int64) -> Int64 {
        r.bucketStart(latest) - Int64(max(1, kept(r)) - 1) * r.seconds
    }
}

public struct HistoryPoint: Sendable, Equatable {
    /// The start of the bucket.
    public var bucket: Int64
    public var value: Double
    public init(bucket: Int64, value: Double) {
        self.bucket = bucket
        self.value = value
    }
}

/// What one `recordHistory` call did and what it cost.
public struct HistoryWriteStats: Sendable {
    /// Unit × metric pairs with a value (nil figures record nothing).
    public var samples = 0
    /// Rows written over all resolutions.
    public var rowsWritten = 0
    /// Rows dropped by retention.
    public var rowsPruned = 0
    /// The finest resolution this moment was recorded at (nil: older than every retention).
    public var finest: HistoryResolution?
    /// Seconds spent computing the figures and inside the write transaction.
    public var figureSeconds = 0.0
    public var writeSeconds = 0.0
}

extension Schema {
    /// History of every figure of every unit, per bucket.
    ///
    /// `history_series` names each unit × metric once, so that the bucket rows carry a small integer.
    /// `history` is keyed (res, bucket, series): one recording appends a contiguous run of rows (a few
    /// pages, not one page per series), pruning deletes a contiguous range, and a reader walks the
    /// bucket starts of its range and seeks each one (the grid is regular, so it knows them).
    ///
    /// A minute row is one sample (`last`). An hour or day row is the down-sample of the minutes it
    /// holds: `sum` and `n` of the samples, and `last` with its time `last_at`. Stocks (levels as of
    /// a moment) read as the mean `sum / n`; flows (running totals and ratios over a window that
    /// restarts each day or month) read as `last`, the total as of the bucket's end, since a mean of
    /// running totals means nothing.
    static func registerHistory(_ m: inout DatabaseMigrator) {
        m.registerMigration("history buckets") { db in
            try db.execute(sql: """
                CREATE TABLE history_series (
                    id INTEGER PRIMARY KEY,
                    unit TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    mean INTEGER NOT NULL,      -- 1: coarse buckets read as the mean (stock); 0: the last sample (flow)
                    UNIQUE (unit, metric)
                );
                CREATE TABLE history (
                    res INTEGER NOT NULL,       -- 0 minute, 1 hour, 2 day
                    bucket INTEGER NOT NULL,    -- start of the bucket, Unix seconds
                    series INTEGER NOT NULL,
                    last REAL NOT NULL,         -- the latest sample in the bucket
                    sum REAL,                   -- hour and day rows: sum and count of their minute samples
                    n INTEGER,
                    last_at INTEGER,            -- hour and day rows: the minute of `last`
                    PRIMARY KEY (res, bucket, series)
                ) WITHOUT ROWID;
                """)
        }
    }
}

/// A bucket's samples: the part of a row that down-sampling adds up.
struct HistoryAggregate: Equatable {
    var sum: Double
    var n: Int64
    var last: Double
    var lastAt: Int64

    /// Replaces the contribution `old` of one finer bucket (nil: it had none) with `new`.
    /// Finer buckets nest in coarser ones, so if `old` gave this bucket its latest sample, no other
    /// finer bucket is later and `new` gives the latest sample now, whatever its time.
    func replacing(_ old: HistoryAggregate?, with new: HistoryAggregate) -> HistoryAggregate {
        var out = self
        out.sum += new.sum - (old?.sum ?? 0)
        out.n += new.n - (old?.n ?? 0)
        if new.lastAt >= lastAt || old?.lastAt == lastAt {
            out.last = new.last
            out.lastAt = new.lastAt
        }
        // A row that lost samples it never had (a store edited by hand) starts again from `new`.
        return out.n > 0 ? out : new
    }
}

extension CockpitStore {
    // MARK: retention

    public func historyRetention() throws -> HistoryRetention {
        try database.read { try Self.historyRetention($0) }
    }

    static func historyRetention(_ db: Database) throws -> HistoryRetention {
        var r = HistoryRetention.standard
        func read(_ res: HistoryResolution) throws -> Int? {
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [HistoryRetention.metaKey(res)])
                .flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        }
        r.minutes = try read(.minute) ?? r.minutes
        r.hours = try read(.hour) ?? r.hours
        r.days = try read(.day) ?? r.days
        return r
    }

    /// Stores the retention and prunes what falls outside it now.
    public func setHistoryRetention(_ r: HistoryRetention) throws {
        for res in HistoryResolution.allCases where r.kept(res) < 1 {
            throw StoreError("history retention: \(res.name)s kept must be at least 1, not \(r.kept(res))")
        }
        try database.write { db in
            for res in HistoryResolution.allCases {
                try Self.setMeta(db, HistoryRetention.metaKey(res), String(r.kept(res)))
            }
            if let latest = try Self.historyLatest(db) { _ = try Self.pruneHistory(db, retention: r, latest: latest) }
        }
    }

    /// The newest moment recorded into history, if any.
    public func historyLatest() throws -> Int64? {
        try database.read { try Self.historyLatest($0) }
    }

    static func historyLatest(_ db: Database) throws -> Int64? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [HistoryRetention.latestKey]).flatMap { Int64($0) }
    }

    static func pruneHistory(_ db: Database, retention: HistoryRetention, latest: Int64) throws -> Int {
        var pruned = 0
        for res in HistoryResolution.allCases {
            try db.execute(sql: "DELETE FROM history WHERE res = ? AND bucket < ?",
                           arguments: [res.rawValue, retention.cutoff(res, latest: latest)])
            pruned += db.changesCount
        }
        return pruned
    }

    // MARK: writing

    /// Computes every figure of every unit as of `at` (`figures(tree:window:)`, the default window)
    /// and records it into the minute, hour and day buckets holding `at`.
    @discardableResult
    public func recordHistory(tree: OrgTree, at: Int64) throws -> HistoryWriteStats {
        let started = Date()
        let all = try figures(tree: tree, window: FigureWindow(at: at))
        var stats = try writeHistory(all, at: at)
        stats.figureSeconds = Date().timeIntervalSince(started) - stats.writeSeconds
        return stats
    }

    /// Records figures already computed as of `at`, in one transaction: the minute bucket (last
    /// write wins), the hour and day buckets down-sampled from it, then pruning beyond retention.
    ///
    /// A moment older than the kept minutes (a backfill of last month) is recorded at the finest
    /// resolution still kept there, and replaces that bucket's samples: the detail that made it
    /// is gone, and adding to it would count the same moment twice on a second backfill.
    @discardableResult
    public func writeHistory(_ figures: [String: Figures], at: Int64) throws -> HistoryWriteStats {
        let started = Date()
        var stats = HistoryWriteStats()
        try database.write { db in
            let retention = try Self.historyRetention(db)
            let latest = max(try Self.historyLatest(db) ?? at, at)
            guard let finest = HistoryResolution.allCases.first(where: {
                $0.bucketStart(at) >= retention.cutoff($0, latest: latest)
            }) else { return }
            stats.finest = finest
            let levels = HistoryResolution.allCases.filter { $0.rawValue >= finest.rawValue }
            let minute = HistoryResolution.minute.bucketStart(at)

            let series = try Self.historySeries(db, for: figures)
            // What the buckets of this moment hold already (raw C API: thousands of rows a minute).
            var existing: [HistoryResolution: [Int64: HistoryAggregate]] = [:]
            var select: OpaquePointer?
            guard sqlite3_prepare_v2(db.sqliteConnection, "SELECT series, last, sum, n, last_at FROM history WHERE res = ? AND bucket = ?",
                                     -1, &select, nil) == SQLITE_OK, let sel = select else {
                throw StoreError("history: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
            defer { sqlite3_finalize(sel) }
            for res in levels {
                var rows: [Int64: HistoryAggregate] = [:]
                rows.reserveCapacity(series.count)
                sqlite3_bind_int64(sel, 1, Int64(res.rawValue))
                sqlite3_bind_int64(sel, 2, res.bucketStart(at))
                while sqlite3_step(sel) == SQLITE_ROW {
                    let last = sqlite3_column_double(sel, 1)
                    let single = sqlite3_column_type(sel, 3) == SQLITE_NULL
                    rows[sqlite3_column_int64(sel, 0)] = HistoryAggregate(
                        sum: single ? last : sqlite3_column_double(sel, 2), n: single ? 1 : sqlite3_column_int64(sel, 3),
                        last: last, lastAt: single ? res.bucketStart(at) : sqlite3_column_int64(sel, 4))
                }
                sqlite3_reset(sel)
                existing[res] = rows
            }

            func prepare(_ sql: String) throws -> OpaquePointer {
                var statement: OpaquePointer?
                guard sqlite3_prepare_v2(db.sqliteConnection, sql, -1, &statement, nil) == SQLITE_OK, let st = statement else {
                    throw StoreError("history: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                }
                return st
            }
            let insert = try prepare("INSERT INTO history (last, sum, n, last_at, res, bucket, series) VALUES (?, ?, ?, ?, ?, ?, ?)")
            defer { sqlite3_finalize(insert) }
            let update = try prepare("UPDATE history SET last = ?, sum = ?, n = ?, last_at = ? WHERE res = ? AND bucket = ? AND series = ?")
            defer { sqlite3_finalize(update) }
            func put(_ res: HistoryResolution, _ id: Int64, _ a: HistoryAggregate, exists: Bool) throws {
                let st = exists ? update : insert
                sqlite3_bind_double(st, 1, a.last)
                if res == .minute {
                    // One sample: sum, n and last_at are implied; NULLs take no room in 1440 × units × metrics rows.
                    sqlite3_bind_null(st, 2); sqlite3_bind_null(st, 3); sqlite3_bind_null(st, 4)
                } else {
                    sqlite3_bind_double(st, 2, a.sum)
                    sqlite3_bind_int64(st, 3, a.n)
                    sqlite3_bind_int64(st, 4, a.lastAt)
                }
                sqlite3_bind_int64(st, 5, Int64(res.rawValue))
                sqlite3_bind_int64(st, 6, res.bucketStart(at))
                sqlite3_bind_int64(st, 7, id)
                let rc = sqlite3_step(st)
                sqlite3_reset(st)
                guard rc == SQLITE_DONE else {
                    throw StoreError("history: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                }
                stats.rowsWritten += 1
            }

            // Samples in series order, so that each level's rows go into its bucket's key range in order.
            var samples: [(id: Int64, value: Double)] = []
            samples.reserveCapacity(series.count)
            for (unit, f) in figures {
                for (metric, value) in f.values where value.isFinite {
                    if let id = series[SeriesKey(unit: unit, metric: metric)] { samples.append((id, value)) }
                }
            }
            samples.sort { $0.id < $1.id }
            stats.samples = samples.count

            // The finest level takes each sample in place of what it held; each coarser level swaps
            // the finer row's old contribution for its new one.
            var old: [HistoryAggregate?] = samples.map { existing[finest]?[$0.id] }
            var new = samples.map { HistoryAggregate(sum: $0.value, n: 1, last: $0.value, lastAt: minute) }
            for (i, s) in samples.enumerated() { try put(finest, s.id, new[i], exists: old[i] != nil) }
            for res in levels.dropFirst() {
                for (i, s) in samples.enumerated() {
                    let before = existing[res]?[s.id]
                    let after = before?.replacing(old[i], with: new[i]) ?? new[i]
                    try put(res, s.id, after, exists: before != nil)
                    old[i] = before
                    new[i] = after
                }
            }

            stats.rowsPruned = try Self.pruneHistory(db, retention: retention, latest: latest)
            try Self.setMeta(db, HistoryRetention.latestKey, String(latest))
        }
        stats.writeSeconds = Date().timeIntervalSince(started)
        return stats
    }

    struct SeriesKey: Hashable {
        var unit: String
        var metric: String
    }

    /// The ids of every unit × metric in `figures`, naming the new ones.
    static func historySeries(_ db: Database, for figures: [String: Figures]) throws -> [SeriesKey: Int64] {
        var ids: [SeriesKey: Int64] = [:]
        var select: OpaquePointer?
        guard sqlite3_prepare_v2(db.sqliteConnection, "SELECT id, unit, metric FROM history_series", -1, &select, nil) == SQLITE_OK,
              let sel = select else {
            throw StoreError("history: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
        defer { sqlite3_finalize(sel) }
        while sqlite3_step(sel) == SQLITE_ROW {
            ids[SeriesKey(unit: String(cString: sqlite3_column_text(sel, 1)), metric: String(cString: sqlite3_column_text(sel, 2)))]
                = sqlite3_column_int64(sel, 0)
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO history_series (unit, metric, mean) VALUES (?, ?, ?)")
        for (unit, f) in figures {
            for metric in f.values.keys where ids[SeriesKey(unit: unit, metric: metric)] == nil {
                try insert.execute(arguments: [unit, metric, MetricKind.of(metric) == .stock ? 1 : 0])
                ids[SeriesKey(unit: unit, metric: metric)] = db.lastInsertedRowID
            }
        }
        return ids
    }

    /// Records the figures as of `from`, `from + step`, … up to `to` (time is a parameter, so the
    /// past can be replayed), each moment its own transaction. Returns how many moments were recorded.
    @discardableResult
    public func backfillHistory(tree: OrgTree, from: Int64, to: Int64, step: Int64,
                                progress: ((Int64, HistoryWriteStats) -> Void)? = nil) throws -> Int {
        guard step > 0 else { throw StoreError("history backfill: the step must be positive") }
        guard from <= to else { throw StoreError("history backfill: --from is after --to") }
        var t = from
        var moments = 0
        while t <= to {
            let stats = try recordHistory(tree: tree, at: t)
            moments += 1
            progress?(t, stats)
            t += step
        }
        return moments
    }

    // MARK: reading

    /// The buckets of one unit's metric whose start lies in the buckets from `from` to `to`
    /// (the bucket holding `from` included), oldest first. Buckets without a sample are left out.
    public func history(unit: String, metric: String, from: Int64, to: Int64,
                        resolution: HistoryResolution) throws -> [HistoryPoint] {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, mean FROM history_series WHERE unit = ? AND metric = ?",
                                             arguments: [unit, metric]) else { return [] }
            let id: Int64 = row[0], mean: Bool = row[1]
            let first = resolution.bucketStart(from)
            guard first <= to else { return [] }
            let count = (to - first) / resolution.seconds + 1
            let columns = "h.bucket, h.last, h.sum, h.n"
            let sql: String
            let args: StatementArguments
            if count <= 100_000 {
                // Seek each bucket start of the grid: cheap however many other series share the buckets.
                sql = """
                    WITH RECURSIVE grid(b) AS (SELECT ? UNION ALL SELECT b + ? FROM grid WHERE b + ? <= ?)
                    SELECT \(columns) FROM grid JOIN history h ON h.res = ? AND h.bucket = grid.b AND h.series = ?
                    """
                args = [first, resolution.seconds, resolution.seconds, to, resolution.rawValue, id]
            } else {
                sql = "SELECT \(columns) FROM history h WHERE h.res = ? AND h.bucket BETWEEN ? AND ? AND h.series = ? ORDER BY h.bucket"
                args = [resolution.rawValue, first, to, id]
            }
            // The grid comes out in order; sorting here (a no-op pass) saves SQLite a temporary B-tree.
            return try Row.fetchAll(db, sql: sql, arguments: args).map { Self.point($0, mean: mean) }.sorted { $0.bucket < $1.bucket }
        }
    }

    /// The bucket just before the one holding `at`, for a KPI's "vs previous bucket"; nil when that
    /// bucket has no sample.
    public func previousBucketValue(unit: String, metric: String, at: Int64,
                                    resolution: HistoryResolution) throws -> HistoryPoint? {
        try database.read { db in
            let bucket = resolution.bucketStart(resolution.bucketStart(at) - 1)
            return try Row.fetchOne(db, sql: """
                SELECT h.bucket, h.last, h.sum, h.n, s.mean FROM history_series s
                JOIN history h ON h.res = ? AND h.bucket = ? AND h.series = s.id
                WHERE s.unit = ? AND s.metric = ?
                """, arguments: [resolution.rawValue, bucket, unit, metric]).map { Self.point($0, mean: $0[4]) }
        }
    }

    /// The metrics with history for `unit`, by name.
    public func historyMetrics(unit: String) throws -> [String] {
        try database.read { try String.fetchAll($0, sql: "SELECT metric FROM history_series WHERE unit = ? ORDER BY metric", arguments: [unit]) }
    }

    /// Whether coarse buckets of `metric` read as the mean of their samples (stock) or the last (flow).
    public static func historyReadsMean(_ metric: String) -> Bool { MetricKind.of(metric) == .stock }

    /// Rows per resolution, for reports on the store's size.
    public func historyRowCounts() throws -> [HistoryResolution: Int] {
        try database.read { db in
            var out: [HistoryResolution: Int] = [:]
            for r in HistoryResolution.allCases {
                out[r] = try Int.fetchOne(db, sql: "SELECT count(*) FROM history WHERE res = ?", arguments: [r.rawValue]) ?? 0
            }
            return out
        }
    }

    static func point(_ row: Row, mean: Bool) -> HistoryPoint {
        let last: Double = row[1]
        guard mean, let n: Int64 = row[3], n > 0 else { return HistoryPoint(bucket: row[0], value: last) }
        let sum: Double = row[2]
        return HistoryPoint(bucket: row[0], value: sum / Double(n))
    }
}
