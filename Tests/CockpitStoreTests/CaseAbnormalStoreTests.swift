import CockpitCore
@testable import CockpitStore
import Foundation
import GRDB
import XCTest

/// Push history and abnormal figures through the real ingest into a real SQLite file.
/// Hand-computed as of Wed 2026-10-14 10:00 (Oct 1–7 off, Sun Sep 20 and Sat Oct 10 working days).
final class CaseAbnormalStoreTests: XCTestCase {
    static let header = Fixture.header + ",pushed_at"
    /// p2 moves back (in_review → accepted); p3 completed before accepted; p4 accepted in the hall
    /// on a Sunday (a flag only); p5 unchanged since Mon Sep 14 (the fixture's calendar: Sep 15–18,
    /// Sun 20, 21–25 → 10th working day Fri Sep 25, stalled since);
    /// p6 accepted at 11:00, after `at`; p7's older push (another unit) comes after its newer one.
    let pushes = header + """

        p1,c1,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,3,in_review,,,2026-10-13T10:00:00+08:00
        p1,c1,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,3,in_review,,,2026-10-13T10:00:00+08:00
        p2,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,3,accepted,,,2026-10-12T09:10:00+08:00
        p2,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,3,in_review,,,2026-10-12T15:00:00+08:00
        p2,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,3,accepted,,,2026-10-13T11:00:00+08:00
        p3,c2,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,3,completed,2026-10-09T10:00:00+08:00,,
        p4,c3,区民政局,X1,事项一,hall,2026-10-11T10:00:00+08:00,3,accepted,,,
        p5,c3,区民政局,X1,事项一,online,2026-09-14T09:00:00+08:00,20,accepted,,,
        p6,c3,区民政局,X1,事项一,online,2026-10-14T11:00:00+08:00,3,accepted,,,
        p7,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,3,in_review,,,2026-10-13T09:00:00+08:00
        p7,c2,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,3,accepted,,,2026-10-12T09:05:00+08:00
        """
    let at = t("2026-10-14T10:00:00+08:00")

    func abnormal(_ f: Fixture, at: Int64) throws -> [String: [Int]] {
        let figures = try f.store.caseFigures(tree: f.store.tree(), window: FigureWindow(at: at))
        return figures.mapValues { [$0.int(Metric.casesAbnormal), $0.int(Metric.casesFlagged)] }
    }

    func pushCount(_ f: Fixture, _ id: String) throws -> Int {
        try f.store.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_pushes WHERE id = ?", arguments: [id]) ?? -1 }
    }

