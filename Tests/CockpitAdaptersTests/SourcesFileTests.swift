import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import XCTest

final class SourcesFileTests: XCTestCase {
    func parse(_ yaml: String) throws -> SourcesFile {
        try SourcesFile.parse(yaml: yaml, file: "s.yaml", baseDirectory: "/base")
    }

    func error(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "no error" } catch { return "\(error)" }
    }

    func testAValidFile() throws {
        let s = try parse("""
            sources:
              - name: export
                kind: file
                records: cases
                path: in/cases.jsonl
                follow: true
                interval: 500ms
                mapping: {办件编号: id}
                constants: {channel: hall}
              - name: upstream
                kind: sqlite
                records: cases
                database: /data/up.sqlite
                table: banjian
                cursor: updated_at
              - name: bridge
                kind: exec
                records: cases
                command: [curl, -s, http://x]
                timeout: 2m
              - name: live
                kind: simulator
                seed: 7
                rate: 50
            """)
        XCTAssertEqual(s.sources.map(\.name), ["export", "upstream", "bridge", "live"])
        let e = s.sources[0]
        XCTAssertEqual(e.path, "/base/in/cases.jsonl")
        XCTAssertEqual(e.format, .jsonl)
        XCTAssertTrue(e.follow)
        XCTAssertEqual(e.interval, 0.5)
        XCTAssertEqual(e.mapping.renames, ["办件编号": "id"])
        XCTAssertEqual(e.mapping.constants, ["channel": "hall"])
        XCTAssertEqual(e.line, 2)
        XCTAssertEqual(s.sources[1].database, "/data/up.sqlite")
        XCTAssertEqual(s.sources[2].command, ["curl", "-s", "http://x"])
        XCTAssertEqual(s.sources[2].timeout, 120)
        XCTAssertEqual(s.sources[3].seed, 7)
        XCTAssertEqual(s.sources[3].feeds, SimulatorFeed.availableFeeds)
    }

    func testErrorsNameLineColumnAndTheNearestName() {
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: fiel
            """), "s.yaml:3:11: unknown kind 'fiel' (did you mean 'file'?) (one of file, sqlite, exec, simulator)")
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: file
                records: cases
                pth: x.csv
            """), "s.yaml:5:5: unknown key 'pth' (did you mean 'path'?)")
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: file
                records: cases
                path: x.csv
                cursor: id
            """), "s.yaml:6:5: 'cursor' is a key of sqlite sources, not of file ones")
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: file
                records: case
                path: x.csv
            """), "s.yaml:4:14: unknown records kind 'case' (did you mean 'cases'?)")
        XCTAssertTrue(error("""
            sources:
              - name: a
                kind: file
                records: cases
                path: x.csv
                mapping: {bh: idd}
            """).hasPrefix("s.yaml:6:19: 'idd' is not a field of cases records (did you mean 'id'?)"))
        XCTAssertEqual(error("""
            source:
              - name: a
            """), "s.yaml:1:1: unknown key 'source' (did you mean 'sources'?)")
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: simulator
              - name: a
                kind: simulator
            """), "s.yaml:4:11: a source named 'a' is already declared on line 2")
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: simulator
                rate: fast
            """), "s.yaml:4:11: 'rate': 'fast' is not a number of seconds (e.g. 5, 1.5, 30s, 2m, 1h)")
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: simulator
                feeds: [cases, tickts]
            """), "s.yaml:4:20: unknown feed 'tickts' (did you mean 'tickets'?) (cases, tickets, calls, series)")
        XCTAssertTrue(error("sources:\n  - name: a\n    kind: [file\n").hasPrefix("s.yaml:4:1: YAML:"), error("sources:\n  - name: a\n    kind: [file\n"))
        XCTAssertEqual(error("""
            sources:
              - name: a
                kind: sqlite
                records: cases
                database: x.sqlite
                cursor: rowid
            """), "s.yaml:2:5: sqlite source 'a' needs either a 'table' or a 'query' (one of them)")
    }

    func testFeedsOfKindsThisBuildLacksAreOffWithAWarning() throws {
        let s = try parse("""
            sources:
              - name: live
                kind: simulator
                feeds: [cases, tickets, calls, series]
            """)
        let off = SimulatorFeed.feeds.filter { IngestKind(rawValue: $0) == nil }
        XCTAssertEqual(s.sources[0].feeds, ["cases", "tickets", "calls", "series"].filter { IngestKind(rawValue: $0) != nil })
        XCTAssertEqual(s.warnings.count, off.count)
    }

    func testTheShippedSourcesFileIsValidAndItsFilesExist() throws {
        let s = try SourcesFile.load(path: Paths.sampleData + "/sources.yaml")
        XCTAssertTrue(s.sources.contains { $0.kind == .simulator })
        for c in s.sources where c.kind == .file {
            XCTAssertTrue(FileManager.default.fileExists(atPath: c.path!), c.path!)
        }
    }
}
