import CockpitAlerts
import CockpitStore
import Foundation
import XCTest

/// `cockpit duty` in a real terminal (tmux): acknowledge an alert with keys, then find the
/// acknowledgement in `cockpit audit`, run as another process.
final class DutyEndToEndTests: XCTestCase {
    var socket = ""
    var dir = ""

    override func setUpWithError() throws {
        try Spawn.require(["/usr/bin/tmux"])
        socket = "cockpit-duty-\(getpid())-\(UUID().uuidString.prefix(8))"
        dir = NSTemporaryDirectory() + socket
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs a program to completion and returns (status, stdout).
    @discardableResult
    func run(_ argv: [String]) -> (Int32, String) {
        let outPath = dir + "/out-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let r = Spawn.run(argv, outPath: outPath)
        return (r.status, r.output)
    }

    @discardableResult
    func tmux(_ args: [String]) -> String { Spawn.tmux(socket: socket, dir: dir, args) }
    func screen() -> String { tmux(["capture-pane", "-p", "-t", "duty"]) }

    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ condition: (String) -> Bool) -> String {
        let s = Spawn.poll(timeout: timeout, screen, until: condition)
        XCTAssertTrue(condition(s), "timed out waiting for \(what); screen:\n\(s)")
        return s
    }

    /// Two officers' `cockpit ack` and `cockpit note` as separate processes, all started at once
    /// against one store file: every action is in the log, none refused, none lost.
    func testOfficersActingFromSeparateProcessesAtOnce() throws {
        let db = try DutyStore.make()
        let (_, listed) = run([Paths.binary, "alerts", "--db", db, "--open", "--format", "json"])
        let ids = listed.components(separatedBy: "{\"id\":").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        // The first listed is open (not yet acknowledged).
        let target = try XCTUnwrap(ids.first)
        var argvs: [[String]] = []
        for officer in ["张三", "李四"] {
            argvs.append([Paths.binary, "ack", "\(target)", "--officer", officer, "--note", "\(officer)确认", "--db", db])
            for i in 0..<6 { argvs.append([Paths.binary, "note", "\(target)", "\(officer) 第\(i)次", "--officer", officer, "--db", db]) }
        }
        var pids: [pid_t] = []
        for argv in argvs {
            let cArgs = argv.map { strdup($0) } + [nil]
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            var pid: pid_t = 0
            XCTAssertEqual(posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ), 0)
            posix_spawn_file_actions_destroy(&actions)
            cArgs.forEach { free($0) }
            pids.append(pid)
        }
        for pid in pids {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            XCTAssertEqual((status >> 8) & 0xff, 0, "every process succeeded")
        }
        let (_, log) = run([Paths.binary, "audit", "--db", db, "--alert", "\(target)", "--format", "json"])
        let entries = log.components(separatedBy: "\"seq\":").count - 1
        XCTAssertEqual(log.components(separatedBy: "\"action\":\"acknowledged\"").count - 1, 2, log)
        XCTAssertEqual(log.components(separatedBy: "\"action\":\"noted\"").count - 1, 12, log)
        XCTAssertTrue(log.contains("\"actor\":\"张三\",\"action\":\"acknowledged\""))
        XCTAssertTrue(log.contains("\"actor\":\"李四\",\"action\":\"acknowledged\""))
        XCTAssertEqual(entries, 1 + 2 + 12, "opened + two acknowledgements + twelve notes")
    }

    /// A red alert opened by another process while the screen is up rings the terminal bell
    /// (tmux's bell flag), once; with --mute it does not; alerts there at start never ring.
    func testBellOnANewRedAlertUnlessMuted() throws {
        for muted in [false, true] {
            let db = try DutyStore.make()
            let cmd = "\(Paths.binary) duty --db \(db) --officer 王五 --at 2026-11-20T17:00:00+08:00 \(muted ? "--mute" : "")"
            tmux(["new-session", "-d", "-s", "duty", "-x", "120", "-y", "40",
                  "env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color sh -c '\(cmd)'; sleep 120"])
            let s = waitFor("the duty screen") { $0.contains("告警 (42)") }
            XCTAssertEqual(s.contains("［静音］"), muted)
            let flag = { self.tmux(["display", "-p", "-t", "duty", "#{window_bell_flag}"])
                .trimmingCharacters(in: .whitespacesAndNewlines) }
            usleep(300_000)
            XCTAssertEqual(flag(), "0", "no bell for the alerts already open")
            let store = try CockpitStore(path: db, mode: .write)
            let rule = AlertRule(id: "district-open", metric: "cases.open", scope: .tier(.district), comparison: .atLeast,
                                 thresholds: [.init(level: .red, value: 1)])
            try store.evaluateAlerts(rules: [rule], at: SampleStore.at)
            waitFor("the new alert") { $0.contains("告警 (43)") }
            usleep(300_000)
            XCTAssertEqual(flag(), muted ? "0" : "1", muted ? "muted" : "a new red alert rings")
            try store.close()
            tmux(["kill-session", "-t", "duty"])
        }
    }

    func testAcknowledgeWithKeysThenSeeItInTheAuditLog() throws {
        let db = try DutyStore.make()
        let cmd = "\(Paths.binary) duty --db \(db) --officer 王五 --at 2026-11-20T17:00:00+08:00 --rules \(DutyStore.rulesFile)"
        tmux(["new-session", "-d", "-s", "duty", "-x", "120", "-y", "40",
              "env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color sh -c '\(cmd)'; echo DUTY_EXIT=$?; sleep 120"])
        var s = waitFor("the duty screen") { $0.contains("值班 · 王五") && $0.contains("时间线") }
        XCTAssertTrue(s.contains("> 红"))
        // The second alert (open ones come first; the one 张三 acknowledged in the fixture is last).
        tmux(["send-keys", "-t", "duty", "Down"])
        tmux(["send-keys", "-t", "duty", "a"])
        waitFor("the input line") { $0.contains("确认（备注可空）>") }
        tmux(["send-keys", "-t", "duty", "-l", "电话核实"])
        waitFor("the typed note") { $0.contains("确认（备注可空）> 电话核实") }
        tmux(["send-keys", "-t", "duty", "Enter"])
        s = waitFor("the acknowledgement recorded") { $0.contains("已确认（已记录）") }
        XCTAssertTrue(s.contains("王五 确认 电话核实"), "the timeline shows it at once:\n\(s)")

        let (status, json) = run([Paths.binary, "audit", "--db", db, "--format", "json"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(json.contains("\"actor\":\"王五\",\"action\":\"acknowledged\""), json)
        XCTAssertTrue(json.contains("\"note\":\"电话核实\""), json)
        let (_, text) = run([Paths.binary, "alerts", "--db", db, "--open"])
        XCTAssertTrue(text.contains("ack 王五"), text)

        tmux(["resize-window", "-t", "duty", "-x", "80", "-y", "24"])
        s = waitFor("redrawn at 80x24") { $0.contains("值班 · 王五") && $0.contains("┐┌─ 时间线") && !$0.contains("时间线 ──────────────────────────────────────────────") }
        for line in s.split(separator: "\n") where line.hasPrefix("│") { XCTAssertTrue(line.hasSuffix("│"), "misaligned: \(line)") }
        tmux(["send-keys", "-t", "duty", "q"])
        s = waitFor("exit") { $0.contains("DUTY_EXIT=") }
        XCTAssertTrue(s.contains("DUTY_EXIT=0"), s)
    }
}
