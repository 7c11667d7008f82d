import CockpitCore
import GRDB

/// Evaluation figures per unit (the rated case's unit), rolled up. Count and poor (level 1–2) over
/// the cases' window [since, at]; poor_open and rectify_late as of `at`: a poor rating not yet
/// rectified, and one rectified (or still not) after 24:00 of the 15th working day after rating.
extension CockpitStore {
    static func ratingFigures(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        var leaves: [String: [Int]] = [:]
        let since = min(window.since, window.at)
        let flow = try Row.fetchCursor(db, sql: """
            SELECT unit, count(*), sum(level <= 2) FROM ratings WHERE rated_at BETWEEN ? AND ? GROUP BY unit
            """, arguments: [since, window.at])
        while let r = try flow.next() { leaves[r[0], default: [0, 0, 0, 0]][0] += r[1]; leaves[r[0], default: [0, 0, 0, 0]][1] += r[2] }
        let stock = try Row.fetchCursor(db, sql: """
            SELECT unit,
                   sum(rectified_at IS NULL OR rectified_at > :at),
                   sum(CASE WHEN rectified_at IS NOT NULL AND rectified_at <= :at THEN rectified_at > rectify_due
                            ELSE :at > rectify_due END)
            FROM ratings WHERE level <= 2 AND rated_at <= :at GROUP BY unit
            """, arguments: ["at": window.at])
        while let r = try stock.next() { leaves[r[0], default: [0, 0, 0, 0]][2] += r[1]; leaves[r[0], default: [0, 0, 0, 0]][3] += r[2] }
        let units = rollUp(leaves, tree: tree, zero: [0, 0, 0, 0]) { acc, v in for i in 0..<4 { acc[i] += v[i] } }
        for u in tree.units {
            let v = units[u.id] ?? [0, 0, 0, 0]
            var f = out[u.id] ?? Figures()
            f[Metric.ratingCount] = Double(v[0])
            f[Metric.ratingPoor] = Double(v[1])
            f[Metric.ratingPoorOpen] = Double(v[2])
            f[Metric.ratingRectifyLate] = Double(v[3])
            out[u.id] = f
        }
    }
}
