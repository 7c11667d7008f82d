import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import XCTest

final class FileAdapterTests: XCTestCase {
    func testCSVOneShotIntoTheStore() throws {
        let f = try Fixture()
        try f.write("cases.csv", ([casesHeader] + (1...25).map { caseRow(String(format: "C%03d", $0)) }).joined(separator: "\n") + "\n")
        let a = FileAdapter(name: "cases", path: f.dir + "/cases.csv", shownPath: "cases.csv", kind: .cases, format: .csv, follow: false)
        let reports = try f.drain(a, source: "cases", limit: 10)
        XCTAssertEqual(reports.map(\.accepted), [10, 10, 5])
        XCTAssertEqual(try f.store.caseCount(), 25)
        let status = try XCTUnwrap(try f.store.sourceStatuses(now: 0).first { $0.name == "cases" })
        XCTAssertEqual(status.recordsIn, 25)
        // Read again from its checkpoint: nothing new, nothing twice.
        let again = FileAdapter(name: "cases", path: f.dir + "/cases.csv", kind: .cases, format: .csv, follow: false)
        XCTAssertEqual(try f.drain(again, source: "cases").map(\.accepted), [0])
        XCTAssertEqual(try f.store.caseCount(), 25)
    }

    func testJSONLinesWithMappingAndConstants() throws {
        let f = try Fixture()
        // Another system's names: 办件编号 for id, no channel column (a constant instead).
        let line = #"{"办件编号":"J1","unit":"c2","department":"区税务局","item_code":"X","item_name":"发票领用","accepted_at":"2026-11-02T09:00:00+08:00","promised_days":0,"status":"completed","completed_at":"2026-11-02T11:00:00+08:00","suspensions":null,"extra":{"a":1}}"#
        try f.write("feed.jsonl", line + "\n" + caseJSON("J2") + "\n" + "not json\n" + "[1,2]\n")
        let mapping = FieldMapping(renames: ["办件编号": "id"], constants: ["channel": "online"])
        let a = FileAdapter(name: "feed", path: f.dir + "/feed.jsonl", shownPath: "feed.jsonl", kind: .cases, format: .jsonl,
                            follow: false, mapping: mapping)
        let r = try f.drain(a, source: "feed")
        XCTAssertEqual(r.map(\.accepted).reduce(0, +), 2)
        XCTAssertEqual(try f.caseIDs(), ["J1", "J2"])
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases WHERE id = 'J1' AND channel = 'online'"), 1)
        let rejects = try f.store.positionedRejects(source: "feed")
        XCTAssertEqual(rejects.map(\.position), ["feed.jsonl:3", "feed.jsonl:4"])
        XCTAssertTrue(rejects[0].reason.hasPrefix("not valid JSON"), rejects[0].reason)
        XCTAssertEqual(rejects[0].raw, "not json")
        XCTAssertTrue(rejects[1].reason.contains("must be an object"), rejects[1].reason)
    }

    func testResumesFromItsCheckpointAfterARestart() throws {
        let f = try Fixture()
        try f.write("cases.csv", ([casesHeader] + (1...30).map { caseRow("R\($0)") }).joined(separator: "\n") + "\n")
        var a: FileAdapter? = FileAdapter(name: "s", path: f.dir + "/cases.csv", kind: .cases, format: .csv, follow: true)
        let b = try a!.poll(from: nil, limit: 12)
        try f.store.ingest(groups: b.groups, source: "s", checkpoint: b.checkpoint)
        a = nil // the engine "dies" here
        // A batch read but never committed is read again; the one committed is not.
        let fresh = FileAdapter(name: "s", path: f.dir + "/cases.csv", kind: .cases, format: .csv, follow: true)
        let reports = try f.drain(fresh, source: "s", limit: 7)
        XCTAssertEqual(reports.map(\.accepted).reduce(0, +), 18)
        XCTAssertEqual(try f.store.caseCount(), 30)
        let cp = try XCTUnwrap(try f.store.checkpoint(source: "s"))
        XCTAssertTrue(cp.contains("\"line\":32"), cp) // header + 30 rows: the next record is on line 32
    }

