import CockpitCore
import GRDB

extension CockpitStore {
    /// Every unit's case figures as of `window.at`, each rolled up over its descendants.
    /// Reads roll-ups only: whole days from the day roll-ups, the ragged ends (at most two days) from
    /// the times of cases within their day (`CaseTimes`).
    public func caseFigures(tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        try database.read { db in try Self.caseFigures(db, tree: tree, window: window) }
    }

    static func caseFigures(_ db: Database, tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        do {
            let calendar = try Self.loadCalendar(db)
            let b = LightBoundaries(at: window.at, calendar: calendar)
            var leaf: [String: [Double]] = [:]   // open, overdue, warning, suspended, completed, late, abnormal, flagged
            func add(_ unit: String, _ i: Int, _ v: Int) { leaf[unit, default: [0, 0, 0, 0, 0, 0, 0, 0]][i] += Double(v) }

            // Open and suspended from the per-unit totals; overdue = running − running whose deadline
            // day is not yet over (only the days ahead are read), warning among those.
            let totals = try Row.fetchCursor(db, sql: "SELECT unit, running, suspended, stall_keyed FROM case_unit_totals")
            var stallKeyed: [String: Int] = [:]
            while let row = try totals.next() {
                let unit: String = row[0], running: Int = row[1], suspended: Int = row[2]
                add(unit, 0, running + suspended)
                add(unit, 1, running)
                add(unit, 3, suspended)
                stallKeyed[unit] = row[3]
            }
            let ahead = try Row.fetchCursor(db, sql: """
                SELECT unit, sum(n), sum(CASE WHEN k_day <= ? THEN n ELSE 0 END)
                FROM case_rollup WHERE k_class = 0 AND k_day >= ? GROUP BY unit
                """, arguments: [Int(b.lastWarningDay), Int(b.firstNotOverdueDay)])
            while let row = try ahead.next() {
                add(row[0], 1, -(row[1] as Int))
                add(row[0], 2, row[2])
            }

            // Completed in [since, at]: whole days from the day roll-up, the ragged ends from the
            // completion times of their days.
            let split = WindowDays(since: window.since, at: window.at)
            if let full = split.fullDays {
                let done = try Row.fetchCursor(db, sql: """
                    SELECT unit, sum(n), sum(late) FROM case_rollup
                    WHERE k_class = 2 AND k_day BETWEEN ? AND ? GROUP BY unit
                    """, arguments: [Int(full.lowerBound), Int(full.upperBound)])
                while let row = try done.next() { add(row[0], 4, row[1]); add(row[0], 5, row[2]) }
            }
            for piece in CaseTimes.dayPieces(split.rawRanges) {
                for u in try CaseTimes.completed(db, day: piece.day, from: piece.from, to: piece.to) { add(u.unit, 4, u.n); add(u.unit, 5, u.late) }
            }

            // Abnormal as of `at`: static errors whatever the moment; else stalled (the stall day is
            // over) or a time after `at` (a later day from the day roll-up, the rest of `at`'s own day
            // from the latest times of that day).
            let lastDayBefore = LocalTime.day(of: window.at - 1), atDay2 = LocalTime.day(of: window.at)
            // Stalled = stall-keyed − those whose stall day is not yet over (the days ahead).
            for (unit, n) in stallKeyed { add(unit, 6, n) }
            for (sql, args, sign) in [
                ("err = 1", StatementArguments(), 1),
                ("err = 0 AND stall_day >= ? AND stall_day < \(CaseCounts.notOpen)", [Int(lastDayBefore)] as StatementArguments, -1),
                // (+stall_day: through the index on latest_day, only the days ahead, not the stall index)
                ("err = 0 AND latest_day > ? AND +stall_day >= ?", [Int(atDay2), Int(lastDayBefore)] as StatementArguments, 1),
            ] {
                let rows = try Row.fetchCursor(db, sql: "SELECT unit, sum(n) FROM case_abnormal_rollup WHERE \(sql) GROUP BY unit", arguments: args)
                while let row = try rows.next() { add(row[0], 6, sign * (row[1] as Int)) }
            }
            for u in try CaseTimes.latestAfter(db, day: atDay2, second: CaseTimes.second(of: window.at), stallFrom: lastDayBefore) {
                add(u.unit, 6, u.n)
            }
            let flagged = try Row.fetchCursor(db, sql: "SELECT unit, n FROM case_flagged")
            while let row = try flagged.next() { add(row[0], 7, row[1]) }

            // Roll up: each leaf's figures count for every unit on its path.
            var sums: [String: [Double]] = [:]
            for u in tree.units { sums[u.id] = [0, 0, 0, 0, 0, 0, 0, 0] }
            for (unit, v) in leaf {
                for u in tree.path(to: unit) {
                    for i in 0..<8 { sums[u.id]![i] += v[i] }
                }
            }
            var out: [String: Figures] = [:]
            for (unit, v) in sums {
                var f = Figures()
                f[Metric.casesOpen] = v[0]
                f[Metric.casesOverdue] = v[1]
                f[Metric.casesWarning] = v[2]
                f[Metric.casesSuspended] = v[3]
                f[Metric.casesCompleted] = v[4]
                f[Metric.casesCompletedOverdue] = v[5]
                f[Metric.casesOnTimeRate] = v[4] > 0 ? (v[4] - v[5]) / v[4] : nil
                f[Metric.casesAbnormal] = v[6]
                f[Metric.casesFlagged] = v[7]
                out[unit] = f
            }
            return out
        }
    }

