import CockpitApp
import CockpitCore
import CockpitLayout
import CockpitUI
import Foundation
import XCTest

/// Screens drawn from layouts: Tab through panels (those that gave way included), sorting,
/// `:layout`, languages and ASCII; and the `cockpit layout` commands run as a user would.
final class LayoutScreenTests: XCTestCase {
    let window = FigureWindow(at: SampleStore.at)

    /// Renders and hands the frame's panels to the model, as the live screen does after each draw.
    func frame(_ model: inout CockpitModel, _ data: ScreenData, _ w: Int = 80, _ h: Int = 24, lang: Strings.Language = .zh, ascii: Bool = false) -> String {
        let canvas = CockpitScreen(options: RenderOptions(strings: Strings(lang), ascii: ascii)).render(model: model, data: data, width: w, height: h)
        model.panels = canvas.focusables
        return canvas.text
    }

    func testTabCyclesEveryPanelAndBringsHiddenOnesForward() throws {
        let loader = try SampleStore.loader()
        let data = try loader.load(unitID: "xiacheng", window: window)
        var model = CockpitModel(unitID: "xiacheng")
        var text = frame(&model, data)
        XCTAssertEqual(model.panels.map(\.id), ["streets", "overdue", "tree-8", "alerts-9", "sparkline-10"])
        XCTAssertTrue(text.contains("Tab 切换(+3)"), text)
        var seen: [String] = []
        for _ in 0..<5 {
            XCTAssertEqual(model.update(.tab, data: data, tree: loader.tree), .redraw)
            text = frame(&model, data)
            seen.append(model.focus!.id)
            switch model.focus!.id {
            case "overdue":
                XCTAssertTrue(model.casesFocused)
                XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .redraw)
                text = frame(&model, data)
                XCTAssertTrue(text.contains("> " + data.overdueCases[1].id), text)
            case "tree-8":
                XCTAssertFalse(model.casesFocused)
                XCTAssertTrue(text.contains("1+8+X") && !text.contains("各街道对比"), "the tree takes the comparison's place:\n\(text)")
                XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .none, "a tree takes no row moves")
            case "alerts-9": XCTAssertTrue(text.contains("预警") && text.contains("无数据"), text)
            case "sparkline-10": XCTAssertTrue(text.contains("超期趋势"), text)
            default: XCTAssertTrue(text.contains("各街道对比"))
            }
        }
        XCTAssertEqual(seen, ["overdue", "tree-8", "alerts-9", "sparkline-10", "streets"])
        // Wide enough for everything: nothing gave way, Tab reaches only the two lists.
        text = frame(&model, data, 160, 45)
        XCTAssertEqual(model.panels.map(\.id), ["streets", "overdue"])
        XCTAssertTrue(text.contains("1+8+X") && text.contains("各街道对比") && text.contains("超期趋势"))
    }

    func testSortByColumns() throws {
        let loader = try SampleStore.loader()
        let data = try loader.load(unitID: "xiacheng", window: window)
        var model = CockpitModel(unitID: "xiacheng")
        _ = frame(&model, data, 120, 40)
        XCTAssertEqual(model.update(.char("s"), data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.sortMetric, "cases.open")
        var text = frame(&model, data, 120, 40)
        // The first street named on each line (the tree beside the table lists them in tree order).
        let order = text.split(separator: "\n").compactMap { line in
            data.children.compactMap { c in line.range(of: c.unit.name).map { (c.unit.name, $0.lowerBound) } }.min { $0.1 < $1.1 }?.0
        }
        XCTAssertEqual(order.first, "东新街道", "most open first")
        XCTAssertTrue(text.contains("▼在办"), text)
        _ = model.update(.char("s"), data: data, tree: loader.tree)
        XCTAssertEqual(model.sortMetric, "cases.overdue")
        // Enter opens the row as sorted.
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "dongxin")
        for _ in 0..<5 { _ = model.update(.char("s"), data: data, tree: loader.tree) }
        model.unitID = "xiacheng"
        text = frame(&model, data, 120, 40)
        XCTAssertNil(model.sortMetric, "after the last column, back to the tree's order")
    }

    func testLayoutCommandSwitchesAndNamesTheKnownOnes() throws {
        let loader = try SampleStore.loader()
        let data = try loader.load(unitID: "wulin", window: window)
        var model = CockpitModel(unitID: "wulin")
        model.layoutNames = ["district", "incident", "wall"]
        for ch in ":layout incident" { _ = model.update(ch == ":" ? .char(":") : .char(ch), data: data, tree: loader.tree) }
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.layoutName, "incident")
        XCTAssertTrue(frame(&model, data, 120, 40).contains("事件处置"))
        for ch in ":layout wal" { _ = model.update(.char(ch), data: data, tree: loader.tree) }
        _ = model.update(.enter, data: data, tree: loader.tree)
        XCTAssertEqual(model.message, "'wal'? district, incident, wall")
        XCTAssertEqual(model.layoutName, "incident")
        for ch in ":layout" { _ = model.update(.char(ch), data: data, tree: loader.tree) }
        _ = model.update(.enter, data: data, tree: loader.tree)
        XCTAssertNil(model.layoutName)
        XCTAssertTrue(frame(&model, data, 120, 40).contains("街道驾驶舱"))
    }

    func testEnglishAndASCII() throws {
        let loader = try SampleStore.loader(.en)
        let data = try loader.load(unitID: "xiacheng", window: window)
        var model = CockpitModel(unitID: "xiacheng")
        let en = frame(&model, data, 160, 45, lang: .en)
        for word in ["cockpit", "Streets compared", "Most overdue cases", "Alerts", "Overdue trend", "no data", "of open"] {
            XCTAssertTrue(en.contains(word), "\(word):\n\(en)")
        }
        let ascii = frame(&model, data, 160, 45, ascii: true)
        XCTAssertFalse(ascii.contains { "─│┌┐└┘█▏▎▍▌▋▊▉●›".contains($0) }, ascii)
        XCTAssertTrue(ascii.contains("+-") && ascii.contains("###") && ascii.contains("* 下城区"), ascii)
    }

    // MARK: the commands

    /// Runs the built binary with a timeout; (exit status, stdout, stderr).
    func cockpit(_ args: [String], env extra: [String: String] = [:]) throws -> (Int32, String, String) {
        let dir = NSTemporaryDirectory() + "cockpit-layout-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, dir + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        let argv = [Paths.binary] + args
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv) == 0 else { throw XCTSkip("cannot start \(argv[0])") }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(60)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline { kill(pid, SIGKILL); XCTFail("timed out: \(args)"); break }
            usleep(20_000)
        }
        let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xff, out, err)
    }

    func testLayoutCheckNamesEveryProblem() throws {
        let dir = NSTemporaryDirectory() + "layout-check-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/street.yaml"
        try "rows:\n  - widget: tabel\n  - widget: kpi\n    metric: cases.opne\n    prioity: 3\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let (status, out, err) = try cockpit(["layout", "check", bad])
        XCTAssertEqual(status, 1, out + err)
        XCTAssertTrue(out.contains("\(bad):2:13: unknown widget 'tabel'"), out)
        XCTAssertTrue(out.contains("did you mean 'table'?"), out)
        XCTAssertTrue(out.contains("\(bad):4:13: unknown metric 'cases.opne' (expected a metric name); did you mean 'cases.open'?"), out)
        XCTAssertTrue(out.contains("\(bad):5:5: unknown key 'prioity'"), out)
        XCTAssertTrue(err.contains("3 problems"), err)
        // The bundled ones pass, found from the binary without help.
        let (ok, okOut, _) = try cockpit(["layout", "check"])
        XCTAssertEqual(ok, 0, okOut)
        XCTAssertEqual(okOut.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count, 6, okOut)
        // A snapshot with the bad override refuses to draw.
        let (snap, snapOut, snapErr) = try cockpit(["snapshot", "--db", SampleStore.path, "--layouts", dir])
        XCTAssertEqual(snap, 2)
        XCTAssertTrue(snapOut.isEmpty)
        XCTAssertTrue(snapErr.contains("unknown widget 'tabel'"), snapErr)
    }

    func testLayoutListAndShow() throws {
        let (status, out, _) = try cockpit(["layout", "list"])
        XCTAssertEqual(status, 0)
        for name in ["community", "district", "incident", "park", "street", "wall"] { XCTAssertTrue(out.contains(name + " "), out) }
        XCTAssertTrue(out.contains("10 panels: alerts, cases, 5 kpi, sparkline, table, tree"), out)
        let (shown, text, err) = try cockpit(["layout", "show", "wall", "--db", SampleStore.path, "--unit", "wulin", "--size", "100x30",
                                              "--at", "2026-11-20T17:00:00+08:00"])
        XCTAssertEqual(shown, 0, err)
        XCTAssertEqual(text.split(separator: "\n", omittingEmptySubsequences: false).count, 31)
        XCTAssertTrue(text.contains("下城区 › 武林街道  大屏"), text)
        let (missing, _, missingErr) = try cockpit(["layout", "show", "wal", "--db", SampleStore.path])
        XCTAssertEqual(missing, 2)
        XCTAssertTrue(missingErr.contains("did you mean 'wall'?"), missingErr)
        // COCKPIT_LAYOUTS points the binary at another directory of bundled layouts.
        let (envStatus, _, envErr) = try cockpit(["layout", "list"], env: ["COCKPIT_LAYOUTS": "/nonexistent"])
        XCTAssertEqual(envStatus, 2, envErr)
        XCTAssertTrue(envErr.contains("no layout for district, street, community, park in /nonexistent"), envErr)
        let (moved, movedOut, movedErr) = try cockpit(["layout", "list"], env: ["COCKPIT_LAYOUTS": Paths.repo.appendingPathComponent("Layouts").path])
        XCTAssertEqual(moved, 0, movedErr)
        XCTAssertTrue(movedOut.contains("wall "))
    }
}
