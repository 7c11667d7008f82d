import CockpitLayout
import CockpitUI
import XCTest

/// The loader on good and bad files: every kind of error names file:line:col, says what was
/// expected, and for a misspelt name offers the nearest valid one.
final class LayoutLoaderTests: XCTestCase {
    let loader = Widgets.loader

    func errors(_ yaml: String) -> [LayoutError] {
        do {
            _ = try loader.load(yaml: yaml, file: "t.yaml", name: "t")
            XCTFail("expected errors for:\n\(yaml)")
            return []
        } catch let e as LayoutErrors {
            return e.errors
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func one(_ yaml: String, _ kind: LayoutError.Kind, at line: Int, _ col: Int, suggestion: String? = nil,
             file: StaticString = #filePath, lineNo: UInt = #line) -> LayoutError? {
        let e = errors(yaml)
        guard let first = e.first(where: { $0.kind == kind }) else {
            XCTFail("no \(kind) among \(e)", file: file, line: lineNo); return nil
        }
        XCTAssertEqual(first.mark, SourceMark(file: "t.yaml", line: line, column: col), "\(first)", file: file, line: lineNo)
        XCTAssertEqual(first.suggestion, suggestion, "\(first)", file: file, line: lineNo)
        XCTAssertTrue(first.description.hasPrefix("t.yaml:\(line):\(col): "), first.description, file: file, line: lineNo)
        return first
    }

    func testAGoodLayoutLoadsWithEverySize() throws {
        let yaml = """
            title: {zh: "{unit.name} 驾驶舱", en: "{unit.name} cockpit"}
            rows:
              - size: 4
                columns:
                  - {widget: kpi, metric: cases.open, priority: 10}
                  - {widget: kpi, metric: series.elevator_alarms}
                  - {widget: kpi, metric: "queue.waiting@intake", thresholds: {yellow: 5, red: 10}}
              - size: 2fr
                widget: table
                metrics: [cases.open, {metric: cases.overdue, label: {zh: 超期件, en: Late}, priority: -1}]
              - size: auto
                widget: cases
            """
        let l = try loader.load(yaml: yaml, file: "t.yaml", name: "t")
        XCTAssertEqual(l.panels.count, 5)
        XCTAssertEqual(l.panels.map(\.widget), ["kpi", "kpi", "kpi", "table", "cases"])
        XCTAssertEqual(l.panels[2].metric, "queue.waiting@intake")
        XCTAssertEqual(l.panels[2].thresholds?.level(value: 7), .yellow)
        XCTAssertEqual(l.panels[3].metrics[1].label?.en, "Late")
        XCTAssertEqual(l.panels[3].mark.line, 8)
        guard case .rows(let rows) = l.root.content else { return XCTFail() }
        XCTAssertEqual(rows.map(\.size), [.cells(4), .fraction(2), .auto])
    }

    func testEveryBundledLayoutLoads() throws {
        let dir = try XCTUnwrap(LayoutCatalog.bundledDirectory())
        let catalog = try LayoutCatalog.load(loader: loader, bundled: dir)
        XCTAssertEqual(catalog.names, ["community", "district", "incident", "park", "street", "wall"])
    }

    func testYAMLSyntaxError() {
        let e = one("rows:\n  - widget: kpi\n    metric: [cases.open\n", .syntax, at: 4, 1)
        XCTAssertTrue(e?.message.contains("YAML") == true)
    }

    func testDuplicateKeyIsASyntaxError() {
        _ = one("rows:\n  - widget: kpi\n    metric: cases.open\n    metric: cases.overdue\n", .syntax, at: 3, 5)
    }

    func testMisspeltKey() {
        let e = one("rows:\n  - widget: kpi\n    metirc: cases.open\n", .unknownKey, at: 3, 5, suggestion: "metric")
        XCTAssertTrue(e?.expected?.contains("priority") == true)
    }

    func testMisspeltTopKey() {
        _ = one("titel: x\nrows:\n  - {widget: cases}\n", .unknownKey, at: 1, 1, suggestion: "title")
    }

    func testMisspeltWidget() {
        let e = one("rows:\n  - widget: sparklnie\n    metric: cases.open\n", .unknownWidget, at: 2, 13, suggestion: "sparkline")
        XCTAssertTrue(e?.description.contains("did you mean 'sparkline'?") == true)
    }

    func testMisspeltMetric() {
        _ = one("rows:\n  - widget: kpi\n    metric: cases.overdeu\n", .unknownMetric, at: 3, 13, suggestion: "cases.overdue")
        _ = one("rows:\n  - widget: kpi\n    metric: cases.overdeu@intake\n", .unknownMetric, at: 3, 13, suggestion: "cases.overdue@intake")
        _ = one("rows:\n  - widget: table\n    metrics: [cases.open, queue.wating]\n", .unknownMetric, at: 3, 27, suggestion: "queue.waiting")
        let e = one("rows:\n  - widget: kpi\n    metric: series.\n", .unknownMetric, at: 3, 13, suggestion: "series.")
        XCTAssertTrue(e?.expected?.contains("series name") == true)
    }

    func testMisspeltPlaceholder() {
        _ = one("title: \"{unit.nmae}\"\nrows:\n  - {widget: cases}\n", .unknownPlaceholder, at: 1, 8, suggestion: "{unit.name}")
    }

    func testWrongType() {
        _ = one("rows:\n  - widget: kpi\n    metric: cases.open\n    priority: high\n", .wrongType, at: 4, 15)
        _ = one("rows: 3\n", .wrongType, at: 1, 7)
        _ = one("- a\n- b\n", .wrongType, at: 1, 1)
    }

    func testBadSize() {
        let e = one("rows:\n  - size: 2x\n    widget: cases\n", .badSize, at: 2, 11)
        XCTAssertTrue(e?.expected?.contains("2fr") == true)
        _ = one("rows:\n  - size: 0\n    widget: cases\n", .badSize, at: 2, 11)
    }

    func testMissingKey() {
        _ = one("rows:\n  - widget: kpi\n", .missingKey, at: 2, 5)
        _ = one("rows:\n  - size: 3\n", .missingKey, at: 2, 5)
        _ = one("rows:\n  - widget: gauge\n    metric: cases.on_time_rate\n", .missingKey, at: 2, 5)
    }

    func testBadValue() {
        _ = one("rows:\n  - widget: table\n    metrics: [cases.open]\n    of: childs\n", .badValue, at: 4, 9, suggestion: "children")
        _ = one("rows:\n  - widget: kpi\n    metric: cases.open\n    colour: rde\n", .badValue, at: 4, 13, suggestion: "red")
        _ = one("rows:\n  - widget: cases\n    metric: cases.open\n", .badValue, at: 3, 13)
        _ = one("rows:\n  - widget: cases\n    rows: []\n", .badValue, at: 2, 5)
        _ = one("tier: streets\nrows:\n  - widget: cases\n", .badValue, at: 1, 7, suggestion: "street")
    }

    func testBadThresholds() {
        _ = one("rows:\n  - widget: kpi\n    metric: cases.open\n    thresholds: {yellow: 10, red: 5}\n", .badThresholds, at: 4, 17)
        _ = one("rows:\n  - widget: kpi\n    metric: cases.open\n    thresholds: {red: 5, better: lowr}\n", .badThresholds, at: 4, 34, suggestion: "lower")
        _ = one("rows:\n  - widget: kpi\n    metric: cases.open\n    thresholds: {better: higher}\n", .badThresholds, at: 4, 17)
    }

    func testDuplicateID() {
        let e = one("rows:\n  - {widget: cases, id: a}\n  - {widget: cases, id: a}\n", .duplicateID, at: 3, 5)
        XCTAssertTrue(e?.message.contains("t.yaml:2:5") == true)
    }

    func testEmptyList() {
        _ = one("rows: []\n", .empty, at: 1, 7)
    }

    /// A file is checked whole: all its problems at once, not one per run.
    func testEveryProblemOfAFileIsReported() {
        let e = errors("rows:\n  - widget: kpi\n    metric: cases.opn\n  - widget: tabel\n  - widget: cases\n    prio: 3\n")
        XCTAssertEqual(e.map(\.kind), [.unknownMetric, .unknownWidget, .unknownKey])
        XCTAssertEqual(e.map(\.mark.line), [3, 4, 6])
    }

    func testThresholdLevels() {
        let lower = Thresholds(yellow: 1, red: 10)
        XCTAssertEqual([0, 1, 9, 10, 50].map { lower.level(value: Double($0)) }, [.green, .yellow, .yellow, .red, .red])
        let higher = Thresholds(yellow: 0.97, red: 0.95, better: .higher)
        XCTAssertEqual([0.99, 0.97, 0.96, 0.95, 0.5].map { higher.level(value: $0) }, [.green, .yellow, .yellow, .red, .red])
        XCTAssertEqual(higher.level(value: nil), .none)
        let delta = Thresholds(better: .lower, by: .delta)
        XCTAssertEqual([3, 0, -2].map { delta.level(value: 5, delta: Double($0)) }, [.red, .none, .green])
    }

    func testMetricNames() {
        for ok in ["cases.open", "series.free_parking", "series.a.b", "queue.waiting@intake", "series.x@gate-1"] {
            XCTAssertNil(MetricNames.problem(ok), ok)
        }
        for bad in ["cases", "case.open", "series.", "cases.open@", "queue.waiting@a b", "x@intake"] {
            XCTAssertNotNil(MetricNames.problem(bad), bad)
        }
    }

    func testOverridesReplaceBundledLayoutsByName() throws {
        let dir = NSTemporaryDirectory() + "layouts-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "rows:\n  - {widget: cases, id: only}\n".write(toFile: dir + "/street.yaml", atomically: true, encoding: .utf8)
        let catalog = try LayoutCatalog.load(loader: loader, bundled: LayoutCatalog.bundledDirectory(), overrides: dir)
        XCTAssertEqual(catalog["street"]?.panels.map(\.id), ["only"])
        XCTAssertEqual(catalog.sources["street"], dir + "/street.yaml")
        XCTAssertGreaterThan(catalog["district"]?.panels.count ?? 0, 1, "the others stay bundled")
        try "rows:\n  - {widget: casse}\n".write(toFile: dir + "/street.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LayoutCatalog.load(loader: loader, bundled: LayoutCatalog.bundledDirectory(), overrides: dir)) {
            XCTAssertTrue("\($0)".contains(dir + "/street.yaml:2:14: unknown widget 'casse'"), "\($0)")
        }
    }

    func testBundledDirectoryFromEnvironmentAndExecutable() throws {
        XCTAssertEqual(LayoutCatalog.bundledDirectory(environment: ["COCKPIT_LAYOUTS": "/x"], executable: nil), "/x")
        // An installed binary: bin/cockpit with share/cockpit/Layouts beside bin/.
        let root = NSTemporaryDirectory() + "install-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/share/cockpit/Layouts", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/share/cockpit/Layouts/district.yaml", contents: Data())
        XCTAssertEqual(LayoutCatalog.bundledDirectory(environment: [:], executable: root + "/bin/cockpit"),
                       URL(fileURLWithPath: root + "/share/cockpit/Layouts").path)
    }
}
