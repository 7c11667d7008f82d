import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// The roll-up must give exactly what applying the rules case by case gives, on the sample district.
final class RollupConsistencyTests: XCTestCase {
    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SampleData").path

    func testRollupAgreesWithCaseByCaseRulesOnSampleData() throws {
        let f = try Fixture()
        let dir = Self.sampleData
        _ = try f.store.ingest(kind: .units, file: dir + "/units.csv")
        _ = try f.store.ingest(kind: .calendar, file: dir + "/calendar-2025.csv")
        _ = try f.store.ingest(kind: .calendar, file: dir + "/calendar-2026.csv")
        let report = try f.store.ingest(kind: .cases, file: dir + "/cases.csv")
        XCTAssertGreaterThan(report.accepted, 10_000)
        XCTAssertEqual(report.rejected, 0)

        let tree = try f.store.tree()
        let rules = CaseRules(calendar: try f.store.calendar())
        // Every case, read straight from the CSV and judged one by one.
        var cases: [ServiceCase] = []
        let reader = try CSVReader(path: dir + "/cases.csv")
        var header: [String: Int] = [:]
        try reader.forEachRow { row in
            if header.isEmpty { for (i, n) in row.fields.enumerated() { header[n] = i }; return true }
            func v(_ n: String) -> String { row.fields[header[n]!] }
            cases.append(ServiceCase(id: v("id"), unit: v("unit"), department: v("department"), itemCode: v("item_code"),
                                     itemName: v("item_name"), channel: .init(rawValue: v("channel"))!,
                                     acceptedAt: LocalTime.parse(v("accepted_at"))!, promisedDays: Int(v("promised_days"))!,
                                     status: .init(rawValue: v("status"))!, completedAt: LocalTime.parse(v("completed_at")),
                                     suspensions: try ServiceCase.Suspension.parseList(v("suspensions")).get()))
            return true
        }
        reader.close()

        for atText in ["2026-11-20T17:00:00+08:00", "2026-10-08T00:00:00+08:00", "2026-10-09T00:00:01+08:00", "2026-09-30T23:59:59+08:00"] {
            let at = LocalTime.parse(atText)!
            let window = FigureWindow(at: at)
            var expected: [String: [Int]] = [:]
            for c in cases {
                let d = rules.deadline(of: c)
                var v = [0, 0, 0, 0, 0, 0]
                if c.status.isOpen {
                    v[0] = 1
                    switch rules.light(of: c, deadline: d, at: at) {
                    case .red: v[1] = 1
                    case .yellow: v[2] = 1
                    case .grey: v[3] = 1
                    default: break
                    }
                }
                if c.status == .completed, let done = c.completedAt, done >= window.since, done <= at {
                    v[4] = 1
                    v[5] = CaseRules.completedLate(completedAt: done, deadline: d) ? 1 : 0
                }
                for u in tree.path(to: c.unit) {
                    expected[u.id, default: [0, 0, 0, 0, 0, 0]] = zip(expected[u.id, default: [0, 0, 0, 0, 0, 0]], v).map(+)
                }
            }
            let got = try f.store.caseFigures(tree: tree, window: window)
            let names = [Metric.casesOpen, Metric.casesOverdue, Metric.casesWarning, Metric.casesSuspended,
                         Metric.casesCompleted, Metric.casesCompletedOverdue]
            for u in tree.units {
                let e = expected[u.id] ?? [0, 0, 0, 0, 0, 0]
                XCTAssertEqual(names.map { got[u.id]?.int($0) ?? -1 }, e, "\(u.id) at \(atText)")
            }
            XCTAssertGreaterThan(expected[tree.root.id]?[1] ?? 0, 0, "the sample must have overdue cases at \(atText)")
            // The lists behind the figures have exactly as many cases as the figures say.
            for street in tree.children(of: tree.root.id) {
                XCTAssertEqual(try f.store.cases(under: street.id, tree: tree, light: .red, at: at, limit: 100_000).count,
                               expected[street.id]?[1], "red list of \(street.id) at \(atText)")
                XCTAssertEqual(try f.store.cases(under: street.id, tree: tree, light: .yellow, at: at, limit: 100_000).count,
                               expected[street.id]?[2], "yellow list of \(street.id) at \(atText)")
            }
        }
    }
}
