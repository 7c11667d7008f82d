import CockpitLayout
import CockpitUI
import XCTest

/// How rectangles are split, and the priority rule: when a panel gets less than its minimum, the
/// lowest-priority panel competing for that room gives way.
final class ArrangeTests: XCTestCase {
    func layout(_ yaml: String) throws -> Layout { try Widgets.loader.load(yaml: yaml, file: "t.yaml", name: "t") }

    func arrange(_ l: Layout, _ w: Int, _ h: Int) -> (placed: [String: Rect], hidden: [String]) {
        let a = Arranger.arrange(l, in: Rect(x: 0, y: 0, width: w, height: h), minSize: Widgets.minSize)
        return (Dictionary(uniqueKeysWithValues: a.placed.map { ($0.panel.id, $0.rect) }), a.hidden.map(\.id))
    }

    func testFixedThenFractionsShareTheRest() throws {
        let l = try layout("""
            rows:
              - {size: 4, widget: cases, id: a, min_height: 3}
              - {size: 1fr, widget: cases, id: b}
              - {size: 2fr, widget: cases, id: c}
            """)
        let (p, hidden) = arrange(l, 80, 34)
        XCTAssertEqual(hidden, [])
        XCTAssertEqual(p["a"], Rect(x: 0, y: 0, width: 80, height: 4))
        XCTAssertEqual(p["b"], Rect(x: 0, y: 4, width: 80, height: 10))
        XCTAssertEqual(p["c"], Rect(x: 0, y: 14, width: 80, height: 20))
    }

    func testColumnsHaveAGapAndFillTheWidth() throws {
        let l = try layout("columns:\n  - {widget: cases, id: a}\n  - {widget: cases, id: b, size: 30, min_width: 20}\n")
        let (p, _) = arrange(l, 101, 10)
        XCTAssertEqual(p["b"], Rect(x: 71, y: 0, width: 30, height: 10))
        XCTAssertEqual(p["a"], Rect(x: 0, y: 0, width: 70, height: 10))
    }

    func testLowestPriorityGivesWayFirst() throws {
        let l = try layout("""
            columns:
              - {widget: cases, id: main, priority: 90}
              - {widget: cases, id: side, priority: 10, size: 40}
              - {widget: cases, id: extra, priority: 20, size: 40}
            """)
        XCTAssertEqual(arrange(l, 140, 20).hidden, [])
        // 100 columns: main would get 18 (< 40); side (10) goes first, then main has 59.
        let (p, hidden) = arrange(l, 100, 20)
        XCTAssertEqual(hidden, ["side"])
        XCTAssertEqual(p["main"]?.width, 59)
        // 60: extra goes too.
        XCTAssertEqual(arrange(l, 60, 20).hidden, ["side", "extra"])
        // Too small for even the last one: it is hidden as well and nothing is drawn broken.
        XCTAssertEqual(arrange(l, 30, 20).hidden, ["side", "extra", "main"])
    }

    func testOnlyPanelsCompetingForTheShortRoomGiveWay() throws {
        // The tiles are too narrow: only a tile (the lowest of them) goes, never the table below.
        let l = try layout("""
            rows:
              - size: 4
                columns:
                  - {widget: kpi, metric: cases.open, id: k1, priority: 100}
                  - {widget: kpi, metric: cases.overdue, id: k2, priority: 100}
                  - {widget: kpi, metric: cases.warning, id: k3, priority: 60}
              - {widget: cases, id: list, priority: 10, min_width: 30}
            """)
        XCTAssertEqual(arrange(l, 40, 20).hidden, [], "three tiles of 13, 13 and 12 columns fit")
        let (p, hidden) = arrange(l, 36, 20)
        XCTAssertEqual(hidden, ["k3"])
        XCTAssertNotNil(p["list"])
        XCTAssertEqual(p["k1"]?.width, 18)
    }

    func testTiesGoLastInTheFileFirst() throws {
        let l = try layout("columns:\n  - {widget: cases, id: a}\n  - {widget: cases, id: b}\n  - {widget: cases, id: c}\n")
        XCTAssertEqual(arrange(l, 100, 10).hidden, ["c"])
    }

    func testAutoTakesWhatThePanelAsks() throws {
        let l = try layout("rows:\n  - {widget: cases, id: a, size: auto}\n  - {widget: cases, id: b}\n")
        let a = Arranger.arrange(l, in: Rect(x: 0, y: 0, width: 80, height: 30), minSize: Widgets.minSize) { p, _ in p.id == "a" ? 11 : nil }
        XCTAssertEqual(a.placed.map(\.rect.height), [11, 19])
    }

    /// The bundled district layout at 80x24 keeps the tiles and the comparison; the cases and the
    /// right column give way, lowest priority first.
    func testBundledDistrictAt80x24() throws {
        let dir = try XCTUnwrap(LayoutCatalog.bundledDirectory())
        let l = try XCTUnwrap(LayoutCatalog.load(loader: Widgets.loader, bundled: dir)["district"])
        let a = Arranger.arrange(l, in: Rect(x: 0, y: 1, width: 80, height: 22), minSize: Widgets.minSize) { p, _ in p.widget == "table" ? 11 : nil }
        XCTAssertEqual(a.hidden.map(\.widget), ["sparkline", "alerts", "tree"])
        XCTAssertEqual(a.placed.map(\.panel.widget), ["kpi", "kpi", "kpi", "kpi", "kpi", "table", "cases"])
        for (panel, rect) in a.placed {
            let (w, h) = Widgets.minSize(panel)
            XCTAssertGreaterThanOrEqual(rect.width, w, panel.id)
            XCTAssertGreaterThanOrEqual(rect.height, h, panel.id)
        }
    }
}
