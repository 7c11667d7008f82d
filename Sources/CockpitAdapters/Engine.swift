import CockpitCore
import CockpitStore
import Foundation
import Logging

/// What one committed batch brought: handed to every `onCommit` hook (history, alert evaluation).
public struct CommitInfo: Sendable {
    public var source: String
    public var kinds: [IngestKind]
    public var accepted: Int
    public var rejected: Int
    public var at: Int64
}

/// Asks a running engine to stop after the batch in hand, and wakes it from its sleep.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSCondition()
    private var stopped = false
    public init() {}
    public var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
    public func stop() { lock.lock(); stopped = true; lock.broadcast(); lock.unlock() }
    /// Sleeps up to `seconds`; returns early when stopped.
    func wait(_ seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        if !stopped { _ = lock.wait(until: Date().addingTimeInterval(seconds)) }
    }
}

/// Runs every source on its schedule in one process, as the store's single writer. Each batch and
/// its checkpoint are committed in one transaction; a source that fails is logged, marked stale
/// from its first failure, and retried with a growing pause (up to five minutes).
public final class Engine {
    public let store: CockpitStore
    public let logger: Logger
    /// Called after every committed batch, on the engine's thread (wire history and alerts here).
    public var onCommit: [(CommitInfo) -> Void] = []
    /// Called once a minute, on the minute, on the engine's thread: overdue status and staleness
    /// change with the clock even when no record arrives.
    public var onMinute: [(Int64) -> Void] = []
    /// Wall clock, replaceable in tests.
    public var clock: () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    public static let maxBackoff = 300.0

    final class Running {
        let config: SourceConfig
        let adapter: any Adapter
        var checkpoint: String?
        var nextDue = Date()
        var failures = 0
        /// A one-shot source read to its end, or any source caught up once (for `untilIdle`).
        var done = false
        var idleOnce = false
        init(config: SourceConfig, adapter: any Adapter, checkpoint: String?) {
            self.config = config; self.adapter = adapter; self.checkpoint = checkpoint
        }
    }
    private(set) var running: [Running] = []
    private var lastMinute: Int64 = -1

    public init(store: CockpitStore, sources: [SourceConfig], logger: Logger,
                adapters: [String: any Adapter] = [:]) throws {
        self.store = store
        self.logger = logger
        let now = Int64(Date().timeIntervalSince1970)
        for c in sources {
            let adapter = adapters[c.name] ?? Self.makeAdapter(c, store: store, logger: logger)
            let kind = c.kind.rawValue + (c.records.map { "/" + $0.rawValue } ?? "")
            try store.registerSource(name: c.name, kind: kind, expectedInterval: Int64(c.effectiveStaleAfter.rounded(.up)), now: now)
            running.append(Running(config: c, adapter: adapter, checkpoint: try store.checkpoint(source: c.name)))
        }
    }

    public static func makeAdapter(_ c: SourceConfig, store: CockpitStore, logger: Logger) -> any Adapter {
        switch c.kind {
        case .file:
            return FileAdapter(name: c.name, path: c.path ?? "", shownPath: c.shownPath, kind: c.records ?? .cases,
                               format: c.format ?? .csv, follow: c.follow, mapping: c.mapping)
        case .sqlite:
            return SQLiteAdapter(name: c.name, path: c.database ?? "", kind: c.records ?? .cases, table: c.table, query: c.query,
                                 cursor: c.cursor ?? "rowid", key: c.key, mapping: c.mapping)
        case .exec:
            let name = c.name
            return ExecAdapter(name: c.name, command: c.command, kind: c.records ?? .cases, timeout: c.timeout, mapping: c.mapping) { line in
                logger.warning("\(line)", metadata: ["source": "\(name)", "stream": "stderr"])
            }
        case .simulator:
            return SimulatorAdapter(name: c.name, seed: c.seed, rate: c.rate, feeds: c.feeds) {
                let tree = try store.tree()
                let leaves = tree.units.filter { $0.tier == .community || $0.tier == .park }.map(\.id)
                let halls = tree.units.filter { $0.tier == .district || $0.tier == .street }.map(\.id)
                return (leaves, halls)
            }
        }
    }

