import CockpitCore
import CockpitStore
import Foundation
import GRDB
import XCTest

/// `cockpit ingest` of a cases file into an empty store is a bulk load (two threads, no fsync):
/// killed with SIGKILL at varied moments and run again, it ends with exactly the store an
/// uninterrupted run makes, and a read-only screen can read the store right after each kill.
extension CrashTests {
    func testSIGKILLMidBulkIngestLosesNothingAndDuplicatesNothing() throws {
        let f = try Fixture()
        let rows = 40_000
        var lines = [casesHeader + ",pushed_at"]
        for i in 1...rows {
            if i % 997 == 0 {
                lines.append(caseRow("K\(i)", unit: "nowhere") + ",")
            } else if i % 7 == 0 {
                // A later push of an earlier case: the push-history path, in the middle of the load.
                let earlier = "K\(i - 5)"
                lines.append(caseRow(earlier, unit: Fixture.units[i % 3], status: "completed") + ",2026-11-06T09:00:00+08:00")
            } else {
                lines.append(caseRow("K\(i)", unit: Fixture.units[i % 3], status: i % 5 == 0 ? "completed" : "accepted") + ",")
            }
        }
        let file = try f.write("bulk.csv", lines.joined(separator: "\n") + "\n")
        let log = f.dir + "/ingest.log"
        // Stores of their own, that no other connection holds open.
        let reference = f.dir + "/reference.sqlite", killed = f.dir + "/killed.sqlite"
        for db in [reference, killed] {
            for (kind, path) in [("units", f.dir + "/units.csv"), ("calendar", Paths.sampleData + "/calendar-2026.csv")] {
                XCTAssertEqual(wait(try spawn(["ingest", "--db", db, "--kind", kind, path], log: log), timeout: 60), 0)
            }
        }
        let ingest = { (db: String) in ["ingest", "--db", db, "--kind", "cases", file, "--batch", "2000"] }
        XCTAssertEqual(wait(try spawn(ingest(reference), log: log), timeout: 300), 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")

        func scalar(_ db: String, _ sql: String) throws -> Int {
            // A writable connection, as the next writer would open it: it rolls a hot journal back.
            try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: sql) ?? -1 }
        }
        var seen: [Int] = []
        var last = 0
        for round in 0..<3 {
            let pid = try spawn(ingest(killed), log: log)
            let deadline = Date().addingTimeInterval(120)
            while try scalar(killed, "SELECT count(*) FROM cases") <= last, Date() < deadline { usleep(10_000) }
            usleep(UInt32(round * 150_000))
            if let status = wait(pid, timeout: 0) { XCTFail("ingest finished before it could be killed (status \(status)); raise rows"); break }
            kill(pid, SIGKILL)
            XCTAssertEqual(wait(pid, timeout: 10), 128 + SIGKILL)
            var readOnly = Configuration()
            readOnly.readonly = true
            XCTAssertNoThrow(try DatabaseQueue(path: killed, configuration: readOnly).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cases") },
                             "a screen opens the store right after the kill")
            let integrity = try DatabaseQueue(path: killed).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
            XCTAssertEqual(integrity, "ok")
            // What is there was committed whole. The first run is a bulk load (the store had no
            // cases): its roll-ups are written at its end, so they are pending, and say so. The
            // next runs settle them (count them from `cases`) first, then keep them batch by batch.
            last = try scalar(killed, "SELECT count(*) FROM cases")
            let pending = try scalar(killed, "SELECT count(*) FROM meta WHERE key = 'cases.rollups_pending'")
            if round == 0 {
                XCTAssertEqual(pending, 1, "a bulk load killed before its end leaves its roll-ups pending")
                XCTAssertEqual(try scalar(killed, "SELECT count(*) FROM case_rollup"), 0)
            } else {
                XCTAssertEqual(pending, 0)
                XCTAssertEqual(try scalar(killed, "SELECT sum(n) FROM case_rollup"), last)
                XCTAssertEqual(try scalar(killed, "SELECT sum(n) FROM case_abnormal_rollup"), last)
                XCTAssertEqual(try scalar(killed, "SELECT sum(length(times)) / 4 FROM case_latest_times"),
                               try scalar(killed, "SELECT count(*) FROM cases WHERE abn = 0"))
            }
            seen.append(last)
        }
        print("bulk crash test: cases in the store after each SIGKILL: \(seen)")
        XCTAssertLessThan(seen.max() ?? rows, try scalar(reference, "SELECT count(*) FROM cases"))

        XCTAssertEqual(wait(try spawn(ingest(killed), log: log), timeout: 300), 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        for sql in ["SELECT * FROM cases ORDER BY id", "SELECT * FROM case_pushes ORDER BY id, pushed_at, seq",
                    "SELECT * FROM case_rollup ORDER BY unit, k_class, k_day", "SELECT * FROM case_abnormal_rollup ORDER BY 1, 2, 3, 4, 5",
                    "SELECT day, unit, hex(times) FROM case_done_times ORDER BY 1, 2",
                    "SELECT day, unit, flag, stall_day, hex(times) FROM case_latest_times ORDER BY 1, 2, 3, 4",
                    "SELECT * FROM case_unit_totals ORDER BY 1",
                    "SELECT source, kind, line, field, reason, raw FROM rejects ORDER BY source, line"] {
            let a = try DatabaseQueue(path: reference).read { try Row.fetchAll($0, sql: sql).map(\.description) }
            let b = try DatabaseQueue(path: killed).read { try Row.fetchAll($0, sql: sql).map(\.description) }
            XCTAssertFalse(a.isEmpty, sql)
            XCTAssertEqual(a.count, b.count, sql)
            XCTAssertEqual(a, b, sql)
        }
        XCTAssertEqual(try scalar(killed, "SELECT count(DISTINCT id) FROM cases"), try scalar(reference, "SELECT count(*) FROM cases"))
        XCTAssertEqual(try scalar(killed, "SELECT count(*) FROM meta WHERE key = 'cases.rollups_pending'"), 0)
        XCTAssertEqual(try scalar(reference, "SELECT count(*) FROM meta WHERE key = 'cases.rollups_pending'"), 0)
        XCTAssertEqual(try DatabaseQueue(path: killed).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
    }
}
