import CockpitCore
import CockpitLayout
import CockpitUI
import XCTest

/// Each widget drawn alone into a rectangle from made-up data: what it shows, in colour and in
/// ASCII, with Chinese text kept whole.
final class WidgetTests: XCTestCase {
    static let at = LocalTime.parse("2026-11-20T17:00:00+08:00")!

    static func data() throws -> ScreenData {
        let units = [
            OrgUnit(id: "d", name: "下城区", tier: .district, parent: nil),
            OrgUnit(id: "s1", name: "武林街道", tier: .street, parent: "d"),
            OrgUnit(id: "s2", name: "天水街道", tier: .street, parent: "d"),
            OrgUnit(id: "c1", name: "一个名字特别特别长的社区", tier: .community, parent: "s1"),
        ]
        let tree = try OrgTree(units: units)
        let fig: [String: Figures] = [
            "d": Figures(["cases.open": 100, "cases.overdue": 30, "cases.warning": 10, "cases.on_time_rate": 0.965]),
            "s1": Figures(["cases.open": 60, "cases.overdue": 20, "cases.warning": 10]),
            "s2": Figures(["cases.open": 40, "cases.overdue": 10, "cases.warning": 0]),
            "c1": Figures(["cases.open": 60, "cases.overdue": 20]),
        ]
        var d = ScreenData(path: [units[0]], figures: fig["d"]!, children: [(units[1], fig["s1"]!), (units[2], fig["s2"]!)],
                           overdueCases: [], at: at, dataAsOf: at,
                           unitNames: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) }))
        d.tree = tree
        d.allFigures = fig
        return d
    }

    func panel(_ yaml: String) throws -> Panel {
        try Widgets.loader.load(yaml: "rows:\n  - " + yaml + "\n", file: "w.yaml", name: "w").panels[0]
    }

    func draw(_ yaml: String, _ w: Int, _ h: Int, data: ScreenData? = nil, ascii: Bool = false, lang: Strings.Language = .zh,
              selected: Int? = nil) throws -> Canvas {
        let p = try panel(yaml)
        var c = Canvas(width: w, height: h)
        let ctx = WidgetContext(panel: p, data: try data ?? Self.data(), options: RenderOptions(strings: Strings(lang), ascii: ascii),
                                focused: false, selected: selected, sortedBy: nil)
        Widgets.byName[p.widget]!.draw(&c, c.bounds, ctx)
        for line in c.lines() { XCTAssertLessThanOrEqual(Text.width(line), w, line) }
        return c
    }

    func testKPIShowsValueThresholdColourAndDelta() throws {
        var d = try Self.data()
        let plain = try draw("{widget: kpi, metric: cases.overdue, ratio_of: cases.open, sub_label: 占比, thresholds: {red: 1}}", 20, 4, data: d)
        XCTAssertEqual(plain.lines()[1], "│               30 │")
        XCTAssertEqual(plain.lines()[2], "│        占比 30.0% │".replacingOccurrences(of: "        占", with: "       占"))
        XCTAssertEqual(plain[16, 1].style.tint, .red)
        XCTAssertFalse(plain.text.contains("▲"), "no history, no delta")
        d.history[ScreenData.historyKey("d", "cases.overdue")] = [20, 26, 30]
        let moved = try draw("{widget: kpi, metric: cases.overdue, thresholds: {red: 1}}", 20, 4, data: d)
        XCTAssertEqual(moved.lines()[1], "│ ▲+4           30 │")
        XCTAssertEqual(moved[2, 1].style.tint, .red, "rising is bad when lower is better")
        let ascii = try draw("{widget: kpi, metric: cases.overdue}", 20, 4, data: d, ascii: true)
        XCTAssertEqual(ascii.lines()[1], "| ^+4           30 |")
        d.history[ScreenData.historyKey("d", "cases.overdue")] = [40, 30]
        let fell = try draw("{widget: kpi, metric: cases.overdue, thresholds: {red: 1}}", 20, 4, data: d)
        XCTAssertTrue(fell.lines()[1].contains("▼-10"))
        XCTAssertEqual(fell[2, 1].style.tint, .green)
    }

    func testKPIUnknownMetricIsADash() throws {
        let c = try draw("{widget: kpi, metric: series.elevator_alarms}", 20, 4)
        XCTAssertEqual(c.lines()[1], "│                — │")
        XCTAssertTrue(c.lines()[0].contains("elevator_alar…"), c.lines()[0])
    }

    func testKPIBigDigitsWhenTall() throws {
        let c = try draw("{widget: kpi, metric: cases.open}", 20, 7)
        XCTAssertEqual(c.lines()[1], "│       ▄█ █▀█ █▀█ │")
        XCTAssertEqual(c.lines()[3], "│        ▀ ▀▀▀ ▀▀▀ │")
    }

    func testTableDropsLowPriorityColumnsAndTruncatesChinese() throws {
        let yaml = "{widget: table, metrics: [cases.open, {metric: cases.warning, priority: -1}, cases.overdue], bar: cases.overdue}"
        let wide = try draw(yaml, 70, 6, selected: 1)
        XCTAssertTrue(wide.lines()[1].contains("在办") && wide.lines()[1].contains("临期") && wide.lines()[1].contains("超期"))
        XCTAssertTrue(wide.lines()[3].hasPrefix("│ > 天水街道"), wide.text)
        XCTAssertEqual(wide[4, 3].style.reverse, true, "the selected row is highlighted")
        let narrow = try draw(yaml, 32, 6)
        XCTAssertFalse(narrow.lines()[1].contains("临期"), "the priority -1 column goes first:\n\(narrow.text)")
        XCTAssertTrue(narrow.lines()[1].contains("超期"))
    }

    func testTableScrollsWithPosition() throws {
        var d = try Self.data()
        d.children = (0..<30).map { (OrgUnit(id: "u\($0)", name: "社区\($0)", tier: .community, parent: "d"), Figures(["cases.open": Double($0)])) }
        let c = try draw("{widget: table, metrics: [cases.open]}", 40, 8, data: d, selected: 20)
        XCTAssertTrue(c.lines()[7].contains(" 17-21/30 "), c.text)
        XCTAssertTrue(c.text.contains("> 社区20"))
    }

    func testStackedBarsRedYellowGreen() throws {
        let c = try draw("{widget: bars, red: cases.overdue, yellow: cases.warning, total: cases.open}", 44, 4, ascii: true)
        // 武林: 20 red, 10 yellow, 30 green of 60 = the longest bar (21 cells): 7 + 3.5 + 10.5, ends rounded.
        XCTAssertTrue(c.lines()[1].contains(" #######====----------      60"), c.text)
        // 天水: 10 red and 30 green of 40, scaled to 60: 3.5 + 10.5 → 4 + 10.
        XCTAssertTrue(c.lines()[2].contains(" ####----------             40"), c.text)
        let colour = try draw("{widget: bars, red: cases.overdue, yellow: cases.warning, total: cases.open}", 44, 4)
        let row = colour.lines()[1]
        var start = 0
        for ch in row { if ch == "█" { break }; start += Text.width(String(ch)) }
        XCTAssertTrue(row.contains("███████▓▓▓▓░░░░░░░░░░"), row)
        XCTAssertEqual([colour[start, 1].style.tint, colour[start + 7, 1].style.tint, colour[start + 11, 1].style.tint], [.red, .yellow, .green])
    }

    func testSparklineFromHistoryAndNoData() throws {
        var d = try Self.data()
        XCTAssertTrue(try draw("{widget: sparkline, metric: cases.overdue}", 30, 3, data: d).text.contains("无数据"))
        XCTAssertTrue(try draw("{widget: sparkline, metric: cases.overdue}", 30, 3, data: d, lang: .en).text.contains("no data"))
        d.history[ScreenData.historyKey("d", "cases.overdue")] = [0, 1, 2, 3, 4, 5, 6, 7, 8, nil]
        let one = try draw("{widget: sparkline, metric: cases.overdue}", 30, 3, data: d)
        XCTAssertTrue(one.lines()[1].contains(" ▁▂▃▄▅▆▇█"), one.text)
        XCTAssertTrue(one.lines()[1].hasSuffix("8 │"))
        let ascii = try draw("{widget: sparkline, metric: cases.overdue}", 30, 3, data: d, ascii: true)
        XCTAssertTrue(ascii.lines()[1].contains("..:-=+*#"), ascii.text)
        let tall = try draw("{widget: sparkline, metric: cases.overdue}", 30, 4, data: d)
        // Two rows: the lower half fills first, the upper carries the rest.
        XCTAssertTrue(tall.lines()[1].contains("      ▂▄▆█"), tall.text)
        XCTAssertTrue(tall.lines()[2].contains("  ▂▄▆█████"), tall.text)
    }

    func testGaugeAgainstTarget() throws {
        let c = try draw("{widget: gauge, metric: cases.on_time_rate, target: 0.95}", 30, 4)
        XCTAssertTrue(c.lines()[1].hasSuffix("96.5% │"), c.text)
        XCTAssertTrue(c.lines()[2].contains("目标 95.0%"))
        XCTAssertEqual(c[3, 1].style.tint, .green)
        let miss = try draw("{widget: gauge, metric: cases.on_time_rate, target: 0.99}", 30, 4)
        XCTAssertEqual(miss[3, 1].style.tint, .red)
        XCTAssertTrue(miss.lines()[1].contains("┃"))
    }

    func testQueueBoard() throws {
        var d = try Self.data()
        XCTAssertTrue(try draw("{widget: queue}", 40, 6, data: d).text.contains("无数据"))
        d.boards = [HallBoard(hall: "s1", zones: [
            .init(zone: .intake, waiting: 7, longestWaitS: 754, estimatedWaitS: 300,
                  windows: [.init(id: "W1", ticket: "A023"), .init(id: "W2"), .init(id: "W3", ticket: "A024")]),
            .init(zone: .delivery, waiting: 0, longestWaitS: nil, estimatedWaitS: nil, windows: [.init(id: "W9", ticket: "C001")]),
        ])]
        let c = try draw("{widget: queue}", 40, 8, data: d)
        XCTAssertEqual(c.lines()[1], "│ 收件   等候 7  最长 12m34s           │")
        XCTAssertEqual(c.lines()[2], "│   W1:A023  W2:空闲  W3:A024          │")
        XCTAssertTrue(c.lines()[3].contains("出件   等候 0  最长 —"))
        XCTAssertEqual(c[2, 1].style.tint, .yellow, "7 waiting at 3 windows")
    }

    func testAlertListRedFirstAndOnlyOpenOnes() throws {
        var d = try Self.data()
        d.alerts = [
            AlertItem(id: 1, rule: "r", unit: "s2", metric: "cases.warning", level: .yellow, state: .open, value: 12, openedAt: Self.at - 600),
            AlertItem(id: 2, rule: "r", unit: "s1", metric: "cases.overdue", level: .red, state: .acknowledged, value: 20, openedAt: Self.at - 300),
            AlertItem(id: 3, rule: "r", unit: "s1", metric: "cases.overdue", level: .red, state: .resolved, value: 25, openedAt: Self.at - 200),
        ]
        let c = try draw("{widget: alerts}", 60, 5, data: d)
        XCTAssertTrue(c.lines()[1].contains("● 武林街道 超期 20"), c.text)
        XCTAssertTrue(c.lines()[1].contains("已确认"))
        XCTAssertTrue(c.lines()[2].contains("● 天水街道 临期 12"), c.text)
        XCTAssertFalse(c.text.contains("25"), "resolved alerts are not listed")
        XCTAssertEqual(c[2, 1].style.tint, .red)
    }

    func testClockShowsStaleSourcesInRed() throws {
        var d = try Self.data()
        d.sources = [SourceStatus(name: "hall", kind: "csv", lastSuccess: Self.at - 1200, lastError: nil, lastErrorAt: nil,
                                  recordsIn: 5, rejected: 0, staleSince: Self.at - 1200)]
        let c = try draw("{widget: clock}", 80, 1, data: d)
        XCTAssertEqual(c.lines()[0], "截至 2026-11-20 17:00  hall 自 2026-11-20 16:40 未更新")
        XCTAssertEqual(c[24, 0].style.tint, .red)
        d.sources[0].staleSince = nil
        XCTAssertTrue(try draw("{widget: clock}", 80, 1, data: d).text.contains("✓ 数据源正常"))
    }

    func testBannerTicksWithTheClock() throws {
        var d = try Self.data()
        let yaml = "{widget: banner, text: \"{unit.name} 在办 {=cases.open} 超期 {=cases.overdue} 这是一条很长很长的滚动消息\", border: false}"
        let a = try draw(yaml, 20, 1, data: d).lines()[0]
        d.at += 2
        let b = try draw(yaml, 20, 1, data: d).lines()[0]
        XCTAssertNotEqual(a, b)
        let short = try draw("{widget: banner, text: \"{unit.name} 在办 {=cases.open}\", border: false}", 30, 1, data: d).lines()[0]
        XCTAssertEqual(short, "       下城区 在办 100")
    }

    func testUnitTreeWithDots() throws {
        var d = try Self.data()
        d.path = [d.tree!.unit("d")!, d.tree!.unit("s1")!]
        let c = try draw("{widget: tree, metric: cases.overdue, thresholds: {yellow: 10, red: 25}}", 30, 7, data: d)
        XCTAssertEqual(c.lines()[1], "│ ● 下城区                30 │")
        XCTAssertEqual(c.lines()[2], "│   ● 武林街道            20 │")
        XCTAssertTrue(c.lines()[3].hasPrefix("│     ● 一个名字特别特别…"), c.text)
        XCTAssertEqual(c.lines()[4], "│   ● 天水街道            10 │")
        XCTAssertEqual([c[2, 1].style.tint, c[4, 2].style.tint], [.red, .yellow])
    }
}

extension WidgetTests {
    /// A panel bound to a late source says how old its data is, in red, in its bottom border.
    func testPanelOfAStaleSourceCarriesItsAge() throws {
        var d = try Self.data()
        let yaml = "{widget: kpi, metric: cases.overdue, source: hall}"
        XCTAssertFalse(try draw(yaml, 30, 4, data: d).text.contains("前"), "no source status: nothing said")
        d.sources = [SourceStatus(name: "hall", kind: "csv", lastSuccess: Self.at - 12 * 60, lastError: nil, lastErrorAt: nil,
                                  recordsIn: 1, rejected: 0, staleSince: Self.at - 6 * 60)]
        let c = try draw(yaml, 30, 4, data: d)
        XCTAssertEqual(c.lines()[3], "└─ 数据（12 分钟前） ────────┘")
        XCTAssertEqual(c[3, 3].style.tint, .red)
        d.sources[0].staleSince = nil
        XCTAssertFalse(try draw(yaml, 30, 4, data: d).text.contains("前"), "a current source: nothing said")
        XCTAssertThrowsError(try panel("{widget: kpi, metric: cases.open, sorce: hall}"))
    }
}
