import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import GRDB
import XCTest

final class SQLiteAdapterTests: XCTestCase {
    /// A second, real SQLite database with its own column names and a cursor with ties.
    func makeSource(_ f: Fixture) throws -> DatabaseQueue {
        let q = try DatabaseQueue(path: f.dir + "/upstream.sqlite")
        try q.write { db in
            try db.execute(sql: """
                CREATE TABLE banjian (bh TEXT, unit TEXT, dept TEXT, item_code TEXT, item_name TEXT, channel TEXT,
                    accepted_at TEXT, promised_days INTEGER, status TEXT, completed_at TEXT, suspensions TEXT, updated_at INTEGER);
                """)
        }
        return q
    }

    func insert(_ q: DatabaseQueue, _ id: String, updated: Int, status: String = "accepted", unit: String = "c1") throws {
        try q.write { db in
            try db.execute(sql: "INSERT INTO banjian VALUES (?, ?, '区民政局', 'MZ-1', '婚姻登记', 'hall', '2026-11-02T09:00:00+08:00', 0, ?, NULL, '', ?)",
                           arguments: [id, unit, status, updated])
        }
    }

    func testIncrementalByCursorWithTies() throws {
        let f = try Fixture()
        let q = try makeSource(f)
        for (i, t) in [100, 100, 100, 101, 102, 102, 103].enumerated() { try insert(q, "S\(i)", updated: t) }
        let mapping = FieldMapping(renames: ["bh": "id", "dept": "department"])
        let a = SQLiteAdapter(name: "up", path: f.dir + "/upstream.sqlite", kind: .cases, table: "banjian", query: nil,
                              cursor: "updated_at", key: "bh", mapping: mapping)
        // A limit of 2 falls inside the three rows at 100: all three come in one batch, none is skipped.
        let reports = try f.drain(a, source: "up", limit: 2)
        XCTAssertEqual(reports.map(\.accepted), [3, 3, 1]) // 100×3; then 101 and both 102s; then 103
        XCTAssertEqual(try f.store.caseCount(), 7)
        // New and changed rows upstream: only they are read; a changed case replaces itself.
        try q.write { try $0.execute(sql: "UPDATE banjian SET status = 'completed', completed_at = '2026-11-03T10:00:00+08:00', updated_at = 200 WHERE bh = 'S0'") }
        try insert(q, "S9", updated: 201, unit: "nowhere")
        let more = try f.drain(a, source: "up", limit: 100)
        XCTAssertEqual(more.map(\.accepted), [1])
        XCTAssertEqual(more.map(\.rejected), [1])
        XCTAssertEqual(try f.store.caseCount(), 7)
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases WHERE id = 'S0' AND status = 'completed'"), 1)
        XCTAssertEqual(try f.store.positionedRejects(source: "up").map(\.position), ["up:bh=S9"])
        // A restarted adapter resumes after the stored cursor.
        let again = SQLiteAdapter(name: "up", path: f.dir + "/upstream.sqlite", kind: .cases, table: nil,
                                  query: "SELECT * FROM banjian WHERE unit <> 'c3'", cursor: "updated_at", mapping: mapping)
        XCTAssertEqual(try f.drain(again, source: "up").map(\.accepted), [0])
    }

    func testABadQueryIsASourceErrorNamingTheDatabase() throws {
        let f = try Fixture()
        _ = try makeSource(f)
        let a = SQLiteAdapter(name: "up", path: f.dir + "/upstream.sqlite", kind: .cases, table: "banjain", query: nil, cursor: "updated_at")
        XCTAssertThrowsError(try a.poll(from: nil, limit: 10)) { XCTAssertTrue("\($0)".contains("no such table: banjain"), "\($0)") }
        let missing = SQLiteAdapter(name: "up", path: f.dir + "/nope.sqlite", kind: .cases, table: "t", query: nil, cursor: "rowid")
        XCTAssertThrowsError(try missing.poll(from: nil, limit: 10)) { XCTAssertTrue("\($0)".hasSuffix("nope.sqlite: no such database"), "\($0)") }
    }
}

final class ExecAdapterTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var all: [String] = []
        func add(_ s: String) { lock.lock(); all.append(s); lock.unlock() }
    }

    func testAChildPrintingJSONLinesWithCheckpointAndStderr() throws {
        let f = try Fixture()
        // The command gets the last checkpoint and prints the next one.
        let script = """
            n=${COCKPIT_CHECKPOINT:-0}
            echo "reading after $n" >&2
            i=$((n+1)); echo "{\\"id\\":\\"E$i\\",\\"unit\\":\\"c3\\",\\"department\\":\\"d\\",\\"item_code\\":\\"x\\",\\"item_name\\":\\"n\\",\\"channel\\":\\"online\\",\\"accepted_at\\":\\"2026-11-02T09:00:00+08:00\\",\\"promised_days\\":1,\\"status\\":\\"accepted\\"}"
            echo 'oops'
            echo "{\\"_checkpoint\\":\\"$i\\"}"
            """
        let lines = Lines()
        let a = ExecAdapter(name: "bridge", command: [script], kind: .cases, timeout: 10) { lines.add($0) }
        try f.drain(a, source: "bridge")
        try f.drain(a, source: "bridge")
        XCTAssertEqual(try f.caseIDs(), ["E1", "E2"])
        XCTAssertEqual(try f.store.checkpoint(source: "bridge"), "2")
        XCTAssertEqual(lines.all, ["reading after 0", "reading after 1"])
        let rejects = try f.store.positionedRejects(source: "bridge")
        XCTAssertEqual(rejects.map(\.position), ["bridge:run 1 line 2", "bridge:run 2 line 2"])
        XCTAssertEqual(rejects.map(\.raw), ["oops", "oops"])
    }

    func testATimeoutKillsTheChildAndCommitsNothing() throws {
        let a = ExecAdapter(name: "slow", command: ["echo '{\"id\":\"Z\"}'; sleep 30"], kind: .cases, timeout: 0.5)
        let started = Date()
        XCTAssertThrowsError(try a.poll(from: nil, limit: 10)) { XCTAssertTrue("\($0)".contains("timed out after 0.5 s"), "\($0)") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testANonZeroExitIsASourceError() throws {
        let lines = Lines()
        let a = ExecAdapter(name: "bad", command: ["/bin/sh", "-c", "echo '{\"id\":\"Z\"}'; echo 'upstream down' >&2; exit 1"],
                            kind: .cases, timeout: 10) { lines.add($0) }
        XCTAssertThrowsError(try a.poll(from: nil, limit: 10)) {
            XCTAssertTrue("\($0)".contains("exited with status 1: upstream down"), "\($0)")
        }
        XCTAssertEqual(lines.all, ["upstream down"])
        let missing = ExecAdapter(name: "m", command: ["/no/such/tool"], kind: .cases, timeout: 5)
        XCTAssertThrowsError(try missing.poll(from: nil, limit: 10))
    }
}
