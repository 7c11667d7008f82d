import CockpitCore
import CockpitStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process, run to its end with a timeout. posix_spawn + poll + waitpid rather than
/// Foundation's Process, whose exit monitoring can hang; the child gets its own process group so
/// that a timeout kills whatever it started too.
public enum ChildProcess {
    public struct Outcome: Sendable {
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// Exit status, or nil when killed by a signal (see `signal`).
        public var status: Int32?
        public var signal: Int32?
        public var timedOut: Bool
    }

    public static func run(_ argv: [String], environment: [String: String], timeout: Double,
                           maxOutput: Int = 256 << 20) throws -> Outcome {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw AdapterError("cannot make a pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var none = sigset_t(); sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attr, cArgs, cEnv)
        Glibc.close(outPipe[1]); Glibc.close(errPipe[1])
        guard rc == 0 else {
            Glibc.close(outPipe[0]); Glibc.close(errPipe[0])
            throw AdapterError("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
        }
        var out: [UInt8] = [], err: [UInt8] = []
        var open = [outPipe[0], errPipe[0]]
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { timedOut = true; break }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let n = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000) + 1)
            if n < 0 { if errno == EINTR { continue }; break }
            for p in fds where p.revents != 0 {
                let got = read(p.fd, &chunk, chunk.count)
                if got <= 0 {
                    Glibc.close(p.fd)
                    open.removeAll { $0 == p.fd }
                } else if p.fd == outPipe[0] {
                    if out.count < maxOutput { out.append(contentsOf: chunk[0..<got]) }
                } else if err.count < 1 << 20 {
                    err.append(contentsOf: chunk[0..<got])
                }
            }
        }
        if timedOut {
            kill(-pid, SIGKILL)
            for fd in open { Glibc.close(fd) }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Outcome(stdout: out, stderr: err, status: signalled ? nil : (status >> 8) & 0xff,
                       signal: signalled ? status & 0x7f : nil, timedOut: timedOut)
    }
}

/// A command printing JSON Lines: a bridge to anything (an HTTP API through curl, a vendor tool).
/// Each run is one batch. The command gets the last committed checkpoint in $COCKPIT_CHECKPOINT
/// and may print `{"_checkpoint": "…"}` lines to set the next one. A run that exits non-zero,
/// is killed or times out commits nothing and counts as a source error; its stderr is logged.
public final class ExecAdapter: Adapter {
    public let name: String
    let command: [String]
    let kind: IngestKind
    let timeout: Double
    let mapping: FieldMapping
    let directory: String?
    /// Receives the child's stderr, line by line.
    let stderrLine: @Sendable (String) -> Void
    private var runs = 0

    public init(name: String, command: [String], kind: IngestKind, timeout: Double, mapping: FieldMapping = FieldMapping(),
                directory: String? = nil, stderrLine: @escaping @Sendable (String) -> Void = { _ in }) {
        self.name = name; self.command = command; self.kind = kind; self.timeout = timeout; self.mapping = mapping
        self.directory = directory; self.stderrLine = stderrLine
    }

    public func close() {}

    public func poll(from checkpoint: String?, limit: Int) throws -> Batch {
        var env = ProcessInfo.processInfo.environment
        env["COCKPIT_CHECKPOINT"] = checkpoint ?? ""
        env["COCKPIT_SOURCE"] = name
        let argv = command.count == 1 ? ["/bin/sh", "-c", command[0]] : command
        var outcome = try ChildProcess.run(argv, environment: env, timeout: timeout)
        runs += 1
        for l in String(decoding: outcome.stderr, as: UTF8.self).split(whereSeparator: \.isNewline) { stderrLine(String(l)) }
        let shown = command.joined(separator: " ")
        if outcome.timedOut { throw AdapterError("`\(shown)` timed out after \(timeout) s (killed)") }
        if let s = outcome.signal { throw AdapterError("`\(shown)` was killed by signal \(s)") }
        if let s = outcome.status, s != 0 {
            let last = String(decoding: outcome.stderr, as: UTF8.self).split(whereSeparator: \.isNewline).last.map { ": \($0)" } ?? ""
            throw AdapterError("`\(shown)` exited with status \(s)\(last)")
        }
        var records: [SourceRecord] = []
        var next = checkpoint
        var lineNo = 0
        outcome.stdout.append(10)
        var start = 0
        for i in outcome.stdout.indices where outcome.stdout[i] == 10 {
            lineNo += 1
            var stop = i
            if stop > start, outcome.stdout[stop - 1] == 13 { stop -= 1 }
            let bytes = outcome.stdout[start..<stop]
            start = i + 1
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            let position = "\(name):run \(runs) line \(lineNo)"
            switch JSONLine.fields(bytes) {
            case .failure(let e):
                records.append(SourceRecord(position: position, line: lineNo, fields: [:], raw: rawText(bytes), error: e.reason))
            case .success(let pairs):
                if let cp = pairs.first(where: { $0.0 == "_checkpoint" }) {
                    next = cp.1
                    if pairs.count == 1 { continue }
                }
                let m = mapping.apply(pairs, kind: kind)
                records.append(SourceRecord(position: position, line: lineNo, fields: m.fields, raw: rawText(bytes),
                                            error: m.error, errorField: m.errorField))
            }
        }
        return Batch(groups: records.isEmpty ? [] : [RecordGroup(kind: kind, records: records)], checkpoint: next,
                     replaceRejects: false, more: false)
    }
}
