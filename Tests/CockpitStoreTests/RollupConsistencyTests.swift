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
        XCTAssertGreaterThan(report.accepted, 25_000)
        XCTAssertEqual(report.rejected, 0)

        let tree = try f.store.tree()
        let rules = CaseRules(calendar: try f.store.calendar())
        // Every push, read straight from the CSV; each case is its latest push (by push time, the
        // later line on a tie), judged one by one with its whole history.
        var pushesByID: [String: [(push: CasePush, c: ServiceCase)]] = [:]
        var order: [String] = []
        let reader = try CSVReader(path: dir + "/cases.csv")
        var header: [String: Int] = [:]
        try reader.forEachRow { row in
            if header.isEmpty { for (i, n) in row.fields.enumerated() { header[n] = i }; return true }
            func v(_ n: String) -> String { row.fields[header[n]!] }
            let c = ServiceCase(id: v("id"), unit: v("unit"), department: v("department"), itemCode: v("item_code"),
                                itemName: v("item_name"), channel: .init(rawValue: v("channel"))!,
                                acceptedAt: LocalTime.parse(v("accepted_at"))!, promisedDays: Int(v("promised_days"))!,
                                status: .init(rawValue: v("status"))!, completedAt: LocalTime.parse(v("completed_at")),
                                suspensions: try ServiceCase.Suspension.parseList(v("suspensions")).get())
            // The documented fallback: the latest time the row carries.
            let times = [c.acceptedAt] + (c.completedAt.map { [$0] } ?? []) + c.suspensions.flatMap { [$0.from] + ($0.to.map { [$0] } ?? []) }
            let pushedAt = LocalTime.parse(v("pushed_at")) ?? times.max()!
            if pushesByID[c.id] == nil { order.append(c.id) }
            pushesByID[c.id, default: []].append((CasePush(pushedAt: pushedAt, status: c.status, unit: c.unit, department: c.department,
                                                           source: dir + "/cases.csv", line: row.line), c))
            return true
        }
        reader.close()
        let histories = order.map { id in pushesByID[id]!.sorted { $0.push.pushedAt < $1.push.pushedAt } }
        let cases = histories.map { $0.last!.c }
        XCTAssertEqual(cases.count, 25_000)
        XCTAssertGreaterThan(histories.filter { $0.count > 1 }.count, 500, "the sample has repeated pushes")

        // On the hour, at and around midnight, mid-hour (the hourly roll-ups' partial hours), and a
        // window whose start falls mid-hour.
        for (atText, sinceText) in [("2026-11-20T17:00:00+08:00", nil), ("2026-10-08T00:00:00+08:00", nil),
                                    ("2026-10-09T00:00:01+08:00", nil), ("2026-09-30T23:59:59+08:00", nil),
                                    ("2026-11-20T10:37:12+08:00", nil), ("2026-11-19T14:15:16+08:00", "2026-11-02T09:30:00+08:00")] {
            let at = LocalTime.parse(atText)!
            let window = FigureWindow(at: at, since: sinceText.flatMap { LocalTime.parse($0) })
            var expected: [String: [Int]] = [:]
            for (c, history) in zip(cases, histories) {
                let d = rules.deadline(of: c)
                var v = [0, 0, 0, 0, 0, 0, 0, 0]
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
                let findings = CaseAbnormal.findings(current: c, pushes: history.map(\.push), at: at, calendar: rules.calendar)
                v[6] = findings.contains { $0.level == .error } ? 1 : 0
                v[7] = findings.contains { $0.level == .flag } ? 1 : 0
                for u in tree.path(to: c.unit) {
                    expected[u.id, default: [0, 0, 0, 0, 0, 0, 0, 0]] = zip(expected[u.id, default: [0, 0, 0, 0, 0, 0, 0, 0]], v).map(+)
                }
            }
            let got = try f.store.caseFigures(tree: tree, window: window)
            let names = [Metric.casesOpen, Metric.casesOverdue, Metric.casesWarning, Metric.casesSuspended,
                         Metric.casesCompleted, Metric.casesCompletedOverdue, Metric.casesAbnormal, Metric.casesFlagged]
            for u in tree.units {
                let e = expected[u.id] ?? [0, 0, 0, 0, 0, 0, 0, 0]
                XCTAssertEqual(names.map { got[u.id]?.int($0) ?? -1 }, e, "\(u.id) at \(atText)")
            }
            XCTAssertGreaterThan(expected[tree.root.id]?[1] ?? 0, 0, "the sample must have overdue cases at \(atText)")
            XCTAssertGreaterThan(expected[tree.root.id]?[6] ?? 0, 0, "the sample must have abnormal cases at \(atText)")
            XCTAssertGreaterThan(expected[tree.root.id]?[7] ?? 0, 0, "the sample must have flagged cases at \(atText)")
            // The lists behind the figures have exactly as many cases as the figures say.
            for street in tree.children(of: tree.root.id) {
                XCTAssertEqual(try f.store.cases(under: street.id, tree: tree, light: .red, at: at, limit: 100_000).count,
                               expected[street.id]?[1], "red list of \(street.id) at \(atText)")
                XCTAssertEqual(try f.store.cases(under: street.id, tree: tree, light: .yellow, at: at, limit: 100_000).count,
                               expected[street.id]?[2], "yellow list of \(street.id) at \(atText)")
                // (each listed case is judged again with its history: once is enough for the test's time)
                if atText.hasPrefix("2026-11-20") {
                    XCTAssertEqual(try f.store.abnormalCases(under: street.id, tree: tree, at: at, limit: 100_000).count,
                                   expected[street.id]?[6], "abnormal list of \(street.id) at \(atText)")
                }
            }
        }
    }
}
