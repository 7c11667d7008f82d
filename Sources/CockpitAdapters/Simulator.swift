import CockpitCore
import CockpitStore
import Foundation

/// A realistic live feed for the whole district, deterministic for a seed: the same seed, units
/// and sequence of (count, time) calls give the same records. Cases are accepted, go into review,
/// are suspended and resumed, and complete; each change pushes the whole case again under the same
/// id, as the provincial system does. Tickets, sharing calls and scenario series use the columns
/// of issue 3; a feed is produced only when this build's `IngestKind` has its kind.
public struct SimulatorFeed: Sendable {
    /// Every feed the simulator can generate, by the record kind it produces.
    public static let feeds = ["cases", "tickets", "calls", "series"]
    /// The feeds this build can store: a kind switches on by existing in `IngestKind`.
    public static var availableFeeds: [String] { feeds.filter { IngestKind(rawValue: $0) != nil } }

    struct Item: Sendable { var code: String; var name: String; var department: String; var days: Int }
    static let catalog: [Item] = [
        Item(code: "330103-SJ-0001", name: "个体工商户设立登记", department: "区市场监管局", days: 1),
        Item(code: "330103-RS-0005", name: "社保卡申领", department: "区人力社保局", days: 3),
        Item(code: "330103-SW-0001", name: "发票领用", department: "区税务局", days: 0),
        Item(code: "330103-YB-0001", name: "医保参保登记", department: "区医疗保障局", days: 0),
        Item(code: "330103-SJ-0020", name: "企业设立登记", department: "区市场监管局", days: 1),
        Item(code: "330103-GA-0001", name: "居民身份证申领", department: "公安下城分局", days: 15),
        Item(code: "330103-GA-0005", name: "居住证申领", department: "公安下城分局", days: 7),
        Item(code: "330103-SJ-0012", name: "食品经营许可证核发", department: "区市场监管局", days: 7),
        Item(code: "330103-RS-0008", name: "失业保险金申领", department: "区人力社保局", days: 5),
        Item(code: "330103-MZ-0012", name: "高龄津贴申领", department: "区民政局", days: 10),
        Item(code: "330103-YB-0005", name: "医疗费用手工报销", department: "区医疗保障局", days: 20),
        Item(code: "330103-ZJ-0008", name: "公租房资格审核", department: "区住房和城乡建设局", days: 20),
    ]
    static let interfaces = [("人口基础信息查询", "公安下城分局"), ("营业执照核验", "区市场监管局"), ("社保缴纳记录查询", "区人力社保局"),
                             ("纳税信息核验", "区税务局"), ("婚姻登记信息查询", "区民政局"), ("不动产登记查询", "区住房和城乡建设局")]
    static let seriesMetrics = [("elevator_alarms", 0.0, 6.0), ("parking_free", 0.0, 120.0), ("kitchen_violations", 0.0, 4.0)]
    static let services = ["社保", "医保", "税务", "市场监管", "公安户政", "民政"]

    struct SimCase: Codable, Sendable {
        var id: String, unit: String, item: Int, channel: String, acceptedAt: Int64, status: String
        var suspensions: [[Int64]] // [from] open, [from, to] closed
    }
    struct SimTicket: Codable, Sendable {
        var id: String, hall: String, zone: String, service: String, issuedAt: Int64
        var calledAt: Int64? = nil, window: String? = nil, status: String
    }
    /// Everything needed to go on: the checkpoint of a simulator source.
    public struct State: Codable, Sendable {
        var rng: UInt64
        var caseSeq = 0
        var ticketSeq: [String: Int] = [:]   // per hall and day: "hall@day"
        var cases: [SimCase] = []
        var tickets: [SimTicket] = []
        var series: [String: Double] = [:]
        var emitted = 0
        var fraction = 0.0                    // records owed from the last poll
        var lastAt: Int64?
    }

    public let units: [String]   // communities and parks: where cases are handled
    public let halls: [String]   // where tickets are issued
    public let feeds: [String]
    public var state: State
    static let maxOpenCases = 600
    static let maxTickets = 200

    public init(seed: UInt64, units: [String], halls: [String], feeds: [String], state: State? = nil) {
        self.units = units.isEmpty ? ["unknown"] : units
        self.halls = halls.isEmpty ? self.units : halls
        self.feeds = feeds.filter { Self.feeds.contains($0) }
        self.state = state ?? State(rng: seed &+ 0x9E3779B97F4A7C15)
    }

