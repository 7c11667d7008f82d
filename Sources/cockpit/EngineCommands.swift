import ArgumentParser
import CockpitAdapters
import CockpitAlerts
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation
import Logging

/// `cockpit engine`: every source of a sources file, on its schedule, into one store.
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Feed the store from the sources in a sources file (the single writer).",
        discussion: """
            Runs every source on its schedule in one process: files (CSV or JSON Lines, once or
            followed like tail -F), tables of other SQLite databases, commands printing JSON Lines,
            and the simulator. Each batch is committed with its source's checkpoint in one
            transaction, so a restart (even after kill -9) resumes where the last commit ended.
            A failing source is retried with a growing pause and shows as stale in `cockpit sources`.
            Logs go to stderr. SIGTERM or SIGINT: the batch in hand is committed, then exit 0.
            Exit status: 0 stopped, 2 the sources file or the store cannot be used.
            """
    )

    @Option(help: "The SQLite store (created if missing).")
    var db: String

    @Option(help: "The sources file (YAML), e.g. SampleData/sources.yaml.")
    var sources: String

    @Flag(help: "Exit once every source has been read to its end (instead of following).")
    var untilIdle = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Option(help: "Alert rules (YAML), evaluated after commits and on every minute, e.g. SampleData/alerts.yaml.")
    var rules: String?

    @Flag(help: "Do not record the figures' history (minute, hour and day buckets).")
    var noHistory = false

    func run() throws {
        let file: SourcesFile
        do { file = try SourcesFile.load(path: sources) } catch { fail("\(error)") }
        guard let level = Logger.Level(rawValue: logLevel) else { fail("--log-level '\(logLevel)': one of trace, debug, info, notice, warning, error") }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "cockpit.engine")
        for w in file.warnings { logger.warning("\(w)") }
        let store: CockpitStore
        do { store = try CockpitStore(path: db, mode: .write) } catch { fail("\(db): \(error)") }
        let derived = DerivedFigures()
        let engine: Engine
        do { engine = try Engine(store: store, sources: file.sources, logger: logger) } catch { fail("\(db): \(error)") }

        if let rules {
            let set: RuleSet
            do { set = try RuleSet.load(file: rules) } catch let e as RuleErrors { fail("invalid rules\n" + e.description) }
            if let tree = try? store.tree() {
                let problems = set.problems(in: tree)
                if !problems.isEmpty { fail("invalid rules\n" + problems.map(\.description).joined(separator: "\n")) }
            }
            derived.rules = set.rules
        }
        derived.history = !noHistory
        let derive = derived
        engine.onCommit.append { info in derive.afterCommit(store: store, at: info.at, logger: logger) }
        engine.onMinute.append { at in derive.update(store: store, at: at, logger: logger) }

        // Signals end the loop between batches, never inside one.
        let stop = StopSignal()
        var handlers: [any DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stop.stop() }
            s.resume()
            handlers.append(s)
        }
        engine.run(stop: stop, untilIdle: untilIdle)
        handlers.forEach { $0.cancel() }
        try? store.close()
    }
}

