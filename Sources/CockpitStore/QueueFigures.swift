import CockpitCore
import GRDB

/// Hall queue figures (排队叫号), per hall and zone, rolled up over the tree.
///
/// Stock figures come from the tickets of at's day (a ticket waits only on the day it was issued);
/// flow figures count the tickets issued in [daySince, at], whole days from `ticket_day`.
/// A window is open when it is serving a ticket at `at` or called one in the last 30 minutes.
/// No-show rate = (no-shows + abandoned) ÷ (called + abandoned). Estimated wait of a ticket issued
/// now = waiting × average handling time ÷ open windows.
extension CockpitStore {
    static let windowOpenSeconds: Int64 = 1800

    struct QueueSums {
        var waiting = 0
        var longestWait: Int64? = nil
        var windowsOpen = 0
        var flow = TicketSums()

        mutating func add(_ o: QueueSums) {
            waiting += o.waiting
            if let l = o.longestWait { longestWait = max(longestWait ?? l, l) }
            windowsOpen += o.windowsOpen
            flow.add(o.flow)
        }

        var avgHandle: Double? { ratio(Double(flow.handleSum), Double(flow.served)) }
        var estimatedWait: Double? {
            guard windowsOpen > 0, let h = avgHandle else { return nil }
            return Double(waiting) * h / Double(windowsOpen)
        }

        func write(into f: inout Figures, part: String?) {
            func name(_ m: String) -> String { part.map { Metric.part(m, $0) } ?? m }
            f[name(Metric.queueWaiting)] = Double(waiting)
            f[name(Metric.queueLongestWait)] = longestWait.map(Double.init) ?? (waiting == 0 ? 0 : nil)
            f[name(Metric.queueWindowsOpen)] = Double(windowsOpen)
            f[name(Metric.queueEstimatedWait)] = estimatedWait
            f[name(Metric.queueServed)] = Double(flow.served)
            if part == nil {
                f[Metric.queueAvgWait] = ratio(Double(flow.waitSum), Double(flow.called))
                f[Metric.queueAvgHandle] = avgHandle
                f[Metric.queueSaturation] = windowsOpen > 0 ? Double(waiting) / Double(windowsOpen) : nil
                f[Metric.queueNoShowRate] = ratio(Double(flow.noShow + flow.abandoned), Double(flow.called + flow.abandoned))
            }
        }
    }

    struct HallZone: Hashable { var hall: String; var zone: String }

    static func todaysTickets(_ db: Database, at: Int64) throws -> [(hall: String, id: String, service: String, window: String?, ticket: Ticket)] {
        try Row.fetchAll(db, sql: """
            SELECT hall, id, service, win, zone, issued_at, called_at, finished_at, status FROM tickets
            WHERE day = ? AND issued_at <= ?
            """, arguments: [Int(LocalTime.day(of: at)), at]).map { r in
            (r[0], r[1], r[2], r[3], Ticket(zone: r[4], issuedAt: r[5], calledAt: r[6], finishedAt: r[7], status: r[8]))
        }
    }