    func testAbnormalAndFlaggedFiguresRollUp() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.cases, "pushes.csv", pushes)
        XCTAssertEqual(r.rejected, 0, r.reasons.joined(separator: "\n"))
        XCTAssertEqual(try f.store.caseCount(), 7)
        let a = try abnormal(f, at: at)
        XCTAssertEqual(a["c1"], [2, 0])
        XCTAssertEqual(a["c2"], [1, 0])
        XCTAssertEqual(a["c3"], [2, 1])
        XCTAssertEqual(a["s1"], [3, 0])
        XCTAssertEqual(a["s2"], [2, 1])
        XCTAssertEqual(a["d"], [5, 1])
        // At 12:00 p6's acceptance is no longer in the future; p5 stays stalled.
        XCTAssertEqual(try abnormal(f, at: t("2026-10-14T12:00:00+08:00"))["c3"], [1, 1])
        // p5's 10th working day is Fri Sep 25: not stalled until its 24:00; p4 and p6 lie in the future.
        XCTAssertEqual(try abnormal(f, at: t("2026-09-25T23:59:59+08:00"))["c3"], [2, 1])
        XCTAssertEqual(try abnormal(f, at: t("2026-09-26T00:00:01+08:00"))["c3"], [3, 1])
    }

    func testPushHistoryIsKeptAndTheSamePushTwiceChangesNothing() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "pushes.csv", pushes)
        XCTAssertEqual(try pushCount(f, "p1"), 0, "pushed once (twice identically): the case row is its only push")
        XCTAssertEqual(try pushCount(f, "p2"), 3)
        XCTAssertEqual(try pushCount(f, "p7"), 2)
        let before = try abnormal(f, at: at)
        let figuresBefore = try f.store.caseFigures(tree: f.store.tree(), window: FigureWindow(at: at))
        // The same file again: every push is already there.
        let again = try f.ingest(.cases, "pushes.csv", pushes)
        XCTAssertEqual(again.rejected, 0)
        XCTAssertEqual(try pushCount(f, "p2"), 3)
        XCTAssertEqual(try pushCount(f, "p7"), 2)
        XCTAssertEqual(try abnormal(f, at: at), before)
        XCTAssertEqual(try f.store.caseFigures(tree: f.store.tree(), window: FigureWindow(at: at)), figuresBefore)

        // p7: the newer push (in_review in c1) stays the case although the older one came later.
        let p7 = try XCTUnwrap(try f.store.caseDetail(id: "p7", at: at))
        XCTAssertEqual(p7.current.unit, "c1")
        XCTAssertEqual(p7.current.status, .inReview)
        XCTAssertEqual(p7.pushes.map(\.unit), ["c2", "c1"])
        XCTAssertEqual(p7.findings.map(\.code), [.unitChanged])
        XCTAssertEqual(p7.findings.first?.line, 11, "proved by the push that changed the unit: line 11 of the file")
        XCTAssertTrue(p7.findings.first?.source.hasSuffix("pushes.csv") ?? false)

        let p2 = try XCTUnwrap(try f.store.caseDetail(id: "p2", at: at))
        XCTAssertEqual(p2.pushes.map(\.status), [.accepted, .inReview, .accepted])
        XCTAssertEqual(p2.findings.map(\.code), [.statusBackwards])
        XCTAssertEqual(p2.findings.first?.line, 6)

        // The roll-ups equal a recount from the cases after all the replacing.
        try assertRollupsMatchRebuild(f)
    }

    func testAbnormalListHasTheCasesBehindTheFigure() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "pushes.csv", pushes)
        let tree = try f.store.tree()
        let list = try f.store.abnormalCases(under: "d", tree: tree, at: at, limit: 100)
        XCTAssertEqual(Set(list.map(\.item.id)), ["p2", "p3", "p5", "p6", "p7"])
        let codes = Dictionary(uniqueKeysWithValues: list.map { ($0.item.id, $0.findings.filter { $0.level == .error }.map(\.code.rawValue)) })
        XCTAssertEqual(codes["p3"], ["ABN01_COMPLETED_BEFORE_ACCEPTED"])
        XCTAssertEqual(codes["p5"], ["ABN09_STALLED"])
        XCTAssertEqual(codes["p6"], ["ABN08_FUTURE_TIME"])
        XCTAssertEqual(try f.store.abnormalCases(under: "s2", tree: tree, at: at).count, 2)
        XCTAssertEqual(try f.store.abnormalCases(under: "d", tree: tree, at: at, flagged: true).map(\.item.id), ["p4"])
    }

    func testWithoutPushedAtTheLatestTimeInTheRowDatesThePush() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        // Same fallback time (acceptance only) and different content: the later in the file wins, both kept.
        try f.ingest(.cases, "a.csv", Fixture.header + """

            q1,c1,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,3,in_review,,
            q1,c2,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,3,accepted,,
            """)
        let q1 = try XCTUnwrap(try f.store.caseDetail(id: "q1", at: at))
        XCTAssertEqual(q1.current.unit, "c2")
        XCTAssertEqual(q1.pushedAt, t("2026-10-13T09:00:00+08:00"))
        XCTAssertEqual(Set(q1.findings.map(\.code)), [.statusBackwards, .unitChanged])
        // Completion dates the next push: it is later, so it wins whatever the file order.
        try f.ingest(.cases, "b.csv", Fixture.header + """

            q1,c2,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,3,completed,2026-10-13T16:00:00+08:00,
            """)
        XCTAssertEqual(try f.store.caseDetail(id: "q1", at: at)?.current.status, .completed)
        XCTAssertEqual(try pushCount(f, "q1"), 3)
        try assertRollupsMatchRebuild(f)
    }

    func testBadPushTimeIsRejectedWithItsField() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.cases, "bad.csv", Self.header + """

            z1,c1,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,3,in_review,,,yesterday
            """)
        XCTAssertEqual(r.rejected, 1)
        XCTAssertEqual(r.reasons, ["\(f.dir)/bad.csv:2: pushed_at: 'yesterday' is not an ISO 8601 time"])
    }

    /// Both roll-ups, as kept by deltas, equal the same tables rebuilt from the cases.
    func assertRollupsMatchRebuild(_ f: Fixture, file: StaticString = #filePath, line: UInt = #line) throws {
        func dump(_ db: Database) throws -> [String] {
            try Row.fetchAll(db, sql: "SELECT * FROM case_rollup ORDER BY 1, 2, 3").map { $0.description }
                + Row.fetchAll(db, sql: "SELECT * FROM case_abnormal_rollup ORDER BY 1, 2, 3, 4, 5").map { $0.description }
        }
        let kept = try f.store.reader.read(dump)
        let rebuilt = try DatabaseQueue(path: f.dbPath).write { db -> [String] in
            try CockpitStore.rebuildRollup(db)
            return try dump(db)
        }
        XCTAssertEqual(kept, rebuilt, file: file, line: line)
    }
}
