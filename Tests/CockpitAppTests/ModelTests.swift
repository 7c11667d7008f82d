import CockpitApp
import CockpitStore
import Foundation
import CockpitCore
import CockpitTerminal
import CockpitUI
import XCTest

/// Every key's effect on the screen model, without a terminal.
final class ModelTests: XCTestCase {
    func testDrillDownAndBackKeepsSelection() throws {
        let loader = try SampleStore.loader()
        let window = FigureWindow(at: SampleStore.at)
        var model = CockpitModel(unitID: "xiacheng")
        var data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.update(.char("j"), data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.selectedRow, 2)
        XCTAssertEqual(model.update(.char("k"), data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "tianshui")
        data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, data.children[0].unit.id)
        data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertTrue(data.showsCases)
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .none, "a community has nothing below it")
        XCTAssertEqual(model.update(.escape, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "tianshui")
        data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.backspace, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "xiacheng")
        XCTAssertEqual(model.selectedRow, 2, "back up, the street we came from is selected")
        data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.escape, data: data, tree: loader.tree), .none, "nothing above the district")
        XCTAssertEqual(model.update(.char("q"), data: data, tree: loader.tree), .quit)
    }

    func testSelectionIsClamped() throws {
        let loader = try SampleStore.loader()
        var model = CockpitModel(unitID: "xiacheng")
        let data = try loader.load(unitID: model.unitID, window: FigureWindow(at: SampleStore.at))
        XCTAssertEqual(model.update(.up, data: data, tree: loader.tree), .none)
        XCTAssertEqual(model.update(.end, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.selectedRow, 7)
        XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .none)
        XCTAssertEqual(model.update(.pageUp, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.selectedRow, 0)
        XCTAssertEqual(model.update(.right, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "changqing")
    }

    func testHelpDigitsAndRefresh() throws {
        let loader = try SampleStore.loader()
        let window = FigureWindow(at: SampleStore.at)
        var model = CockpitModel(unitID: "xiacheng")
        var data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.char("?"), data: data, tree: loader.tree), .redraw)
        XCTAssertTrue(model.showHelp)
        let help = CockpitScreen().render(model: model, data: data, width: 100, height: 30).text
        XCTAssertTrue(help.contains("按键说明"), help)
        XCTAssertTrue(help.contains("直接进入第 N 个街道"), help)
        XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .redraw, "any key closes the help")
        XCTAssertFalse(model.showHelp)
        XCTAssertEqual(model.selectedRow, 0, "the key that closed the help does nothing else")
        XCTAssertEqual(model.update(.f1, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.update(.char("q"), data: data, tree: loader.tree), .quit, "q still quits from the help")

        model = CockpitModel(unitID: "xiacheng")
        XCTAssertEqual(model.update(.char("5"), data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "zhaohui")
        data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.char("2"), data: data, tree: loader.tree), .reload, "digits work from any level")
        XCTAssertEqual(model.unitID, "wulin")
        XCTAssertEqual(model.update(.char("9"), data: data, tree: loader.tree), .none, "there are 8 streets")
        XCTAssertEqual(model.update(.char("0"), data: data, tree: loader.tree), .none)
        XCTAssertEqual(model.update(.escape, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.selectedRow, 1, "back on the district, 武林 is selected")
        XCTAssertEqual(model.update(.char("r"), data: data, tree: loader.tree), .reload)
    }

    func testFilterNarrowsTheListAndEnterDrillsIntoTheMatch() throws {
        let loader = try SampleStore.loader()
        let window = FigureWindow(at: SampleStore.at)
        var model = CockpitModel(unitID: "xiacheng")
        let data = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.char("/"), data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.input, .filter)
        for ch in "东新" { _ = model.update(.char(ch), data: data, tree: loader.tree) }
        XCTAssertEqual(model.filtered(data).children.map(\.unit.id), ["dongxin"])
        var text = CockpitScreen().render(model: model, data: data, width: 100, height: 30).text
        XCTAssertTrue(text.contains("/东新"), text)
        XCTAssertFalse(text.contains("武林街道"), "filtered out")
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .redraw, "Enter keeps the filter, leaves typing")
        XCTAssertNil(model.input)
        text = CockpitScreen().render(model: model, data: data, width: 100, height: 30).text
        XCTAssertTrue(text.contains("> 东新街道"), text)
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, "dongxin")
        XCTAssertEqual(model.filter, "", "a new unit starts unfiltered")

        // By pinyin initials: "sq" is 石桥 (Shí Qiáo).
        model = CockpitModel(unitID: "xiacheng")
        _ = model.update(.char("/"), data: data, tree: loader.tree)
        for ch in "sqjd" { _ = model.update(.char(ch), data: data, tree: loader.tree) }
        XCTAssertEqual(model.filtered(data).children.map(\.unit.id), ["shiqiao"])

        // By id, with Backspace; Esc clears the filter before it goes up.
        model = CockpitModel(unitID: "xiacheng")
        _ = model.update(.char("/"), data: data, tree: loader.tree)
        for ch in "wux" { _ = model.update(.char(ch), data: data, tree: loader.tree) }
        XCTAssertEqual(model.filtered(data).children.count, 0)
        _ = model.update(.backspace, data: data, tree: loader.tree)
        XCTAssertEqual(model.filtered(data).children.map(\.unit.id), ["wulin"])
        _ = model.update(.enter, data: data, tree: loader.tree)
        XCTAssertEqual(model.update(.escape, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.filtered(data).children.count, 8)
        XCTAssertEqual(model.unitID, "xiacheng")
    }

    func testCommandLine() throws {
        let loader = try SampleStore.loader()
        let data = try loader.load(unitID: "xiacheng", window: FigureWindow(at: SampleStore.at))
        var model = CockpitModel(unitID: "xiacheng")
        func type(_ line: String) -> Effect {
            _ = model.update(.char(":"), data: data, tree: loader.tree)
            for ch in line { _ = model.update(.char(ch), data: data, tree: loader.tree) }
            return model.update(.enter, data: data, tree: loader.tree)
        }
        XCTAssertEqual(type("street 武林"), .reload)
        XCTAssertEqual(model.unitID, "wulin")
        XCTAssertEqual(type("unit wulin-zhuganxiang"), .reload)
        XCTAssertEqual(model.unitID, "wulin-zhuganxiang")
        XCTAssertEqual(type("unit 三塘北苑社区"), .reload)
        XCTAssertEqual(model.unitID, "dongxin-santangbeiyuan")
        XCTAssertEqual(type("up"), .reload)
        XCTAssertEqual(model.unitID, "dongxin")
        XCTAssertEqual(type("top"), .reload)
        XCTAssertEqual(model.unitID, "xiacheng")
        XCTAssertEqual(type("street 不存在"), .redraw)
        XCTAssertEqual(model.unitID, "xiacheng")
        XCTAssertNotNil(model.message)
        let text = CockpitScreen().render(model: model, data: data, width: 100, height: 30).text
        XCTAssertTrue(text.contains("'不存在'?"), text)
        XCTAssertEqual(type("frobnicate"), .redraw)
        XCTAssertTrue(model.message?.contains("street, unit") == true)
        XCTAssertEqual(type("q"), .quit)
        // Esc abandons a half-typed command.
        _ = model.update(.char(":"), data: data, tree: loader.tree)
        _ = model.update(.char("u"), data: data, tree: loader.tree)
        XCTAssertEqual(model.update(.escape, data: data, tree: loader.tree), .redraw)
        XCTAssertNil(model.input)
        XCTAssertEqual(model.unitID, "xiacheng")
    }

    func testTabSwitchesToTheCaseListAndEnterOpensTheCasesCommunity() throws {
        let loader = try SampleStore.loader()
        let window = FigureWindow(at: SampleStore.at)
        var model = CockpitModel(unitID: "dongxin")
        let data = try loader.load(unitID: model.unitID, window: window)
        // At 80x24 东新's 15 communities leave no room for the case list: the comparison is drawn.
        XCTAssertTrue(CockpitScreen().render(model: model, data: data, width: 80, height: 24).text.contains("各社区、园区对比"))
        XCTAssertEqual(model.update(.tab, data: data, tree: loader.tree), .redraw)
        XCTAssertTrue(model.casesFocused)
        XCTAssertEqual(model.update(.down, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.selectedCase, 1)
        XCTAssertEqual(model.selectedRow, 0, "the comparison keeps its own selection")
        // At 80x24 the two panels do not both fit: the focused one is drawn.
        let small = CockpitScreen().render(model: model, data: data, width: 80, height: 24).text
        XCTAssertTrue(small.contains("超期最久的办件"), small)
        XCTAssertFalse(small.contains("各社区、园区对比"), small)
        XCTAssertTrue(small.contains("> " + data.overdueCases[1].id), small)
        XCTAssertEqual(model.update(.enter, data: data, tree: loader.tree), .reload)
        XCTAssertEqual(model.unitID, data.overdueCases[1].unit)
        XCTAssertFalse(model.casesFocused)
        // Tab on a community does nothing: it has one list.
        let leaf = try loader.load(unitID: model.unitID, window: window)
        XCTAssertEqual(model.update(.tab, data: leaf, tree: loader.tree), .none)
    }

    func testChangedFiguresAreHighlighted() throws {
        let loader = try SampleStore.loader()
        let old = try loader.load(unitID: "xiacheng", window: FigureWindow(at: SampleStore.at))
        // An hour later more cases are overdue: the district's and some streets' figures move.
        var fresh = try loader.load(unitID: "xiacheng", window: FigureWindow(at: SampleStore.at + 86_400 * 3))
        fresh.changed = fresh.changes(from: old)
        XCTAssertTrue(fresh.changed.contains("xiacheng|cases.overdue"), "\(fresh.changed)")
        XCTAssertFalse(fresh.changed.contains("xiacheng|cases.open"), "open does not change with the clock")
        let canvas = CockpitScreen().render(model: CockpitModel(unitID: "xiacheng"), data: fresh, width: 120, height: 40)
        let overdueText = Format.count(fresh.figures[Metric.casesOverdue])
        let line = canvas.lines()[2]
        let col = Text.width(String(line[..<line.range(of: overdueText)!.lowerBound]))
        XCTAssertTrue(canvas[col, 2].style.reverse, "the changed tile value is drawn in reverse")
        XCTAssertTrue(fresh.changes(from: fresh).isEmpty)
    }

    func testClicksSelectThenOpen() throws {
        let loader = try SampleStore.loader()
        var model = CockpitModel(unitID: "xiacheng")
        let data = try loader.load(unitID: model.unitID, window: FigureWindow(at: SampleStore.at))
        let canvas = CockpitScreen().render(model: model, data: data, width: 120, height: 40)
        let y = canvas.lines().firstIndex { $0.contains("武林街道") }!
        XCTAssertNil(canvas.target(x: 5, y: 0), "the title bar is no list row")
        let pick = try XCTUnwrap(canvas.target(x: 10, y: y))
        XCTAssertEqual(pick, .pick(.children, 1))
        XCTAssertEqual(model.update(pick, data: data, tree: loader.tree), .redraw)
        XCTAssertEqual(model.selectedRow, 1)
        XCTAssertEqual(model.update(pick, data: data, tree: loader.tree), .reload, "a click on the selected row opens it")
        XCTAssertEqual(model.unitID, "wulin")

        // A click in the case list focuses it.
        model = CockpitModel(unitID: "xiacheng")
        let caseY = canvas.lines().firstIndex { $0.contains(data.overdueCases[2].id) }!
        let casePick = try XCTUnwrap(canvas.target(x: 10, y: caseY))
        XCTAssertEqual(casePick, .pick(.cases, 2))
        XCTAssertEqual(model.update(casePick, data: data, tree: loader.tree), .redraw)
        XCTAssertTrue(model.casesFocused)
        XCTAssertEqual(model.selectedCase, 2)
    }

    func testKeyDecoder() {
        XCTAssertEqual(KeyDecoder.character(13), .enter)
        XCTAssertEqual(KeyDecoder.character(10), .enter)
        XCTAssertEqual(KeyDecoder.character(27), .escape)
        XCTAssertEqual(KeyDecoder.character(127), .backspace)
        XCTAssertEqual(KeyDecoder.character(9), .tab)
        XCTAssertEqual(KeyDecoder.character(0x71), .char("q"))
        XCTAssertEqual(KeyDecoder.character(0x6B66), .char("武"))
        XCTAssertNil(KeyDecoder.character(1))
        XCTAssertEqual(KeyDecoder.keyCode(0o403), .up)
        XCTAssertEqual(KeyDecoder.keyCode(0o402), .down)
        XCTAssertEqual(KeyDecoder.keyCode(0o632), .resize)
        XCTAssertEqual(KeyDecoder.keyCode(0o411), .f1)
        XCTAssertNil(KeyDecoder.keyCode(0o777))
    }
}

/// The demo store is built on first use, atomically, and reused afterwards.
final class DemoStoreTests: XCTestCase {
    func testDemoIsBuiltOnceFromSampleData() throws {
        let home = NSTemporaryDirectory() + "cockpit-xdg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        setenv("XDG_DATA_HOME", home, 1)
        setenv("COCKPIT_SAMPLE_DATA", Paths.sampleData, 1)
        defer { unsetenv("XDG_DATA_HOME"); unsetenv("COCKPIT_SAMPLE_DATA") }
        let path = try Demo.ensure(quiet: true)
        XCTAssertEqual(path, home + "/cockpit/demo.sqlite")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".building"))
        let store = try CockpitStore(path: path, mode: .read)
        XCTAssertEqual(try store.caseCount(), 25_000)
        let built = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        XCTAssertEqual(try Demo.ensure(quiet: true), path)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date, built, "not rebuilt")
    }
}
