import Foundation
import XCTest

/// A real OpenSSH server on 127.0.0.1 with keys made for the test; a real `ssh -tt` client inside
/// tmux; the key pinned to 武林街道 by the line `cockpit ssh-authorize` prints. Checks what a person
/// at the wall would see, and that a dropped connection leaves nothing running.
final class SSHWallTests: XCTestCase {
    var dir = ""
    var socket = ""  // the tmux server name
    var sshdPID: pid_t = 0

    static let otherStreets = ["长庆", "天水", "潮鸣", "朝晖", "文晖", "东新", "石桥", "下城区"]

    override func setUpWithError() throws {
        try Spawn.require(["/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen", "/usr/bin/tmux"])
        socket = "cockpit-ssh-\(getpid())-\(UUID().uuidString.prefix(6))"
        dir = NSTemporaryDirectory() + socket
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = SampleStore.path
    }

    override func tearDown() {
        _ = Spawn.run(["/usr/bin/tmux", "-L", socket, "kill-server"], outPath: dir + "/out")
        if sshdPID > 0 { kill(sshdPID, SIGTERM); var st: Int32 = 0; waitpid(sshdPID, &st, 0) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A port nobody listens on: bind to 0, read what the kernel gave, close.
    func freePort() -> Int {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    func canConnect(_ port: Int) -> Bool {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    @discardableResult
    func tmux(_ args: [String]) -> String { Spawn.tmux(socket: socket, dir: dir, args) }

    func screen() -> String { tmux(["capture-pane", "-p", "-t", "wall"]) }

    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, _ condition: (String) -> Bool) -> String {
        let s = Spawn.poll(timeout: timeout, interval: 200_000, screen, until: condition)
        XCTAssertTrue(condition(s), "timed out waiting for \(what); screen:\n\(s)\nsshd log:\n"
                      + ((try? String(contentsOfFile: dir + "/sshd.log", encoding: .utf8)) ?? ""))
        return s
    }

    /// Processes running a wall on this test's store.
    func wallProcesses() -> [pid_t] {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return procs.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return nil }
            let cmd = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return cmd.contains(" wall ") && cmd.contains(SampleStore.path) ? pid : nil
        }
    }

    func testScopedWallOverRealSSHAndDroppedConnection() throws {
        let keygen = "/usr/bin/ssh-keygen"
        XCTAssertEqual(Spawn.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", dir + "/host_key"], outPath: dir + "/out").status, 0)
        XCTAssertEqual(Spawn.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", "wall-wulin", "-f", dir + "/user_key"], outPath: dir + "/out").status, 0)

        // The authorized_keys line comes from the command a deployer would use.
        let authorize = Spawn.run([Paths.binary, "ssh-authorize", "--scope", "wulin", "--key", dir + "/user_key.pub", "--wall",
                                   "--db", SampleStore.path, "--rotate", "5s"], outPath: dir + "/authorized_keys")
        XCTAssertEqual(authorize.status, 0, authorize.output)
        XCTAssertTrue(authorize.output.hasPrefix("command=\""), authorize.output)
        XCTAssertTrue(authorize.output.contains(",restrict,pty ssh-ed25519 "), authorize.output)
        XCTAssertTrue(authorize.output.contains("wall --scope wulin --no-quit"), authorize.output)
        chmod(dir + "/authorized_keys", 0o600)

        let port = freePort()
        let user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_key
            AuthorizedKeysFile \(dir)/authorized_keys
            PidFile \(dir)/sshd.pid
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            AllowUsers \(user)
            LogLevel VERBOSE
            """.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
        // sshd wants its privilege-separation directory.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        sshdPID = Spawn.start(["/usr/sbin/sshd", "-D", "-e", "-f", dir + "/sshd_config"], outPath: dir + "/sshd.log")
        let up = Date().addingTimeInterval(10)
        while !canConnect(port), Date() < up { usleep(100_000) }
        XCTAssertTrue(canConnect(port), "sshd did not start: " + ((try? String(contentsOfFile: dir + "/sshd.log", encoding: .utf8)) ?? ""))

        // The client asks for a shell; the key's forced command gives it the wall instead.
        let ssh = "/usr/bin/ssh -tt -p \(port) -i \(dir)/user_key -o IdentitiesOnly=yes -o BatchMode=yes"
            + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \(user)@127.0.0.1 bash -i"
        _ = tmux(["new-session", "-d", "-s", "wall", "-x", "120", "-y", "40", "exec env -u NO_COLOR TERM=xterm-256color " + ssh])
        var s = waitFor("the wall pinned to 武林街道") { $0.contains("武林街道") && $0.contains("只读大屏") }
        for name in Self.otherStreets { XCTAssertFalse(s.contains(name), "\(name) on a 武林 wall:\n\(s)") }

        // Keys that would navigate, filter, jump or quit elsewhere do nothing here.
        for keys in [[":street 天水", "Enter"], ["/天水", "Enter"], ["3"], ["Escape"], ["BSpace"], ["q"], ["C-c"], ["C-z"], ["C-\\"]] {
            _ = tmux(["send-keys", "-t", "wall"] + keys)
        }
        usleep(1_500_000)
        s = screen()
        XCTAssertTrue(s.contains("只读大屏"), "the wall ended or changed after keys:\n\(s)")
        for name in Self.otherStreets { XCTAssertFalse(s.contains(name), "\(name) on a 武林 wall after keys:\n\(s)") }

        // It rotates into the scope's communities and never out of the scope.
        s = waitFor("rotation to a 武林 community", timeout: 15) { $0.contains("武林街道 › ") }
        for name in Self.otherStreets { XCTAssertFalse(s.contains(name), "\(name) on a 武林 wall after rotating:\n\(s)") }
        XCTAssertEqual(wallProcesses().count, 1, "one wall process expected")

        // Drop the link as a network would: the client dies without a goodbye.
        let clientPID = pid_t(tmux(["list-panes", "-t", "wall", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertGreaterThan(clientPID, 0)
        kill(clientPID, SIGKILL)
        let gone = Date().addingTimeInterval(10)
        while !wallProcesses().isEmpty, Date() < gone { usleep(100_000) }
        XCTAssertEqual(wallProcesses(), [], "a wall process outlived its SSH connection")
    }
}
