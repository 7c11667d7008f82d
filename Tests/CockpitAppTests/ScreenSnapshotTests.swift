import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation
import XCTest

/// Every bundled layout on the sample district (each tier's on a unit of that tier; the wall and
/// incident screens on the district), compared with reviewed text files in Snapshots/.
/// Set COCKPIT_RECORD_SNAPSHOTS=1 to write them anew (then read the diff before committing).
final class ScreenSnapshotTests: XCTestCase {
    let screens: [(name: String, unit: String)] = [
        ("district", "xiacheng"), ("street", "dongxin"), ("community", "dongxin-santangbeiyuan"),
        ("park", "dongxin-kechuang-park"), ("wall", "xiacheng"), ("incident", "xiacheng"),
    ]
    let sizes = [(80, 24), (120, 40), (200, 60)]

    func render(_ unit: String, _ w: Int, _ h: Int, lang: Strings.Language = .zh, layout: String? = nil) throws -> Canvas {
        let loader = try SampleStore.loader(lang)
        let data = try loader.load(unitID: unit, window: FigureWindow(at: SampleStore.at))
        var model = CockpitModel(unitID: unit)
        model.layoutName = layout
        return CockpitScreen(options: RenderOptions(strings: Strings(lang))).render(model: model, data: data, width: w, height: h)
    }

    func testScreensMatchReviewedSnapshots() throws {
        let record = ProcessInfo.processInfo.environment["COCKPIT_RECORD_SNAPSHOTS"] == "1"
        for (name, unit) in screens {
            for (w, h) in sizes {
                let text = try render(unit, w, h, layout: name).text + "\n"
                let file = "\(Paths.snapshots)/\(name)-\(w)x\(h).txt"
                if record {
                    try FileManager.default.createDirectory(atPath: Paths.snapshots, withIntermediateDirectories: true)
                    try text.write(toFile: file, atomically: true, encoding: .utf8)
                    continue
                }
                let expected = try String(contentsOfFile: file, encoding: .utf8)
                if text != expected {
                    let got = text.split(separator: "\n", omittingEmptySubsequences: false)
                    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
                    let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
                    XCTFail("\(name) \(w)x\(h) differs from \(file); first difference at line \((first?.offset ?? min(got.count, want.count)) + 1):\n got: \(first.map { String($0.element.0) } ?? "")\nwant: \(first.map { String($0.element.1) } ?? "")")
                }
            }
        }
    }

    /// Every line fills the screen exactly and every box edge sits in its column, whatever the
    /// mix of Chinese (two columns) and ASCII: the check that catches a width mistake.
    func testChineseTextStaysAligned() throws {
        for (name, unit) in screens {
            for (w, h) in sizes + [(100, 30), (81, 25), (157, 43)] {
                let canvas = try render(unit, w, h, layout: name)
                let lines = canvas.lines()
                for (y, line) in lines.enumerated() {
                    XCTAssertLessThanOrEqual(Text.width(line), w, "line \(y) overflows at \(w)x\(h)")
                    let cols = columns(line)
                    // A box row ends with a right edge (or the corner of a box beside it) in the last column.
                    if let first = cols.first, first.ch == "│" {
                        XCTAssertTrue(["│", "┐", "┘"].contains(cols.last?.ch ?? " "), "line \(y) of \(name) at \(w)x\(h): \(line)")
                        XCTAssertEqual(cols.last?.col, w - 1, "line \(y) of \(name) at \(w)x\(h): \(line)")
                    }
                    // Every vertical edge continues a box: the same column above holds an edge or a corner.
                    if y > 0 {
                        let above = Dictionary(columns(lines[y - 1]).map { ($0.col, $0.ch) }, uniquingKeysWith: { a, _ in a })
                        for (col, ch) in cols where ch == "│" {
                            XCTAssertTrue(["│", "┌", "┐"].contains(above[col] ?? " "), "\(name) \(w)x\(h) line \(y) col \(col): \(line)")
                        }
                    }
                }
            }
        }
    }

