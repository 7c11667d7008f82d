import CockpitCore
import GRDB

extension CockpitStore {
    /// Every unit's case figures as of `window.at`, each rolled up over its descendants.
    /// Reads only the roll-up table plus the cases completed in the window's partial days.
    public func caseFigures(tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        try database.read { db in
            let calendar = try Self.loadCalendar(db)
            let b = LightBoundaries(at: window.at, calendar: calendar)
            var leaf: [String: [Double]] = [:]   // open, overdue, warning, suspended, completed, late
            func add(_ unit: String, _ i: Int, _ v: Int) { leaf[unit, default: [0, 0, 0, 0, 0, 0]][i] += Double(v) }

            let open = try Row.fetchCursor(db, sql: """
                SELECT unit, k_class, sum(n) AS n,
                       sum(CASE WHEN k_day < ? THEN n ELSE 0 END) AS overdue,
                       sum(CASE WHEN k_day >= ? AND k_day <= ? THEN n ELSE 0 END) AS warning
                FROM case_rollup WHERE k_class IN (0, 1) GROUP BY unit, k_class
                """, arguments: [Int(b.firstNotOverdueDay), Int(b.firstNotOverdueDay), Int(b.lastWarningDay)])
            while let row = try open.next() {
                let unit: String = row[0], cls: Int = row[1], n: Int = row[2]
                add(unit, 0, n)
                if cls == Schema.CaseClass.running.rawValue {
                    add(unit, 1, row[3])
                    add(unit, 2, row[4])
                } else {
                    add(unit, 3, n)
                }
            }

            // Completed in [since, at]: whole days from the roll-up, the ragged ends from the cases.
            let since = min(window.since, window.at)
            let sinceDay = LocalTime.day(of: since), atDay = LocalTime.day(of: window.at)
            let fullFrom = LocalTime.startOf(day: sinceDay) == since ? sinceDay : sinceDay + 1
            let fullTo = atDay - 1
            var rawRanges: [(Int64, Int64)] = []
            if fullFrom <= fullTo {
                let done = try Row.fetchCursor(db, sql: """
                    SELECT unit, sum(n), sum(late) FROM case_rollup
                    WHERE k_class = 2 AND k_day BETWEEN ? AND ? GROUP BY unit
                    """, arguments: [Int(fullFrom), Int(fullTo)])
                while let row = try done.next() { add(row[0], 4, row[1]); add(row[0], 5, row[2]) }
                if fullFrom > sinceDay { rawRanges.append((since, LocalTime.startOf(day: fullFrom) - 1)) }
                rawRanges.append((LocalTime.startOf(day: atDay), window.at))
            } else {
                rawRanges.append((since, window.at))
            }
            for (from, to) in rawRanges where from <= to {
                let done = try Row.fetchCursor(db, sql: """
                    SELECT unit, count(*), sum(late) FROM cases
                    WHERE completed_at BETWEEN ? AND ? AND k_class = 2 GROUP BY unit
                    """, arguments: [from, to])
                while let row = try done.next() { add(row[0], 4, row[1]); add(row[0], 5, row[2]) }
            }

            // Roll up: each leaf's figures count for every unit on its path.
            var sums: [String: [Double]] = [:]
            for u in tree.units { sums[u.id] = [0, 0, 0, 0, 0, 0] }
            for (unit, v) in leaf {
                for u in tree.path(to: unit) {
                    for i in 0..<6 { sums[u.id]![i] += v[i] }
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
                WHERE unit IN (\(placeholders)) AND \(condition)
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
