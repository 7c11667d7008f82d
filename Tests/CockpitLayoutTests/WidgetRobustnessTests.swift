import CockpitCore
import CockpitLayout
import CockpitUI
import XCTest

/// Every widget, in every size from nothing up, with odd data (huge, negative, infinite, missing,
/// parts larger than their total, negative times): it draws inside its rectangle and never traps.
final class WidgetRobustnessTests: XCTestCase {
    func testOddDataInEverySize() throws {
        var d = try WidgetTests.data()
        let odd: [Double] = [1e300, -5, .infinity, .nan, 0, 3.5]
        for (i, v) in odd.enumerated() {
            d.figures["cases.overdue"] = v
            d.figures["series.x"] = odd[(i + 1) % odd.count]
            d.children[0].figures["cases.overdue"] = v
            d.children[1].figures["cases.open"] = -v
            d.history[ScreenData.historyKey("d", "cases.overdue")] = [v, nil, -v, 1e308]
            d.history[ScreenData.historyKey("d", "series.x")] = [v, v]
            d.at = i % 2 == 0 ? -12345 : 1 << 40
            d.alerts = [AlertItem(id: 1, rule: "", unit: "s1", metric: "series.x", level: .red, state: .open, value: v, openedAt: -1)]
            d.boards = [HallBoard(hall: "d", zones: [.init(zone: .approval, waiting: -3, longestWaitS: Int.max, estimatedWaitS: nil,
                                                          windows: (0..<40).map { .init(id: "窗口\($0)", ticket: $0 % 3 == 0 ? nil : "A\($0)") })])]
            d.sources = [SourceStatus(name: String(repeating: "源", count: 50), kind: "", lastSuccess: nil, lastError: nil, lastErrorAt: nil,
                                      recordsIn: 0, rejected: 0, staleSince: -86_400 * 365 * 100)]
            let yamls = [
                "{widget: kpi, metric: cases.overdue, ratio_of: cases.open, thresholds: {red: 1, by: delta}}",
                "{widget: kpi, metric: series.x, sub: cases.overdue}",
                "{widget: table, metrics: [cases.open, cases.overdue, series.x], bar: cases.overdue}",
                "{widget: bars, metric: cases.overdue}",
                "{widget: bars, red: cases.overdue, yellow: cases.warning, total: cases.open}",
                "{widget: sparkline, metric: cases.overdue}",
                "{widget: gauge, metric: cases.overdue, target: 1e300}",
                "{widget: gauge, metric: series.x, target: -1}",
                "{widget: queue}", "{widget: alerts}", "{widget: tree, metric: series.x}",
                "{widget: banner, text: \"{=cases.overdue} {unit.name}\", alerts: true}", "{widget: clock}", "{widget: cases}",
            ]
            for yaml in yamls {
                let p = try Widgets.loader.load(yaml: "rows:\n  - " + yaml + "\n", file: "r.yaml", name: "r").panels[0]
                for (w, h) in [(0, 0), (1, 1), (3, 2), (7, 3), (13, 5), (41, 9), (90, 30)] {
                    for ascii in [false, true] {
                        // Drawn into the middle of a larger canvas: nothing may land outside its rectangle.
                        var c = Canvas(width: w + 4, height: h + 2)
                        let r = Rect(x: 2, y: 1, width: w, height: h)
                        let ctx = WidgetContext(panel: p, data: d, options: RenderOptions(ascii: ascii), focused: true, selected: 0)
                        Widgets.byName[p.widget]!.draw(&c, r, ctx)
                        for y in 0..<c.height {
                            for x in 0..<c.width where !(x >= r.x && x < r.maxX && y >= r.y && y < r.maxY) {
                                XCTAssertEqual(c[x, y].text, " ", "\(yaml) at \(w)x\(h) drew outside at (\(x), \(y)):\n\(c.text)")
                            }
                        }
                    }
                }
            }
        }
    }
}
