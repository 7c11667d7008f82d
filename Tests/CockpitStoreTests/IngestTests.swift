import CockpitCore
@testable import CockpitStore
import Foundation
import XCTest

final class IngestTests: XCTestCase {
    /// Hand-computed cases, as of Wed 2026-10-14 10:00 (holidays Oct 1–7, Sat Oct 10 a working day).
    let cases = Fixture.header + """

        a1,c1,区民政局,X1,事项一,hall,2026-09-30T10:00:00+08:00,3,in_review,,
        a2,c1,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,1,accepted,,
        a3,c2,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,2,accepted,,
        a4,c2,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,3,accepted,,
        a5,c3,区医保局,X2,事项二,mobile,2026-09-01T09:00:00+08:00,5,suspended,,2026-09-03T10:00:00+08:00/
        a6,c3,区医保局,X2,事项二,hall,2026-10-08T09:00:00+08:00,0,completed,2026-10-09T10:00:00+08:00,
        a7,c1,区医保局,X2,事项二,hall,2026-10-09T09:00:00+08:00,5,completed,2026-10-12T10:00:00+08:00,
        a8,c2,区医保局,X2,事项二,hall,2026-10-09T09:00:00+08:00,5,rejected,2026-10-12T10:00:00+08:00,
        a9,c3,区医保局,X2,事项二,hall,2026-09-25T10:00:00+08:00,5,in_review,,2026-09-28T10:00:00+08:00/2026-10-09T10:00:00+08:00
        """
    let at = t("2026-10-14T10:00:00+08:00")

    func figures(_ f: Fixture, at: Int64? = nil, since: Int64? = nil) throws -> [String: Figures] {
        try f.store.caseFigures(tree: f.store.tree(), window: FigureWindow(at: at ?? self.at, since: since))
    }

    func assertFigures(_ f: Figures?, open: Int, overdue: Int, warning: Int, suspended: Int, completed: Int, late: Int,
                       file: StaticString = #filePath, line: UInt = #line) {
        guard let f else { return XCTFail("no figures", file: file, line: line) }
        XCTAssertEqual(f.int(Metric.casesOpen), open, "open", file: file, line: line)
        XCTAssertEqual(f.int(Metric.casesOverdue), overdue, "overdue", file: file, line: line)
        XCTAssertEqual(f.int(Metric.casesWarning), warning, "warning", file: file, line: line)
        XCTAssertEqual(f.int(Metric.casesSuspended), suspended, "suspended", file: file, line: line)
        XCTAssertEqual(f.int(Metric.casesCompleted), completed, "completed", file: file, line: line)
        XCTAssertEqual(f.int(Metric.casesCompletedOverdue), late, "completed_overdue", file: file, line: line)
    }

