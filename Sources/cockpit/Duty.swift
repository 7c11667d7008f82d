import ArgumentParser
import CockpitAlerts
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitTerminal
import CockpitUI
import Foundation

/// `cockpit duty --officer NAME`: the duty officer's incident screen.
struct Duty: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The duty officer's incident screen: open alerts, what is behind them, and keys to act on them.",
        discussion: """
            Keys: ↑↓ or j/k select an alert; a acknowledges, n adds a note, s assigns, c closes (each opens an
            input line: Enter records it, Esc cancels); m mutes the bell that rings on a new red alert; r refreshes;
            q quits. Every action is written to the audit log under --officer.
            """
    )

    @Option(help: "The SQLite store. Without it: the demo store.")
    var db: String?

    @Option(help: "Who is on duty (recorded with every action).")
    var officer: String

    @Flag(help: "No terminal bell on a new red alert (m toggles it).")
    var mute = false

    @Option(help: "The rules file, for alert titles and thresholds. Default: SampleData/alerts.yaml when found.")
    var rules: String?

    @Option(help: "Show figures and ages as of this time (ISO 8601). Default: now.")
    var at: String?

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        if let problem = Terminal.check(environment: env) { fail(problem) }
        guard !officer.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--officer needs a name") }
        let language = try display.language(env)
        let path = try db ?? Demo.ensure(quiet: false)
        let reader = try CockpitStore(path: path, mode: .read, pageCacheKiB: CockpitStore.screenPageCacheKiB)
        let tree = try reader.tree()
        var ruleList: [AlertRule] = []
        if let file = rules ?? Demo.sampleDataDirectory().map({ $0 + "/alerts.yaml" }) {
            do { ruleList = try RuleSet.load(file: file).rules } catch let e as RuleErrors {
                if rules != nil { fail("invalid rules\n" + e.description) }
            }
        }
        let fixedAt = try at.map { try parseTime($0, option: "--at") }
        let ascii = display.ascii(env)
        let options = RenderOptions(strings: Strings(language), ascii: ascii)
        let colorMode = display.colorMode(env)
        let terminal = try Terminal(colorMode: colorMode)
        defer { terminal.stop() }
        var loop = DutyLoop(terminal: terminal, loader: DutyLoader(store: reader, tree: tree, rules: ruleList),
                            screen: DutyScreen(options: options), model: DutyModel(officer: officer, muted: mute),
                            path: path, fixedAt: fixedAt)
        let signal = try loop.run()
        terminal.stop()
        exitAfterScreen(signal: signal)
    }
}


/// keys → model → (store action) → data → canvas → terminal, and the store watched for changes.
struct DutyLoop {
    let terminal: Terminal
    let loader: DutyLoader
    let screen: DutyScreen
    var model: DutyModel
    let path: String
    let fixedAt: Int64?
    /// Opened at the first action: a screen only reads until the officer acts.
    var writer: CockpitStore?

    func now() -> Int64 { fixedAt ?? Int64(Date().timeIntervalSince1970) }

    mutating func load() throws -> DutyData {
        var data = try loader.load(selected: model.selected, at: now())
        model.follow(data)
        // The details belong to the alert the loader picked; load again if the selection moved.
        if let chosen = model.selected, data.timeline.first?.alert != chosen {
            data = try loader.load(selected: model.selected, at: now())
        }
        if model.shouldRing(for: data) { _ = "\u{07}".withCString { write(STDOUT_FILENO, $0, 1) } }
        return data
    }

    mutating func run() throws -> Int32 {
        var data = try load()
        var watch = StoreWatch(version: try loader.store.dataVersion(), followsClock: true)
        draw(data)
        while true {
            let sig = terminal.takeSignal()
            if sig != 0 { return sig }
            if terminal.takeContinued() { terminal.invalidate(); draw(data) }
            if let key = terminal.readKey(timeoutMs: 250) {
                if key == .char("\u{0C}") { terminal.invalidate(); draw(data); continue }
                switch model.update(key, data: data) {
                case .quit: return 0
                case .reload: data = try load(); draw(data)
                case .redraw: draw(data)
                case .perform(let command):
                    model.message = perform(command)
                    data = try load()
                    watch.saw(try? loader.store.dataVersion())
                    draw(data)
                case .none: break
                }
                continue
            }
            if watch.poll({ try? loader.store.dataVersion() }) == true {
                if let fresh = try? load() { data = fresh; draw(data) }
            }
        }
    }

    /// Carries out an officer's action; returns what to say about it.
    mutating func perform(_ c: DutyCommand) -> String {
        let zh = screen.options.strings.language == .zh
        do {
            if writer == nil { writer = try CockpitStore(path: path, mode: .write) }
            let action: AlertAction
            switch c.kind {
            case .acknowledge: action = .acknowledge(note: c.text)
            case .note: action = .note(c.text)
            case .assign: action = .assign(to: c.text, note: nil)
            case .close: action = .close(note: c.text)
            }
            let a = try writer!.act(action, alert: c.alert, by: model.officer)
            return "#\(a.id) " + screen.stateWord(a.state) + (a.assignedTo.map { " → \($0)" } ?? "") + (zh ? "（已记录）" : " (recorded)")
        } catch {
            return (zh ? "未记录：" : "not recorded: ") + "\(error)"
        }
    }

    func draw(_ data: DutyData) {
        let (w, h) = terminal.size
        terminal.draw(screen.render(model: model, data: data, width: w, height: h))
    }
}
