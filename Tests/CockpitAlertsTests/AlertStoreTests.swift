import CockpitAlerts
import CockpitCore
import CockpitStore
import Foundation
import GRDB
import XCTest

/// A real store file with the small district, and cases written per test.
final class AlertFixture {
    let dir: String
    let store: CockpitStore
    var path: String { dir + "/alerts.sqlite" }
    var line = 0

    init() throws {
        dir = NSTemporaryDirectory() + "cockpit-alerts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try CockpitStore(path: dir + "/alerts.sqlite", mode: .write)
        try ingest(.units, """
            id,name,tier,parent
            d,区,district,
            s1,甲街道,street,d
            s2,乙街道,street,d
            c1,一社区,community,s1
            c2,二社区,community,s1
            c3,三社区,community,s2
            """)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func ingest(_ kind: IngestKind, _ text: String) throws {
        line += 1
        let file = dir + "/in-\(line).csv"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let report = try store.ingest(kind: kind, file: file, now: 1_800_000_000)
        XCTAssertEqual(report.rejected, 0)
    }

    /// `n` cases in community `unit` (ids prefix-1…n), accepted 2026-11-02 with 1 day: overdue from
    /// 2026-11-04; `completed` pushes them again as completed.
    func cases(_ prefix: String, _ n: Int, unit: String, completed: Bool = false) throws {
        var csv = "id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions\n"
        for i in 1...n {
            csv += "\(prefix)-\(i),\(unit),区民政局,X1,婚姻登记,hall,2026-11-02T09:00:00,1,"
                + (completed ? "completed,2026-11-10T10:00:00," : "accepted,,") + "\n"
        }
        try ingest(.cases, csv)
    }
}

let at = LocalTime.parse("2026-11-20T10:00:00+08:00")!

let streetOverdue = AlertRule(id: "street-overdue", metric: "cases.overdue", scope: .tier(.street), comparison: .atLeast,
                              thresholds: [.init(level: .yellow, value: 1), .init(level: .red, value: 5)])

final class AlertStoreTests: XCTestCase {
    func testEvaluationOpensEscalatesResolvesAndReopensWithAnAuditLine() throws {
        let f = try AlertFixture()
        try f.cases("A", 2, unit: "c1")
        var r = try f.store.evaluateAlerts(rules: [streetOverdue], at: at)
        XCTAssertEqual(r.active, 1)
        var alerts = try f.store.alerts(activeOnly: true)
        XCTAssertEqual(alerts.map(\.unit), ["s1"])
        XCTAssertEqual(alerts[0].level, .yellow)
        XCTAssertEqual(alerts[0].value, 2)
        let id = alerts[0].id

        // The same data again changes nothing and writes nothing.
        r = try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 60)
        XCTAssertEqual(r.transitions, [])

        try f.cases("B", 3, unit: "c2")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 120)
        alerts = try f.store.alerts(activeOnly: true)
        XCTAssertEqual(alerts.map(\.level), [.red])
        XCTAssertEqual(alerts[0].id, id)

