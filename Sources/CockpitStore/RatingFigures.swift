import CockpitCore
import GRDB

/// Evaluation figures per unit (the rated case's unit), rolled up, over the cases' window
/// [since, at]: count and poor (level 1–2) rated in it; rectify_late = poor ratings whose
/// rectification was due (24:00 of the 15th working day after rating) in [since, at) and that were
/// not rectified by then. poor_open is a stock: poor ratings not rectified as of `at`.
extension CockpitStore {
    static func ratingFigures(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        var leaves: [String: [Int]] = [:]
        func add(_ unit: String, _ i: Int, _ v: Int) { leaves[unit, default: [0, 0, 0, 0]][i] += v }
        let since = min(window.since, window.at)
        let flow = try Row.fetchCursor(db, sql: """
            SELECT unit, count(*), sum(level <= 2) FROM ratings WHERE rated_at BETWEEN ? AND ? GROUP BY unit
            """, arguments: [since, window.at])
        while let r = try flow.next() { add(r[0], 0, r[1]); add(r[0], 1, r[2]) }
        // Open as of at: never rectified, or rectified only after at (each through its partial index).
        let open = try Row.fetchCursor(db, sql: """
            SELECT unit, count(*) FROM (
                SELECT unit FROM ratings WHERE level <= 2 AND rectified_at IS NULL AND rated_at <= :at
                UNION ALL
                SELECT unit FROM ratings WHERE level <= 2 AND rectified_at IS NOT NULL AND rectified_at > :at AND rated_at <= :at
            ) GROUP BY unit
            """, arguments: ["at": window.at])
        while let r = try open.next() { add(r[0], 2, r[1]) }
        let late = try Row.fetchCursor(db, sql: """
            SELECT unit, count(*) FROM ratings
            WHERE level <= 2 AND rectify_due >= ? AND rectify_due < ? AND (rectified_at IS NULL OR rectified_at > rectify_due)
            GROUP BY unit
            """, arguments: [since, window.at])
        while let r = try late.next() { add(r[0], 3, r[1]) }
        let units = rollUp(leaves, tree: tree, zero: [0, 0, 0, 0]) { acc, v in for i in 0..<4 { acc[i] += v[i] } }
        for u in tree.units {
            let v = units[u.id] ?? [0, 0, 0, 0]
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            f[Metric.ratingCount] = Double(v[0])
            f[Metric.ratingPoor] = Double(v[1])
            f[Metric.ratingPoorOpen] = Double(v[2])
            f[Metric.ratingRectifyLate] = Double(v[3])
            out[u.id] = f
        }
    }
}