/// `cockpit sources`: how current every source is.
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Show every source: last success, last error, records in and rejected, lag, staleness."
    )

    @Option(help: "The SQLite store.")
    var db: String

    @Option(help: "text or json.")
    var format: String = "text"

    @Option(help: "Judge staleness as of this time (ISO 8601). Default: now.")
    var at: String?

    func run() throws {
        guard format == "text" || format == "json" else { fail("--format must be text or json, not '\(format)'") }
        let now = try at.map { try parseTime($0, option: "--at") } ?? Int64(Date().timeIntervalSince1970)
        let store: CockpitStore
        do { store = try CockpitStore(path: db, mode: .read) } catch { fail("\(error)") }
        let list: [SourceStatus]
        do { list = try store.sourceStatuses(now: now) } catch { fail("\(db): \(error) (a store made before the engine has no sources yet)") }
        if format == "json" {
            let items: [[String: Any]] = list.map { s in
                var d: [String: Any] = ["name": s.name, "kind": s.kind, "records_in": s.recordsIn, "rejected": s.rejected,
                                        "stale": s.isStale]
                d["last_success"] = s.lastSuccess.map(LocalTime.iso) ?? NSNull()
                d["last_error"] = s.lastError ?? NSNull()
                d["last_error_at"] = s.lastErrorAt.map(LocalTime.iso) ?? NSNull()
                d["stale_since"] = s.staleSince.map(LocalTime.iso) ?? NSNull()
                d["lag_s"] = s.lagS ?? NSNull()
                d["expected_interval_s"] = s.expectedIntervalS ?? NSNull()
                return d
            }
            let data = try JSONSerialization.data(withJSONObject: ["at": LocalTime.iso(now), "sources": items], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if list.isEmpty { print("no sources yet (run `cockpit engine --db \(db) --sources FILE`)"); return }
        func age(_ t: Int64?) -> String {
            guard let t else { return "—" }
            let s = max(0, now - t)
            return s < 60 ? "\(s) s ago" : s < 3600 ? "\(s / 60) min ago" : s < 86400 ? "\(s / 3600) h ago" : "\(s / 86400) d ago"
        }
        let rows: [[String]] = list.map { s in
            let state: String = s.staleSince.map { "STALE since " + LocalTime.short($0) } ?? "ok"
            let lag: String = s.lagS.map { "\($0) s" } ?? "—"
            var error = ""
            if let e = s.lastError { error = age(s.lastErrorAt) + ": " + String(e.prefix(80)) }
            return [s.name, s.kind, state, age(s.lastSuccess), String(s.recordsIn), String(s.rejected), lag, error]
        }
        let head = ["source", "kind", "state", "last success", "records", "rejected", "lag", "last error"]
        var widths = head.map(\.count)
        // By terminal columns: a source's name may be Chinese (two columns a character).
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], Text.width(c)) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in i == r.count - 1 ? c : c + String(repeating: " ", count: max(0, widths[i] - Text.width(c))) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(head))
        for r in rows { print(line(r)) }
    }
}

/// `cockpit rejects`: the refused records, with where they came from and why.
struct RejectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "List rejected records: source, position (file:line or key), field, reason, raw text."
    )

    @Option(help: "The SQLite store.")
    var db: String

    @Option(help: "Only this source.")
    var source: String?

    @Option(help: "At most this many.")
    var limit = 100

    @Option(help: "text or json.")
    var format: String = "text"

    func run() throws {
        guard format == "text" || format == "json" else { fail("--format must be text or json, not '\(format)'") }
        let store: CockpitStore
        do { store = try CockpitStore(path: db, mode: .read) } catch { fail("\(error)") }
        let list = try store.positionedRejects(source: source, limit: max(0, limit))
        if format == "json" {
            let items: [[String: Any]] = list.map {
                ["source": $0.source, "kind": $0.kind, "position": $0.position, "field": $0.field ?? NSNull(),
                 "reason": $0.reason, "raw": $0.raw]
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            return
        }
        if list.isEmpty { print(source.map { "no rejects from \($0)" } ?? "no rejects"); return }
        for r in list {
            // Control characters in data never reach the terminal.
            let raw = String(r.raw.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "·" : Character($0) }.prefix(160))
            print("\(r.source)  \(r.position)  \(r.field ?? "-")  \(r.reason)")
            print("    \(raw)")
        }
    }
}

/// What the engine keeps current besides the records: the figures' history and the alerts.
/// Both need every figure of every unit (tens of milliseconds), so after commits they run at most
/// every few seconds; on the minute they always run, since overdue status moves with the clock.
final class DerivedFigures {
    var rules: [AlertRule] = []
    var history = true
    static let minGap: TimeInterval = 5
    private var last = Date.distantPast

    func afterCommit(store: CockpitStore, at: Int64, logger: Logger) {
        guard Date().timeIntervalSince(last) >= Self.minGap else { return }
        update(store: store, at: at, logger: logger)
    }

    func update(store: CockpitStore, at: Int64, logger: Logger) {
        last = Date()
        guard let tree = try? store.tree() else { return }
        if history {
            do { try store.recordHistory(tree: tree, at: at) } catch { logger.error("history: \(error)") }
        }
        if !rules.isEmpty {
            do {
                let result = try store.evaluateAlerts(rules: rules, sources: try store.sourceStatuses(now: at), at: at)
                if !result.transitions.isEmpty {
                    logger.notice("alerts: \(result.transitions.count) change(s), \(result.active) active")
                }
            } catch { logger.error("alerts: \(error)") }
        }
    }
}