    /// The next `count` records at time `at`, grouped by kind; feeds whose kind this build lacks
    /// are generated (the sequence stays the same) but left out.
    public mutating func next(count: Int, at: Int64) -> [RecordGroup] {
        let byFeed = nextByFeed(count: count, at: at)
        return feeds.compactMap { f in byFeed[f].flatMap { r in IngestKind(rawValue: f).map { RecordGroup(kind: $0, records: r) } } }
    }

    /// The next `count` records at time `at`, by feed name, whatever this build can store.
    public mutating func nextByFeed(count: Int, at: Int64) -> [String: [SourceRecord]] {
        guard !feeds.isEmpty else { return [:] }
        var byFeed: [String: [SourceRecord]] = [:]
        let weights: [String: Double] = ["cases": 5, "tickets": 3, "calls": 1.5, "series": 0.5]
        let total = feeds.reduce(0) { $0 + (weights[$1] ?? 1) }
        for _ in 0..<count {
            var pick = uniform() * total
            var feed = feeds[0]
            for f in feeds { pick -= weights[f] ?? 1; if pick < 0 { feed = f; break } }
            state.emitted += 1
            let pos = "sim#\(state.emitted)"
            let fields: [String: String]
            switch feed {
            case "cases": fields = nextCase(at: at)
            case "tickets": fields = nextTicket(at: at)
            case "calls": fields = nextCall(at: at)
            default: fields = nextSeries(at: at)
            }
            let raw = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            byFeed[feed, default: []].append(SourceRecord(position: pos, fields: fields, raw: raw))
        }
        state.lastAt = at
        return byFeed
    }

    // MARK: cases

    private mutating func nextCase(at: Int64) -> [String: String] {
        let open = state.cases.count
        // Accept new cases until the pool is full; otherwise move one along.
        if open == 0 || (open < Self.maxOpenCases && uniform() < 0.45) {
            state.caseSeq += 1
            let day = LocalTime.dayString(LocalTime.day(of: at)).replacingOccurrences(of: "-", with: "")
            let c = SimCase(id: "SIM\(day)\(String(format: "%06d", state.caseSeq))",
                            unit: units[int(units.count)], item: int(Self.catalog.count),
                            channel: ["hall", "online", "mobile"][int(3)], acceptedAt: at, status: "accepted", suspensions: [])
            state.cases.append(c)
            return caseFields(c, completedAt: nil)
        }
        let i = int(open)
        var c = state.cases[i]
        var completedAt: Int64? = nil
        switch c.status {
        case "accepted":
            c.status = uniform() < 0.1 ? "withdrawn" : "in_review"
            if c.status == "withdrawn" { completedAt = at }
        case "in_review":
            let r = uniform()
            if r < 0.15 { c.status = "suspended"; c.suspensions.append([at]) }
            else if r < 0.2 { c.status = "rejected"; completedAt = at }
            else { c.status = "completed"; completedAt = at }
        default: // suspended: resumed (correction supplied)
            c.status = "in_review"
            if let last = c.suspensions.indices.last, c.suspensions[last].count == 1 { c.suspensions[last].append(at) }
        }
        if completedAt != nil { state.cases.remove(at: i) } else { state.cases[i] = c }
        return caseFields(c, completedAt: completedAt)
    }

    private func caseFields(_ c: SimCase, completedAt: Int64?) -> [String: String] {
        let item = Self.catalog[c.item]
        return ["id": c.id, "unit": c.unit, "department": item.department, "item_code": item.code, "item_name": item.name,
                "channel": c.channel, "accepted_at": LocalTime.iso(c.acceptedAt), "promised_days": String(item.days),
                "status": c.status, "completed_at": completedAt.map(LocalTime.iso) ?? "",
                "suspensions": c.suspensions.map { "\(LocalTime.iso($0[0]))/\($0.count > 1 ? LocalTime.iso($0[1]) : "")" }.joined(separator: ";")]
    }

    // MARK: tickets, calls, series (issue 3's columns)

