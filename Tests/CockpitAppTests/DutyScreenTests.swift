import CockpitAlerts
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation
import XCTest

/// A copy of the sample store with the bundled rules evaluated at SampleStore.at and a fixed
/// set of officer actions, so that the duty screen has a stable story to show.
enum DutyStore {
    static let rulesFile = Paths.sampleData + "/alerts.yaml"

    static func make() throws -> String {
        let p = NSTemporaryDirectory() + "cockpit-duty-\(getpid())-\(UUID().uuidString.prefix(8)).sqlite"
        for s in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: SampleStore.path + s) {
            try FileManager.default.copyItem(atPath: SampleStore.path + s, toPath: p + s)
        }
        let store = try CockpitStore(path: p, mode: .write)
        let rules = try RuleSet.load(file: rulesFile).rules
        try store.evaluateAlerts(rules: rules, at: SampleStore.at - 3 * 3600)
        try store.evaluateAlerts(rules: rules, at: SampleStore.at)
        let first = try XCTUnwrap(store.alerts(activeOnly: true).first)
        try store.act(.acknowledge(note: "已通知街道"), alert: first.id, by: "张三", at: SampleStore.at - 3000)
        try store.act(.assign(to: "李四", note: nil), alert: first.id, by: "张三", at: SampleStore.at - 2400)
        try store.close()
        return p
    }

    static func loader(_ path: String) throws -> DutyLoader {
        let store = try CockpitStore(path: path, mode: .read)
        return DutyLoader(store: store, tree: try store.tree(), rules: try RuleSet.load(file: rulesFile).rules)
    }
}

final class DutyScreenTests: XCTestCase {
    func render(_ path: String, _ w: Int, _ h: Int, lang: Strings.Language = .zh, model: DutyModel? = nil) throws -> (Canvas, DutyData) {
        let loader = try DutyStore.loader(path)
        var m = model ?? DutyModel(officer: "张三")
        var data = try loader.load(selected: m.selected, at: SampleStore.at)
        // The alert 张三 acknowledged and assigned (open ones are listed before it).
        if model == nil { m.selected = data.incidents.first { $0.alert.state == .acknowledged }?.alert.id }
        m.follow(data)
        data = try loader.load(selected: m.selected, at: SampleStore.at)
        return (DutyScreen(options: RenderOptions(strings: Strings(lang))).render(model: m, data: data, width: w, height: h), data)
    }

    func testDutyScreenMatchesReviewedSnapshots() throws {
        let path = try DutyStore.make()
        let record = ProcessInfo.processInfo.environment["COCKPIT_RECORD_SNAPSHOTS"] == "1"
        for (w, h, lang) in [(80, 24, Strings.Language.zh), (120, 40, .zh), (100, 30, .en)] {
            let text = try render(path, w, h, lang: lang).0.text + "\n"
            let file = "\(Paths.snapshots)/duty-\(lang.rawValue)-\(w)x\(h).txt"
            if record { try text.write(toFile: file, atomically: true, encoding: .utf8); continue }
            let expected = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertEqual(text, expected, "duty \(w)x\(h) differs from \(file)")
        }
    }

    func testScreenShowsTheIncidentTheCasesAndTheTimeline() throws {
        let path = try DutyStore.make()
        let (canvas, data) = try render(path, 120, 40)
        let text = canvas.text
        XCTAssertEqual(data.incidents.map(\.alert.state).filter { $0 == .acknowledged }.count, 1)
        XCTAssertEqual(data.incidents.last?.alert.state, .acknowledged, "open alerts come first")
        let first = try XCTUnwrap(data.incidents.last)
        XCTAssertEqual(first.alert.level, .red)
        XCTAssertEqual(first.alert.acknowledgedBy, "张三")
        XCTAssertTrue(text.contains("> 红"), "the acknowledged alert is selected")
        XCTAssertTrue(text.contains(first.unitPath), "the unit path")
        XCTAssertTrue(text.contains("已确认"))
        XCTAssertTrue(text.contains("张三 →李四"))
        // The cases behind it are the cases `cockpit cases` lists for the same unit and light.
        let store = try CockpitStore(path: path, mode: .read)
        let cases = try store.cases(under: first.alert.unit, tree: store.tree(), light: .red, at: SampleStore.at, limit: 3)
        for c in cases { XCTAssertTrue(text.contains(c.id), "case \(c.id) behind the alert") }
        XCTAssertEqual(data.casesTotal, Int(first.alert.value ?? -1))
        // The timeline is the audit log: opened by the rules, acknowledged and assigned by 张三.
        XCTAssertEqual(data.timeline.map(\.action), [.opened, .acknowledged, .assigned])
        XCTAssertTrue(text.contains("张三 确认 已通知街道"))
        XCTAssertTrue(text.contains("张三 指派 → 李四"))
        for line in canvas.lines() { XCTAssertLessThanOrEqual(Text.width(line), 120) }
    }

