import CockpitCore
import GRDB
import GRDBSQLite

/// What cases add to (+1) or take from (−1) every case roll-up: the day roll-up, the abnormal
/// roll-up and the hourly ones (`CaseHourly`), keyed by the unit's index in a `UnitTable`.
/// `CasesConsumer` counts into one and writes it once per transaction; a bulk load's parsing
/// thread counts into its own, written once at the end (`CaseBulkIngest.swift`).
struct CaseCounts {
    struct RollupKey: Hashable { var unit: Int; var caseClass: Int; var day: Int32 }
    struct RollupDelta {
        var n = 0, late = 0, outside = 0
        mutating func add(n: Int, late: Int, outside: Int) { self.n += n; self.late += late; self.outside += outside }
    }
    struct AbnormalKey: Hashable { var unit: Int; var err: Bool; var flag: Bool; var stallDay: Int32; var latestDay: Int32 }

    private(set) var days: [RollupKey: RollupDelta] = [:]
    private(set) var abnormal: [AbnormalKey: Int] = [:]
    private(set) var hourly = CaseHourly()

    var isEmpty: Bool { days.isEmpty && abnormal.isEmpty && hourly.isEmpty }

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
        hourly.count(unit: unit, caseClass: caseClass, completedAt: completedAt, late: late != 0, errors: errors, flags: flags,
                     stallDay: stallDay, latestAt: latestAt, sign: sign)
        days[RollupKey(unit: unit, caseClass: caseClass, day: day), default: .init()].add(n: sign, late: late * sign, outside: outside * sign)
        abnormal[Self.abnormalKey(unit: unit, errors: errors, flags: flags, stallDay: stallDay, latestAt: latestAt), default: 0] += sign
    }

    static func abnormalKey(unit: Int, errors: Int, flags: Int, stallDay: Int32?, latestAt: Int64) -> AbnormalKey {
        // A static error counts whatever the moment: its days would only spread the roll-up.
        errors != 0
            ? AbnormalKey(unit: unit, err: true, flag: flags != 0, stallDay: 0, latestDay: 0)
            : AbnormalKey(unit: unit, err: false, flag: flags != 0, stallDay: stallDay ?? .max, latestDay: LocalTime.day(of: latestAt))
    }

    /// Adds `other` in (the larger of the two is kept and the smaller added to it).
    mutating func merge(_ other: CaseCounts) {
        var (big, small) = days.count + abnormal.count >= other.days.count + other.abnormal.count ? (self, other) : (other, self)
        for (k, d) in small.days { big.days[k, default: .init()].add(n: d.n, late: d.late, outside: d.outside) }
        for (k, n) in small.abnormal { big.abnormal[k, default: 0] += n }
        big.hourly.merge(small.hourly)
        small = CaseCounts()
        self = big
    }

    /// Writes the counts with the raw C API, in key order (the B-trees are written page after
    /// page), and empties them. Only a key whose count went down can have emptied: those are
    /// deleted when empty, rather than scanning the roll-ups (~70k rows each on 1M cases).
    mutating func flush(_ db: Database, units: UnitTable) throws {
        func run(_ sql: String, _ bind: (OpaquePointer) -> Void) throws {
            try CaseCounts.run(try db.cachedStatement(sql: sql).sqliteStatement, db, bind)
        }
        let upsertDay = try db.cachedStatement(sql: """
            INSERT INTO case_rollup (unit, k_class, k_day, n, late, outside_calendar) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(unit, k_class, k_day) DO UPDATE SET n = n + excluded.n, late = late + excluded.late,
                outside_calendar = outside_calendar + excluded.outside_calendar
            """).sqliteStatement
        let rank = units.rank
        for (k, d) in days.sorted(by: { (rank[$0.key.unit], $0.key.caseClass, $0.key.day) < (rank[$1.key.unit], $1.key.caseClass, $1.key.day) })
            where d.n != 0 || d.late != 0 || d.outside != 0 {
            let bindKey = { (st: OpaquePointer) in
                bindStatic(st, 1, units.bytes[k.unit]); sqlite3_bind_int64(st, 2, Int64(k.caseClass)); sqlite3_bind_int64(st, 3, Int64(k.day))
            }
            try Self.run(upsertDay, db) { st in
                bindKey(st); sqlite3_bind_int64(st, 4, Int64(d.n)); sqlite3_bind_int64(st, 5, Int64(d.late)); sqlite3_bind_int64(st, 6, Int64(d.outside))
            }
            if d.n <= 0 { try run("DELETE FROM case_rollup WHERE unit = ? AND k_class = ? AND k_day = ? AND n <= 0") { bindKey($0) } }
        }
        days.removeAll(keepingCapacity: true)

        func keyOrder(_ k: AbnormalKey) -> (Int, Int, Int, Int32, Int32) { (rank[k.unit], k.err ? 1 : 0, k.flag ? 1 : 0, k.stallDay, k.latestDay) }
        let upsertAbnormal = try db.cachedStatement(sql: """
            INSERT INTO case_abnormal_rollup (unit, err, flag, stall_day, latest_day, n) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(unit, err, flag, stall_day, latest_day) DO UPDATE SET n = n + excluded.n
            """).sqliteStatement
        for (k, n) in abnormal.sorted(by: { keyOrder($0.key) < keyOrder($1.key) }) where n != 0 {
            let bindKey = { (st: OpaquePointer) in
                bindStatic(st, 1, units.bytes[k.unit])
                sqlite3_bind_int64(st, 2, k.err ? 1 : 0)
                sqlite3_bind_int64(st, 3, k.flag ? 1 : 0)
                sqlite3_bind_int64(st, 4, Int64(k.stallDay))
                sqlite3_bind_int64(st, 5, Int64(k.latestDay))
            }
            try Self.run(upsertAbnormal, db) { st in bindKey(st); sqlite3_bind_int64(st, 6, Int64(n)) }
            if n < 0 {
                try run("DELETE FROM case_abnormal_rollup WHERE unit = ? AND err = ? AND flag = ? AND stall_day = ? AND latest_day = ? AND n <= 0") { bindKey($0) }
            }
        }
        abnormal.removeAll(keepingCapacity: true)
        try hourly.flush(db, units: units)
    }

    /// Binds, steps and resets a statement (prepared once per flush, not looked up per key).
    static func run(_ st: OpaquePointer, _ db: Database, _ bind: (OpaquePointer) -> Void) throws {
        bind(st)
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
    }
}