    /// The open cases under `unit` with the given light as of `at`, most overdue first.
    public func cases(under unit: String, tree: OrgTree, light: CaseLight, at: Int64, limit: Int = 200) throws -> [CaseListItem] {
        let units = tree.subtree(of: unit).map(\.id)
        guard !units.isEmpty else { return [] }
        return try database.read { db in
            let b = LightBoundaries(at: at, calendar: try Self.loadCalendar(db))
            let placeholders = units.map { _ in "?" }.joined(separator: ",")
            var args = StatementArguments(units)
            let condition: String
            switch light {
            case .red:
                condition = "k_class = 0 AND k_day < ?"
                args += [Int(b.firstNotOverdueDay)]
            case .yellow:
                condition = "k_class = 0 AND k_day BETWEEN ? AND ?"
                args += [Int(b.firstNotOverdueDay), Int(b.lastWarningDay)]
            case .green:
                condition = "k_class = 0 AND k_day > ?"
                args += [Int(b.lastWarningDay)]
            case .grey:
                condition = "k_class = 1"
            case .closed:
                condition = "k_class IN (2, 3)"
            }
            args += [limit]
            return try Row.fetchAll(db, sql: """
                SELECT id, unit, department, item_code, item_name, accepted_at, deadline, status FROM cases
                WHERE unit IN (\(placeholders)) AND \(condition)\(light == .closed ? "" : " AND k_class IN (0, 1)")
                ORDER BY deadline, id LIMIT ?
                """, arguments: args).map { row in
                let deadline: Int64 = row["deadline"]
                return CaseListItem(id: row["id"], unit: row["unit"], department: row["department"],
                                    itemCode: row["item_code"], itemName: row["item_name"], acceptedAt: row["accepted_at"],
                                    deadline: deadline, status: row["status"],
                                    daysOver: CaseRules.daysOver(deadlineInstant: deadline, at: at))
            }
        }
    }

    /// How many stored cases have a deadline that used days outside the calendar's years.
    public func casesOutsideCalendar() throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "SELECT coalesce(sum(outside_calendar), 0) FROM case_rollup WHERE k_class IN (0, 1)") ?? 0 }
    }
}

/// A case as stored, its pushes and its findings as of a moment: the proof behind `cases.abnormal`.
public struct CaseDetail: Sendable {
    public var item: CaseListItem
    public var current: ServiceCase
    public var pushedAt: Int64
    /// Every push, oldest first (a case pushed once has one).
    public var pushes: [CasePush]
    public var findings: [CaseFinding]
}

extension CockpitStore {
    /// The cases under `unit` with an error-level finding as of `at` (the cases behind
    /// `cases.abnormal`), most overdue first, each with its findings. `flagged: true` lists the
    /// cases behind `cases.flagged` instead.
    public func abnormalCases(under unit: String, tree: OrgTree, at: Int64, flagged: Bool = false, limit: Int = 200) throws -> [CaseDetail] {
        let units = tree.subtree(of: unit).map(\.id)
        guard !units.isEmpty else { return [] }
        return try database.read { db in
            let calendar = try Self.loadCalendar(db)
            let placeholders = units.map { _ in "?" }.joined(separator: ",")
            var args = StatementArguments(units)
            let condition: String
            if flagged {
                condition = "flags != 0"
            } else {
                condition = "(abn != 0 OR stall_day < ? OR latest_at > ?)"
                args += [Int(LocalTime.day(of: at - 1)), at]
            }
            args += [limit]
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM cases WHERE unit IN (\(placeholders)) AND \(condition) ORDER BY deadline, id LIMIT ?
                """, arguments: args)
            return try ids.compactMap { try Self.caseDetail(id: $0, at: at, calendar: calendar, db: db) }
        }
    }

    /// One case with its pushes and findings as of `at`; nil when no such id is stored.
    public func caseDetail(id: String, at: Int64) throws -> CaseDetail? {
        try database.read { db in try Self.caseDetail(id: id, at: at, calendar: try Self.loadCalendar(db), db: db) }
    }

    static func caseDetail(id: String, at: Int64, calendar: WorkCalendar, db: Database) throws -> CaseDetail? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE id = ?", arguments: [id]) else { return nil }
        let c = ServiceCase(id: row["id"], unit: row["unit"], department: row["department"], itemCode: row["item_code"],
                            itemName: row["item_name"], channel: ServiceCase.Channel(rawValue: row["channel"]) ?? .hall,
                            acceptedAt: row["accepted_at"], promisedDays: row["promised_days"],
                            status: ServiceCase.Status(rawValue: row["status"]) ?? .accepted, completedAt: row["completed_at"],
                            suspensions: (try? ServiceCase.Suspension.parseList(row["suspensions"]).get()) ?? [])
        var pushes = try pushes(of: id, db: db)
        if pushes.isEmpty {
            pushes = [CasePush(pushedAt: row["pushed_at"], status: c.status, unit: c.unit, department: c.department,
                               source: row["source"], line: row["line"])]
        }
        let deadline: Int64 = row["deadline"]
        let item = CaseListItem(id: c.id, unit: c.unit, department: c.department, itemCode: c.itemCode, itemName: c.itemName,
                                acceptedAt: c.acceptedAt, deadline: deadline, status: c.status.rawValue,
                                daysOver: c.status.isOpen && c.status != .suspended ? CaseRules.daysOver(deadlineInstant: deadline, at: at) : 0)
        return CaseDetail(item: item, current: c, pushedAt: row["pushed_at"], pushes: pushes,
                          findings: CaseAbnormal.findings(current: c, pushes: pushes, at: at, calendar: calendar))
    }
}
