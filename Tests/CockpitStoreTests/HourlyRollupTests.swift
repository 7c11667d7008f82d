import CockpitCore
@testable import CockpitStore
import Foundation
import GRDB
import XCTest

/// The hourly roll-ups: which part of a window is read from where, and hand-computed figures at
/// moments that fall mid-hour, on the hour and at midnight.
final class HourlyRollupTests: XCTestCase {
    func hourOf(_ s: String) -> Int64 { t(s) / 3600 }

    // MARK: splitting a window

    func testWindowWhoseEndsFallMidHour() {
        let w = WindowHours(since: t("2026-11-19T09:15:00+08:00"), at: t("2026-11-20T16:20:30+08:00"))
        XCTAssertNil(w.days, "neither Nov 19 nor Nov 20 lies wholly inside")
        XCTAssertEqual(w.hours, [hourOf("2026-11-19T10:00:00+08:00")...hourOf("2026-11-20T15:00:00+08:00")])
        XCTAssertEqual(w.raw, [t("2026-11-19T09:15:00+08:00")...t("2026-11-19T09:59:59+08:00"),
                               t("2026-11-20T16:00:00+08:00")...t("2026-11-20T16:20:30+08:00")])
    }

    func testMonthWindowMidDay() {
        let w = WindowHours(since: t("2026-11-01T00:00:00+08:00"), at: t("2026-11-20T16:20:30+08:00"))
        XCTAssertEqual(w.days, LocalTime.day(of: t("2026-11-01T00:00:00+08:00"))...LocalTime.day(of: t("2026-11-19T12:00:00+08:00")))
        XCTAssertEqual(w.hours, [hourOf("2026-11-20T00:00:00+08:00")...hourOf("2026-11-20T15:00:00+08:00")])
        XCTAssertEqual(w.raw, [t("2026-11-20T16:00:00+08:00")...t("2026-11-20T16:20:30+08:00")])
    }

    func testRaggedStartBeforeWholeDays() {
        let w = WindowHours(since: t("2026-11-17T22:30:00+08:00"), at: t("2026-11-20T01:00:00+08:00"))
        XCTAssertEqual(w.days, LocalTime.day(of: t("2026-11-18T12:00:00+08:00"))...LocalTime.day(of: t("2026-11-19T12:00:00+08:00")))
        XCTAssertEqual(w.hours, [hourOf("2026-11-17T23:00:00+08:00")...hourOf("2026-11-17T23:00:00+08:00"),
                                 hourOf("2026-11-20T00:00:00+08:00")...hourOf("2026-11-20T00:00:00+08:00")])
        XCTAssertEqual(w.raw, [t("2026-11-17T22:30:00+08:00")...t("2026-11-17T22:59:59+08:00"),
                               t("2026-11-20T01:00:00+08:00")...t("2026-11-20T01:00:00+08:00")])
    }

    func testAtExactlyOnTheHour() {
        // [09:00:00, 16:00:00]: the hours 09 … 15 whole, and the one second 16:00:00 raw.
        let w = WindowHours(since: t("2026-11-20T09:00:00+08:00"), at: t("2026-11-20T16:00:00+08:00"))
        XCTAssertNil(w.days)
        XCTAssertEqual(w.hours, [hourOf("2026-11-20T09:00:00+08:00")...hourOf("2026-11-20T15:00:00+08:00")])
        XCTAssertEqual(w.raw, [t("2026-11-20T16:00:00+08:00")...t("2026-11-20T16:00:00+08:00")])
        // One second before the hour: no raw part at all.
        let before = WindowHours(since: t("2026-11-20T09:00:00+08:00"), at: t("2026-11-20T15:59:59+08:00"))
        XCTAssertEqual(before.raw, [])
        XCTAssertEqual(before.hours, [hourOf("2026-11-20T09:00:00+08:00")...hourOf("2026-11-20T15:00:00+08:00")])
    }

    func testWholeDayEndingAt235959() {
        let w = WindowHours(since: t("2026-11-20T00:00:00+08:00"), at: t("2026-11-20T23:59:59+08:00"))
        XCTAssertEqual(w.days, LocalTime.day(of: t("2026-11-20T12:00:00+08:00"))...LocalTime.day(of: t("2026-11-20T12:00:00+08:00")))
        XCTAssertEqual(w.hours, [])
        XCTAssertEqual(w.raw, [])
    }

