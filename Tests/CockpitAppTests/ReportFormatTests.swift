import CockpitApp
import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// A strict reader of the Prometheus text exposition format (0.0.4): what a scraper would refuse,
/// it refuses, so that a test passing means Prometheus can read the output.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    var samples: [Sample] = []
    var help: [String: String] = [:]
    var type: [String: String] = [:]

    static func isName(_ s: Substring, colons: Bool) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        func letter(_ u: Unicode.Scalar) -> Bool { (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || u == "_" || (colons && u == ":") }
        return letter(first) && s.unicodeScalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") }
    }

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "the text must end with a line feed") }
        var finished = Set<String>()      // families whose samples are over: they may not come back
        var current: String? = nil
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let n = i + 1
            let line = Substring(raw)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue } // a comment
                let name = String(parts[2])
                guard Self.isName(parts[2], colons: true) else { throw ParseError(line: n, reason: "bad metric name '\(name)'") }
                guard !finished.contains(name), !samples.contains(where: { $0.name == name }) else {
                    throw ParseError(line: n, reason: "\(parts[1]) of \(name) after its samples")
                }
                let rest = parts.count > 3 ? String(parts[3]) : ""
                if parts[1] == "HELP" {
                    guard help[name] == nil else { throw ParseError(line: n, reason: "second HELP for \(name)") }
                    help[name] = rest
                } else {
                    guard type[name] == nil else { throw ParseError(line: n, reason: "second TYPE for \(name)") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(rest) else {
                        throw ParseError(line: n, reason: "unknown type '\(rest)'")
                    }
                    type[name] = rest
                }
                continue
            }
            var s = Array(line.unicodeScalars)[...]
            var name = ""
            while let u = s.first, u != "{", u != " " { name.unicodeScalars.append(u); s = s.dropFirst() }
            guard Self.isName(Substring(name), colons: true) else { throw ParseError(line: n, reason: "bad metric name '\(name)'") }
            var labels: [String: String] = [:]
            if s.first == "{" {
                s = s.dropFirst()
                while s.first != "}" {
                    var label = ""
                    while let u = s.first, u != "=" { label.unicodeScalars.append(u); s = s.dropFirst() }
                    guard Self.isName(Substring(label), colons: false), !label.hasPrefix("__") else {
                        throw ParseError(line: n, reason: "bad label name '\(label)'")
                    }
                    guard s.first == "=", s.dropFirst().first == "\"" else { throw ParseError(line: n, reason: "label \(label) without =\"") }
                    s = s.dropFirst(2)
                    var value = ""
                    while true {
                        guard let u = s.first else { throw ParseError(line: n, reason: "unterminated label value") }
                        s = s.dropFirst()
                        if u == "\"" { break }
                        if u == "\\" {
                            guard let e = s.first else { throw ParseError(line: n, reason: "dangling backslash") }
                            s = s.dropFirst()
                            switch e {
                            case "\\": value += "\\"
                            case "\"": value += "\""
                            case "n": value += "\n"
                            default: throw ParseError(line: n, reason: "unknown escape \\\(e)")
                            }
                        } else {
                            value.unicodeScalars.append(u)
                        }
                    }
                    guard labels[label] == nil else { throw ParseError(line: n, reason: "label \(label) twice") }
                    labels[label] = value
                    if s.first == "," { s = s.dropFirst() } else if s.first != "}" {
                        throw ParseError(line: n, reason: "expected , or } after a label")
                    }
                }
                s = s.dropFirst()
            }
            guard s.first == " " else { throw ParseError(line: n, reason: "no space before the value") }
            let fields = String(String.UnicodeScalarView(s.dropFirst())).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 1 || fields.count == 2, let value = Double(fields[0]) ?? (fields[0] == "+Inf" ? .infinity : nil) else {
                throw ParseError(line: n, reason: "bad value '\(String(String.UnicodeScalarView(s)))'")
            }
            if fields.count == 2, Int64(fields[1]) == nil { throw ParseError(line: n, reason: "bad timestamp") }
            if current != name {
                if let c = current { finished.insert(c) }
                guard !finished.contains(name) else { throw ParseError(line: n, reason: "samples of \(name) are not together") }
                current = name
            }
            guard !samples.contains(where: { $0.name == name && $0.labels == labels }) else {
                throw ParseError(line: n, reason: "\(name) twice with the same labels")
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
    }
}

