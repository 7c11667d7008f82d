import CockpitCore
@testable import CockpitStore
import Foundation
import GRDB
import XCTest

/// On the sample district, every figure read through the roll-ups must equal the plain recount
/// over the raw tables (`recountFigures`); p95 equals the exact p95's histogram bucket.
final class ServiceRollupConsistencyTests: XCTestCase {
    func testRollupsAgreeWithPlainRecountOnSampleData() throws {
        let f = try Fixture()
        let dir = RollupConsistencyTests.sampleData
        _ = try f.store.ingest(kind: .units, file: dir + "/units.csv")
        _ = try f.store.ingest(kind: .calendar, file: dir + "/calendar-2025.csv")
        _ = try f.store.ingest(kind: .calendar, file: dir + "/calendar-2026.csv")
        _ = try f.store.ingest(kind: .cases, file: dir + "/cases.csv")
        var counts: [IngestKind: Int] = [:]
        for kind in [IngestKind.tickets, .directory, .calls, .quality, .ratings, .items, .series] {
            let r = try f.store.ingest(kind: kind, file: dir + "/\(kind.rawValue).csv", batchSize: 4000)
            XCTAssertEqual(r.rejected, 0, "\(kind): \(r.reasons.prefix(3))")
            counts[kind] = r.accepted
        }
        XCTAssertGreaterThan(counts[.tickets] ?? 0, 10_000)
        XCTAssertGreaterThan(counts[.calls] ?? 0, 10_000)
        let tree = try f.store.tree()
        // The live case: `at` after every record of its day, so today is read from the roll-ups
        // (WindowDays.closingToday) rather than from the raw rows; it must agree all the same.
        let latest = try f.store.reader.read { db in
            max(try Int64.fetchOne(db, sql: "SELECT max(at) FROM calls") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT max(completed_at) FROM cases WHERE completed_at IS NOT NULL") ?? 0)
        }
        let endOfLatestDay = LocalTime.startOf(day: LocalTime.day(of: latest) + 1) - 1
        let windows = [
            FigureWindow(at: endOfLatestDay),
            FigureWindow(at: endOfLatestDay, since: t("2026-11-01T00:00:00+08:00")),
            FigureWindow(at: t("2026-11-20T17:00:00+08:00")),
            FigureWindow(at: t("2026-11-18T11:00:00+08:00")),
            FigureWindow(at: t("2026-11-20T17:00:00+08:00"), since: t("2026-11-01T00:00:00+08:00")),
            FigureWindow(at: t("2026-11-19T10:30:00+08:00"), since: t("2026-11-10T12:34:56+08:00")),
            // The hourly roll-ups: mid-hour, on the hour, at and around midnight.
            FigureWindow(at: t("2026-11-20T10:37:12+08:00")),
            FigureWindow(at: t("2026-11-20T15:00:00+08:00"), since: t("2026-11-20T09:00:00+08:00")),
            FigureWindow(at: t("2026-11-20T00:00:00+08:00"), since: t("2026-11-19T23:59:59+08:00")),
            FigureWindow(at: t("2026-11-19T23:59:59+08:00"), since: t("2026-11-03T08:45:30+08:00")),
            FigureWindow(at: t("2026-11-12T14:20:00+08:00"), since: t("2026-11-12T14:20:00+08:00")),
        ]
        var names = Metric.reported
        for s in try f.store.seriesNames() { names += Metric.seriesFigures(s) }
        for w in windows {
            let fast = try f.store.figures(tree: tree, window: w)
            let slow = try f.store.recountFigures(tree: tree, window: w)
            if w.at - w.daySince >= 3600 { // (the one-second windows are empty)
                XCTAssertGreaterThan(fast[tree.root.id]?[Metric.queueServed] ?? 0, 0, LocalTime.iso(w.at))
                XCTAssertGreaterThan(fast[tree.root.id]?[Metric.shareCalls] ?? 0, 0, LocalTime.iso(w.at))
            }
            for u in tree.units {
                // Abnormal and flagged cases have their own case-by-case recount (RollupConsistencyTests).
                for m in names where m != Metric.casesAbnormal && m != Metric.casesFlagged {
                    let a = fast[u.id]?[m], b = slow[u.id]?[m]
                    if m == Metric.shareP95Latency {
                        XCTAssertEqual(a, b.map { Double(CallLatency.upper(CallLatency.bucket(Int($0)))) }, "\(u.id) \(m) \(LocalTime.iso(w.at))")
                    } else if let a, let b {
                        XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), "\(u.id) \(m) \(LocalTime.iso(w.at))")
                    } else {
                        XCTAssertEqual(a, b, "\(u.id) \(m) \(LocalTime.iso(w.at))")
                    }
                }
            }
        }
        let p = try f.store.providerFigures(window: windows[0])
        XCTAssertEqual(p.values.reduce(0) { $0 + ($1[Metric.itemsCount] ?? 0) }, 358)
        let d = try XCTUnwrap(f.store.figures(tree: tree, window: windows[0])[tree.root.id])
        XCTAssertEqual(try XCTUnwrap(d[Metric.itemsOnlineRate]), 0.9553, accuracy: 0.00005)
        XCTAssertEqual(d[Metric.itemsRealisedRate], 1)
    }
}