    func testShortAndEmptyWindows() {
        // Two partial hours with no whole hour between them: one raw range.
        let w = WindowHours(since: t("2026-11-20T10:30:00+08:00"), at: t("2026-11-20T11:20:00+08:00"))
        XCTAssertNil(w.days)
        XCTAssertEqual(w.hours, [])
        XCTAssertEqual(w.raw, [t("2026-11-20T10:30:00+08:00")...t("2026-11-20T11:20:00+08:00")])
        // since = at: the one second; since after at: clamped to it.
        let at = t("2026-11-20T10:30:00+08:00")
        XCTAssertEqual(WindowHours(since: at, at: at).raw, [at...at])
        XCTAssertEqual(WindowHours(since: at + 100, at: at).raw, [at...at])
        // Midnight exactly: the window [00:00:00, 00:00:00] is one raw second.
        let midnight = t("2026-11-20T00:00:00+08:00")
        XCTAssertEqual(WindowHours(since: midnight, at: midnight), WindowHours(since: midnight, at: midnight))
        XCTAssertEqual(WindowHours(since: midnight, at: midnight).raw, [midnight...midnight])
    }

    // MARK: hand-computed figures

    /// Completions around the hours of Wed 2026-10-14 (a working day), by unit.
    static let cases = Fixture.header + ",pushed_at" + """

        h7,c1,区民政局,X1,事项一,online,2026-09-28T09:00:00+08:00,5,completed,2026-09-30T23:59:59+08:00,,
        h8,c1,区民政局,X1,事项一,online,2026-09-28T09:00:00+08:00,5,completed,2026-10-01T00:00:00+08:00,,
        h5,c2,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-13T23:59:59+08:00,,
        h4,c3,区医保局,X2,事项二,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T09:59:59+08:00,,
        h1,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,0,completed,2026-10-14T10:29:59+08:00,,
        h2,c2,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T10:30:00+08:00,,
        h3,c3,区医保局,X2,事项二,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T10:30:01+08:00,,
        h6,c1,区医保局,X2,事项二,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T11:00:00+08:00,,
        """

