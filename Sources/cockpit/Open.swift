import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitTerminal
import CockpitUI
import Foundation

/// `cockpit [--db DB] [--unit ID]`: the live cockpit in the terminal.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the cockpit on a unit (the default command).",
        discussion: """
            Keys: ↑↓ or j/k select, Enter drills down, Esc or Backspace goes up, q quits.
            The screen follows the store: new data appears within a second, and the lights
            are re-evaluated every minute because overdue status changes with the clock.
            """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var unit: UnitOption

    @Option(help: "Pin the cockpit to this unit's subtree: nothing outside it can be shown (for SSH keys).")
    var scope: String?

    @OptionGroup var display: DisplayOptions

    @Flag(help: "Draw East Asian ambiguous characters (box lines, ●, arrows) two columns wide.")
    var ambiguousWide = false

    @OptionGroup var layouts: LayoutsOption

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        // Layouts are checked before the terminal is taken: a bad one never starts a screen.
        let catalog = layouts.catalog()
        if let problem = Terminal.check(environment: env) { fail(problem) }
        let language = try display.language(env)
        let cockpitStore = try store.openStore(screen: true)
        var tree = try cockpitStore.tree()
        if let scope {
            let pinned = resolveUnit(scope, in: tree)
            guard let sub = tree.restricted(to: pinned.id) else { fail("cannot pin to '\(scope)'") }
            tree = sub
        }
        let start = unit.resolve(in: tree)
        let ascii = display.ascii(env)
        let options = RenderOptions(strings: Strings(language), ascii: ascii, ambiguousWide: ambiguousWide)
        let fixedAt = try store.at.map { try parseTime($0, option: "--at") }
        let since = try store.since.map { try parseTime($0, option: "--since") }
        let loader = ScreenLoader(store: cockpitStore, tree: tree, strings: options.strings, layouts: catalog)
        let colorMode = display.colorMode(env)

        // The demo moves: a simulator feeds it while it is open (a store given with --db is only read).
        let feed = store.db == nil ? DemoFeed.start(storePath: cockpitStore.path) : nil
        defer { feed?.stop() }
        let terminal = try Terminal(colorMode: colorMode)
        defer { terminal.stop() }
        var model = CockpitModel(unitID: start.id)
        model.layoutNames = catalog.names
        var app = LiveScreen(terminal: terminal, loader: loader, screen: CockpitScreen(options: options, layouts: catalog),
                             model: model, tree: tree, fixedAt: fixedAt, since: since)
        let signal = try app.run()
        terminal.stop()
        feed?.stop()
        exitAfterScreen(signal: signal)
    }

}

/// The loop: keys → model → data → canvas → terminal; and the store watched for new data.
struct LiveScreen {
    let terminal: Terminal
    let loader: ScreenLoader
    let screen: CockpitScreen
    var model: CockpitModel
    let tree: OrgTree
    let fixedAt: Int64?
    let since: Int64?

    private func window() -> FigureWindow {
        FigureWindow(at: fixedAt ?? Int64(Date().timeIntervalSince1970), since: since)
    }

    /// Returns the signal that ended it (0 for q).
    mutating func run() throws -> Int32 {
        var data = try loader.load(unitID: model.unitID, window: window())
        var watch = StoreWatch(version: try loader.store.dataVersion(), followsClock: fixedAt == nil)
        var highlightUntil: Date? = nil
        draw(data)
        // Start-up (layouts parsed, first figures) leaves freed heap behind; hand it back so a
        // screen that stays open for days holds only what it uses.
        terminal.trimHeap()
        while true {
            let sig = terminal.takeSignal()
            if sig != 0 { return sig }
            if terminal.takeContinued() { terminal.invalidate(); draw(data) }
            if var key = terminal.readKey(timeoutMs: 250) {
                if key == .char("\u{0C}") { terminal.invalidate(); draw(data); continue }
                if case .click(let x, let y) = key {
                    guard let picked = lastCanvas?.target(x: x, y: y) else { continue }
                    key = picked
                }
                switch model.update(key, data: data, tree: tree) {
                case .quit: return 0
                case .reload:
                    data = try loader.load(unitID: model.unitID, window: window())
                    draw(data)
                case .redraw: draw(data)
                case .none: break
                }
                continue
            }
            // Idle: is there new data, or a new minute (lights change with the clock)?
            if let due = watch.poll({ try? loader.store.dataVersion() }) {
                if due {
                    if var fresh = try? loader.load(unitID: model.unitID, window: window()) {
                        // Figures that moved are drawn highlighted for a few seconds.
                        // A second commit right after the first (history, alerts) changes nothing
                        // drawn: what is still highlighted stays so until its time is up.
                        let moved = fresh.changes(from: data)
                        fresh.changed = moved.union(highlightUntil != nil ? data.changed : [])
                        if !moved.isEmpty { highlightUntil = Date().addingTimeInterval(3) }
                        data = fresh
                        draw(data)
                    }
                }
                if let until = highlightUntil, Date() >= until {
                    highlightUntil = nil
                    data.changed = []
                    draw(data)
                }
            }
        }
    }

    /// The last frame drawn, to find what a click lands on.
    var lastCanvas: Canvas?

    mutating func draw(_ data: ScreenData) {
        let (w, h) = terminal.size
        let canvas = screen.render(model: model, data: data, width: w, height: h)
        terminal.draw(canvas)
        lastCanvas = canvas
        // Tab moves through the panels of the frame just drawn (which depend on its size).
        model.panels = canvas.focusables
    }
}
