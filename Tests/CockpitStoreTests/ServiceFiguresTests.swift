import CockpitCore
@testable import CockpitStore
import Foundation
import XCTest

/// Hand-computed figures of tickets, calls, quality issues, ratings, items and series on the small
/// district (d → s1 (c1, c2), s2 (c3)), as of Wed 2026-10-14 10:00 unless said otherwise.
final class ServiceFiguresTests: XCTestCase {
    let at = t("2026-10-14T10:00:00+08:00")

    func all(_ f: Fixture, at: Int64? = nil, since: Int64? = nil) throws -> [String: Figures] {
        try f.store.figures(tree: f.store.tree(), window: FigureWindow(at: at ?? self.at, since: since))
    }

    static let ticketHeader = "id,hall,zone,service,issued_at,called_at,window,finished_at,status"
    static let tickets = ticketHeader + """

        A001,s1,intake,户籍,2026-10-14T09:00:00,2026-10-14T09:05:00,W1,2026-10-14T09:15:00,done
        A002,s1,intake,户籍,2026-10-14T09:10:00,2026-10-14T09:35:00,W1,2026-10-14T09:50:00,done
        A003,s1,intake,社保,2026-10-14T09:30:00,2026-10-14T09:50:00,W2,,serving
        A004,s1,intake,社保,2026-10-14T09:40:00,,,,waiting
        A005,s1,intake,社保,2026-10-14T09:55:00,,,,waiting
        A006,s1,approval,审批,2026-10-14T09:00:00,2026-10-14T09:02:00,W5,,no_show
        A007,s1,approval,审批,2026-10-14T09:30:00,,,2026-10-14T09:45:00,abandoned
        A008,s1,intake,户籍,2026-10-14T09:58:00,2026-10-14T10:30:00,W1,2026-10-14T10:40:00,done
        B001,c3,delivery,出件,2026-10-14T09:00:00,2026-10-14T09:01:00,W9,2026-10-14T09:03:00,done
        A001,s1,intake,户籍,2026-10-13T16:50:00,,,,waiting
        A009,s1,intake,户籍,2026-10-13T10:00:00,2026-10-13T10:10:00,W1,2026-10-13T10:20:00,done
        """

