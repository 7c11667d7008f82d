import CockpitCore
import GRDB

/// Latency histogram buckets: p95 is read from per-day histograms rather than by sorting every
/// call. Bucket b holds latencies in (edges[b-1], edges[b]]; the p95 reported is the upper edge of
/// the bucket the 95th percentile falls in, at most 25 % above the exact value.
public enum CallLatency {
    public static let edges: [Int] = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150,
                                      200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000,
                                      5000, 6000, 8000, 10_000, 12_000, 15_000, 20_000, 25_000, 30_000, 40_000, 60_000]

    /// The bucket of a latency; latencies above the last edge share one last bucket.
    public static func bucket(_ ms: Int) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] >= ms { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// The upper edge of a bucket (the last, open bucket reports the largest edge).
    public static func upper(_ bucket: Int) -> Int { edges[min(bucket, edges.count - 1)] }

    /// The nearest-rank p95 (the ⌈0.95·n⌉-th smallest) of a histogram, as its bucket's upper edge.
    public static func p95(_ counts: [Int: Int]) -> Double? {
        let n = counts.values.reduce(0, +)
        guard n > 0 else { return nil }
        let rank = (95 * n + 99) / 100
        var seen = 0
        for b in counts.keys.sorted() {
            seen += counts[b]!
            if seen >= rank { return Double(upper(b)) }
        }
        return nil
    }
}

/// Interface calls (`calls`): events, kept once each (an identical row pushed again is ignored),
/// added to the per-day histograms of the consumer unit and the provider.
final class CallsConsumer: BatchConsumer {
    let tree: OrgTree
    private struct UnitKey: Hashable { var unit: String; var day: Int32; var bucket: Int }
    private struct PairKey: Hashable { var day: Int32; var provider: String; var consumer: String }
    private var unitDeltas: [UnitKey: (n: Int, ok: Int)] = [:]
    private var providerDeltas: [UnitKey: (n: Int, ok: Int)] = [:]
    private var pairDeltas: [PairKey: Int] = [:]

    init(file: String, source: String, tree: OrgTree) {
        self.tree = tree
        super.init(file: file, source: source, kind: .calls)
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let interface = try f.required("interface", "interface").get()
            let provider = try f.required("provider", "provider department").get()
            let consumer = try f.unit("consumer", in: tree).get()
            let at = try f.time("at").get()
            let ok = try f.flag("ok").get()
            let latencyText = f["latency_ms"]
            guard let latency = Int(latencyText), latency >= 0, latency <= 86_400_000 else {
                throw FieldError(field: "latency_ms", reason: "'\(latencyText)' is not a whole number of milliseconds (0 to 86400000)")
            }
            let bucket = CallLatency.bucket(latency)
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO calls (interface, provider, consumer, at, ok, latency_ms, bucket) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [interface, provider, consumer, at, ok ? 1 : 0, latency, bucket])
            guard db.changesCount == 1 else { return }
            let day = LocalTime.day(of: at)
            let okCount = ok ? 1 : 0
            unitDeltas[UnitKey(unit: consumer, day: day, bucket: bucket), default: (0, 0)].n += 1
            unitDeltas[UnitKey(unit: consumer, day: day, bucket: bucket), default: (0, 0)].ok += okCount
            providerDeltas[UnitKey(unit: provider, day: day, bucket: bucket), default: (0, 0)].n += 1
            providerDeltas[UnitKey(unit: provider, day: day, bucket: bucket), default: (0, 0)].ok += okCount
            pairDeltas[PairKey(day: day, provider: provider, consumer: consumer), default: 0] += 1
        }
    }

    override func endBatch(db: Database) throws {
        let unitStmt = try db.cachedStatement(sql: """
            INSERT INTO call_unit_day (unit, day, bucket, n, ok) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(unit, day, bucket) DO UPDATE SET n = n + excluded.n, ok = ok + excluded.ok
            """)
        for (k, d) in unitDeltas { try unitStmt.execute(arguments: [k.unit, Int(k.day), k.bucket, d.n, d.ok]) }
        let providerStmt = try db.cachedStatement(sql: """
            INSERT INTO call_provider_day (provider, day, bucket, n, ok) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(provider, day, bucket) DO UPDATE SET n = n + excluded.n, ok = ok + excluded.ok
            """)
        for (k, d) in providerDeltas { try providerStmt.execute(arguments: [k.unit, Int(k.day), k.bucket, d.n, d.ok]) }
        let pairStmt = try db.cachedStatement(sql: """
            INSERT INTO call_pair_day (day, provider, consumer, n) VALUES (?, ?, ?, ?)
            ON CONFLICT(day, provider, consumer) DO UPDATE SET n = n + excluded.n
            """)
        for (k, n) in pairDeltas { try pairStmt.execute(arguments: [Int(k.day), k.provider, k.consumer, n]) }
        unitDeltas.removeAll(keepingCapacity: true)
        providerDeltas.removeAll(keepingCapacity: true)
        pairDeltas.removeAll(keepingCapacity: true)
    }
}
