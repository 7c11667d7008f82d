import CockpitCore
import GRDB

extension Schema {
    /// Roll-ups of evaluations per unit and day, and per unit and hour, so that the rating figures
    /// read whole days and hours from them and only the partial hours at a window's ends from
    /// `ratings` (the raw table grows with the cases: about one rating for ten cases).
    /// Each column counts at its own time: `rated` and `poor` at rated_at; `rectified` (poor ones)
    /// at rectified_at; `due_late` (poor ones not rectified by their due time) at rectify_due.
    /// `rating_total` holds each unit's poor and rectified ratings of all time, so that the stock
    /// `rating.poor_open` as of `at` is the totals minus what lies after `at`.
    static func registerRatingRollup(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3 rating roll-ups") { db in
            try db.execute(sql: """
                CREATE TABLE rating_day (
                    day INTEGER NOT NULL, unit TEXT NOT NULL,
                    rated INTEGER NOT NULL, poor INTEGER NOT NULL, rectified INTEGER NOT NULL, due_late INTEGER NOT NULL,
                    PRIMARY KEY (day, unit)
                ) WITHOUT ROWID;
                CREATE TABLE rating_hour (
                    hour INTEGER NOT NULL, unit TEXT NOT NULL,
                    rated INTEGER NOT NULL, poor INTEGER NOT NULL, rectified INTEGER NOT NULL, due_late INTEGER NOT NULL,
                    PRIMARY KEY (hour, unit)
                ) WITHOUT ROWID;
                CREATE TABLE rating_total (
                    unit TEXT PRIMARY KEY NOT NULL, poor INTEGER NOT NULL, rectified INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
            try RatingRollup.rebuild(db)
        }
    }
}

/// One rating as the roll-ups count it.
struct RatingFacts {
    var unit: String
    var level: Int
    var ratedAt: Int64
    var rectifiedAt: Int64?
    var rectifyDue: Int64

    var poor: Bool { level <= 2 }
    var late: Bool { poor && (rectifiedAt.map { $0 > rectifyDue } ?? true) }
}

/// The rating roll-ups' deltas of one ingest batch (+1 for a rating stored, −1 for the one it
/// replaces), flushed once per batch.
struct RatingRollup {
    private struct Key: Hashable { var unit: String; var at: Int64 }
    /// rated, poor, rectified, due_late
    private var days: [Key: [Int]] = [:]
    private var hours: [Key: [Int]] = [:]
    private var totals: [String: [Int]] = [:]

    mutating func count(_ r: RatingFacts, sign: Int) {
        func add(_ t: Int64, _ column: Int) {
            days[Key(unit: r.unit, at: Int64(LocalTime.day(of: t))), default: [0, 0, 0, 0]][column] += sign
            hours[Key(unit: r.unit, at: WindowHours.hour(of: t)), default: [0, 0, 0, 0]][column] += sign
        }
        add(r.ratedAt, 0)
        guard r.poor else { return }
        add(r.ratedAt, 1)
        totals[r.unit, default: [0, 0]][0] += sign
        if let fixed = r.rectifiedAt {
            add(fixed, 2)
            totals[r.unit, default: [0, 0]][1] += sign
        }
        if r.late { add(r.rectifyDue, 3) }
    }

    mutating func flush(_ db: Database) throws {
        for (table, key, deltas) in [("rating_day", "day", days), ("rating_hour", "hour", hours)] {
            let up = try db.cachedStatement(sql: """
                INSERT INTO \(table) (\(key), unit, rated, poor, rectified, due_late) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(\(key), unit) DO UPDATE SET rated = rated + excluded.rated, poor = poor + excluded.poor,
                    rectified = rectified + excluded.rectified, due_late = due_late + excluded.due_late
                """)
            for (k, d) in deltas where d != [0, 0, 0, 0] {
                try up.execute(arguments: [k.at, k.unit, d[0], d[1], d[2], d[3]])
                if d.contains(where: { $0 < 0 }) {
                    try db.cachedStatement(sql: """
                        DELETE FROM \(table) WHERE \(key) = ? AND unit = ? AND rated <= 0 AND poor <= 0 AND rectified <= 0 AND due_late <= 0
                        """).execute(arguments: [k.at, k.unit])
                }
            }
        }
        let total = try db.cachedStatement(sql: """
            INSERT INTO rating_total (unit, poor, rectified) VALUES (?, ?, ?)
            ON CONFLICT(unit) DO UPDATE SET poor = poor + excluded.poor, rectified = rectified + excluded.rectified
            """)
        for (unit, d) in totals where d != [0, 0] { try total.execute(arguments: [unit, d[0], d[1]]) }
        days.removeAll(keepingCapacity: true)
        hours.removeAll(keepingCapacity: true)
        totals.removeAll(keepingCapacity: true)
    }

    /// Recounts every roll-up from `ratings` (the migration of an existing store).
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM rating_day; DELETE FROM rating_hour; DELETE FROM rating_total")
        var all = RatingRollup()
        let rows = try Row.fetchCursor(db, sql: "SELECT unit, level, rated_at, rectified_at, rectify_due FROM ratings")
        while let r = try rows.next() {
            all.count(RatingFacts(unit: r[0], level: r[1], ratedAt: r[2], rectifiedAt: r[3], rectifyDue: r[4]), sign: 1)
        }
        try all.flush(db)
    }
}

extension CockpitStore {
    /// Per unit (leaves, before rolling up): rated and poor in [since, at], poor still open as of
    /// `at`, poor ones whose rectification fell due in [since, at) and was late.
    static func ratingLeaves(_ db: Database, window: FigureWindow) throws -> [String: [Int]] {
        var leaves: [String: [Int]] = [:]
        func add(_ unit: String, _ i: Int, _ v: Int) { leaves[unit, default: [0, 0, 0, 0]][i] += v }
        let since = min(window.since, window.at), at = window.at

        /// Sums of `columns` over a split window: days and hours from the roll-ups, the partial
        /// hours from `ratings` by `rawSQL` (given the range's two ends).
        func sum(_ split: WindowHours, columns: [String], raw rawSQL: String, into slots: [Int], sign: Int = 1) throws {
            let sums = columns.map { "sum(\($0))" }.joined(separator: ", ")
            var queries: [(String, StatementArguments)] = []
            if let d = split.days {
                queries.append(("SELECT unit, \(sums) FROM rating_day WHERE day BETWEEN ? AND ? GROUP BY unit", [Int(d.lowerBound), Int(d.upperBound)]))
            }
            for h in split.hours {
                queries.append(("SELECT unit, \(sums) FROM rating_hour WHERE hour BETWEEN ? AND ? GROUP BY unit", [h.lowerBound, h.upperBound]))
            }
            for r in split.raw { queries.append((rawSQL, [r.lowerBound, r.upperBound])) }
            for (sql, args) in queries {
                let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
                while let r = try rows.next() {
                    for (i, slot) in slots.enumerated() { add(r[0], slot, sign * (r[i + 1] as Int)) }
                }
            }
        }

        try sum(WindowHours(since: since, at: at), columns: ["rated", "poor"],
                raw: "SELECT unit, count(*), sum(level <= 2) FROM ratings WHERE rated_at BETWEEN ? AND ? GROUP BY unit", into: [0, 1])
        if since < at {
            try sum(WindowHours(since: since, at: at - 1), columns: ["due_late"], raw: """
                SELECT unit, count(*) FROM ratings
                WHERE level <= 2 AND rectify_due BETWEEN ? AND ? AND (rectified_at IS NULL OR rectified_at > rectify_due) GROUP BY unit
                """, into: [3])
        }
        // Open as of at = poor rated by at − poor rectified by at (a rectification never precedes
        // its rating) = the totals minus what lies after at: the rest of at's hour raw, the rest of
        // its day by hours, later days by days (nothing at all when at is now).
        let totals = try Row.fetchCursor(db, sql: "SELECT unit, poor - rectified FROM rating_total")
        while let r = try totals.next() { add(r[0], 2, r[1]) }
        let atDay = LocalTime.day(of: at), atHour = WindowHours.hour(of: at), lastHourOfDay = Int64(atDay) * 24 + 15
        var after: [(String, StatementArguments)] = [
            ("SELECT unit, sum(poor) - sum(rectified) FROM rating_day WHERE day > ? GROUP BY unit", [Int(atDay)]),
            ("""
             SELECT unit, sum(k) FROM (
                 SELECT unit, 1 AS k FROM ratings WHERE level <= 2 AND rated_at > :at AND rated_at <= :end
                 UNION ALL
                 SELECT unit, -1 FROM ratings
                 WHERE level <= 2 AND rectified_at IS NOT NULL AND rectified_at > :at AND rectified_at <= :end
             ) GROUP BY unit
             """, ["at": at, "end": (atHour + 1) * WindowHours.hour - 1]),
        ]
        if atHour < lastHourOfDay {
            after.append(("SELECT unit, sum(poor) - sum(rectified) FROM rating_hour WHERE hour BETWEEN ? AND ? GROUP BY unit",
                          [atHour + 1, lastHourOfDay]))
        }
        for (sql, args) in after {
            let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let r = try rows.next() { add(r[0], 2, -(r[1] as Int)) }
        }
        return leaves
    }
}
