import Foundation
import XCTest

/// Drives the real binary in a real terminal (tmux), as a person would: keys in, screen out.
final class TerminalEndToEndTests: XCTestCase {
    var socket = ""
    var dir = ""

    override func setUpWithError() throws {
        try Spawn.require(["/usr/bin/tmux"])
        socket = "cockpit-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        dir = NSTemporaryDirectory() + socket
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = SampleStore.path
    }

    override func tearDown() {
        _ = tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs tmux on the test's own server and returns what it printed.
    @discardableResult
    func tmux(_ args: [String]) -> String { Spawn.tmux(socket: socket, dir: dir, args) }

    func screen() -> String { tmux(["capture-pane", "-p", "-t", "e2e"]) }

    /// Waits until the screen satisfies `condition`, up to `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ condition: (String) -> Bool) -> String {
        let s = Spawn.poll(timeout: timeout, screen, until: condition)
        XCTAssertTrue(condition(s), "timed out waiting for \(what); screen:\n\(s)")
        return s
    }

    /// Starts the cockpit in a fresh tmux session; the inner shell writes the cockpit's pid and execs it.
    func start(width: Int = 120, height: Int = 40, db: String = SampleStore.path, extra: String = "",
               env: String = "LANG=C.UTF-8 TERM=xterm-256color") {
        let cmd = "sh -c 'echo $$ > \(dir)/pid; exec \(Paths.binary) --db \(db) --at 2026-11-20T17:00:00+08:00 \(extra)'; echo COCKPIT_EXIT=$?; sleep 120"
        // -u NO_COLOR: the colour a test expects must not depend on the environment it runs in.
        tmux(["new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)", "env -u NO_COLOR \(env) " + cmd])
    }