    func testHandComputedFiguresRollUp() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.cases, "cases.csv", cases)
        XCTAssertEqual(r.accepted, 9)
        XCTAssertEqual(r.rejected, 0)
        let all = try figures(f)
        // a1 deadline Sat Oct 10 (workday) → red; a2 Oct 14 → yellow; a7 completed on time.
        assertFigures(all["c1"], open: 2, overdue: 1, warning: 1, suspended: 0, completed: 1, late: 0)
        // a3 Oct 15 (next working day) → yellow; a4 Oct 16 → green; a8 rejected counts nowhere.
        assertFigures(all["c2"], open: 2, overdue: 0, warning: 1, suspended: 0, completed: 0, late: 0)
        // a5 suspended → grey; a9: Oct 9 + 4 suspended working days (Sep 28, 29, 30, Oct 8) → Oct 14 → yellow;
        // a6 N=0: deadline Oct 8 24:00, completed Oct 9 → late.
        assertFigures(all["c3"], open: 2, overdue: 0, warning: 1, suspended: 1, completed: 1, late: 1)
        assertFigures(all["s1"], open: 4, overdue: 1, warning: 2, suspended: 0, completed: 1, late: 0)
        assertFigures(all["s2"], open: 2, overdue: 0, warning: 1, suspended: 1, completed: 1, late: 1)
        assertFigures(all["d"], open: 6, overdue: 1, warning: 3, suspended: 1, completed: 2, late: 1)
        XCTAssertEqual(all["d"]?[Metric.casesOnTimeRate], 0.5)
        XCTAssertEqual(all["s1"]?[Metric.casesOnTimeRate], 1.0)
        // An empty window has no rate: nil, shown as "—", never NaN.
        XCTAssertNil(all["c2"]?[Metric.casesOnTimeRate])
    }

    /// The cases behind each figure, as `cockpit cases` lists them: the same rules as the counts.
    func testCasesBehindTheFigures() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", cases)
        let tree = try f.store.tree()
        XCTAssertEqual(try f.store.cases(under: "d", tree: tree, light: .red, at: at).map(\.id), ["a1"])
        let red = try f.store.cases(under: "d", tree: tree, light: .red, at: at)
        XCTAssertEqual(red.first?.daysOver, 4, "deadline Sat Oct 10 24:00, at Wed Oct 14 10:00: into the 4th day")
        // Deadlines Oct 14 (a2, a9) and Oct 15 (a3), earliest first, ties by id.
        XCTAssertEqual(try f.store.cases(under: "d", tree: tree, light: .yellow, at: at).map(\.id), ["a2", "a9", "a3"])
        XCTAssertEqual(try f.store.cases(under: "d", tree: tree, light: .green, at: at).map(\.id), ["a4"])
        XCTAssertEqual(try f.store.cases(under: "d", tree: tree, light: .grey, at: at).map(\.id), ["a5"])
        XCTAssertEqual(try f.store.cases(under: "s2", tree: tree, light: .yellow, at: at).map(\.id), ["a9"])
        XCTAssertEqual(try f.store.cases(under: "c2", tree: tree, light: .red, at: at).map(\.id), [])
    }

    func testLightsMoveWithTheClock() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", cases)
        // One second before a9's and a2's deadline (Oct 14 24:00): not overdue; one second after: overdue.
        let before = try figures(f, at: t("2026-10-14T23:59:59+08:00"))
        XCTAssertEqual(before["d"]?.int(Metric.casesOverdue), 1)
        let exactly = try figures(f, at: t("2026-10-15T00:00:00+08:00"))
        XCTAssertEqual(exactly["d"]?.int(Metric.casesOverdue), 1, "at == deadline is not past it")
        let after = try figures(f, at: t("2026-10-15T00:00:01+08:00"))
        XCTAssertEqual(after["c1"]?.int(Metric.casesOverdue), 2)
        XCTAssertEqual(after["c3"]?.int(Metric.casesOverdue), 1)
        XCTAssertEqual(after["d"]?.int(Metric.casesOverdue), 3)
    }

    func testFlowWindowCountsOnlyCompletionsInside() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", cases)
        // a6 completed Oct 9 10:00, a7 Oct 12 10:00.
        let w1 = try figures(f, at: t("2026-10-12T09:59:59+08:00"), since: t("2026-10-09T10:00:00+08:00"))
        XCTAssertEqual(w1["d"]?.int(Metric.casesCompleted), 1)
        let w2 = try figures(f, at: t("2026-10-12T10:00:00+08:00"), since: t("2026-10-09T10:00:01+08:00"))
        XCTAssertEqual(w2["d"]?.int(Metric.casesCompleted), 1)
        let w3 = try figures(f, at: t("2026-10-20T00:00:00+08:00"), since: t("2026-10-09T10:00:00+08:00"))
        XCTAssertEqual(w3["d"]?.int(Metric.casesCompleted), 2)
        let w4 = try figures(f, at: t("2026-10-09T12:00:00+08:00"), since: t("2026-10-09T11:00:00+08:00"))
        XCTAssertEqual(w4["d"]?.int(Metric.casesCompleted), 0)
    }

    func testLaterPushReplacesEarlierAndMovesTheCounts() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", cases)
        // a1 completed late (deadline Oct 10), and a4 moved from c2 to c3.
        try f.ingest(.cases, "push2.csv", Fixture.header + """

            a1,c1,区民政局,X1,事项一,hall,2026-09-30T10:00:00+08:00,3,completed,2026-10-13T10:00:00+08:00,
            a4,c3,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,3,accepted,,
            """)
        XCTAssertEqual(try f.store.caseCount(), 9)
        let all = try figures(f)
        assertFigures(all["c1"], open: 1, overdue: 0, warning: 1, suspended: 0, completed: 2, late: 1)
        assertFigures(all["c2"], open: 1, overdue: 0, warning: 1, suspended: 0, completed: 0, late: 0)
        assertFigures(all["c3"], open: 3, overdue: 0, warning: 1, suspended: 1, completed: 1, late: 1)
        assertFigures(all["d"], open: 5, overdue: 0, warning: 3, suspended: 1, completed: 3, late: 2)
    }

    func testBadRowsAreRejectedWithLineFieldAndReasonAndGoodRowsGoIn() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.cases, "bad.csv", Fixture.header + """

            g1,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,accepted,,
            b1,nowhere,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,accepted,,
            b2,c1,区民政局,X1,事项一,hall,2026-13-45T09:00,1,accepted,,
            b3,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,-2,accepted,,
            b4,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,finished,,
            ,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,accepted,,
            b6,c1,区民政局
            b7,c1,区民政局,X1,事项一,fax,2026-10-13T09:00:00+08:00,1,accepted,,
            b8,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,completed,soon,
            b9,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,suspended,,2026-10-13T10:00/x
            g2,c2,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,accepted,,
            """)
        XCTAssertEqual(r.accepted, 2)
        XCTAssertEqual(r.rejected, 9)
        let rejects = try f.store.rejects()
        XCTAssertEqual(rejects.map(\.line), [3, 4, 5, 6, 7, 8, 9, 10, 11])
        XCTAssertEqual(rejects.map { $0.field ?? "-" }, ["unit", "accepted_at", "promised_days", "status", "id", "-", "channel", "completed_at", "suspensions"])
        XCTAssertTrue(rejects[0].reason.contains("unknown unit 'nowhere'"), rejects[0].reason)
        XCTAssertTrue(rejects[5].reason.contains("expected 11 fields, found 3"), rejects[5].reason)
        XCTAssertTrue(rejects[0].raw.hasPrefix("b1,nowhere,"))
        XCTAssertTrue(r.reasons[0].hasSuffix("bad.csv:3: unit: unknown unit 'nowhere' (nearest: 'd')") || r.reasons[0].contains("bad.csv:3: unit:"), r.reasons[0])
        XCTAssertEqual(try f.store.caseCount(), 2)

        // Re-ingesting the fixed file replaces its rejects.
        try f.ingest(.cases, "bad.csv", Fixture.header + "\ng1,c1,区民政局,X1,事项一,hall,2026-10-13T09:00:00+08:00,1,accepted,,\n")
        XCTAssertEqual(try f.store.rejects().count, 0)
    }

    func testFileLevelErrors() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        XCTAssertThrowsError(try f.ingest(.cases, "empty.csv", "")) { e in
            XCTAssertTrue("\(e)".contains("empty file"), "\(e)")
        }
        XCTAssertThrowsError(try f.ingest(.cases, "cols.csv", "id,unit,department\nx,c1,d\n")) { e in
            XCTAssertTrue("\(e)".contains("missing columns 'item_code'"), "\(e)")
        }
        XCTAssertThrowsError(try f.ingest(.cases, "dup.csv", Fixture.header + ",unit\n")) { e in
            XCTAssertTrue("\(e)".contains("column 'unit' appears twice"), "\(e)")
        }
        XCTAssertThrowsError(try f.store.ingest(kind: .cases, file: f.dir + "/missing.csv")) { e in
            XCTAssertTrue(e is IngestFileError)
        }
        let headerOnly = try f.ingest(.cases, "header.csv", Fixture.header + "\n")
        XCTAssertEqual(headerOnly.accepted + headerOnly.rejected, 0)
        // Columns in another order, an unknown one, CRLF and a BOM: still read, with a warning.
        let odd = try f.ingest(.cases, "odd.csv", "\u{FEFF}status,id,unit,department,item_code,item_name,channel,accepted_at,promised_days,completed_at,suspensions,extra\r\n"
            + "accepted,o1,c1,区民政局,X1,\"事项,一\",hall,2026-10-13T09:00:00+08:00,1,,,zzz\r\n")
        XCTAssertEqual(odd.accepted, 1)
        XCTAssertTrue(odd.warnings.contains { $0.contains("unknown column 'extra' ignored") }, "\(odd.warnings)")
    }

    func testUnitsRejectUnknownParentsAndSecondRoots() throws {
        let f = try Fixture()
        let r = try f.ingest(.units, "units.csv", """
            id,name,tier,parent
            d,区,district,
            s1,街道,street,d
            x,另一个区,district,
            c9,社区,community,ghost
            c8,社区,village,s1
            C 7,社区,community,s1
            c1,社区,community,s1
            """)
        XCTAssertEqual(r.accepted, 3)
        XCTAssertEqual(r.rejected, 4)
        XCTAssertEqual(try f.store.tree().units.map(\.id), ["d", "s1", "c1"])
        XCTAssertEqual(Set(try f.store.rejects().map { $0.field ?? "" }), ["parent", "tier", "id"])
    }

    func testCalendarAfterCasesRecomputesDeadlines() throws {
        let f = try Fixture()
        try f.ingest(.units, "units.csv", "id,name,tier,parent\nd,区,district,\nc1,社区,community,d\n")
        // Accepted Wed Sep 30, N=3: with no holidays known the deadline is Mon Oct 5 …
        try f.ingest(.cases, "cases.csv", Fixture.header + "\na1,c1,区民政局,X1,事项一,hall,2026-09-30T10:00:00+08:00,3,accepted,,\n")
        let at = t("2026-10-08T12:00:00+08:00")
        var all = try f.store.caseFigures(tree: f.store.tree(), window: FigureWindow(at: at))
        XCTAssertEqual(all["d"]?.int(Metric.casesOverdue), 1)
        XCTAssertEqual(try f.store.casesOutsideCalendar(), 1, "no calendar yet: flagged, not guessed silently")
        // … with National Day known it moves to Sat Oct 10 (an adjusted working day).
        var cal = "date,kind\n2026-10-10,workday\n"
        for d in 1...7 { cal += "2026-10-0\(d),holiday\n" }
        try f.ingest(.calendar, "cal.csv", cal)
        all = try f.store.caseFigures(tree: f.store.tree(), window: FigureWindow(at: at))
        XCTAssertEqual(all["d"]?.int(Metric.casesOverdue), 0)
        XCTAssertEqual(all["d"]?.int(Metric.casesWarning), 0)
        let list = try f.store.cases(under: "d", tree: f.store.tree(), light: .green, at: at)
        XCTAssertEqual(list.map(\.id), ["a1"])
        XCTAssertEqual(list.first?.deadline, t("2026-10-11T00:00:00+08:00"))
        XCTAssertEqual(try f.store.casesOutsideCalendar(), 0)
    }

    func testCalendarRejectsWeekdayWorkdaysAndBadDates() throws {
        let f = try Fixture()
        let r = try f.ingest(.calendar, "cal.csv", "date,kind\n2026-10-01,holiday\n2026-10-12,workday\n2026-02-30,holiday\n2026-10-02,vacation\n")
        XCTAssertEqual(r.accepted, 1)
        XCTAssertEqual(r.rejected, 3)
    }
}
