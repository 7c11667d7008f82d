import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import XCTest

final class SimulatorTests: XCTestCase {
    let t0 = LocalTime.parse("2026-11-23T09:00:00+08:00")!

    func run(seed: UInt64, steps: Int) -> [SourceRecord] {
        var feed = SimulatorFeed(seed: seed, units: Fixture.units, halls: ["d", "s1", "s2"], feeds: SimulatorFeed.feeds)
        return (0..<steps).flatMap { i in
            feed.nextByFeed(count: 10, at: t0 + Int64(i * 30)).sorted { $0.key < $1.key }.flatMap(\.value)
        }
    }

    func testTheSameSeedGivesTheSameFeed() {
        let a = run(seed: 42, steps: 200), b = run(seed: 42, steps: 200), c = run(seed: 43, steps: 200)
        XCTAssertEqual(a.count, 2000)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testTicketsCallsAndSeriesCarryIssue3sColumns() {
        var feed = SimulatorFeed(seed: 3, units: Fixture.units, halls: ["d", "s1"], feeds: ["tickets", "calls", "series"])
        var tickets: [String: [[String: String]]] = [:]
        var calls: [[String: String]] = [], series: [[String: String]] = []
        for i in 0..<200 {
            let b = feed.nextByFeed(count: 10, at: t0 + Int64(i * 20))
            for r in b["tickets"] ?? [] { tickets[r.fields["hall"]! + "/" + r.fields["id"]!, default: []].append(r.fields) }
            calls += (b["calls"] ?? []).map(\.fields)
            series += (b["series"] ?? []).map(\.fields)
        }
        let all = tickets.values.flatMap { $0 }
        XCTAssertEqual(Set(all.flatMap(\.keys)), ["id", "hall", "zone", "service", "issued_at", "called_at", "window", "finished_at", "status"])
        XCTAssertEqual(Set(calls.flatMap(\.keys)), ["interface", "provider", "consumer", "at", "ok", "latency_ms"])
        XCTAssertEqual(Set(series.flatMap(\.keys)), ["unit", "metric", "at", "value"])
        XCTAssertEqual(Set(all.map { $0["status"]! }), ["waiting", "serving", "done", "no_show", "abandoned"])
        // A ticket is pushed again as it is called and finished, with its times in order.
        let served = tickets.values.filter { $0.map { $0["status"]! } == ["waiting", "serving", "done"] }
        XCTAssertGreaterThan(served.count, 10)
        for t in served {
            let issued = LocalTime.parse(t[2]["issued_at"]!)!, called = LocalTime.parse(t[2]["called_at"]!)!
            let finished = LocalTime.parse(t[2]["finished_at"]!)!
            XCTAssertTrue(issued <= called && called <= finished, "\(t)")
            XCTAssertFalse(t[2]["window"]!.isEmpty)
        }
        XCTAssertTrue(calls.contains { $0["ok"] == "0" } && calls.contains { $0["ok"] == "1" })
    }

    func testCasesMoveThroughTheirLifeAndTheStoreTakesEveryRecord() throws {
        let f = try Fixture()
        var feed = SimulatorFeed(seed: 7, units: Fixture.units, halls: ["d"], feeds: ["cases"])
        var pushes: [String: [String]] = [:]
        for i in 0..<300 {
            let groups = feed.next(count: 20, at: t0 + Int64(i * 60))
            for r in groups.flatMap(\.records) { pushes[r.fields["id"]!, default: []].append(r.fields["status"]!) }
            let report = try f.store.ingest(groups: groups, source: "sim", checkpoint: nil)
            XCTAssertEqual(report.rejected, 0, "\(report.reasons)")
        }
        let statuses = Set(pushes.values.flatMap { $0 })
        XCTAssertEqual(statuses, ["accepted", "in_review", "suspended", "completed", "rejected", "withdrawn"])
        // Ids are pushed again as they progress, and one id is one case in the store.
        XCTAssertGreaterThan(pushes.values.filter { $0.count >= 3 }.count, 100)
        XCTAssertEqual(try f.store.caseCount(), pushes.count)
        XCTAssertTrue(pushes.values.contains { $0.contains("suspended") && $0.last == "completed" })
        // Resumed cases have their suspension closed.
        XCTAssertGreaterThan(try f.scalar("SELECT count(*) FROM cases WHERE status = 'in_review' AND suspensions LIKE '%/2026%'"), 0)
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases WHERE status <> 'suspended' AND suspensions LIKE '%/'"), 0)
    }

    func testARestartedSimulatorGoesOnWhereItsCommittedCheckpointWas() throws {
        final class Clock: @unchecked Sendable { var now: Int64; init(_ n: Int64) { now = n } }
        func adapter(_ clock: Clock) -> SimulatorAdapter {
            SimulatorAdapter(name: "sim", seed: 5, rate: 4, feeds: ["cases"], units: { (Fixture.units, ["d"]) }, clock: { clock.now })
        }
        // One adapter polled ten times…
        let c1 = Clock(t0)
        let whole = adapter(c1)
        var cp: String? = nil
        var straight: [SourceRecord] = []
        for _ in 0..<10 { c1.now += 5; let b = try whole.poll(from: cp, limit: 1000); cp = b.checkpoint; straight += b.groups.flatMap(\.records) }
        XCTAssertEqual(straight.count, 4 + 9 * 20) // the first poll owes one second, later ones five
        // …and one restarted after five polls (a new adapter from the checkpoint) give the same records.
        let c2 = Clock(t0)
        var first: SimulatorAdapter? = adapter(c2)
        var cp2: String? = nil
        var restarted: [SourceRecord] = []
        for i in 0..<10 {
            if i == 5 { first = adapter(c2) }
            c2.now += 5
            let b = try first!.poll(from: cp2, limit: 1000)
            cp2 = b.checkpoint
            restarted += b.groups.flatMap(\.records)
        }
        XCTAssertEqual(restarted, straight)
    }
}