    /// In the comparison table, each figure ends in the same column as its header.
    func testComparisonColumnsLineUpWithHeaders() throws {
        for (w, h) in sizes {
            let lines = try render("xiacheng", w, h).lines()
            guard let headerIndex = lines.firstIndex(where: { $0.contains("名称") && $0.contains("在办") }) else {
                return XCTFail("no table header at \(w)x\(h)")
            }
            let header = columns(lines[headerIndex])
            // The last column of the header label "超期" (first occurrence after 名称).
            let labels = ["在办", "超期", "临期", "挂起", "超期办结"]
            var ends: [Int] = []
            var from = 0
            for label in labels {
                let text = lines[headerIndex]
                guard let r = text.range(of: label, range: text.index(text.startIndex, offsetBy: from)..<text.endIndex) else { return XCTFail(label) }
                from = text.distance(from: text.startIndex, to: r.upperBound)
                ends.append(Text.width(String(text[..<r.upperBound])) - 1)
            }
            XCTAssertFalse(header.isEmpty)
            let streets = ["长庆街道", "武林街道", "天水街道", "潮鸣街道", "朝晖街道", "文晖街道", "东新街道", "石桥街道"]
            for street in streets {
                guard let row = lines.first(where: { $0.contains(street) }) else { return XCTFail("\(street) missing") }
                let cols = columns(row)
                for end in ends {
                    let ch = cols.first { $0.col == end }?.ch
                    XCTAssertTrue(ch?.isNumber == true, "\(street): column \(end) holds '\(ch.map(String.init) ?? "nil")' at \(w)x\(h)\n\(row)")
                }
            }
        }
    }

    func testTooSmallTerminalSaysSo() throws {
        for (w, h) in [(79, 24), (80, 23), (10, 5), (1, 1), (0, 0)] {
            let text = try render("xiacheng", w, h).text
            if w >= 10 { XCTAssertTrue(text.contains("终端太小"), "\(w)x\(h): \(text)") }
        }
        XCTAssertTrue(try render("xiacheng", 60, 20, lang: .en).text.contains("terminal too small (need 80×24, have 60×20)"))
    }

    /// The data's age is shown, and in red once it is older than 15 minutes.
    func testStaleDataShowsItsAge() throws {
        let loader = try SampleStore.loader()
        for (minutes, text, red) in [(0, nil as String?, false), (12, "（12 分钟前）", false), (16, "（16 分钟前）", true),
                                     (180, "（3 小时前）", true), (60 * 24 * 3 + 5, "（3 天前）", true)] {
            let at = SampleStore.ingestTime + Int64(minutes * 60)
            let data = try loader.load(unitID: "xiacheng", window: FigureWindow(at: at))
            let canvas = CockpitScreen().render(model: CockpitModel(unitID: "xiacheng"), data: data, width: 120, height: 40)
            let title = canvas.lines()[0]
            if let text { XCTAssertTrue(title.contains(text), title) } else { XCTAssertFalse(title.contains("前）"), title) }
            XCTAssertEqual(canvas[119 - 2, 0].style.tint == .red, red, "\(minutes) min: \(title)")
        }
    }

    func testEnglishScreen() throws {
        let text = try render("wulin", 120, 40, lang: .en).text
        XCTAssertTrue(text.contains("Overdue"))
        XCTAssertTrue(text.contains("Communities and parks compared"))
        XCTAssertTrue(text.contains("竹竿巷社区"), "unit names stay as they are")
        // English headers are wider than a column: each is cut, and never runs into the next.
        let header = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("Name") && $0.contains("Open") })
        XCTAssertFalse(header.contains("soonSuspend"), String(header))
        XCTAssertTrue(header.contains(" Suspend…"), String(header))
    }

    /// What the screen shows is what `report` computes: one source of figures.
    func testScreenFiguresMatchTheStore() throws {
        let loader = try SampleStore.loader()
        let all = try loader.store.caseFigures(tree: loader.tree, window: FigureWindow(at: SampleStore.at))
        let text = try render("xiacheng", 120, 40).text
        let overdue = Format.count(all["xiacheng"]?[Metric.casesOverdue])
        // The tiles' row: each tile ends in its figure (after the delta against the previous hour).
        let tiles = text.split(separator: "\n")[2]
        XCTAssertTrue(tiles.contains(" " + overdue + " │ │"), text)
        let wulin = all["wulin"]!
        let row = text.split(separator: "\n").first { $0.contains("武林街道") }!
        let numbers = row.split(separator: " ").filter { $0.first?.isNumber == true }
        XCTAssertEqual(numbers.prefix(5).map(String.init), [Metric.casesOpen, Metric.casesOverdue, Metric.casesWarning,
                                                             Metric.casesSuspended, Metric.casesCompletedOverdue].map { Format.count(wulin[$0]) })
    }
}
