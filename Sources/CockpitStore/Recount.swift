import CockpitCore
import GRDB

/// The figures of `figures(tree:window:)` recomputed the plain way: GROUP BY queries over the raw
/// tables (cases, tickets, calls), every call's latency sorted for an exact p95, no roll-up table
/// read. The benchmark times it beside `figures`, and the tests check that both agree. Ratings,
/// quality issues, items and series have no roll-up (they are read from their raw tables through
/// indexes either way) and are taken from the same code.
extension CockpitStore {
    public func recountFigures(tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        try database.read { db in
            var out: [String: Figures] = [:]
            try Self.recountCases(db, tree: tree, window: window, into: &out)
            try Self.recountQueues(db, tree: tree, window: window, into: &out)
            try Self.recountCalls(db, tree: tree, window: window, into: &out)
            try Self.ratingFigures(db, tree: tree, window: window, into: &out)
            try Self.itemFigures(db, tree: tree, into: &out)
            try Self.seriesFigures(db, tree: tree, window: window, into: &out)
            return out
        }
    }

    static func recountCases(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        let b = LightBoundaries(at: window.at, calendar: try loadCalendar(db))
        let warnEnd = LocalTime.startOf(day: b.lastWarningDay + 1)
        var leaves: [String: [Double]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT unit,
                   sum(status IN ('accepted', 'in_review', 'suspended')),
                   sum(status IN ('accepted', 'in_review') AND :at > deadline),
                   sum(status IN ('accepted', 'in_review') AND :at <= deadline AND deadline <= :warnEnd),
                   sum(status = 'suspended'),
                   sum(status = 'completed' AND completed_at BETWEEN :since AND :at),
                   sum(status = 'completed' AND completed_at BETWEEN :since AND :at AND late)
            FROM cases GROUP BY unit
            """, arguments: ["at": window.at, "warnEnd": warnEnd, "since": min(window.since, window.at)])
        while let r = try rows.next() { leaves[r[0]] = (1...6).map { Double(r[$0] as Int) } }
        let units = rollUp(leaves, tree: tree, zero: [0, 0, 0, 0, 0, 0]) { acc, v in for i in 0..<6 { acc[i] += v[i] } }
        for u in tree.units {
            let v = units[u.id] ?? [0, 0, 0, 0, 0, 0]
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            for (i, m) in [Metric.casesOpen, Metric.casesOverdue, Metric.casesWarning, Metric.casesSuspended,
                           Metric.casesCompleted, Metric.casesCompletedOverdue].enumerated() { f[m] = v[i] }
            f[Metric.casesOnTimeRate] = ratio(v[4] - v[5], v[4])
            out[u.id] = f
        }
    }

    static func recountQueues(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        var leaves: [HallZone: QueueSums] = [:]
        let at = window.at
        let dayStart = LocalTime.startOfDay(containing: at)
        let stock = try Row.fetchCursor(db, sql: """
            SELECT hall, zone,
                   sum(issued_at >= :dayStart AND (called_at IS NULL OR called_at > :at)
                       AND (status != 'abandoned' OR coalesce(finished_at, 0) > :at)),
                   max(CASE WHEN issued_at >= :dayStart AND (called_at IS NULL OR called_at > :at)
                       AND (status != 'abandoned' OR coalesce(finished_at, 0) > :at) THEN :at - issued_at END),
                   count(DISTINCT CASE WHEN called_at BETWEEN :dayStart AND :at AND win IS NOT NULL AND (called_at >= :at - 1800
                       OR (status = 'serving' AND (finished_at IS NULL OR finished_at > :at))
                       OR (status = 'done' AND finished_at > :at)) THEN win END)
            FROM tickets WHERE issued_at BETWEEN :dayStart AND :at GROUP BY hall, zone
            """, arguments: ["dayStart": dayStart, "at": at])
        while let r = try stock.next() {
            leaves[HallZone(hall: r[0], zone: r[1]), default: .init()].waiting = r[2]
            leaves[HallZone(hall: r[0], zone: r[1]), default: .init()].longestWait = r[3]
            leaves[HallZone(hall: r[0], zone: r[1]), default: .init()].windowsOpen = r[4]
        }
        let flow = try Row.fetchCursor(db, sql: """
            SELECT hall, zone, count(*),
                   sum(called_at IS NOT NULL AND called_at <= :at), sum(CASE WHEN called_at <= :at THEN called_at - issued_at ELSE 0 END),
                   sum(status = 'done' AND called_at <= :at AND finished_at <= :at),
                   sum(CASE WHEN status = 'done' AND called_at <= :at AND finished_at <= :at THEN finished_at - called_at ELSE 0 END),
                   sum(status = 'no_show' AND called_at <= :at),
                   sum(status = 'abandoned' AND coalesce(finished_at, issued_at) <= :at)
            FROM tickets WHERE issued_at BETWEEN :since AND :at GROUP BY hall, zone
            """, arguments: ["since": min(window.daySince, at), "at": at])
        while let r = try flow.next() {
            leaves[HallZone(hall: r[0], zone: r[1]), default: .init()].flow =
                TicketSums(issued: r[2], called: r[3], waitSum: r[4], served: r[5], handleSum: r[6], noShow: r[7], abandoned: r[8])
        }
        var byHall: [String: QueueSums] = [:]
        var byHallZone: [String: [String: QueueSums]] = [:]
        for (k, v) in leaves {
            byHall[k.hall, default: .init()].add(v)
            byHallZone[k.hall, default: [:]][k.zone, default: .init()].add(v)
        }
        let units = rollUp(byHall, tree: tree, zero: QueueSums()) { $0.add($1) }
        let zones = rollUp(byHallZone, tree: tree, zero: [:]) { acc, v in for (z, s) in v { acc[z, default: .init()].add(s) } }
        for u in tree.units {
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            (units[u.id] ?? QueueSums()).write(into: &f, part: nil)
            for z in Metric.queueZones { (zones[u.id]?[z] ?? QueueSums()).write(into: &f, part: z) }
            out[u.id] = f
        }
    }

    /// Exact nearest-rank p95 from every latency, sorted; plus calls, successes and consumers.
    static func recountCalls(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        var latencies: [String: [Int]] = [:]
        var ok: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT consumer, latency_ms, ok FROM calls WHERE at BETWEEN ? AND ?",
                                       arguments: [min(window.daySince, window.at), window.at])
        while let r = try rows.next() {
            let c: String = r[0]
            latencies[c, default: []].append(r[1])
            ok[c, default: 0] += r[2] as Int
        }
        let leaves = latencies.mapValues { [$0] }
        let merged = rollUp(leaves, tree: tree, zero: [[Int]]()) { $0 += $1 }
        var quality = QualitySums()
        for q in try qualitySums(db, window: window).values { quality.add(q) }
        for u in tree.units {
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            let lists = merged[u.id] ?? []
            let all = lists.flatMap { $0 }.sorted()
            let okCount = tree.subtree(of: u.id).reduce(0) { $0 + (ok[$1.id] ?? 0) }
            f[Metric.shareCalls] = Double(all.count)
            f[Metric.shareSuccessRate] = ratio(Double(okCount), Double(all.count))
            f[Metric.shareP95Latency] = all.isEmpty ? nil : Double(all[(95 * all.count + 99) / 100 - 1])
            f[Metric.shareConsumers] = Double(lists.count)
            if u.id == tree.root.id { quality.write(into: &f) }
            out[u.id] = f
        }
    }
}
