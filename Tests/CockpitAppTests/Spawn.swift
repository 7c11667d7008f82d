import Foundation
import XCTest

/// Child processes for the end-to-end tests. posix_spawn + waitpid rather than Foundation's Process,
/// whose exit monitoring can miss a client that forked a server (tmux, sshd); output goes to a file
/// because such a server inherits the client's stdout and would hold a pipe open.
enum Spawn {
    /// Starts `argv` with stdin from /dev/null and stdout+stderr into `outPath`; returns its pid.
    static func start(_ argv: [String], outPath: String, mergeStderr: Bool = true) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if mergeStderr {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env.removeValue(forKey: "TMUX")
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv) == 0 else { return 0 }
        return pid
    }

    /// Runs `argv` to its end; returns its exit status and what it wrote to stdout (stderr dropped).
    static func run(_ argv: [String], outPath: String) -> (status: Int32, output: String) {
        let pid = start(argv, outPath: outPath, mergeStderr: false)
        guard pid > 0 else { return (-1, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        return (code, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
    }

    /// Runs tmux on a test's own server (`-L socket`, so tests never touch each other's or a
    /// person's sessions) and returns what it printed.
    @discardableResult
    static func tmux(socket: String, dir: String, _ args: [String]) -> String {
        run(["/usr/bin/tmux", "-L", socket, "-u"] + args, outPath: dir + "/tmux-out").output
    }

    /// Looks at `screen` every `interval` until `condition` holds or `timeout` seconds pass, and
    /// returns the last screen (the caller asserts, with what it knows about the failure).
    static func poll(timeout: Double, interval: useconds_t = 100_000, _ screen: () -> String,
                     until condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var s = screen()
        while !condition(s), Date() < deadline {
            usleep(interval)
            s = screen()
        }
        return s
    }

    /// End-to-end tests need real tools: skipped where they are missing, failed in CI (`.ci/run`
    /// installs them and sets CI).
    static func require(_ tools: [String]) throws {
        for tool in tools where !FileManager.default.isExecutableFile(atPath: tool) {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("\(tool) is missing: .ci/run installs it") }
            throw XCTSkip("\(tool) is not installed")
        }
    }
}
