import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// The real `cockpit engine` binary, killed with SIGKILL again and again in the middle of a large
/// ingest: after a final run every record is in the store exactly once.
final class CrashTests: XCTestCase {
    /// Starts the binary with stderr to a file; returns its pid.
    func spawn(_ args: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv = [Paths.binary] + args
        let cArgs = argv.map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + env).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, env)
        guard rc == 0 else { throw AdapterError("cannot start \(argv[0]): \(rc)") }
        return pid
    }

    /// Waits for the child up to `timeout` s; its exit status, or nil if it is still running.
    func wait(_ pid: pid_t, timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            usleep(20_000)
        }
        return nil
    }

    func testSIGKILLMidIngestLosesNothingAndDuplicatesNothing() throws {
        let f = try Fixture()
        let rows = 60_000
        let badEvery = 997
        var lines = [casesHeader]
        lines.reserveCapacity(rows + 1)
        var bad = 0
        for i in 1...rows {
            if i % badEvery == 0 { lines.append(caseRow("K\(i)", unit: "nowhere")); bad += 1 }
            else { lines.append(caseRow("K\(i)", unit: Fixture.units[i % 3], status: i % 5 == 0 ? "completed" : "accepted")) }
        }
        try f.write("big.csv", lines.joined(separator: "\n") + "\n")
        try f.write("sources.yaml", """
            sources:
              - name: big
                kind: file
                records: cases
                path: big.csv
                batch: 1500
            """)
        let log = f.dir + "/engine.log"
        let args = ["engine", "--db", f.dbPath, "--sources", f.dir + "/sources.yaml", "--until-idle"]
        var kills = 0
        var seen: Set<Int> = []
        // Kill it at varied moments once it is committing, five times over.
        var last = 0
        for round in 0..<5 {
            let pid = try spawn(args, log: log)
            let deadline = Date().addingTimeInterval(120)
            while try f.scalar("SELECT count(*) FROM cases") <= last, Date() < deadline { usleep(10_000) }
            usleep(UInt32(round * 200_000)) // later each time: kills fall at different points of the file and of a batch
            if let status = wait(pid, timeout: 0) { XCTFail("engine finished before it could be killed (status \(status)); raise rows"); break }
            kill(pid, SIGKILL)
            XCTAssertEqual(wait(pid, timeout: 10), 128 + SIGKILL)
            kills += 1
            last = try f.scalar("SELECT count(*) FROM cases")
            seen.insert(last)
        }
        XCTAssertEqual(kills, 5)
        print("crash test: cases in the store after each SIGKILL: \(seen.sorted())")
        // The kills landed at different points, after some data and before all of it.
        XCTAssertGreaterThan(seen.count, 1, "\(seen)")
        XCTAssertLessThan(seen.max() ?? rows, rows - bad)

        let pid = try spawn(args, log: log)
        XCTAssertEqual(wait(pid, timeout: 600), 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases"), rows - bad)
        XCTAssertEqual(try f.scalar("SELECT count(DISTINCT id) FROM cases"), rows - bad)
        // Counters and rejects are committed with the batches: a replayed batch would count twice.
        let status = try XCTUnwrap(try f.store.sourceStatuses(now: 0).first { $0.name == "big" })
        XCTAssertEqual(status.recordsIn, rows - bad)
        XCTAssertEqual(status.rejected, bad)
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM rejects WHERE source = 'big'"), bad)
        XCTAssertEqual(try f.scalar("SELECT count(DISTINCT position) FROM rejects WHERE source = 'big'"), bad)
        // The roll-up the screens read agrees with the cases.
        XCTAssertEqual(try f.scalar("SELECT sum(n) FROM case_rollup"), rows - bad)
        XCTAssertEqual(try f.scalar("SELECT sum(n) FROM case_rollup WHERE k_class = 2"), try f.scalar("SELECT count(*) FROM cases WHERE status = 'completed'"))
    }

    func testSIGTERMFinishesTheBatchAndExitsZero() throws {
        let f = try Fixture()
        try f.write("sources.yaml", """
            sources:
              - name: live
                kind: simulator
                rate: 500
                interval: 0.2
                feeds: [cases]
            """)
        let log = f.dir + "/engine.log"
        let pid = try spawn(["engine", "--db", f.dbPath, "--sources", f.dir + "/sources.yaml"], log: log)
        let deadline = Date().addingTimeInterval(60)
        while try f.store.caseCount() == 0, Date() < deadline { usleep(100_000) }
        XCTAssertGreaterThan(try f.store.caseCount(), 0)
        kill(pid, SIGTERM)
        XCTAssertEqual(wait(pid, timeout: 30), 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(text.contains("engine stopped"), text)
        // What was committed is consistent: every case the simulator pushed is counted once.
        XCTAssertEqual(try f.scalar("SELECT sum(n) FROM case_rollup"), try f.store.caseCount())
    }
}
