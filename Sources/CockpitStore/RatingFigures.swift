import CockpitCore
import GRDB

/// Evaluation figures per unit (the rated case's unit), rolled up, over the cases' window
/// [since, at]: count and poor (level 1–2) rated in it; rectify_late = poor ratings whose
/// rectification was due (24:00 of the 15th working day after rating) in [since, at) and that were
/// not rectified by then. poor_open is a stock: poor ratings not rectified as of `at`.
extension CockpitStore {
    static func ratingFigures(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        // From the day and hour roll-ups, the partial hours raw (RatingRollup.swift).
        let leaves = try ratingLeaves(db, window: window)
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