    func testKeysSelectTypeAndPerform() throws {
        let path = try DutyStore.make()
        let loader = try DutyStore.loader(path)
        var m = DutyModel(officer: "王五")
        let data = try loader.load(selected: nil, at: SampleStore.at)
        m.follow(data)
        XCTAssertEqual(m.selected, data.incidents[0].alert.id)
        XCTAssertEqual(m.update(.down, data: data), .reload)
        XCTAssertEqual(m.selected, data.incidents[1].alert.id)
        XCTAssertEqual(m.update(.up, data: data), .reload)
        XCTAssertEqual(m.update(.up, data: data), .none, "already at the top")
        XCTAssertEqual(m.update(.char("a"), data: data), .redraw)
        for ch in "在查q" { _ = m.update(.char(ch), data: data) }
        _ = m.update(.backspace, data: data)
        let screen = DutyScreen(options: RenderOptions()).render(model: m, data: data, width: 80, height: 24)
        XCTAssertTrue(screen.lines()[23].contains("确认（备注可空）> 在查█"), screen.lines()[23])
        XCTAssertEqual(m.update(.enter, data: data), .perform(DutyCommand(kind: .acknowledge, alert: data.incidents[0].alert.id, text: "在查")))
        XCTAssertNil(m.input)
        _ = m.update(.char("c"), data: data)
        XCTAssertEqual(m.update(.escape, data: data), .redraw)
        XCTAssertNil(m.input, "Esc cancels")
        XCTAssertEqual(m.update(.resize, data: data), .redraw)
        XCTAssertEqual(m.update(.char("q"), data: data), .quit)
    }

    func testBellRingsOnceForANewRedAlertUnlessMuted() throws {
        func data(_ alerts: [(Int64, AlertItem.Level, Int64)]) -> DutyData {
            DutyData(incidents: alerts.map {
                .init(alert: AlertItem(id: $0.0, rule: "r", unit: "u", metric: "m", level: $0.1, state: .open, value: 1, openedAt: $0.2),
                      title: "r", unitPath: "u")
            }, at: 0)
        }
        var m = DutyModel(officer: "x")
        XCTAssertFalse(m.shouldRing(for: data([(1, .red, 0)])), "alerts already there at start do not ring")
        XCTAssertFalse(m.shouldRing(for: data([(1, .red, 0), (2, .yellow, 5)])), "yellow does not ring")
        XCTAssertTrue(m.shouldRing(for: data([(1, .red, 0), (2, .red, 5)])), "escalated to red rings")
        XCTAssertFalse(m.shouldRing(for: data([(1, .red, 0), (2, .red, 5)])), "once")
        XCTAssertTrue(m.shouldRing(for: data([(1, .red, 60)])), "a re-opened one rings again")
        _ = m.update(.char("m"), data: data([]))
        XCTAssertTrue(m.muted)
        XCTAssertFalse(m.shouldRing(for: data([(3, .red, 0)])), "muted")
    }

    func testEmptyAndTooSmall() throws {
        let screen = DutyScreen(options: RenderOptions())
        let empty = screen.render(model: DutyModel(officer: "x"), data: DutyData(incidents: [], at: SampleStore.at), width: 80, height: 24)
        XCTAssertTrue(empty.text.contains("没有待处理的告警"))
        let tiny = screen.render(model: DutyModel(officer: "x"), data: DutyData(incidents: [], at: 0), width: 60, height: 20)
        XCTAssertTrue(tiny.lines()[0].hasPrefix("终端太小"))
    }
}
