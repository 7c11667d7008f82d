import CockpitCore
import GRDB

/// Scenario series: per unit and metric, `series.<m>` = the latest value at or before `at`;
/// `.delta` = that minus the value in force at `daySince` (nil if there was none yet); `.min` /
/// `.max` = the extremes of the values in force during [daySince, at]. A parent unit sums its
/// descendants' latest values and deltas; its min / max are the extremes of any one descendant.
extension CockpitStore {
    struct SeriesSums {
        var latest: Double? = nil, delta: Double? = nil, min: Double? = nil, max: Double? = nil

        mutating func add(_ o: SeriesSums) {
            if let v = o.latest { latest = (latest ?? 0) + v }
            if let v = o.delta { delta = (delta ?? 0) + v }
            if let v = o.min { min = Swift.min(min ?? v, v) }
            if let v = o.max { max = Swift.max(max ?? v, v) }
        }
    }

    /// The metric names of the series in the store, sorted.
    public func seriesNames() throws -> [String] {
        try database.read { try String.fetchAll($0, sql: "SELECT DISTINCT metric FROM series_keys ORDER BY metric") }
    }

    static func seriesFigures(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        let since = min(window.daySince, window.at)
        // One statement, a few index seeks per series: cost follows the number of series, not of points.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT k.unit, k.metric,
                (SELECT value FROM series s WHERE s.unit = k.unit AND s.metric = k.metric AND s.at <= :at ORDER BY s.at DESC LIMIT 1),
                (SELECT value FROM series s WHERE s.unit = k.unit AND s.metric = k.metric AND s.at <= :since ORDER BY s.at DESC LIMIT 1),
                (SELECT min(value) FROM series s WHERE s.unit = k.unit AND s.metric = k.metric AND s.at > :since AND s.at <= :at),
                (SELECT max(value) FROM series s WHERE s.unit = k.unit AND s.metric = k.metric AND s.at > :since AND s.at <= :at)
            FROM series_keys k
            """, arguments: ["at": window.at, "since": since])
        var leaves: [String: [String: SeriesSums]] = [:]
        var names: Set<String> = []
        while let r = try rows.next() {
            let unit: String = r[0], metric: String = r[1]
            names.insert(metric)
            let latest: Double? = r[2], base: Double? = r[3], lo: Double? = r[4], hi: Double? = r[5]
            guard let latest else { continue }
            let inForce = [base, lo, hi].compactMap { $0 }
            leaves[unit, default: [:]][metric] = SeriesSums(latest: latest, delta: base.map { latest - $0 },
                                                            min: inForce.min(), max: inForce.max())
        }
        let units = rollUp(leaves, tree: tree, zero: [:]) { acc, v in for (m, s) in v { acc[m, default: .init()].add(s) } }
        for u in tree.units {
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            for m in names {
                let s = units[u.id]?[m] ?? SeriesSums()
                let names = Metric.seriesFigures(m)
                f[names[0]] = s.latest; f[names[1]] = s.delta; f[names[2]] = s.min; f[names[3]] = s.max
            }
            out[u.id] = f
        }
    }
}