    /// Per hall and zone, before rolling up.
    static func queueLeaves(_ db: Database, window: FigureWindow) throws -> [HallZone: QueueSums] {
        let at = window.at
        var leaves: [HallZone: QueueSums] = [:]
        var openWindows: Set<[String]> = []
        for t in try todaysTickets(db, at: at) {
            let key = HallZone(hall: t.hall, zone: t.ticket.zone)
            if t.ticket.isWaiting(at: at) {
                leaves[key, default: .init()].waiting += 1
                let w = at - t.ticket.issuedAt
                leaves[key, default: .init()].longestWait = max(leaves[key]?.longestWait ?? w, w)
            }
            if let win = t.window, let c = t.ticket.calledAt, c <= at,
               t.ticket.isServing(at: at) || c >= at - windowOpenSeconds {
                if openWindows.insert([t.hall, t.ticket.zone, win]).inserted { leaves[key, default: .init()].windowsOpen += 1 }
            }
        }
        let days = WindowDays(since: window.daySince, at: at)
        if let full = days.fullDays {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT hall, zone, sum(issued), sum(called), sum(wait_sum), sum(served), sum(handle_sum), sum(no_show), sum(abandoned)
                FROM ticket_day WHERE day BETWEEN ? AND ? GROUP BY hall, zone
                """, arguments: [Int(full.lowerBound), Int(full.upperBound)])
            while let r = try rows.next() {
                let s = TicketSums(issued: r[2], called: r[3], waitSum: r[4], served: r[5], handleSum: r[6], noShow: r[7], abandoned: r[8])
                leaves[HallZone(hall: r[0], zone: r[1]), default: .init()].flow.add(s)
            }
        }
        for range in days.rawRanges {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT hall, zone, issued_at, called_at, finished_at, status FROM tickets WHERE issued_at BETWEEN ? AND ?
                """, arguments: [range.lowerBound, range.upperBound])
            while let r = try rows.next() {
                let t = Ticket(zone: r[1], issuedAt: r[2], calledAt: r[3], finishedAt: r[4], status: r[5])
                leaves[HallZone(hall: r[0], zone: t.zone), default: .init()].flow.add(t.sums(asOf: at))
            }
        }
        return leaves
    }

    static func queueFigures(_ db: Database, tree: OrgTree, window: FigureWindow, into out: inout [String: Figures]) throws {
        let leaves = try queueLeaves(db, window: window)
        var byHall: [String: QueueSums] = [:]
        var byHallZone: [String: [String: QueueSums]] = [:]
        for (k, v) in leaves {
            byHall[k.hall, default: .init()].add(v)
            byHallZone[k.hall, default: [:]][k.zone, default: .init()].add(v)
        }
        let units = rollUp(byHall, tree: tree, zero: QueueSums()) { $0.add($1) }
        let zones = rollUp(byHallZone, tree: tree, zero: [:]) { acc, v in
            for (z, s) in v { acc[z, default: .init()].add(s) }
        }
        for u in tree.units {
            var f = out.removeValue(forKey: u.id) ?? Figures() // taken out: mutated in place, not copied
            (units[u.id] ?? QueueSums()).write(into: &f, part: nil)
            for z in Metric.queueZones { (zones[u.id]?[z] ?? QueueSums()).write(into: &f, part: z) }
            out[u.id] = f
        }
    }

    /// The queue boards of the halls under `unit` (a hall is a unit with tickets on at's day).
    public func hallBoards(under unit: String, tree: OrgTree, at: Int64) throws -> [HallBoard] {
        try database.read { db in
            let window = FigureWindow(at: at)
            let leaves = try Self.queueLeaves(db, window: window)
            let tickets = try Self.todaysTickets(db, at: at)
            var windows: [HallZone: [String: HallBoard.Window]] = [:]
            for t in tickets {
                guard let win = t.window, let c = t.ticket.calledAt, c <= at else { continue }
                let key = HallZone(hall: t.hall, zone: t.ticket.zone)
                let serving = t.ticket.isServing(at: at)
                if serving {
                    windows[key, default: [:]][win] = HallBoard.Window(id: win, ticket: t.id, service: t.service, since: c)
                } else if c >= at - Self.windowOpenSeconds, windows[key]?[win] == nil {
                    windows[key, default: [:]][win] = HallBoard.Window(id: win)
                }
            }
            let halls = Set(leaves.keys.map(\.hall)).filter { tree.isWithin($0, unit) }
            let order = Dictionary(uniqueKeysWithValues: tree.units.enumerated().map { ($1.id, $0) })
            return halls.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }.map { hall in
                HallBoard(hall: hall, zones: HallBoard.Zone.allCases.compactMap { zone in
                    let key = HallZone(hall: hall, zone: zone.rawValue)
                    guard let s = leaves[key] else { return nil }
                    return HallBoard.ZoneBoard(zone: zone, waiting: s.waiting, longestWaitS: s.longestWait.map { Int($0) },
                                               estimatedWaitS: s.estimatedWait.map { Int($0.rounded()) },
                                               windows: (windows[key] ?? [:]).values.sorted { $0.id < $1.id })
                })
            }
        }
    }
}
