import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitTerminal
import CockpitUI
import Foundation

@main
struct Cockpit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cockpit",
        abstract: "The district operations cockpit (数字驾驶舱) in a terminal.",
        discussion: """
            Without a subcommand, opens the cockpit on a unit. Without --db it opens the demo: a store
            built once from SampleData/ at $XDG_DATA_HOME/cockpit/demo.sqlite.
            """,
        subcommands: [Open.self, Ingest.self, Report.self, Cases.self, Case.self, Snapshot.self, History.self, LayoutCommand.self, Wall.self, SSHAuthorize.self,
                      Alerts.self, Audit.self, Ack.self, Resolve.self, Assign.self, Note.self, Reopen.self, Duty.self,
                      EngineCommand.self, SourcesCommand.self, RejectsCommand.self],
        defaultSubcommand: Open.self
    )
}

/// Options every command that reads figures shares.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite store. Without it: the demo store, built from SampleData/ on first use.")
    var db: String?

    @Option(help: "Compute figures as of this time (ISO 8601; without an offset the time is UTC+8). Default: now.")
    var at: String?

    @Option(help: "Start of the window of flow figures (completed, served, calls, …). Default: the start of --at's month for cases and ratings, of its day for the hall, sharing and series.")
    var since: String?

    func window() throws -> FigureWindow {
        let at = try at.map { try parseTime($0, option: "--at") } ?? Int64(Date().timeIntervalSince1970)
        let since = try since.map { try parseTime($0, option: "--since") }
        return FigureWindow(at: at, since: since)
    }

    /// The store to read, building the demo first when no --db was given.
    /// `screen`: a store for a screen that stays open (a smaller page cache).
    func openStore(quiet: Bool = false, screen: Bool = false) throws -> CockpitStore {
        let cache = screen ? CockpitStore.screenPageCacheKiB : nil
        if let db {
            return try CockpitStore(path: db, mode: .read, pageCacheKiB: cache)
        }
        let path = try Demo.ensure(quiet: quiet)
        return try CockpitStore(path: path, mode: .read, pageCacheKiB: cache)
    }
}

/// `--unit`, the same for every command that shows a unit.
struct UnitOption: ParsableArguments {
    @Option(help: "The unit: an id (e.g. wulin) or an exact name; its descendants count too. Default: the root of the tree.")
    var unit: String?

    func resolve(in tree: OrgTree) -> OrgUnit { resolveUnit(unit, in: tree) }
}

func parseTime(_ text: String, option: String) throws -> Int64 {
    guard let t = LocalTime.parse(text) else {
        throw ValidationError("\(option) '\(text)' is not an ISO 8601 time (e.g. 2026-03-02T10:00:00+08:00)")
    }
    return t
}

/// Exits with a message on stderr and the given code.
struct Failure: Error, CustomStringConvertible {
    var description: String
    var code: Int32 = 2
}

func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data(("cockpit: " + message + "\n").utf8))
    Foundation.exit(code)
}

func printErr(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Resolves a unit id (or exact name) against the tree, failing with the nearest ids.
func resolveUnit(_ id: String?, in tree: OrgTree) -> OrgUnit {
    guard let id else { return tree.root }
    if let u = tree.unit(id) { return u }
    if let u = tree.units.first(where: { $0.name == id || $0.name == id + "街道" || $0.name == id + "社区" }) { return u }
    fail("unknown unit '\(id)'; nearest: \(tree.nearest(to: id).joined(separator: ", "))")
}

/// How a live screen speaks and draws: the same two options on `open`, `wall` and `duty`.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Language of the screens: zh or en. Default: from LC_ALL/LC_CTYPE/LANG, else zh.")
    var lang: String?

    @Flag(help: "Draw without colours (also when NO_COLOR is set).")
    var noColor = false

    func language(_ env: [String: String]) throws -> Strings.Language {
        guard let lang else { return Strings.language(fromEnvironment: env) }
        guard let l = Strings.Language(rawValue: lang) else { throw ValidationError("--lang must be zh or en") }
        return l
    }

    /// Colour unless `--no-color` or a non-empty NO_COLOR says otherwise (no-color.org).
    func colorMode(_ env: [String: String]) -> Terminal.ColorMode {
        (noColor || env["NO_COLOR"].map { !$0.isEmpty } == true) ? .none : .auto
    }

    /// ASCII lines and bars unless the locale speaks UTF-8. An unset locale is taken as UTF-8
    /// (every terminal we target speaks it); C/POSIX is not.
    func ascii(_ env: [String: String]) -> Bool {
        let l = (env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 }
                 ?? env["LANG"] ?? "").lowercased()
        return !(l.isEmpty || l.contains("utf-8") || l.contains("utf8"))
    }
}

/// How a screen ends: q is 0, SIGINT/SIGTERM a clean 0 too, any other signal 128 + its number.
func exitAfterScreen(signal: Int32) {
    if signal != 0 { Foundation.exit(signal == SIGINT || signal == SIGTERM ? 0 : 128 + signal) }
}