    func testQueueFiguresByHallZoneAndRollUp() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.tickets, "tickets.csv", Self.tickets)
        XCTAssertEqual(r.rejected, 0, r.reasons.joined(separator: "\n"))
        let a = try all(f)
        let s1 = try XCTUnwrap(a["s1"])
        // A004, A005 and A008 (called only at 10:30) wait; yesterday's A001 stopped waiting at midnight.
        XCTAssertEqual(s1[Metric.queueWaiting], 3)
        XCTAssertEqual(s1[Metric.queueLongestWait], 1200)
        // W1 called A002 at 09:35 (within 30 min), W2 serves A003; W5 called at 09:02 only.
        XCTAssertEqual(s1[Metric.queueWindowsOpen], 2)
        // Called: A001 300, A002 1500, A003 1200, A006 120 → 3120 / 4.
        XCTAssertEqual(s1[Metric.queueAvgWait], 780)
        // Served by 10:00: A001 600, A002 900.
        XCTAssertEqual(s1[Metric.queueServed], 2)
        XCTAssertEqual(s1[Metric.queueAvgHandle], 750)
        XCTAssertEqual(s1[Metric.queueSaturation], 1.5)
        // (1 no-show + 1 abandoned) / (4 called + 1 abandoned).
        XCTAssertEqual(s1[Metric.queueNoShowRate], 0.4)
        XCTAssertEqual(s1[Metric.queueEstimatedWait], 1125)
        XCTAssertEqual(s1[Metric.part(Metric.queueWaiting, "intake")], 3)
        XCTAssertEqual(s1[Metric.part(Metric.queueWaiting, "approval")], 0)
        XCTAssertEqual(s1[Metric.part(Metric.queueWindowsOpen, "approval")], 0)
        XCTAssertNil(s1[Metric.part(Metric.queueEstimatedWait, "approval")], "no open window: no estimate")
        XCTAssertEqual(s1[Metric.part(Metric.queueEstimatedWait, "intake")], 1125)

        let c3 = try XCTUnwrap(a["c3"])
        XCTAssertEqual(c3[Metric.queueServed], 1)
        XCTAssertEqual(c3[Metric.queueAvgWait], 60)
        XCTAssertEqual(c3[Metric.queueWindowsOpen], 0)
        XCTAssertNil(c3[Metric.queueSaturation], "no open window: saturation is —, not NaN")
        XCTAssertEqual(a["s2"]?[Metric.queueServed], 1)

        let d = try XCTUnwrap(a["d"])
        XCTAssertEqual(d[Metric.queueWaiting], 3)
        XCTAssertEqual(d[Metric.queueServed], 3)
        XCTAssertEqual(d[Metric.queueAvgWait], 636)       // 3180 / 5
        XCTAssertEqual(d[Metric.queueAvgHandle], 540)     // 1620 / 3
        XCTAssertEqual(d[Metric.queueEstimatedWait], 810) // 3 × 540 / 2
        XCTAssertEqual(try XCTUnwrap(d[Metric.queueNoShowRate]), 2.0 / 6.0, accuracy: 1e-12)
        // c1 has no hall: counts are 0, averages —.
        XCTAssertEqual(a["c1"]?[Metric.queueWaiting], 0)
        XCTAssertNil(a["c1"]?[Metric.queueAvgWait])
    }

    func testQueueWindowsOverWholeDaysAndUpdates() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.tickets, "tickets.csv", Self.tickets)
        // Since the 13th: the whole 13th (roll-up) adds A009 (wait 600, handle 600).
        let two = try all(f, since: t("2026-10-13T00:00:00+08:00"))
        XCTAssertEqual(two["s1"]?[Metric.queueServed], 3)
        XCTAssertEqual(two["s1"]?[Metric.queueAvgHandle], 700)
        // A ragged start after A009 was issued: only yesterday's A001 (issued 16:50, never called).
        let ragged = try all(f, since: t("2026-10-13T10:05:00+08:00"))
        XCTAssertEqual(ragged["s1"]?[Metric.queueServed], 2)
        XCTAssertEqual(ragged["s1"]?[Metric.queueAvgWait], 780)
        // A ticket progresses: A004 is called at 09:59 to W3.
        try f.ingest(.tickets, "push2.csv", Self.ticketHeader + "\nA004,s1,intake,社保,2026-10-14T09:40:00,2026-10-14T09:59:00,W3,,serving")
        let now = try all(f)
        XCTAssertEqual(now["s1"]?[Metric.queueWaiting], 2)
        XCTAssertEqual(now["s1"]?[Metric.queueWindowsOpen], 3)
        XCTAssertEqual(now["s1"]?[Metric.queueAvgWait], 852) // (3120 + A004 1140) / 5
        // The whole 14th from the roll-up (as of the next midnight) after the update: every event counts.
        let next = try all(f, at: t("2026-10-15T00:00:00+08:00"), since: t("2026-10-14T00:00:00+08:00"))
        // Served: A001, A002, A008 in s1 and B001 in c3; A004 and A003 still serving.
        XCTAssertEqual(next["s1"]?[Metric.queueServed], 3)
        XCTAssertEqual(next["d"]?[Metric.queueServed], 4)
        // Called in s1: A001 300, A002 1500, A003 1200, A004 1140, A006 120, A008 1920 → 6180 / 6.
        XCTAssertEqual(next["s1"]?[Metric.queueAvgWait], 1030)
        XCTAssertEqual(next["s1"]?[Metric.queueWaiting], 0, "nothing waits at the next midnight")
    }

    func testHallBoards() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.tickets, "tickets.csv", Self.tickets)
        let boards = try f.store.hallBoards(under: "d", tree: f.store.tree(), at: at)
        XCTAssertEqual(boards.map(\.hall), ["s1", "c3"])
        let intake = try XCTUnwrap(boards[0].zones.first { $0.zone == .intake })
        XCTAssertEqual(intake.waiting, 3)
        XCTAssertEqual(intake.longestWaitS, 1200)
        XCTAssertEqual(intake.estimatedWaitS, 1125)
        XCTAssertEqual(intake.windows, [HallBoard.Window(id: "W1"),
                                        HallBoard.Window(id: "W2", ticket: "A003", service: "社保", since: t("2026-10-14T09:50:00"))])
        XCTAssertEqual(try f.store.hallBoards(under: "s2", tree: f.store.tree(), at: at).map(\.hall), ["c3"])
    }

    func testBadTicketsAreRejected() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.tickets, "bad.csv", Self.ticketHeader + """

            G1,s1,intake,x,2026-10-14T09:00:00,,,,waiting
            B1,s1,lobby,x,2026-10-14T09:00:00,,,,waiting
            B2,s1,intake,x,2026-10-14T09:00:00,2026-10-14T09:05:00,W1,,done
            B3,s1,intake,x,2026-10-14T09:00:00,2026-10-14T08:05:00,W1,,serving
            B4,nowhere,intake,x,2026-10-14T09:00:00,,,,waiting
            B5,s1,intake,x,2026-10-14T09:00:00,,,,sleeping
            B6,s1,intake,x,yesterday,,,,waiting
            """)
        XCTAssertEqual(r.accepted, 1)
        XCTAssertEqual(r.rejected, 6)
        let rejects = try f.store.rejects()
        XCTAssertEqual(rejects.map(\.line), [3, 4, 5, 6, 7, 8])
        XCTAssertEqual(rejects.map { $0.field ?? "" }, ["zone", "finished_at", "called_at", "hall", "status", "issued_at"])
        XCTAssertTrue(rejects[0].reason.contains("lobby"), rejects[0].reason)
        XCTAssertEqual(try all(f)["s1"]?[Metric.queueWaiting], 1)
    }

    static let calls: String = {
        var s = "interface,provider,consumer,at,ok,latency_ms\n"
        for i in 1...20 { s += "q\(i % 3),区市监局,c1,2026-10-14T09:\(10 + i):00,\(i <= 2 ? 0 : 1),\(i * 10)\n" }
        s += "v1,区民政局,c3,2026-10-14T08:00:00,1,5\n"
        s += "v1,区民政局,c3,2026-10-14T08:01:00,1,50\n"
        s += "v1,区民政局,c3,2026-10-14T08:02:00,1,500\n"
        s += "v1,区民政局,c3,2026-10-14T08:02:00,1,500\n"   // the same call again: once
        s += "v1,区民政局,c2,2026-10-13T08:00:00,0,1000\n"   // yesterday
        s += "v1,区民政局,c2,2026-10-14T10:00:01,1,1\n"      // after at
        return s
    }()

    func testCallFiguresWithP95FromHistograms() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.calls, "calls.csv", Self.calls)
        let a = try all(f)
        // c1: latencies 10…200, two failures; nearest-rank p95 = 19th = 190 → bucket (150, 200].
        XCTAssertEqual(a["c1"]?[Metric.shareCalls], 20)
        XCTAssertEqual(a["c1"]?[Metric.shareSuccessRate], 0.9)
        XCTAssertEqual(a["c1"]?[Metric.shareP95Latency], 200)
        XCTAssertEqual(a["c1"]?[Metric.shareConsumers], 1)
        // c3: 5, 50, 500 → 3rd = 500.
        XCTAssertEqual(a["c3"]?[Metric.shareCalls], 3)
        XCTAssertEqual(a["c3"]?[Metric.shareP95Latency], 500)
        // d: 23 calls, 22nd smallest = 200.
        XCTAssertEqual(a["d"]?[Metric.shareCalls], 23)
        XCTAssertEqual(a["d"]?[Metric.shareP95Latency], 200)
        XCTAssertEqual(a["d"]?[Metric.shareConsumers], 2)
        XCTAssertEqual(a["c2"]?[Metric.shareCalls], 0)
        XCTAssertNil(a["c2"]?[Metric.shareSuccessRate])
        XCTAssertNil(a["c2"]?[Metric.shareP95Latency])
        // Since yesterday: c2's failed 1000 ms call (whole day from the roll-up) joins.
        let two = try all(f, since: t("2026-10-13T00:00:00+08:00"))
        XCTAssertEqual(two["d"]?[Metric.shareCalls], 24)
        XCTAssertEqual(two["d"]?[Metric.shareConsumers], 3)
        XCTAssertEqual(two["d"]?[Metric.shareP95Latency], 500) // 23rd of 24 = 500
        let providers = try f.store.providerFigures(window: FigureWindow(at: at))
        XCTAssertEqual(providers["区市监局"]?[Metric.shareCalls], 20)
        XCTAssertEqual(providers["区市监局"]?[Metric.shareSuccessRate], 0.9)
        XCTAssertEqual(providers["区市监局"]?[Metric.shareP95Latency], 200)
        XCTAssertEqual(providers["区民政局"]?[Metric.shareCalls], 3)
        XCTAssertEqual(providers["区民政局"]?[Metric.shareConsumers], 1)
        let providers2 = try f.store.providerFigures(window: FigureWindow(at: at, since: t("2026-10-13T00:00:00+08:00")))
        XCTAssertEqual(providers2["区民政局"]?[Metric.shareConsumers], 2)
        XCTAssertEqual(try XCTUnwrap(providers2["区民政局"]?[Metric.shareSuccessRate]), 0.75)
    }

    func testLatencyBuckets() {
        XCTAssertEqual(CallLatency.bucket(0), 0)
        XCTAssertEqual(CallLatency.bucket(1), 0)
        XCTAssertEqual(CallLatency.bucket(2), 1)
        XCTAssertEqual(CallLatency.upper(CallLatency.bucket(7)), 8)
        XCTAssertEqual(CallLatency.upper(CallLatency.bucket(200)), 200)
        XCTAssertEqual(CallLatency.upper(CallLatency.bucket(201)), 250)
        XCTAssertEqual(CallLatency.upper(CallLatency.bucket(90_000)), 60_000)
        XCTAssertNil(CallLatency.p95([:]))
        // 100 calls: 95 at ≤ 10 ms, 5 at ≤ 1000 ms → the 95th is still in the 10 ms bucket; 96 → not.
        XCTAssertEqual(CallLatency.p95([CallLatency.bucket(10): 95, CallLatency.bucket(1000): 5]), 10)
        XCTAssertEqual(CallLatency.p95([CallLatency.bucket(10): 94, CallLatency.bucket(1000): 6]), 1000)
    }

    func testBadCallsAreRejected() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.calls, "bad.csv", """
            interface,provider,consumer,at,ok,latency_ms
            q,区市监局,c1,2026-10-14T09:00:00,1,10
            q,区市监局,c1,2026-10-14T09:00:00,maybe,10
            q,区市监局,c1,2026-10-14T09:00:00,1,-3
            q,区市监局,c9,2026-10-14T09:00:00,1,10
            q,,c1,2026-10-14T09:00:00,1,10
            """)
        XCTAssertEqual(r.accepted, 1)
        XCTAssertEqual(try f.store.rejects().map { $0.field ?? "" }, ["ok", "latency_ms", "consumer", "provider"])
    }

    func testQualityIssuesAgainstTheirProvider() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.quality, "quality.csv", """
            id,dataset,provider,kind,opened_at,due_at,resolved_at
            Q1,营业执照,区市监局,stale,2026-10-09T09:00:00,,
            Q2,营业执照,区市监局,wrong,2026-09-28T09:00:00,2026-09-30T00:00:00,
            Q3,食品许可,区市监局,missing,2026-10-14T08:00:00,,2026-10-14T09:30:00
            Q4,低保名单,区民政局,format,2026-10-01T09:00:00,,2026-10-12T09:00:00
            B1,低保名单,区民政局,ugly,2026-10-01T09:00:00,,
            B2,低保名单,区民政局,wrong,2026-10-01T09:00:00,,2026-09-01T09:00:00
            """)
        XCTAssertEqual(r.accepted, 4)
        XCTAssertEqual(try f.store.rejects().map { $0.field ?? "" }, ["kind", "resolved_at"])
        let p = try f.store.providerFigures(window: FigureWindow(at: at))
        XCTAssertEqual(p["区市监局"]?[Metric.shareQualityOpen], 2)
        XCTAssertEqual(p["区市监局"]?[Metric.shareQualityOverdue], 1)
        XCTAssertEqual(p["区市监局"]?[Metric.shareMeanTimeToFix], 1.5)
        XCTAssertEqual(p["区民政局"]?[Metric.shareQualityOpen], 0)
        XCTAssertNil(p["区民政局"]?[Metric.shareMeanTimeToFix], "nothing fixed today")
        XCTAssertEqual(try all(f)["d"]?[Metric.shareQualityOpen], 2)
        XCTAssertNil(try all(f)["s1"]?[Metric.shareQualityOpen], "quality issues belong to providers, shown at the root")
        // Q1 opened Fri Oct 9: working days Sat 10 (调休), Mon 12 … Thu 15 → due Oct 15 24:00.
        let before = try f.store.providerFigures(window: FigureWindow(at: t("2026-10-16T00:00:00+08:00")))
        XCTAssertEqual(before["区市监局"]?[Metric.shareQualityOverdue], 1)
        let after = try f.store.providerFigures(window: FigureWindow(at: t("2026-10-16T00:00:01+08:00")))
        XCTAssertEqual(after["区市监局"]?[Metric.shareQualityOverdue], 2)
    }

    func testRatingsCountForTheirCasesUnit() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", Fixture.header + """

            k1,c1,区民政局,X1,事项一,hall,2026-09-10T10:00:00+08:00,3,completed,2026-09-11T10:00:00+08:00,
            k2,c2,区民政局,X1,事项一,hall,2026-08-20T10:00:00+08:00,3,completed,2026-08-21T10:00:00+08:00,
            k3,c3,区民政局,X1,事项一,hall,2026-10-12T10:00:00+08:00,3,completed,2026-10-13T09:00:00+08:00,
            k4,c1,区民政局,X1,事项一,hall,2026-10-09T10:00:00+08:00,3,completed,2026-10-12T08:00:00+08:00,
            """)
        let r = try f.ingest(.ratings, "ratings.csv", """
            case,level,channel,rated_at,rectified_at
            k1,1,online,2026-09-20T10:00:00,
            k2,2,hall,2026-09-01T10:00:00,2026-10-10T10:00:00
            k3,5,mobile,2026-10-13T10:00:00,
            k4,1,hall,2026-10-12T09:00:00,2026-10-13T09:00:00
            zz,1,hall,2026-10-12T09:00:00,
            k3,6,hall,2026-10-12T09:00:00,
            k3,2,fax,2026-10-12T09:00:00,
            """)
        XCTAssertEqual(r.accepted, 4)
        XCTAssertEqual(try f.store.rejects().map { $0.field ?? "" }, ["case", "level", "channel"])
        let a = try all(f)
        // Window: October so far. k1 (Sep 20, open, due Oct 15 24:00) and k2 (due Sep 21 24:00,
        // rectified Oct 10: late) were rated before it; k3 and k4 in it.
        XCTAssertEqual(a["d"]?[Metric.ratingCount], 2)
        XCTAssertEqual(a["d"]?[Metric.ratingPoor], 1)
        XCTAssertEqual(a["d"]?[Metric.ratingPoorOpen], 1)
        XCTAssertEqual(a["c1"]?[Metric.ratingPoorOpen], 1)
        XCTAssertEqual(a["d"]?[Metric.ratingRectifyLate], 0, "no rectification fell due in October yet")
        XCTAssertEqual(a["s2"]?[Metric.ratingCount], 1)
        // Since September: k2 fell due on Sep 22 00:00 and was rectified only on Oct 10.
        let sep = try all(f, since: t("2026-09-01T00:00:00+08:00"))
        XCTAssertEqual(sep["c2"]?[Metric.ratingRectifyLate], 1)
        XCTAssertEqual(sep["d"]?[Metric.ratingRectifyLate], 1)
        XCTAssertEqual(sep["d"]?[Metric.ratingCount], 4)
        XCTAssertEqual(sep["d"]?[Metric.ratingPoor], 3)
        // k1 falls due at Oct 16 00:00: late one second later, not at that instant.
        XCTAssertEqual(try all(f, at: t("2026-10-16T00:00:00+08:00"))["d"]?[Metric.ratingRectifyLate], 0)
        XCTAssertEqual(try all(f, at: t("2026-10-16T00:00:01+08:00"))["c1"]?[Metric.ratingRectifyLate], 1)
        // As of Oct 12 12:00, k2 (rectified Oct 10) is closed; k4 (rectified Oct 13) is still open.
        XCTAssertEqual(try all(f, at: t("2026-10-12T12:00:00+08:00"))["d"]?[Metric.ratingPoorOpen], 2)
    }

    func testItemsRates() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.items, "items.csv", """
            department,item_code,item_name,realised,online
            区民政局,X1,低保申请,1,1
            区民政局,X2,临时救助,yes,no
            区医保局,Y1,医保转移,1,1
            区医保局,Y2,医保报销,maybe,1
            """)
        XCTAssertEqual(r.accepted, 3)
        XCTAssertEqual(try f.store.rejects().first?.field, "realised")
        let d = try XCTUnwrap(try all(f)["d"])
        XCTAssertEqual(d[Metric.itemsCount], 3)
        XCTAssertEqual(d[Metric.itemsRealisedRate], 1)
        XCTAssertEqual(try XCTUnwrap(d[Metric.itemsOnlineRate]), 2.0 / 3.0, accuracy: 1e-12)
        let p = try f.store.providerFigures(window: FigureWindow(at: at))
        XCTAssertEqual(p["区民政局"]?[Metric.itemsOnlineRate], 0.5)
        XCTAssertEqual(p["区民政局"]?[Metric.shareCalls], 0)
    }

    func testSeriesLatestDeltaMinMax() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.series, "series.csv", """
            unit,metric,at,value
            c1,elevator_alarms,2026-10-13T12:00:00,5
            c1,elevator_alarms,2026-10-14T08:00:00,7
            c1,elevator_alarms,2026-10-14T09:00:00,3
            c1,elevator_alarms,2026-10-14T11:00:00,9
            c2,elevator_alarms,2026-10-14T09:30:00,2
            c9,elevator_alarms,2026-10-14T09:30:00,2
            c1,Bad Name,2026-10-14T09:30:00,2
            c1,elevator_alarms,2026-10-14T09:30:00,lots
            """)
        XCTAssertEqual(r.accepted, 5)
        XCTAssertEqual(try f.store.rejects().map { $0.field ?? "" }, ["unit", "metric", "value"])
        XCTAssertEqual(try f.store.seriesNames(), ["elevator_alarms"])
        let a = try all(f)
        let m = Metric.seriesFigures("elevator_alarms")
        XCTAssertEqual(m.map { a["c1"]?[$0] }, [3, -2, 3, 7])
        XCTAssertEqual(m.map { a["c2"]?[$0] }, [2, nil, 2, 2])
        XCTAssertEqual(m.map { a["s1"]?[$0] }, [5, -2, 2, 7])
        XCTAssertEqual(m.map { a["d"]?[$0] }, [5, -2, 2, 7])
        XCTAssertEqual(m.map { a["s2"]?[$0] }, [nil, nil, nil, nil])
        let later = try all(f, at: t("2026-10-14T12:00:00+08:00"))
        XCTAssertEqual(later["c1"]?[m[0]], 9)
        XCTAssertEqual(later["c1"]?[m[3]], 9)
    }

    func testDirectoryEntriesPerProvider() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.directory, "directory.csv", """
            provider,dataset,interface,share_type,name
            区市监局,营业执照,query,unconditional,营业执照查询
            区市监局,营业执照,verify,conditional,营业执照核验
            区市监局,食品许可,batch,not_shared,
            区民政局,低保名单,teleport,unconditional,
            """)
        XCTAssertEqual(r.accepted, 3)
        XCTAssertEqual(try f.store.rejects().first?.field, "interface")
        let p = try f.store.providerFigures(window: FigureWindow(at: at))
        XCTAssertEqual(p["区市监局"]?[Metric.shareEntries], 3)
        XCTAssertEqual(p["区市监局"]?[Metric.shareNotShared], 1)
    }
}