    /// Runs until `stop` (SIGTERM/SIGINT: the batch in hand is committed first). With `untilIdle`
    /// it returns once every source has been read to its end once (one-shot use, tests).
    public func run(stop: StopSignal, untilIdle: Bool = false) {
        logger.info("engine started", metadata: ["sources": "\(running.map(\.config.name).joined(separator: ","))", "store": "\(store.path)"])
        while !stop.isStopped {
            let now = Date()
            for r in running where !r.done && r.nextDue <= now {
                if stop.isStopped { break }
                poll(r)
            }
            if running.allSatisfy({ $0.done }) && !running.isEmpty && !untilIdle {
                // Only one-shot sources, all read: nothing will change any more.
                logger.info("every source has been read to its end")
                break
            }
            if untilIdle, running.allSatisfy({ $0.done || $0.idleOnce }) { break }
            let minute = clock() / 60
            if minute != lastMinute {
                lastMinute = minute
                for hook in onMinute { hook(minute * 60) }
            }
            var next = running.filter { !$0.done }.map(\.nextDue).min() ?? now.addingTimeInterval(1)
            if !onMinute.isEmpty {
                next = min(next, Date(timeIntervalSince1970: TimeInterval((minute + 1) * 60)))
            }
            let wait = next.timeIntervalSinceNow
            if wait > 0 { stop.wait(wait) }
        }
        for r in running { r.adapter.close() }
        logger.info("engine stopped")
    }

    /// Polls one source once and commits what it brought. Internal so that tests can step.
    func poll(_ r: Running) {
        let c = r.config
        let meta: Logger.Metadata = ["source": "\(c.name)"]
        do {
            let batch = try r.adapter.poll(from: r.checkpoint, limit: c.batch)
            for n in batch.notes { logger.notice("\(n)", metadata: meta) }
            let now = clock()
            if batch.recordCount > 0 || batch.checkpoint != r.checkpoint || batch.replaceRejects {
                let report = try store.ingest(groups: batch.groups, source: c.name, checkpoint: batch.checkpoint,
                                              replaceRejects: batch.replaceRejects, now: now)
                r.checkpoint = batch.checkpoint
                if batch.recordCount > 0 {
                    logger.info("committed \(report.accepted) accepted, \(report.rejected) rejected", metadata: meta)
                    for reason in report.reasons.prefix(3) { logger.notice("rejected: \(reason)", metadata: meta) }
                    let info = CommitInfo(source: c.name, kinds: batch.groups.map(\.kind), accepted: report.accepted,
                                          rejected: report.rejected, at: now)
                    for hook in onCommit { hook(info) }
                }
            }
            if !batch.more { try store.sourceSucceeded(name: c.name, caughtUp: true, now: now) }
            if r.failures > 0 { logger.notice("recovered after \(r.failures) failed attempt(s)", metadata: meta) }
            r.failures = 0
            r.nextDue = batch.more ? Date() : Date().addingTimeInterval(c.interval)
            if !batch.more {
                r.idleOnce = true
                if c.isOneShot { r.done = true; logger.info("read to its end", metadata: meta) }
            }
        } catch {
            r.failures += 1
            let pause = min(Self.maxBackoff, c.interval * pow(2, Double(min(r.failures, 16))))
            logger.error("\(error) (attempt \(r.failures); retrying in \(String(format: "%.1f", pause)) s)", metadata: meta)
            try? store.sourceFailed(name: c.name, error: "\(error)", now: clock())
            r.adapter.close()
            // Resume from what is committed, whatever the adapter had read.
            r.checkpoint = (try? store.checkpoint(source: c.name)) ?? r.checkpoint
            r.nextDue = Date().addingTimeInterval(pause)
            r.idleOnce = r.idleOnce || r.failures >= 3
        }
    }
}