    private mutating func nextTicket(at: Int64) -> [String: String] {
        if state.tickets.isEmpty || (state.tickets.count < Self.maxTickets && uniform() < 0.4) {
            let hall = halls[int(halls.count)]
            let zone = ["intake", "approval", "delivery"][int(3)]
            let key = "\(hall)@\(LocalTime.day(of: at))"
            let n = (state.ticketSeq[key] ?? 0) + 1
            state.ticketSeq = state.ticketSeq.filter { $0.key.hasSuffix("@\(LocalTime.day(of: at))") }
            state.ticketSeq[key] = n
            let letter = zone == "intake" ? "A" : zone == "approval" ? "B" : "C"
            let t = SimTicket(id: "\(letter)\(String(format: "%03d", n % 1000))", hall: hall, zone: zone,
                              service: Self.services[int(Self.services.count)], issuedAt: at, calledAt: nil, window: nil, status: "waiting")
            state.tickets.append(t)
            return ticketFields(t, finishedAt: nil)
        }
        let i = int(state.tickets.count)
        var t = state.tickets[i]
        var finished: Int64? = nil
        if t.status == "waiting" {
            let r = uniform()
            if r < 0.06 { t.status = "abandoned"; finished = at }
            else { t.status = "serving"; t.calledAt = at; t.window = "\(t.zone.prefix(1).uppercased())\(1 + int(6))" }
        } else {
            t.status = uniform() < 0.05 ? "no_show" : "done"
            finished = at
        }
        if finished != nil { state.tickets.remove(at: i) } else { state.tickets[i] = t }
        return ticketFields(t, finishedAt: finished)
    }

    private func ticketFields(_ t: SimTicket, finishedAt: Int64?) -> [String: String] {
        ["id": t.id, "hall": t.hall, "zone": t.zone, "service": t.service, "issued_at": LocalTime.iso(t.issuedAt),
         "called_at": t.calledAt.map(LocalTime.iso) ?? "", "window": t.window ?? "",
         "finished_at": finishedAt.map(LocalTime.iso) ?? "", "status": t.status]
    }

    private mutating func nextCall(at: Int64) -> [String: String] {
        let (interface, provider) = Self.interfaces[int(Self.interfaces.count)]
        let ok = uniform() > 0.03
        let latency = Int(40 + 400 * uniform() * uniform() + (ok ? 0 : 2000))
        return ["interface": interface, "provider": provider, "consumer": units[int(units.count)],
                "at": LocalTime.iso(at), "ok": ok ? "1" : "0", "latency_ms": String(latency)]
    }

    private mutating func nextSeries(at: Int64) -> [String: String] {
        let unit = units[int(units.count)]
        let (metric, lo, hi) = Self.seriesMetrics[int(Self.seriesMetrics.count)]
        let key = "\(unit)|\(metric)"
        let old = state.series[key] ?? (lo + (hi - lo) * uniform())
        let value = min(hi, max(lo, (old + (hi - lo) * 0.1 * (uniform() - 0.5)).rounded()))
        state.series[key] = value
        return ["unit": unit, "metric": metric, "at": LocalTime.iso(at), "value": String(Int(value))]
    }

    // MARK: randomness: SplitMix64, so a seed gives the same feed on every platform

    private mutating func nextRandom() -> UInt64 {
        state.rng &+= 0x9E3779B97F4A7C15
        var z = state.rng
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    private mutating func uniform() -> Double { Double(nextRandom() >> 11) / Double(1 << 53) }
    private mutating func int(_ n: Int) -> Int { Int(nextRandom() % UInt64(max(1, n))) }
}

/// The simulator as a source: `rate` records a second of wall-clock time, resumed from its state.
public final class SimulatorAdapter: Adapter {
    public let name: String
    let seed: UInt64
    let rate: Double
    let feeds: [String]
    let units: () throws -> (units: [String], halls: [String])
    let clock: @Sendable () -> Int64
    private var feed: SimulatorFeed?

    /// `units` is asked for the org tree when the feed starts (the store's tree, in the engine).
    public init(name: String, seed: UInt64, rate: Double, feeds: [String],
                units: @escaping () throws -> (units: [String], halls: [String]),
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.name = name; self.seed = seed; self.rate = rate; self.feeds = feeds; self.units = units; self.clock = clock
    }

    public func close() { feed = nil }

    public func poll(from checkpoint: String?, limit: Int) throws -> Batch {
        let now = clock()
        let saved = CheckpointCoding.decode(SimulatorFeed.State.self, checkpoint)
        if feed == nil || saved?.emitted != feed?.state.emitted {
            let u = try units()
            feed = SimulatorFeed(seed: seed, units: u.units, halls: u.halls, feeds: feeds, state: saved)
        }
        // Records owed since the last poll; after a long stop at most one batch of catching up.
        let elapsed = Double(now - (feed!.state.lastAt ?? (now - 1)))
        let owed = feed!.state.fraction + rate * max(0, elapsed)
        let count = min(limit, Int(owed))
        feed!.state.fraction = count == limit ? 0 : owed - Double(count)
        if count == 0 {
            feed!.state.lastAt = now
            return Batch(checkpoint: CheckpointCoding.encode(feed!.state))
        }
        let groups = feed!.next(count: count, at: now)
        return Batch(groups: groups, checkpoint: CheckpointCoding.encode(feed!.state))
    }
}