    var pid: Int32 { Int32((try? String(contentsOfFile: dir + "/pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0 }

    func testDrillDownAndBackThenQuit() {
        start()
        var s = waitFor("the district screen") { $0.contains("各街道对比") }
        XCTAssertTrue(s.contains(" 下城区 "))
        XCTAssertTrue(s.contains("> 长庆街道"))
        tmux(["send-keys", "-t", "e2e", "Down", "Down", "Enter"])
        s = waitFor("the street screen") { $0.contains("下城区 › 天水街道") }
        XCTAssertTrue(s.contains("各社区、园区对比"))
        // Chinese names and numbers line up: every box row ends in the last column (an edge, or
        // the corner of a panel beside it).
        for line in s.split(separator: "\n") where line.hasPrefix("│") {
            XCTAssertTrue(line.hasSuffix("│") || line.hasSuffix("┐") || line.hasSuffix("┘"), "misaligned: \(line)")
        }
        tmux(["send-keys", "-t", "e2e", "Enter"])
        s = waitFor("the community screen") { $0.contains("下城区 › 天水街道 › ") && $0.contains("超期办件") }
        tmux(["send-keys", "-t", "e2e", "Escape"])
        s = waitFor("back on the street") { $0.contains("各社区、园区对比") }
        tmux(["send-keys", "-t", "e2e", "BSpace"])
        s = waitFor("back on the district") { $0.contains("各街道对比") }
        XCTAssertTrue(s.contains("> 天水街道"), "the street we came from stays selected")
        tmux(["send-keys", "-t", "e2e", "?"])
        s = waitFor("the help overlay") { $0.contains("按键说明") }
        tmux(["send-keys", "-t", "e2e", "Space"])
        waitFor("the help closed") { !$0.contains("按键说明") && $0.contains("各街道对比") }
        tmux(["send-keys", "-t", "e2e", "7"])
        waitFor("a digit jumps to the 7th street") { $0.contains("下城区 › 东新街道") }
        tmux(["send-keys", "-t", "e2e", "/", "三塘", "Enter"])
        s = waitFor("the filter") { $0.contains("/三塘") }
        XCTAssertFalse(s.contains("沈家社区"), "filtered out")
        XCTAssertTrue(s.contains("三塘北苑社区"))
        tmux(["send-keys", "-t", "e2e", ":", "street 武林", "Enter"])
        waitFor("the command line") { $0.contains("下城区 › 武林街道") }
        tmux(["send-keys", "-t", "e2e", "q"])
        s = waitFor("exit") { $0.contains("COCKPIT_EXIT=") }
        XCTAssertTrue(s.contains("COCKPIT_EXIT=0"))
        XCTAssertFalse(s.contains("各街道对比"), "the terminal's own screen is back")
        XCTAssertEqual(tmux(["display", "-p", "-t", "e2e", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines), "0")
    }

    func testResizeToTinyAndBack() {
        start()
        waitFor("the district screen") { $0.contains("各街道对比") }
        for (w, h) in [(79, 24), (40, 10), (10, 5), (200, 60), (80, 24)] {
            tmux(["resize-window", "-t", "e2e", "-x", "\(w)", "-y", "\(h)"])
            if w >= 80, h >= 24 {
                waitFor("full screen at \(w)x\(h)") { $0.contains("各街道对比") && !$0.contains("终端太小") }
            } else if w >= 40 {
                waitFor("too small at \(w)x\(h)") { $0.contains("终端太小") }
            } else {
                usleep(300_000)
            }
        }
        XCTAssertNotEqual(kill(pid, 0), -1, "still running after the resize storm")
        tmux(["send-keys", "-t", "e2e", "q"])
        waitFor("exit") { $0.contains("COCKPIT_EXIT=0") }
    }

    func testHangupRestoresTerminalAndLeavesNoProcess() {
        start()
        waitFor("the district screen") { $0.contains("各街道对比") }
        let p = pid
        XCTAssertGreaterThan(p, 0)
        kill(p, SIGHUP)
        let s = waitFor("exit after SIGHUP") { $0.contains("COCKPIT_EXIT=") }
        XCTAssertTrue(s.contains("COCKPIT_EXIT=129"), s)
        XCTAssertEqual(tmux(["display", "-p", "-t", "e2e", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertEqual(kill(p, 0), -1, "the process is gone")
    }

    /// Another process writes to the store; the open screen shows it within a couple of seconds.
    func testNewDataAppearsWithoutAKey() throws {
        let db = dir + "/live.sqlite"
        try FileManager.default.copyItem(atPath: SampleStore.path, toPath: db)
        start(db: db)
        var s = waitFor("the district screen") { $0.contains("各街道对比") }
        func wulinRow(_ screen: String) -> [String] {
            let line = screen.split(separator: "\n").first { $0.contains("武林街道") } ?? ""
            return line.split(separator: " ").filter { $0.first?.isNumber == true }.map(String.init)
        }
        let before = wulinRow(s)
        XCTAssertGreaterThanOrEqual(before.count, 5)
        let csv = dir + "/new.csv"
        try """
            id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions
            E2E-1,wulin-zhuganxiang,区民政局,X1,测试事项,hall,2026-10-01T09:00:00+08:00,1,accepted,,
            E2E-2,wulin-zhuganxiang,区民政局,X1,测试事项,hall,2026-10-01T09:00:00+08:00,1,accepted,,
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: Paths.binary)
        ingest.arguments = ["ingest", "--db", db, "--kind", "cases", csv]
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        let started = Date()
        try ingest.run()
        ingest.waitUntilExit()
        XCTAssertEqual(ingest.terminationStatus, 0)
        s = waitFor("the new cases on screen", timeout: 5) { wulinRow($0).first == String(Int(before[0])! + 2) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(wulinRow(s)[1], String(Int(before[1])! + 2), "both new cases are overdue")
        tmux(["send-keys", "-t", "e2e", "q"])
        waitFor("exit") { $0.contains("COCKPIT_EXIT=0") }
    }

    /// Colour where the terminal has it, none with NO_COLOR or on a terminal without colours,
    /// ASCII lines where the locale is not UTF-8; the screen is whole in every case.
    func testColourAndTerminalVariants() {
        let variants: [(env: String, colour: Bool, ascii: Bool)] = [
            ("LANG=C.UTF-8 TERM=xterm-256color", true, false),
            ("LANG=C.UTF-8 TERM=xterm-256color NO_COLOR=1", false, false),
            ("LANG=C.UTF-8 TERM=xterm", true, false),
            ("LANG=C.UTF-8 TERM=vt100", false, false),
            ("LANG=C LC_ALL=C TERM=xterm-256color", true, true),
        ]
        for v in variants {
            start(env: v.env)
            let s = waitFor("the district screen with \(v.env)") { $0.contains(v.ascii ? "+-" : "┌─") && $0.contains("q ") }
            let styled = tmux(["capture-pane", "-e", "-p", "-t", "e2e"])
            // Foreground colours: SGR 31–37, or 38;5;N for 256 colours.
            let hasColour = styled.range(of: "\u{1B}\\[[0-9;]*(3[1-7]|38;5;[0-9]+)m", options: .regularExpression) != nil
            XCTAssertEqual(hasColour, v.colour, "colour with \(v.env): \(styled.prefix(300).debugDescription)")
            if !v.ascii { XCTAssertTrue(s.contains("各街道对比"), v.env) }
            tmux(["send-keys", "-t", "e2e", "q"])
            waitFor("exit with \(v.env)") { $0.contains("COCKPIT_EXIT=0") }
            tmux(["kill-session", "-t", "e2e"])
        }
    }

    func testTerminateAndStopContinue() {
        start()
        waitFor("the district screen") { $0.contains("各街道对比") }
        let p = pid
        kill(p, SIGTSTP)
        waitFor("the shell's screen while stopped") { !$0.contains("各街道对比") }
        kill(p, SIGCONT)
        waitFor("the screen repainted after SIGCONT") { $0.contains("各街道对比") }
        kill(p, SIGTERM)
        let s = waitFor("exit after SIGTERM") { $0.contains("COCKPIT_EXIT=") }
        XCTAssertTrue(s.contains("COCKPIT_EXIT=0"), s)
        XCTAssertEqual(kill(p, 0), -1, "the process is gone")
    }

    func testRefusesDumbTerminal() {
        let cmd = "sh -c 'exec \(Paths.binary) --db \(SampleStore.path)'; echo COCKPIT_EXIT=$?; sleep 120"
        tmux(["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "env LANG=C.UTF-8 TERM=dumb " + cmd])
        let s = waitFor("exit") { $0.contains("COCKPIT_EXIT=") }
        XCTAssertTrue(s.contains("COCKPIT_EXIT=2"), s)
        XCTAssertTrue(s.contains("cockpit snapshot"), s)
    }

    /// At 80x24 the district's lower-priority panels give way; Tab reaches them, drawn in the
    /// main list's place, and comes back round. `:layout wall` switches the layout.
    func testTabReachesPanelsThatGaveWayAndLayoutCommandSwitches() {
        start(width: 80, height: 24)
        var s = waitFor("the district screen") { $0.contains("各街道对比") }
        XCTAssertTrue(s.contains("Tab 切换(+3)"), s)
        XCTAssertFalse(s.contains("1+8+X"), "the tree gave way at 80x24")
        tmux(["send-keys", "-t", "e2e", "Tab"])
        s = waitFor("the case list focused") { $0.contains("> XC2026080400012") }
        tmux(["send-keys", "-t", "e2e", "Tab"])
        s = waitFor("the tree brought forward") { $0.contains("1+8+X") }
        XCTAssertTrue(s.contains("潮鸣街道"), s)
        tmux(["send-keys", "-t", "e2e", "Tab", "Tab", "Tab"])
        s = waitFor("back to the comparison") { $0.contains("各街道对比") && $0.contains("> 长庆街道") }
        tmux(["send-keys", "-t", "e2e", ":", "l", "a", "y", "o", "u", "t", " ", "w", "a", "l", "l", "Enter"])
        s = waitFor("the wall layout") { $0.contains("大屏") && $0.contains("▀▀▀") }
        tmux(["send-keys", "-t", "e2e", ":", "l", "a", "y", "o", "u", "t", " ", "w", "a", "l", "Enter"])
        s = waitFor("an unknown layout named") { $0.contains("'wal'?") }
        tmux(["send-keys", "-t", "e2e", "q"])
        waitFor("exit") { $0.contains("COCKPIT_EXIT=0") }
    }

    /// A layout that fails its check never starts a screen: the error is printed with its place
    /// in the file and the program exits non-zero.
    func testABadLayoutNeverStartsTheScreen() throws {
        let layouts = dir + "/layouts"
        try FileManager.default.createDirectory(atPath: layouts, withIntermediateDirectories: true)
        try "rows:\n  - widget: kpi\n    metric: cases.overdeu\n".write(toFile: layouts + "/district.yaml", atomically: true, encoding: .utf8)
        start(width: 120, height: 40, extra: "--layouts \(layouts)")
        let s = waitFor("exit") { $0.contains("COCKPIT_EXIT=") }
        XCTAssertTrue(s.contains("COCKPIT_EXIT=2"), s)
        XCTAssertTrue(s.contains("district.yaml:3:13: unknown metric 'cases.overdeu'"), s)
        // The message wraps at the screen's edge, where tmux drops the space: compare without spaces.
        XCTAssertTrue(s.filter { $0 != "\n" && $0 != " " }.contains("didyoumean'cases.overdue'?"), s)
        XCTAssertFalse(s.contains("各街道对比"))
    }
}