/// RFC 4180: quoted fields with doubled quotes, CRLF between records.
func parseCSV(_ text: String) throws -> [[String]] {
    struct Bad: Error {}
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false, wasQuoted = false
    var chars = Array(text)[...]
    while let c = chars.first {
        chars = chars.dropFirst()
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars = chars.dropFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
            continue
        }
        switch c {
        case "\"":
            guard field.isEmpty, !wasQuoted else { throw Bad() }
            quoted = true
            wasQuoted = true
        case ",":
            row.append(field); field = ""; wasQuoted = false
        case "\r\n":
            row.append(field); field = ""; wasQuoted = false
            rows.append(row); row = []
        default:
            guard !wasQuoted else { throw Bad() }
            field.append(c)
        }
    }
    guard !quoted, row.isEmpty, field.isEmpty else { throw Bad() }
    return rows
}

final class ReportFormatTests: XCTestCase {
    let window = FigureWindow(at: LocalTime.parse("2026-11-20T17:00:00+08:00")!)

    func testPrometheusCarriesEveryFigureOfEveryUnitOfTheSampleDistrict() throws {
        let store = try CockpitStore(path: SampleStore.path, mode: .read)
        let tree = try store.tree()
        let figures = try store.figures(tree: tree, window: FigureWindow(at: SampleStore.at))
        let text = ReportFormats.prometheus(units: tree.units, figures: figures, window: FigureWindow(at: SampleStore.at))
        let parsed = try PrometheusText(text)
        var expected = 0
        for u in tree.units {
            let series = (figures[u.id]?.values.keys).map { $0.filter { $0.hasPrefix("series.") } } ?? []
            for metric in Metric.reported + series {
                // `queue.waiting@intake` is `cockpit_queue_waiting` with the label part="intake".
                let (base, part) = Metric.split(metric)
                let name = "cockpit_" + base.replacingOccurrences(of: ".", with: "_")
                let found = parsed.samples.filter { $0.name == name && $0.labels["unit"] == u.id && $0.labels["part"] == part }
                guard let v = figures[u.id]?[metric] else {
                    XCTAssertEqual(found, [], "a missing \(metric) of \(u.id) is left out")
                    continue
                }
                expected += 1
                XCTAssertEqual(found.count, 1, "\(metric) of \(u.id)")
                XCTAssertEqual(found.first?.value ?? .nan, v, accuracy: 1e-12)
                var labels = ["unit": u.id, "name": u.name, "tier": u.tier.rawValue]
                if let part { labels["part"] = part }
                XCTAssertEqual(found.first?.labels, labels)
            }
        }
        XCTAssertEqual(parsed.samples.count, expected)
        XCTAssertGreaterThan(expected, tree.units.count * 6)
        XCTAssertTrue(parsed.samples.contains { $0.labels["name"] == "武林街道" && $0.name == "cockpit_cases_open" })
        for name in Set(parsed.samples.map(\.name)) {
            XCTAssertEqual(parsed.type[name], "gauge", name)
            XCTAssertNotNil(parsed.help[name], name)
        }
        XCTAssertEqual(parsed.help["cockpit_cases_completed"], "cases.completed: flow, over the report's window")
        XCTAssertEqual(parsed.help["cockpit_cases_open"], "cases.open: stock, as of the report's time")
    }

