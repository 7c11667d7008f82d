import CockpitCore
import GRDB

/// Data sharing figures: calls, success rate, p95 latency and active consumers over
/// [daySince, at], per consumer unit (rolled up) and per provider department (谁提供谁负责);
/// quality issues (stock as of `at`, mean time to fix of those resolved in the window) count
/// against their provider, and for the district (the root) as a whole.
extension CockpitStore {
    struct CallSums {
        var histogram: [Int: Int] = [:]
        var ok = 0
        /// Consumer units with at least one call (per unit: leaves below it; per provider: callers).
        var consumers = 0

        var calls: Int { histogram.values.reduce(0, +) }

        mutating func add(_ o: CallSums) {
            for (b, n) in o.histogram { histogram[b, default: 0] += n }
            ok += o.ok
            consumers += o.consumers
        }

        func write(into f: inout Figures) {
            let n = calls
            f[Metric.shareCalls] = Double(n)
            f[Metric.shareSuccessRate] = ratio(Double(ok), Double(n))
            f[Metric.shareP95Latency] = CallLatency.p95(histogram)
            f[Metric.shareConsumers] = Double(consumers)
        }
    }

    struct QualitySums {
        var open = 0, overdue = 0, fixed = 0
        var fixSeconds: Int64 = 0

        mutating func add(_ o: QualitySums) { open += o.open; overdue += o.overdue; fixed += o.fixed; fixSeconds += o.fixSeconds }

        func write(into f: inout Figures) {
            f[Metric.shareQualityOpen] = Double(open)
            f[Metric.shareQualityOverdue] = Double(overdue)
            f[Metric.shareMeanTimeToFix] = fixed > 0 ? Double(fixSeconds) / Double(fixed) / 3600 : nil
        }
    }

    /// Call sums keyed by consumer unit (`byProvider` false) or provider department (true).
    static func callSums(_ db: Database, window: FigureWindow, byProvider: Bool) throws -> [String: CallSums] {
        var out: [String: CallSums] = [:]
        var callers: [String: Set<String>] = [:]
        let latest = try Int64.fetchOne(db, sql: "SELECT max(at) FROM calls")
        let days = WindowDays(since: window.daySince, at: window.at).closingToday(at: window.at, latest: latest)
        if let full = days.fullDays {
            let table = byProvider ? "call_provider_day" : "call_unit_day"
            let key = byProvider ? "provider" : "unit"
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(key), bucket, sum(n), sum(ok) FROM \(table) WHERE day BETWEEN ? AND ? GROUP BY \(key), bucket
                """, arguments: [Int(full.lowerBound), Int(full.upperBound)])
            while let r = try rows.next() {
                let k: String = r[0]
                out[k, default: .init()].histogram[r[1], default: 0] += r[2] as Int
                out[k, default: .init()].ok += r[3] as Int
            }
            if byProvider {
                let pairs = try Row.fetchCursor(db, sql: "SELECT DISTINCT provider, consumer FROM call_pair_day WHERE day BETWEEN ? AND ?",
                                                arguments: [Int(full.lowerBound), Int(full.upperBound)])
                while let r = try pairs.next() { callers[r[0], default: []].insert(r[1]) }
            }
        }
        for range in days.rawRanges {
            // Read from the covering index calls_by_time.
            let key = byProvider ? "provider" : "consumer"
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(key), bucket, count(*), sum(ok) FROM calls WHERE at BETWEEN ? AND ? GROUP BY \(key), bucket
                """, arguments: [range.lowerBound, range.upperBound])
            while let r = try rows.next() {
                let k: String = r[0]
                out[k, default: .init()].histogram[r[1], default: 0] += r[2] as Int
                out[k, default: .init()].ok += r[3] as Int
            }
            if byProvider {
                let pairs = try Row.fetchCursor(db, sql: "SELECT DISTINCT provider, consumer FROM calls WHERE at BETWEEN ? AND ?",
                                                arguments: [range.lowerBound, range.upperBound])
                while let r = try pairs.next() { callers[r[0], default: []].insert(r[1]) }
            }
        }
        for k in out.keys {
            out[k]!.consumers = byProvider ? (callers[k]?.count ?? 0) : (out[k]!.calls > 0 ? 1 : 0)
        }
        return out
    }

    static func qualitySums(_ db: Database, window: FigureWindow) throws -> [String: QualitySums] {
        var out: [String: QualitySums] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT provider,
                   sum(opened_at <= :at AND (resolved_at IS NULL OR resolved_at > :at)),
                   sum(opened_at <= :at AND (resolved_at IS NULL OR resolved_at > :at) AND due_at < :at),
                   sum(coalesce(resolved_at BETWEEN :since AND :at, 0)),
                   sum(CASE WHEN resolved_at BETWEEN :since AND :at THEN resolved_at - opened_at ELSE 0 END)
            FROM quality GROUP BY provider
            """, arguments: ["at": window.at, "since": min(window.daySince, window.at)])
        while let r = try rows.next() {
            out[r[0]] = QualitySums(open: r[1], overdue: r[2], fixed: r[3], fixSeconds: r[4])
        }
        return out
    }

    static func shareFigures(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        let units = rollUp(try callSums(db, window: window, byProvider: false), tree: tree, zero: CallSums()) { $0.add($1) }
        var quality = QualitySums()
        for q in try qualitySums(db, window: window).values { quality.add(q) }
        for u in tree.units {
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            (units[u.id] ?? CallSums()).write(into: &f)
            // Quality issues belong to providers (district departments), not to consumer units.
            if u.id == tree.root.id { quality.write(into: &f) }
            out[u.id] = f
        }
    }

    /// Every provider department's figures as of `window` (谁提供谁负责): its calls, quality
    /// issues, directory entries and 最多跑一次 items, keyed by department name.
    public func providerFigures(window: FigureWindow) throws -> [String: Figures] {
        try database.read { db in
            var out: [String: Figures] = [:]
            for (p, s) in try Self.callSums(db, window: window, byProvider: true) { s.write(into: &out[p, default: Figures()]) }
            for (p, q) in try Self.qualitySums(db, window: window) { q.write(into: &out[p, default: Figures()]) }
            let entries = try Row.fetchAll(db, sql: """
                SELECT provider, count(*), sum(share_type = 'not_shared') FROM directory GROUP BY provider
                """)
            for r in entries {
                out[r[0], default: Figures()][Metric.shareEntries] = Double(r[1] as Int)
                out[r[0], default: Figures()][Metric.shareNotShared] = Double(r[2] as Int)
            }
            for (d, s) in try Self.itemSums(db) { s.write(into: &out[d, default: Figures()]) }
            // Every department carries every provider figure: zero counts, nil rates.
            for p in out.keys {
                var f = out[p]!
                for m in [Metric.shareCalls, Metric.shareConsumers, Metric.shareQualityOpen, Metric.shareQualityOverdue,
                          Metric.shareEntries, Metric.shareNotShared, Metric.itemsCount] where f[m] == nil { f[m] = 0 }
                out[p] = f
            }
            return out
        }
    }
}
