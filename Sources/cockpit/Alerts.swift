import ArgumentParser
import CockpitAlerts
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation

/// `--db` for commands that change alerts: an existing store (never a new empty one by accident).
struct WritableStoreOption: ParsableArguments {
    @Option(help: "The SQLite store. Without it: the demo store, built from SampleData/ on first use.")
    var db: String?

    func open() throws -> CockpitStore {
        if let db {
            guard FileManager.default.fileExists(atPath: db) else { fail("\(db): no such store (build one with `cockpit ingest`)") }
            return try CockpitStore(path: db, mode: .write)
        }
        return try CockpitStore(path: try Demo.ensure(quiet: true), mode: .write)
    }
}

/// `cockpit alerts`: the alerts on record (`alerts list`, the default) and `alerts evaluate`.
struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the alerts on record, or evaluate alert rules against the store.",
        subcommands: [AlertsList.self, AlertsEvaluate.self],
        defaultSubcommand: AlertsList.self
    )
}

struct AlertsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "The alerts on record: active first, red before yellow, unacknowledged first, oldest first."
    )

    @Option(help: "The SQLite store. Without it: the demo store.")
    var db: String?

    @Flag(help: "Only alerts that are open or acknowledged.")
    var open = false

    @Option(help: "text or json.")
    var format: String = "text"

    func run() throws {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        let store = try StoreOptions.parse(db.map { ["--db", $0] } ?? []).openStore(quiet: true)
        let list = try store.alerts(activeOnly: open)
        if format == "json" {
            print("[" + list.map(alertJSON).joined(separator: ",\n ") + "]")
            return
        }
        let names = Dictionary(uniqueKeysWithValues: ((try? store.tree())?.units ?? []).map { ($0.id, $0.name) })
        for a in list {
            var line = Text.pad("#\(a.id)", 6) + Text.pad(a.level.rawValue, 7) + Text.pad(a.state.rawValue, 13)
                + Text.pad(names[a.unit] ?? a.unit, 14) + Text.pad("\(a.metric) = \(number(a.value))", 34)
                + "since " + LocalTime.short(a.openedAt)
            if let by = a.acknowledgedBy { line += "  ack " + by }
            if let to = a.assignedTo { line += "  → " + to }
            if let n = a.note { line += "  「" + n + "」" }
            print(line)
        }
        printErr("\(list.count) alert\(list.count == 1 ? "" : "s")\(open ? " open or acknowledged" : "")")
    }
}

struct AlertsEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate alert rules once against the store's figures and record what changes.",
        discussion: """
            What the engine does on every commit and on the clock, as a one-shot: alerts open, change level,
            resolve and re-open by the rules' thresholds and hysteresis, each change written to the audit log.
            Prints each transition; exit status 2 when the rules file is invalid.
            """
    )

    @Option(help: "The SQLite store (written).")
    var db: String

    @Option(help: "The rules file (YAML). Default: SampleData/alerts.yaml.")
    var rules: String?

    @Option(help: "Evaluate as of this time (ISO 8601). Default: now.")
    var at: String?

    func run() throws {
        let file = rules ?? (Demo.sampleDataDirectory().map { $0 + "/alerts.yaml" } ?? "SampleData/alerts.yaml")
        let set: RuleSet
        do { set = try RuleSet.load(file: file) } catch let e as RuleErrors { fail("invalid rules\n" + e.description) }
        guard FileManager.default.fileExists(atPath: db) else { fail("\(db): no such store (build one with `cockpit ingest`)") }
        let store = try CockpitStore(path: db, mode: .write)
        let tree = try store.tree()
        let problems = set.problems(in: tree)
        if !problems.isEmpty { fail("invalid rules\n" + problems.map(\.description).joined(separator: "\n")) }
        let when = try at.map { try parseTime($0, option: "--at") } ?? Int64(Date().timeIntervalSince1970)
        // Source statuses are the engine's to give; a one-shot run has none, so staleness rules wait for it.
        let result = try store.evaluateAlerts(rules: set.rules, at: when)
        for t in result.transitions {
            switch t {
            case .open(let k, let level, let v): print("open     \(level.rawValue)  \(k)  = \(number(v))")
            case .reopen(let id, let k, let level, let v): print("reopen   #\(id) \(level.rawValue)  \(k)  = \(number(v))")
            case .changeLevel(let id, let k, let from, let to, let v): print("level    #\(id) \(from.rawValue) → \(to.rawValue)  \(k)  = \(number(v))")
            case .resolve(let id, let k, let v): print("resolve  #\(id)  \(k)  = \(number(v))")
            }
        }
        printErr("\(set.rules.count) rules as of \(LocalTime.iso(when)): \(result.transitions.count) change\(result.transitions.count == 1 ? "" : "s"), \(result.active) active")
    }
}

