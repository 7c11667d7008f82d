import CockpitCore
@testable import CockpitStore
import Foundation
import GRDB
import XCTest

/// The times of cases within their day (`CaseTimes`): the entries, their multiset deltas, the
/// split of a window's ragged ends by day, and the tables kept by ingest against a recount.
final class CaseTimesTests: XCTestCase {
    func testEntriesAreSecondsOfTheLocalDay() {
        XCTAssertEqual(CaseTimes.second(of: t("2026-10-14T00:00:00+08:00")), 0)
        XCTAssertEqual(CaseTimes.second(of: t("2026-10-14T10:30:01+08:00")), 10 * 3600 + 30 * 60 + 1)
        XCTAssertEqual(CaseTimes.second(of: t("2026-10-14T23:59:59+08:00")), 86399)
        // Before 1970 too (a day starts at 16:00 UTC).
        XCTAssertEqual(CaseTimes.second(of: t("1969-12-31T08:00:05+08:00")), 8 * 3600 + 5)
        XCTAssertEqual(CaseTimes.doneEntry(t("2026-10-14T00:00:02+08:00"), late: true), 5)
        XCTAssertEqual(CaseTimes.doneEntry(t("2026-10-14T23:59:59+08:00"), late: false), 86399 * 2)
        let entries: [UInt32] = [0, 1, 255, 256, 172_798, 0xFFFF_FFFF]
        XCTAssertEqual(CaseTimes.decode(Data(CaseTimes.encode(entries))), entries)
        XCTAssertEqual(CaseTimes.encode([0x0403_0201]), [1, 2, 3, 4], "little-endian")
    }

    func testDeltasAreMultisets() {
        var d = TimesDelta()
        XCTAssertTrue(d.isEmpty)
        d.add(7, sign: 1)
        d.add(3, sign: 1)
        d.add(7, sign: 1)
        d.add(5, sign: -1)
        XCTAssertEqual(d.applied(to: [1, 5, 5, 9]), [1, 3, 5, 7, 7, 9], "one 5 out, both 7s in")
        // Added and taken back in the same batch: nothing left behind.
        var back = TimesDelta()
        back.add(4, sign: 1)
        back.add(4, sign: -1)
        XCTAssertEqual(back.applied(to: []), [])
        XCTAssertEqual(back.applied(to: [4]), [4])
        // Taking out what is not there changes nothing (the row is left as it is).
        var missing = TimesDelta()
        missing.add(2, sign: -1)
        XCTAssertEqual(missing.applied(to: [1, 3]), [1, 3])
        var merged = d
        merged.merge(back)
        XCTAssertEqual(merged.applied(to: [1, 5, 5, 9]), [1, 3, 5, 7, 7, 9])
    }

    func testRaggedEndsSplitByDay() {
        let since = t("2026-10-13T22:00:00+08:00"), at = t("2026-10-14T01:00:05+08:00")
        let pieces = CaseTimes.dayPieces([since...at])
        XCTAssertEqual(pieces.map(\.day), [LocalTime.day(of: since), LocalTime.day(of: at)])
        XCTAssertEqual(pieces.map(\.from), [22 * 3600, 0])
        XCTAssertEqual(pieces.map(\.to), [86399, 3605])
        let one = CaseTimes.dayPieces([at...at])
        XCTAssertEqual(one.count, 1)
        XCTAssertEqual(one.first?.from, 3605)
        XCTAssertEqual(one.first?.to, 3605)
        XCTAssertTrue(CaseTimes.dayPieces([]).isEmpty)
    }

    /// The tables after a load and after pushes that move cases between days and keys (the
    /// incremental read-change-write path) hold exactly what a recount of `cases` gives.
    func testTablesMatchARecountAfterLaterPushes() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let header = Fixture.header + ",pushed_at"
        try f.ingest(.cases, "first.csv", header + """

            a1,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T10:00:00+08:00,,
            a2,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T10:00:00+08:00,,
            a3,c2,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,in_review,,,
            a4,c3,区医保局,X2,事项二,online,2026-10-12T09:00:00+08:00,0,completed,2026-10-15T08:00:00+08:00,,
            """)
        func rows(_ sql: String) throws -> [String] { try f.store.reader.read { try Row.fetchAll($0, sql: sql).map(\.description) } }
        let done = "SELECT day, unit, hex(times) FROM case_done_times ORDER BY day, unit"
        let latest = "SELECT day, unit, flag, stall_day, hex(times) FROM case_latest_times ORDER BY 1, 2, 3, 4"
        // a1 and a2 share a second: two equal entries in one row.
        XCTAssertEqual(try f.store.reader.read { try Int.fetchOne($0, sql: "SELECT length(times) FROM case_done_times WHERE unit = 'c1'") }, 8)
        // a1 moves to another day, a2 is re-pushed unchanged, a3 completes, a4 moves within its day.
        try f.ingest(.cases, "again.csv", header + """

            a1,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-16T11:00:00+08:00,,2026-10-16T11:00:00+08:00
            a2,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T10:00:00+08:00,,
            a3,c2,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T09:00:00+08:00,,2026-10-14T09:00:00+08:00
            a4,c3,区医保局,X2,事项二,online,2026-10-12T09:00:00+08:00,0,completed,2026-10-15T07:00:00+08:00,,2026-10-15T09:00:00+08:00
            """)
        let kept = (try rows(done), try rows(latest))
        XCTAssertEqual(kept.0.count, 4, "\(kept.0)")
        try f.store.database.writeWithoutTransaction { db in
            try db.inTransaction {
                try CaseTimes.rebuild(db)
                return .commit
            }
        }
        XCTAssertEqual(try rows(done), kept.0)
        XCTAssertEqual(try rows(latest), kept.1)
        // Completed on the 14th by 10:00: a2 (c1) and a3 (c2); a1 left for the 16th, a4 is on the 15th.
        let all = try f.store.figures(tree: f.store.tree(), window: FigureWindow(at: t("2026-10-14T10:00:00+08:00"), since: t("2026-10-14T09:00:00+08:00")))
        XCTAssertEqual(all["d"]?.int(Metric.casesCompleted), 2)
        XCTAssertEqual(all["c1"]?.int(Metric.casesCompleted), 1)
        XCTAssertEqual(all["c2"]?.int(Metric.casesCompleted), 1)
        XCTAssertEqual(all["c2"]?.int(Metric.casesCompletedOverdue), 0)
        // One second before 09:00 nothing of that day is in the window.
        let before = try f.store.figures(tree: f.store.tree(), window: FigureWindow(at: t("2026-10-14T08:59:59+08:00"), since: t("2026-10-14T00:00:00+08:00")))
        XCTAssertEqual(before["d"]?.int(Metric.casesCompleted), 0)
    }
}