    /// completed, completed_overdue of d, c1, c2, c3.
    func completed(_ f: Fixture, at: String, since: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [[Int]] {
        let w = FigureWindow(at: t(at), since: since.map { t($0) })
        let all = try f.store.figures(tree: f.store.tree(), window: w)
        let tree = try f.store.tree()
        // cases.abnormal and cases.flagged from the roll-ups must match judging each case.
        for u in ["d", "s1", "s2", "c1", "c2", "c3"] {
            XCTAssertEqual(all[u]?.int(Metric.casesAbnormal), try f.store.abnormalCases(under: u, tree: tree, at: t(at)).count,
                           "abnormal of \(u) at \(at)", file: file, line: line)
            XCTAssertEqual(all[u]?.int(Metric.casesFlagged), try f.store.abnormalCases(under: u, tree: tree, at: t(at), flagged: true).count,
                           "flagged of \(u) at \(at)", file: file, line: line)
        }
        return ["d", "c1", "c2", "c3"].map { [all[$0]?.int(Metric.casesCompleted) ?? -1, all[$0]?.int(Metric.casesCompletedOverdue) ?? -1] }
    }

    func testCompletionsAroundTheHours() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let r = try f.ingest(.cases, "cases.csv", Self.cases)
        XCTAssertEqual(r.rejected, 0, "\(r.reasons)")
        // Mid-hour: h8 (since, 00:00:00), h5 (a whole day), h4 (a whole hour), h1 (the partial hour, late:
        // 0 days, due Oct 12 24:00), h2 (= at). Not h7 (before since), h3 (one second after at), h6.
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:30:00+08:00"), [[5, 1], [2, 1], [2, 0], [1, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:29:59+08:00"), [[4, 1], [2, 1], [1, 0], [1, 0]])
        // On the hour: h4 (09:59:59) counts, h1 not yet.
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:00:00+08:00"), [[3, 0], [1, 0], [1, 0], [1, 0]])
        // At 23:59:59 and at midnight: h5, completed at 23:59:59, counts in both.
        XCTAssertEqual(try completed(f, at: "2026-10-13T23:59:59+08:00"), [[2, 0], [1, 0], [1, 0], [0, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T00:00:00+08:00"), [[2, 0], [1, 0], [1, 0], [0, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T11:00:00+08:00"), [[7, 1], [3, 1], [2, 0], [2, 0]])
        // A window starting at 23:59:59 (mid-hour) the day before.
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:30:00+08:00", since: "2026-10-13T23:59:59+08:00"), [[4, 1], [1, 1], [2, 0], [1, 0]])
        // The September window: h7 at 23:59:59 on its last day.
        XCTAssertEqual(try completed(f, at: "2026-09-30T23:59:59+08:00"), [[1, 0], [1, 0], [0, 0], [0, 0]])
        // Empty windows: nothing completed, and no on-time rate (—, never NaN).
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:15:00+08:00", since: "2026-10-14T10:15:00+08:00"), [[0, 0], [0, 0], [0, 0], [0, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:30:00+08:00", since: "2026-10-14T10:30:00+08:00"), [[1, 0], [0, 0], [1, 0], [0, 0]])
        let empty = try f.store.figures(tree: f.store.tree(), window: FigureWindow(at: t("2026-10-14T10:15:00+08:00"), since: t("2026-10-14T10:15:00+08:00")))
        XCTAssertNil(empty["d"]?[Metric.casesOnTimeRate])
        // Times after `at` (ABN08) as of 10:30: h3 in the rest of at's hour (raw), h6 a later hour of
        // the day (hour roll-up); checked against the case-by-case judgement inside `completed`.
        let all = try f.store.figures(tree: f.store.tree(), window: FigureWindow(at: t("2026-10-14T10:30:00+08:00")))
        XCTAssertEqual(all["c3"]?.int(Metric.casesAbnormal), 1)
        XCTAssertEqual(all["c1"]?.int(Metric.casesAbnormal), 1)
        XCTAssertEqual(all["d"]?.int(Metric.casesAbnormal), 2)

        // h4 pushed again, completed at 10:45 instead of 09:59:59: it leaves hour 09 for hour 10.
        let again = try f.ingest(.cases, "again.csv", Fixture.header + ",pushed_at" + """

            h4,c3,区医保局,X2,事项二,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-14T10:45:00+08:00,,2026-10-14T10:45:00+08:00
            """)
        XCTAssertEqual(again.accepted, 1)
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:00:00+08:00"), [[2, 0], [1, 0], [1, 0], [0, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:30:00+08:00"), [[4, 1], [2, 1], [2, 0], [0, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T10:45:00+08:00"), [[6, 1], [2, 1], [2, 0], [2, 0]])
        XCTAssertEqual(try completed(f, at: "2026-10-14T11:00:00+08:00"), [[7, 1], [3, 1], [2, 0], [2, 0]])
        // Both roll-ups hold exactly what a recount of the cases gives (no key left behind).
        try assertHourlyRollupsMatchRecount(f)
    }

    /// Hand-computed ratings around the hours (cases h1 … h8 above; rectification due 24:00 of
    /// the 15th working day after the rating).
    func testRatingsAroundTheHours() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", Self.cases)
        let r = try f.ingest(.ratings, "ratings.csv", """
            case,level,channel,rated_at,rectified_at
            h1,1,hall,2026-10-14T10:10:00+08:00,
            h2,2,online,2026-10-14T10:40:00+08:00,2026-10-14T10:50:00+08:00
            h4,5,mobile,2026-10-14T09:30:00+08:00,
            h5,1,hall,2026-09-01T10:00:00+08:00,2026-10-14T10:20:00+08:00
            h3,2,hall,2026-10-14T10:30:00+08:00,
            """)
        XCTAssertEqual(r.rejected, 0, "\(r.reasons)")
        func ratings(_ at: String, since: String? = nil) throws -> [Int] {
            let all = try f.store.figures(tree: f.store.tree(), window: FigureWindow(at: t(at), since: since.map { t($0) }))
            return [Metric.ratingCount, Metric.ratingPoor, Metric.ratingPoorOpen, Metric.ratingRectifyLate].map { all["d"]?.int($0) ?? -1 }
        }
        // 10:30: rated in October by then h1, h4, h3 (at 10:30:00 = at); poor h1, h3. Open: h1, h3
        // (h5 was rectified at 10:20). h5 was due Sep 21 24:00 (Sep 20 a working Sunday), before October.
        XCTAssertEqual(try ratings("2026-10-14T10:30:00+08:00"), [3, 2, 2, 0])
        // 10:00: only h4 rated; h5 still open (rectified at 10:20).
        XCTAssertEqual(try ratings("2026-10-14T10:00:00+08:00"), [1, 0, 1, 0])
        // 11:00: h2 rated and rectified meanwhile.
        XCTAssertEqual(try ratings("2026-10-14T11:00:00+08:00"), [4, 3, 2, 0])
        // Since Sep 1: h5 counts, and its rectification (due Sep 22 00:00) was late.
        XCTAssertEqual(try ratings("2026-10-14T10:30:00+08:00", since: "2026-09-01T00:00:00+08:00"), [4, 3, 2, 1])
        // The due instant itself opens the window; one second later it is outside.
        XCTAssertEqual(try ratings("2026-10-14T10:30:00+08:00", since: "2026-09-22T00:00:00+08:00")[3], 1)
        XCTAssertEqual(try ratings("2026-10-14T10:30:00+08:00", since: "2026-09-22T00:00:01+08:00")[3], 0)
        // The window ends at the due instant: [since, at) leaves it out.
        XCTAssertEqual(try ratings("2026-09-22T00:00:00+08:00", since: "2026-09-01T00:00:00+08:00"), [1, 1, 1, 0])
        XCTAssertEqual(try ratings("2026-09-22T00:00:01+08:00", since: "2026-09-01T00:00:00+08:00"), [1, 1, 1, 1])
        // h1 rated again (level 4) at another hour: it leaves the poor counts.
        try f.ingest(.ratings, "again.csv", "case,level,channel,rated_at,rectified_at\nh1,4,hall,2026-10-14T08:05:00+08:00,\n")
        XCTAssertEqual(try ratings("2026-10-14T10:30:00+08:00"), [3, 1, 1, 0])
        XCTAssertEqual(try ratings("2026-10-14T08:05:00+08:00"), [1, 0, 1, 0])
        let slow = try f.store.recountFigures(tree: f.store.tree(), window: FigureWindow(at: t("2026-10-14T10:30:00+08:00")))
        XCTAssertEqual([Metric.ratingCount, Metric.ratingPoor, Metric.ratingPoorOpen, Metric.ratingRectifyLate].map { slow["d"]?.int($0) ?? -1 },
                       [3, 1, 1, 0])
        try f.store.database.writeWithoutTransaction { db in
            let stored = try Row.fetchAll(db, sql: "SELECT day, unit, rated, poor, rectified, due_late FROM rating_day ORDER BY day, unit")
            try db.inTransaction {
                try RatingRollup.rebuild(db)
                XCTAssertEqual(try Row.fetchAll(db, sql: "SELECT day, unit, rated, poor, rectified, due_late FROM rating_day ORDER BY day, unit"), stored)
                return .rollback
            }
        }
    }

    func assertHourlyRollupsMatchRecount(_ f: Fixture, file: StaticString = #filePath, line: UInt = #line) throws {
        try f.store.database.writeWithoutTransaction { db in
            let queries = ["SELECT day, unit, hex(times) FROM case_done_times ORDER BY day, unit",
                           "SELECT day, unit, flag, stall_day, hex(times) FROM case_latest_times ORDER BY 1, 2, 3, 4",
                           "SELECT unit, n FROM case_flagged ORDER BY unit",
                           "SELECT unit, running, suspended, stall_keyed FROM case_unit_totals ORDER BY unit"]
            let stored = try queries.map { try Row.fetchAll(db, sql: $0) }
            XCTAssertFalse(stored[0].isEmpty, file: file, line: line)
            try db.inTransaction {
                try CaseUnitCounts.rebuild(db)
                XCTAssertEqual(try queries.map { try Row.fetchAll(db, sql: $0) }, stored, file: file, line: line)
                return .rollback
            }
        }
    }
}