/// `cockpit audit`: the append-only log of every change to every alert.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the audit log of alerts (append-only), oldest first.")

    @Option(help: "The SQLite store. Without it: the demo store.")
    var db: String?

    @Option(help: "Only this alert's entries.")
    var alert: Int64?

    @Option(help: "text or json.")
    var format: String = "text"

    func run() throws {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        let store = try StoreOptions.parse(db.map { ["--db", $0] } ?? []).openStore(quiet: true)
        let log = try store.audit(alert: alert)
        if format == "json" {
            let rows = log.map { e in
                "{\"seq\":\(e.seq),\"at\":\(JSON.string(LocalTime.iso(e.at))),\"alert\":\(e.alert),\"actor\":\(JSON.string(e.actor)),"
                    + "\"action\":\(JSON.string(e.action.rawValue)),\"level\":\(e.level.map { JSON.string($0.rawValue) } ?? "null"),"
                    + "\"state\":\(e.state.map { JSON.string($0.rawValue) } ?? "null"),\"value\":\(e.value.map { JSON.number($0) } ?? "null"),"
                    + "\"note\":\(e.note.map(JSON.string) ?? "null")}"
            }
            print("[" + rows.joined(separator: ",\n ") + "]")
            return
        }
        for e in log {
            var line = Text.pad(String(e.seq), 6) + Text.pad(LocalTime.short(e.at), 18) + Text.pad("#\(e.alert)", 6)
                + Text.pad(e.actor, 10) + Text.pad(e.action.rawValue, 18) + Text.pad(e.level?.rawValue ?? "", 7)
                + Text.pad(e.state?.rawValue ?? "", 13) + Text.pad(number(e.value), 8) + (e.note ?? "")
            while line.hasSuffix(" ") { line.removeLast() }
            print(line)
        }
    }
}

/// The options every alert action shares.
struct ActionOptions: ParsableArguments {
    @OptionGroup var store: WritableStoreOption

    @Argument(help: "The alert's number (see `cockpit alerts`).")
    var alert: Int64

    @Option(help: "Who is acting (recorded in the audit log).")
    var officer: String

    func perform(_ action: AlertAction) throws {
        do {
            let a = try store.open().act(action, alert: alert, by: officer)
            print("#\(a.id) \(a.state.rawValue)" + (a.assignedTo.map { " → \($0)" } ?? ""))
        } catch let e as StoreError {
            fail(e.description, code: 1)
        }
    }
}

struct Ack: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Acknowledge an alert (the first acknowledgement owns it; every one is logged).")
    @OptionGroup var options: ActionOptions
    @Option(help: "A note to go with it.") var note: String?
    func run() throws { try options.perform(.acknowledge(note: note)) }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close an alert by hand, with a note saying why.",
        discussion: "The rules re-open it once its condition has gone and come back.")
    @OptionGroup var options: ActionOptions
    @Option(help: "Why it is closed (required).") var note: String
    func run() throws { try options.perform(.close(note: note)) }
}

struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Assign an alert to someone.")
    @OptionGroup var options: ActionOptions
    @Option(help: "Whom to assign it to.") var to: String
    @Option(help: "A note to go with it.") var note: String?
    func run() throws { try options.perform(.assign(to: to, note: note)) }
}

struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a note to an alert.")
    @OptionGroup var options: ActionOptions
    @Argument(help: "The note.") var text: String
    func run() throws { try options.perform(.note(text)) }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Re-open a resolved or closed alert by hand.")
    @OptionGroup var options: ActionOptions
    @Option(help: "Why.") var note: String?
    func run() throws { try options.perform(.reopen(note: note)) }
}

func number(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "—" }
    return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3g", v)
}

func alertJSON(_ a: AlertItem) -> String {
    "{\"id\":\(a.id),\"rule\":\(JSON.string(a.rule)),\"unit\":\(JSON.string(a.unit)),\"metric\":\(JSON.string(a.metric)),"
        + "\"level\":\(JSON.string(a.level.rawValue)),\"state\":\(JSON.string(a.state.rawValue)),"
        + "\"value\":\(a.value.map { JSON.number($0) } ?? "null"),\"opened_at\":\(JSON.string(LocalTime.iso(a.openedAt))),"
        + "\"acknowledged_by\":\(a.acknowledgedBy.map(JSON.string) ?? "null"),\"assigned_to\":\(a.assignedTo.map(JSON.string) ?? "null"),"
        + "\"note\":\(a.note.map(JSON.string) ?? "null")}"
}