    func testPrometheusEscapesLabelsSanitisesNamesAndTurnsPartsIntoLabels() throws {
        let awkward = "东新\"街道\\\n第二行"
        let units = [OrgUnit(id: "d", name: "下城区", tier: .district, parent: nil),
                     OrgUnit(id: "dongxin", name: awkward, tier: .street, parent: "d")]
        var f = Figures()
        f[Metric.casesOpen] = 3
        f[Metric.part(Metric.casesOpen, "hall")] = 2
        f[Metric.casesOnTimeRate] = nil
        f["series.free-parking"] = 12.5
        f["series.free_parking"] = 1
        f["unlisted.figure"] = 9
        let figures = ["d": Figures([Metric.casesOpen: 7, Metric.casesOnTimeRate: 0.25]), "dongxin": f]
        let text = ReportFormats.prometheus(units: units, figures: figures, window: window)
        let parsed = try PrometheusText(text)
        XCTAssertTrue(text.contains("name=\"东新\\\"街道\\\\\\n第二行\""), text)
        XCTAssertFalse(text.contains("第二行\n"), "no raw line feed inside a label")
        let dongxin = parsed.samples.filter { $0.labels["unit"] == "dongxin" }
        XCTAssertEqual(dongxin.map(\.name).sorted(), ["cockpit_cases_open", "cockpit_cases_open",
                                                       "cockpit_series_free_parking", "cockpit_series_free_parking_2"])
        XCTAssertTrue(dongxin.allSatisfy { $0.labels["name"] == awkward && $0.labels["tier"] == "street" })
        XCTAssertEqual(dongxin.first { $0.labels["part"] == "hall" }?.value, 2)
        XCTAssertEqual(dongxin.first { $0.name == "cockpit_cases_open" && $0.labels["part"] == nil }?.value, 3)
        XCTAssertEqual(Set(dongxin.filter { $0.name.hasPrefix("cockpit_series") }.map(\.value)), [12.5, 1])
        // A missing value is left out, not written as NaN; the district's rate is there.
        XCTAssertFalse(text.contains("NaN"))
        XCTAssertEqual(parsed.samples.filter { $0.name == "cockpit_cases_on_time_rate" }.map(\.value), [0.25])
        XCTAssertFalse(text.contains("unlisted"), "only reported figures, their parts and series")
        // The strict reader does refuse what Prometheus refuses.
        XCTAssertThrowsError(try PrometheusText("a{b=\"c\\x\"} 1\n"))
        XCTAssertThrowsError(try PrometheusText("a 1\nb 2\na 3\n"))
        XCTAssertThrowsError(try PrometheusText("a{u=\"x\"} 1\na{u=\"x\"} 2\n"))
        XCTAssertThrowsError(try PrometheusText("cases.open 1\n"))
        XCTAssertThrowsError(try PrometheusText("a 1\n# TYPE a gauge\n"))
    }

    func testCSVHasOneRowPerUnitAndFigureQuotedWhereNeeded() throws {
        let units = [OrgUnit(id: "d", name: "下城区", tier: .district, parent: nil),
                     OrgUnit(id: "s", name: "甲,\"乙\"街道", tier: .street, parent: "d")]
        var f = Figures([Metric.casesOpen: 4, Metric.casesOnTimeRate: 0.875])
        f[Metric.part(Metric.casesOverdue, "hall")] = 1
        let text = ReportFormats.csv(units: units, figures: ["s": f], window: window)
        let rows = try parseCSV(text)
        XCTAssertEqual(rows.first, ["at", "unit", "name", "tier", "metric", "value"])
        XCTAssertEqual(rows.count, 1 + 2 * Metric.reported.count + 1)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.count == 6 && $0[0] == "2026-11-20T17:00:00+08:00" })
        let s = rows.filter { $0[1] == "s" }
        XCTAssertTrue(s.allSatisfy { $0[2] == "甲,\"乙\"街道" && $0[3] == "street" })
        XCTAssertEqual(s.first { $0[4] == Metric.casesOpen }?[5], "4")
        XCTAssertEqual(s.first { $0[4] == Metric.casesOnTimeRate }?[5], "0.875")
        XCTAssertEqual(s.first { $0[4] == Metric.casesWarning }?[5], "", "a missing value is an empty field")
        XCTAssertEqual(s.map { $0[4] }.firstIndex(of: "cases.overdue@hall"), s.map { $0[4] }.firstIndex(of: Metric.casesOverdue)! + 1)
        XCTAssertTrue(rows.filter { $0[1] == "d" }.allSatisfy { $0[5] == "" }, "a unit without figures: every value empty")
    }
}