    func testFollowTakesAppendedLinesButNotAPartialOne() throws {
        let f = try Fixture()
        try f.write("live.csv", casesHeader + "\n" + caseRow("F1") + "\n")
        let a = FileAdapter(name: "live", path: f.dir + "/live.csv", kind: .cases, format: .csv, follow: true)
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["F1"])
        // The writer is mid-line: nothing is taken until the newline comes.
        let row = caseRow("F2")
        try f.append("live.csv", String(row.prefix(20)))
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["F1"])
        try f.append("live.csv", String(row.dropFirst(20)) + "\n" + caseRow("F3") + "\n")
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["F1", "F2", "F3"])
        XCTAssertEqual(try f.store.rejects(source: "live").count, 0)
    }

    func testFollowAcrossRotation() throws {
        let f = try Fixture()
        try f.write("live.csv", casesHeader + "\n" + caseRow("A1") + "\n")
        let a = FileAdapter(name: "live", path: f.dir + "/live.csv", kind: .cases, format: .csv, follow: true)
        try f.drain(a, source: "live")
        // Lines written just before the rename are still read from the old file, then the new one.
        try f.append("live.csv", caseRow("A2") + "\n")
        XCTAssertEqual(rename(f.dir + "/live.csv", f.dir + "/live.csv.1"), 0)
        try f.write("live.csv", casesHeader + "\n" + caseRow("B1") + "\n" + caseRow("B2") + "\n")
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["A1", "A2", "B1", "B2"])
        // And it goes on following the new file.
        try f.append("live.csv", caseRow("B3") + "\n")
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["A1", "A2", "B1", "B2", "B3"])
        // A restarted engine resumes in the new file without reading B1..B3 again.
        let restarted = FileAdapter(name: "live", path: f.dir + "/live.csv", kind: .cases, format: .csv, follow: true)
        XCTAssertEqual(try f.drain(restarted, source: "live").map(\.accepted), [0])
        XCTAssertEqual(try f.store.sourceStatuses(now: 0).first { $0.name == "live" }?.recordsIn, 5)
    }

    func testFollowAcrossTruncation() throws {
        let f = try Fixture()
        try f.write("live.jsonl", caseJSON("T1") + "\n" + caseJSON("T2") + "\n" + caseJSON("T3") + "\n")
        let a = FileAdapter(name: "live", path: f.dir + "/live.jsonl", kind: .cases, format: .jsonl, follow: true)
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["T1", "T2", "T3"])
        // copytruncate-style rotation: same inode, shorter file.
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: f.dir + "/live.jsonl"))
        h.truncateFile(atOffset: 0)
        h.write(Data((caseJSON("T4") + "\n").utf8))
        h.closeFile()
        try f.drain(a, source: "live")
        XCTAssertEqual(try f.caseIDs(), ["T1", "T2", "T3", "T4"])
    }

    func testAFollowedFileThatIsNotThereYetIsWaitedFor() throws {
        let f = try Fixture()
        let a = FileAdapter(name: "later", path: f.dir + "/later.csv", kind: .cases, format: .csv, follow: true)
        XCTAssertEqual(try a.poll(from: nil, limit: 10).recordCount, 0)
        try f.write("later.csv", casesHeader + "\n" + caseRow("L1") + "\n")
        try f.drain(a, source: "later")
        XCTAssertEqual(try f.caseIDs(), ["L1"])
        // A one-shot source with no file is an error that names the file.
        let missing = FileAdapter(name: "m", path: f.dir + "/missing.csv", shownPath: "missing.csv", kind: .cases, format: .csv, follow: false)
        XCTAssertThrowsError(try missing.poll(from: nil, limit: 10)) { XCTAssertTrue("\($0)".hasPrefix("missing.csv: cannot open"), "\($0)") }
    }

    func testAFixedFileReplacesItsRejects() throws {
        let f = try Fixture()
        try f.write("cases.csv", [casesHeader, caseRow("X1"), caseRow("X2", unit: "nowhere"), caseRow("X3")].joined(separator: "\n") + "\n")
        try f.drain(FileAdapter(name: "s", path: f.dir + "/cases.csv", kind: .cases, format: .csv, follow: false), source: "s")
        XCTAssertEqual(try f.store.positionedRejects(source: "s").map(\.field), ["unit"])
        // The fixed file replaces the old one (an editor writes a new file and renames it in).
        let fixed = [casesHeader, caseRow("X1"), caseRow("X2", unit: "c2"), caseRow("X3")].joined(separator: "\n") + "\n"
        try fixed.write(toFile: f.dir + "/cases.csv.new", atomically: false, encoding: .utf8)
        XCTAssertEqual(rename(f.dir + "/cases.csv.new", f.dir + "/cases.csv"), 0)
        let b = FileAdapter(name: "s", path: f.dir + "/cases.csv", kind: .cases, format: .csv, follow: false)
        try f.drain(b, source: "s")
        XCTAssertEqual(try f.store.positionedRejects(source: "s").count, 0)
        XCTAssertEqual(try f.caseIDs(), ["X1", "X2", "X3"])
    }
}
