import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// `cockpit engine`, `sources` and `rejects` as a user runs them.
final class CommandTests: XCTestCase {
    func cockpit(_ args: [String]) throws -> (out: String, err: String, status: Int32?) {
        let o = try ChildProcess.run([Paths.binary] + args, environment: ProcessInfo.processInfo.environment, timeout: 120)
        return (String(decoding: o.stdout, as: UTF8.self), String(decoding: o.stderr, as: UTF8.self), o.status)
    }

    func testEngineThenSourcesAndRejects() throws {
        let f = try Fixture()
        try f.write("cases.csv", [casesHeader, caseRow("C1"), caseRow("C2", unit: "c9"), caseRow("C3")].joined(separator: "\n") + "\n")
        try f.write("sources.yaml", """
            sources:
              - name: export
                kind: file
                records: cases
                path: cases.csv
            """)
        let run = try cockpit(["engine", "--db", f.dbPath, "--sources", f.dir + "/sources.yaml", "--until-idle"])
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertTrue(run.err.contains("committed 2 accepted, 1 rejected"), run.err)
        XCTAssertTrue(run.err.contains("rejected: cases.csv:3: unit: unknown unit 'c9'"), run.err)

        let text = try cockpit(["sources", "--db", f.dbPath])
        XCTAssertEqual(text.status, 0, text.err)
        let lines = text.out.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("source  kind        state  last success"), text.out)
        XCTAssertTrue(lines[1].hasPrefix("export  file/cases  ok"), text.out)

        let json = try cockpit(["sources", "--db", f.dbPath, "--format", "json"])
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let first = try XCTUnwrap((obj["sources"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["name"] as? String, "export")
        XCTAssertEqual(first["records_in"] as? Int, 2)
        XCTAssertEqual(first["rejected"] as? Int, 1)
        XCTAssertEqual(first["stale"] as? Bool, false)

        let rejects = try cockpit(["rejects", "--db", f.dbPath, "--source", "export"])
        XCTAssertEqual(rejects.status, 0, rejects.err)
        XCTAssertTrue(rejects.out.hasPrefix("export  cases.csv:3  unit  unknown unit 'c9' (nearest: 'c1')\n    C2,c9,"), rejects.out)
        XCTAssertEqual(try cockpit(["rejects", "--db", f.dbPath, "--source", "other"]).out, "no rejects from other\n")
    }

    func testABadSourcesFileStopsTheEngineWithItsPosition() throws {
        let f = try Fixture()
        try f.write("sources.yaml", "sources:\n  - name: a\n    kind: simulater\n")
        let run = try cockpit(["engine", "--db", f.dbPath, "--sources", f.dir + "/sources.yaml"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.err, "cockpit: \(f.dir)/sources.yaml:3:11: unknown kind 'simulater' (did you mean 'simulator'?) (one of file, sqlite, exec, simulator)\n")
    }
}
