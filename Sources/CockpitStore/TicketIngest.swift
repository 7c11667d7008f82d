import CockpitCore
import GRDB

/// Hall tickets (排队叫号). A ticket progresses (waiting → serving → done), so the same id, hall
/// and day pushed again replaces the earlier row; `ticket_day` gets the difference.
final class TicketsConsumer: BatchConsumer {
    static let zones = HallBoard.Zone.allCases.map(\.rawValue)
    static let statuses = ["waiting", "serving", "done", "no_show", "abandoned"]

    let tree: OrgTree
    private var deltas: [DayKey: TicketSums] = [:]

    struct DayKey: Hashable { var hall: String; var zone: String; var day: Int32 }

    init(file: String, source: String, tree: OrgTree) {
        self.tree = tree
        super.init(file: file, source: source, kind: .tickets)
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let id = try f.required("id", "ticket id").get()
            let hall = try f.unit("hall", in: tree).get()
            let zone = try f.oneOf("zone", Self.zones).get()
            let service = f["service"]
            let issued = try f.time("issued_at").get()
            let called = try f.optionalTime("called_at").get()
            let window = f["window"]
            let finished = try f.optionalTime("finished_at").get()
            let status = try f.oneOf("status", Self.statuses).get()
            if let c = called, c < issued { throw FieldError(field: "called_at", reason: "called before it was issued") }
            if let e = finished, e < (called ?? issued) {
                throw FieldError(field: "finished_at", reason: called == nil ? "finished before it was issued" : "finished before it was called")
            }
            switch status {
            case "waiting":
                if called != nil { throw FieldError(field: "status", reason: "a waiting ticket has no called_at") }
            case "serving", "no_show":
                if called == nil { throw FieldError(field: "called_at", reason: "a \(status) ticket needs the time it was called") }
                if window.isEmpty { throw FieldError(field: "window", reason: "a \(status) ticket needs its window") }
            case "done":
                if called == nil { throw FieldError(field: "called_at", reason: "a done ticket needs the time it was called") }
                if finished == nil { throw FieldError(field: "finished_at", reason: "a done ticket needs the time it was finished") }
                if window.isEmpty { throw FieldError(field: "window", reason: "a done ticket needs its window") }
            default: break
            }
            let t = Ticket(zone: zone, issuedAt: issued, calledAt: called, finishedAt: finished, status: status)
            let day = LocalTime.day(of: issued)
            if let old = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT zone, issued_at, called_at, finished_at, status FROM tickets WHERE day = ? AND hall = ? AND id = ?
                """), arguments: [Int(day), hall, id]) {
                let o = Ticket(zone: old[0], issuedAt: old[1], calledAt: old[2], finishedAt: old[3], status: old[4])
                deltas[DayKey(hall: hall, zone: o.zone, day: day), default: .init()].subtract(o.sums)
            }
            try db.cachedStatement(sql: """
                INSERT INTO tickets (day, hall, id, zone, service, issued_at, called_at, win, finished_at, status, source, line)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(day, hall, id) DO UPDATE SET zone = excluded.zone, service = excluded.service,
                    issued_at = excluded.issued_at, called_at = excluded.called_at, win = excluded.win,
                    finished_at = excluded.finished_at, status = excluded.status, source = excluded.source, line = excluded.line
                """).execute(arguments: [Int(day), hall, id, zone, service, issued, called, window.isEmpty ? nil : window,
                                         finished, status, source, row.line])
            deltas[DayKey(hall: hall, zone: zone, day: day), default: .init()].add(t.sums)
        }
    }

    override func endBatch(db: Database) throws {
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO ticket_day (hall, zone, day, issued, called, wait_sum, served, handle_sum, no_show, abandoned)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(hall, zone, day) DO UPDATE SET issued = issued + excluded.issued, called = called + excluded.called,
                wait_sum = wait_sum + excluded.wait_sum, served = served + excluded.served,
                handle_sum = handle_sum + excluded.handle_sum, no_show = no_show + excluded.no_show,
                abandoned = abandoned + excluded.abandoned
            """)
        for (k, d) in deltas {
            try stmt.execute(arguments: [k.hall, k.zone, Int(k.day), d.issued, d.called, d.waitSum, d.served, d.handleSum, d.noShow, d.abandoned])
        }
        try db.execute(sql: "DELETE FROM ticket_day WHERE issued <= 0")
        deltas.removeAll(keepingCapacity: true)
    }
}

/// What one ticket adds to its hall's, zone's and day's sums.
struct TicketSums: Equatable {
    var issued = 0, called = 0, waitSum: Int64 = 0, served = 0, handleSum: Int64 = 0, noShow = 0, abandoned = 0

    mutating func add(_ o: TicketSums) {
        issued += o.issued; called += o.called; waitSum += o.waitSum; served += o.served
        handleSum += o.handleSum; noShow += o.noShow; abandoned += o.abandoned
    }
    mutating func subtract(_ o: TicketSums) {
        issued -= o.issued; called -= o.called; waitSum -= o.waitSum; served -= o.served
        handleSum -= o.handleSum; noShow -= o.noShow; abandoned -= o.abandoned
    }
}

/// A ticket's times and status, and the rules of what it counts as.
struct Ticket {
    var zone: String
    var issuedAt: Int64
    var calledAt: Int64?
    var finishedAt: Int64?
    var status: String

    /// Its whole contribution (every event counted): for whole days of the roll-up.
    var sums: TicketSums { sums(asOf: .max) }

    /// Its contribution counting only events at or before `at`: for the ragged end of a window.
    func sums(asOf at: Int64) -> TicketSums {
        var s = TicketSums()
        guard issuedAt <= at else { return s }
        s.issued = 1
        if let c = calledAt, c <= at {
            s.called = 1
            s.waitSum = c - issuedAt
            if status == "done", let e = finishedAt, e <= at {
                s.served = 1
                s.handleSum = e - c
            }
            if status == "no_show" { s.noShow = 1 }
        }
        if status == "abandoned", (finishedAt ?? issuedAt) <= at { s.abandoned = 1 }
        return s
    }

    /// Waiting at `at`: issued by then, not yet called, not given up. Only tickets of at's own day
    /// wait (the queue starts afresh each day: a ticket still waiting at midnight stops waiting).
    func isWaiting(at: Int64) -> Bool {
        guard issuedAt <= at, LocalTime.day(of: issuedAt) == LocalTime.day(of: at) else { return false }
        if let c = calledAt, c <= at { return false }
        if status == "abandoned" { return finishedAt.map { $0 > at } ?? false }
        return true
    }

    /// At a window at `at`: called by then and not yet finished (a done ticket until its finish).
    func isServing(at: Int64) -> Bool {
        guard let c = calledAt, c <= at, LocalTime.day(of: c) == LocalTime.day(of: at) else { return false }
        switch status {
        case "serving": return finishedAt.map { $0 > at } ?? true
        case "done": return finishedAt.map { $0 > at } ?? false
        default: return false
        }
    }
}