        try f.cases("A", 2, unit: "c1", completed: true)
        try f.cases("B", 3, unit: "c2", completed: true)
        r = try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 180)
        XCTAssertEqual(r.active, 0)
        XCTAssertEqual(try f.store.alert(id)?.state, .resolved)

        try f.cases("C", 1, unit: "c2")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 240)
        let again = try f.store.alerts(activeOnly: true)
        XCTAssertEqual(again.map(\.id), [id], "the same incident re-opens, not a new one")
        XCTAssertEqual(again[0].state, .open)

        let log = try f.store.audit(alert: id)
        XCTAssertEqual(log.map(\.action), [.opened, .level, .resolved, .reopened])
        XCTAssertEqual(log.map(\.actor), Array(repeating: AuditEntry.rulesActor, count: 4))
        XCTAssertEqual(log.map(\.at), [at, at + 120, at + 180, at + 240])
        XCTAssertEqual(log.map(\.value), [2, 5, 0, 1])
    }

    func testLifecycleAcknowledgeNoteAssignCloseReopen() throws {
        let f = try AlertFixture()
        try f.cases("A", 1, unit: "c3")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at)
        let id = try XCTUnwrap(f.store.alerts(activeOnly: true).first?.id)

        var a = try f.store.act(.acknowledge(note: "在查"), alert: id, by: "张三", at: at + 10)
        XCTAssertEqual(a.state, .acknowledged)
        XCTAssertEqual(a.acknowledgedBy, "张三")
        XCTAssertEqual(a.note, "在查")
        a = try f.store.act(.assign(to: "李四", note: nil), alert: id, by: "张三", at: at + 20)
        XCTAssertEqual(a.assignedTo, "李四")
        a = try f.store.act(.note("已电话\u{1B}[2J联系民政局"), alert: id, by: "李四", at: at + 30)
        XCTAssertEqual(a.note, "已电话[2J联系民政局", "control characters never reach the log")

        XCTAssertThrowsError(try f.store.act(.close(note: "  "), alert: id, by: "李四")) {
            XCTAssertEqual("\($0)", "closing an alert needs a note saying why")
        }
        XCTAssertThrowsError(try f.store.act(.acknowledge(note: nil), alert: id, by: " ")) {
            XCTAssertEqual("\($0)", "an officer's name is needed")
        }
        a = try f.store.act(.close(note: "已办结，系统延迟"), alert: id, by: "李四", at: at + 40)
        XCTAssertEqual(a.state, .closed)
        XCTAssertThrowsError(try f.store.act(.acknowledge(note: nil), alert: id, by: "王五")) {
            XCTAssertEqual("\($0)", "alert \(id) is closed: cannot acknowledge")
        }
        XCTAssertThrowsError(try f.store.act(.note("x"), alert: 999, by: "王五")) { XCTAssertEqual("\($0)", "no alert 999") }

        // Closed while the figure still holds: the rules leave it closed until the figure clears…
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 60)
        XCTAssertEqual(try f.store.alert(id)?.state, .closed)
        // …and a person may re-open it by hand.
        a = try f.store.act(.reopen(note: "仍未处理"), alert: id, by: "王五", at: at + 70)
        XCTAssertEqual(a.state, .open)
        XCTAssertNil(a.acknowledgedBy)

        let log = try f.store.audit(alert: id)
        XCTAssertEqual(log.map(\.action), [.opened, .acknowledged, .assigned, .noted, .closed, .reopenedByHand])
        XCTAssertEqual(log.map(\.actor), ["rules", "张三", "张三", "李四", "李四", "王五"])
        XCTAssertEqual(log[2].note, "→ 李四")
        XCTAssertEqual(log[4].state, .closed)
    }

    func testListOrderLevelThenUnacknowledgedThenAge() throws {
        let f = try AlertFixture()
        try f.cases("A", 1, unit: "c3")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at)          // s2 yellow, the oldest
        try f.cases("B", 5, unit: "c1")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 60)     // s1 red
        let red = try XCTUnwrap(f.store.alerts().first { $0.unit == "s1" })
        try f.store.act(.acknowledge(note: nil), alert: red.id, by: "张三")
        XCTAssertEqual(try f.store.alerts().map(\.unit), ["s1", "s2"], "red before yellow, acknowledged or not")
        let community = AlertRule(id: "c", metric: "cases.overdue", scope: .tier(.community), comparison: .atLeast,
                                  thresholds: [.init(level: .red, value: 1)])
        try f.store.evaluateAlerts(rules: [streetOverdue, community], at: at + 120)
        XCTAssertEqual(try f.store.alerts().map(\.unit), ["c1", "c3", "s1", "s2"],
                       "unacknowledged red first, oldest first (c1 and c3 opened together: by id)")
    }

    func testClosedAlertReopensWhenTheConditionClearsAndComesBack() throws {
        let f = try AlertFixture()
        try f.cases("A", 1, unit: "c3")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at)
        let id = try XCTUnwrap(f.store.alerts(activeOnly: true).first?.id)
        try f.store.act(.close(note: "处理中"), alert: id, by: "张三", at: at + 10)
        try f.cases("A", 1, unit: "c3", completed: true)
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 60)
        XCTAssertEqual(try f.store.alert(id)?.state, .closed)
        try f.cases("B", 1, unit: "c3")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at + 120)
        XCTAssertEqual(try f.store.alert(id)?.state, .open)
        XCTAssertEqual(try f.store.audit(alert: id).map(\.action), [.opened, .closed, .reopened])
    }

    func testAuditLogCannotBeEditedOrDeletedFromAnyConnection() throws {
        let f = try AlertFixture()
        try f.cases("A", 1, unit: "c3")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at)
        // Another program with a plain read-write connection to the file.
        let other = try DatabaseQueue(path: f.path)
        for sql in ["UPDATE audit SET actor = 'nobody'", "DELETE FROM audit", "DELETE FROM alerts"] {
            XCTAssertThrowsError(try other.write { try $0.execute(sql: sql) }, sql) { error in
                XCTAssertTrue("\(error)".contains("append-only") || "\(error)".contains("never deleted"), "\(error)")
            }
        }
        XCTAssertEqual(try f.store.audit().map(\.actor), ["rules"])
        // A screen's read-only connection cannot even append.
        let screen = try CockpitStore(path: f.path, mode: .read)
        XCTAssertThrowsError(try screen.act(.acknowledge(note: nil), alert: 1, by: "x"))
        try other.close()
    }

    func testTwoOfficersAcknowledgingAtOnceAreBothRecorded() throws {
        let f = try AlertFixture()
        try f.cases("A", 1, unit: "c1")
        try f.cases("B", 1, unit: "c3")
        try f.store.evaluateAlerts(rules: [streetOverdue], at: at)
        let ids = try f.store.alerts(activeOnly: true).map(\.id)
        XCTAssertEqual(ids.count, 2)
        // Two connections (two pools) to one file, each on its own thread, racing on the same alerts.
        let stores = [try CockpitStore(path: f.path, mode: .write), try CockpitStore(path: f.path, mode: .write)]
        let officers = ["张三", "李四"]
        let rounds = 40
        let errors = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            for i in 0..<rounds {
                for id in ids {
                    do {
                        if i == 0 { try stores[k].act(.acknowledge(note: "\(officers[k]) 已确认"), alert: id, by: officers[k]) }
                        else { try stores[k].act(.note("\(officers[k]) \(i)"), alert: id, by: officers[k]) }
                    } catch { errors.mutate { $0.append("\(error)") } }
                }
            }
        }
        XCTAssertEqual(errors.value, [])
        for id in ids {
            let log = try f.store.audit(alert: id)
            XCTAssertEqual(log.filter { $0.action == .acknowledged }.map(\.actor).sorted(), ["张三", "李四"])
            XCTAssertEqual(log.filter { $0.action == .noted }.count, 2 * (rounds - 1), "no lost write")
            let a = try XCTUnwrap(f.store.alert(id))
            XCTAssertEqual(a.state, .acknowledged)
            // The first acknowledgement in the log is the one the alert keeps.
            XCTAssertEqual(a.acknowledgedBy, log.first { $0.action == .acknowledged }?.actor)
        }
        XCTAssertEqual(Set(try f.store.audit().map(\.seq)).count, try f.store.audit().count)
    }
}

/// A value shared between threads in a test.
final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
