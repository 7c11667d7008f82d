import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitLayout
import CockpitStore
import CockpitTerminal
import CockpitUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `cockpit wall --scope UNIT`: a read-only wall display that rotates through a unit and its
/// children for days, unattended, usually as an SSH forced command.
struct Wall: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a read-only, rotating wall display pinned to one unit's subtree.",
        discussion: """
            Shows the scope unit, then each of its children, switching every --rotate. Nothing outside
            the scope can be shown: the process only ever loads the scope's subtree. No key changes data
            or leaves the program except q, which --no-quit disables (Ctrl-L repaints). The wall heals
            itself: it repaints fully every few minutes, and when the store is replaced, locked or gone it
            says so on screen and reconnects instead of exiting.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The unit the wall is pinned to (id or exact name); nothing outside its subtree is shown.")
    var scope: String

    @Option(help: "Time on each unit before the next, e.g. 30s, 2m (minimum 5s).")
    var rotate: String = "30s"

    @Flag(help: "Ignore q too: only a signal or a dropped connection ends the wall.")
    var noQuit = false

    @OptionGroup var display: DisplayOptions

    @Option(help: "The layout each unit is drawn with (a name in the layouts, e.g. wall, or the unit's tier layout with 'tier').")
    var layout: String = "wall"

    @OptionGroup var layouts: LayoutsOption

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        // Layouts are checked before the terminal is taken: a bad one never starts a wall.
        let catalog = layouts.catalog()
        if layout != "tier", catalog[layout] == nil {
            fail("no layout '\(layout)' (layouts: \(catalog.names.joined(separator: ", ")), or tier)")
        }
        if let problem = Terminal.check(environment: env) { fail(problem) }
        guard let seconds = Self.parseDuration(rotate), seconds >= 5 else {
            throw ValidationError("--rotate '\(rotate)' must be a duration of at least 5s, e.g. 30s or 2m")
        }
        let language = try display.language(env)
        let path: String
        if let db = store.db { path = db } else { path = try Demo.ensure(quiet: true) }
        // The scope is checked against the store before the screen starts: a wrong scope is a
        // configuration error that should fail loudly, not a blank wall.
        if let first = try? CockpitStore(path: path, mode: .read, pageCacheKiB: CockpitStore.screenPageCacheKiB), let tree = try? first.tree(),
           tree.unit(scope) == nil {
            let named = tree.units.first { $0.name == scope || $0.name == scope + "街道" || $0.name == scope + "社区" }
            if named == nil { fail("unknown scope '\(scope)'; nearest: \(tree.nearest(to: scope).joined(separator: ", "))") }
        }
        let ascii = display.ascii(env)
        let options = RenderOptions(strings: Strings(language), ascii: ascii)
        let fixedAt = try store.at.map { try parseTime($0, option: "--at") }
        let since = try store.since.map { try parseTime($0, option: "--since") }
        let colorMode = display.colorMode(env)
        let terminal = try Terminal(colorMode: colorMode)
        defer { terminal.stop() }
        if noQuit { terminal.keysOnly() }
        var loop = WallLoop(terminal: terminal, link: StoreLink(path: path), scope: scope, options: options,
                            catalog: catalog, layoutName: layout == "tier" ? nil : layout,
                            text: WallText(language), rotateSeconds: seconds, allowQuit: !noQuit,
                            fixedAt: fixedAt, since: since)
        let signal = loop.run()
        terminal.stop()
        exitAfterScreen(signal: signal)
    }

    /// "30s", "2m", "1h" or plain seconds.
    static func parseDuration(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last else { return nil }
        let factor: Int
        var digits = t
        switch last {
        case "s": factor = 1; digits.removeLast()
        case "m": factor = 60; digits.removeLast()
        case "h": factor = 3600; digits.removeLast()
        default: factor = 1
        }
        guard let n = Int(digits), n >= 0, n < 1_000_000 else { return nil }
        return n * factor
    }
}

/// The wall's words, in both languages.
struct WallText {
    let zh: Bool
    init(_ language: Strings.Language) { zh = language == .zh }

    func status(position: Int, count: Int, rotate: Int, allowQuit: Bool) -> String {
        zh ? "只读大屏 · 轮播 \(position)/\(count) · 每 \(rotate) 秒" + (allowQuit ? " · q 退出" : "")
           : "read-only wall · \(position)/\(count) · every \(rotate)s" + (allowQuit ? " · q quits" : "")
    }
    func unavailable(_ reason: String, since: String, attempts: Int) -> String {
        zh ? "数据库不可用（\(reason)），自 \(since) 起，正在重连（第 \(attempts) 次）"
           : "store unavailable (\(reason)) since \(since), reconnecting (attempt \(attempts))"
    }
    var waiting: String { zh ? "正在等待数据库……" : "waiting for the store…" }
    func scopeGone(_ scope: String) -> String {
        zh ? "数据库中没有单位「\(scope)」，请检查大屏配置" : "the store has no unit '\(scope)': check the wall's configuration"
    }
}

/// One read connection to the store that notices when the file is replaced (renamed over), locked
/// or gone, and reconnects: walls must outlive whatever happens to the file underneath them.
final class StoreLink {
    let path: String
    private(set) var store: CockpitStore?
    private var identity: (dev: UInt64, ino: UInt64)?

    init(path: String) { self.path = path }

    private func fileIdentity() -> (dev: UInt64, ino: UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// The open store, (re)opening it when there is none or the file under the path changed.
    func current() throws -> CockpitStore {
        let now = fileIdentity()
        if let store, let identity, let now, identity == now { return store }
        store = nil
        guard now != nil else { throw StoreError("\(path): no such file") }
        let s = try CockpitStore(path: path, mode: .read, pageCacheKiB: CockpitStore.screenPageCacheKiB)
        store = s
        identity = now
        return s
    }

    func drop() { store = nil; identity = nil }
}

struct WallLoop {
    let terminal: Terminal
    let link: StoreLink
    let scope: String
    let options: RenderOptions
    let catalog: LayoutCatalog
    let layoutName: String?
    let text: WallText
    let rotateSeconds: Int
    let allowQuit: Bool
    let fixedAt: Int64?
    let since: Int64?

    /// A full repaint this often heals a screen garbled by another program's output.
    static let repaintSeconds: TimeInterval = 300

    private var tree: OrgTree?
    /// What the wall shows in turn: the scope, each child, and the incident screen while an alert
    /// inside the scope is open.
    private struct Slot: Equatable { var unit: String; var incident: Bool }
    private var rotation: [Slot] = []
    private var position = 0
    private var data: ScreenData?
    private var version = -1
    private var problem: (reason: String, since: Int64, attempts: Int)?
    /// What the last load changed (the highlight is renewed only when something moved).
    private var moved: Set<String> = []
    private var fatal: String?

    init(terminal: Terminal, link: StoreLink, scope: String, options: RenderOptions, catalog: LayoutCatalog,
         layoutName: String?, text: WallText, rotateSeconds: Int, allowQuit: Bool, fixedAt: Int64?, since: Int64?) {
        self.terminal = terminal; self.link = link; self.scope = scope; self.options = options
        self.catalog = catalog; self.layoutName = layoutName; self.text = text
        self.rotateSeconds = rotateSeconds; self.allowQuit = allowQuit; self.fixedAt = fixedAt; self.since = since
    }

    private func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Loads the scoped tree and the current unit's data; on failure records why and keeps the last frame.
    private mutating func load(force: Bool) {
        do {
            let store = try link.current()
            let v = try store.dataVersion()
            if !force, v == version, problem == nil, data != nil { return }
            moved = []
            let full = try store.tree()
            guard let scopeUnit = full.unit(scope)
                    ?? full.units.first(where: { $0.name == scope || $0.name == scope + "街道" || $0.name == scope + "社区" }),
                  let scoped = full.restricted(to: scopeUnit.id) else {
                fatal = text.scopeGone(scope)
                return
            }
            fatal = nil
            tree = scoped
            let inside = Set(scoped.units.map(\.id))
            let open = try store.alerts(activeOnly: true)
            let alerting = catalog["incident"] != nil && open.contains { inside.contains($0.unit) }
            let slots = ([scoped.root.id] + scoped.children(of: scoped.root.id).map(\.id)).map { Slot(unit: $0, incident: false) }
                + (alerting ? [Slot(unit: scoped.root.id, incident: true)] : [])
            if slots != rotation {
                let current = rotation.indices.contains(position) ? rotation[position] : nil
                rotation = slots
                position = current.flatMap { slots.firstIndex(of: $0) } ?? min(position, slots.count - 1)
            }
            let loader = ScreenLoader(store: store, tree: scoped, strings: options.strings, layouts: catalog)
            let slot = rotation[position]
            let layout = slot.incident ? catalog["incident"] : layoutName.flatMap { catalog[$0] }
            var fresh = try loader.load(unitID: slot.unit, window: FigureWindow(at: fixedAt ?? now(), since: since),
                                        needs: layout.map(ScreenLoader.Needs.init(layout:)) ?? .everything)
            if let old = data {
                moved = fresh.changes(from: old)
                fresh.changed = moved.union(old.changed)
            }
            data = fresh
            version = v
            problem = nil
        } catch {
            link.drop()
            let reason = Self.shortReason(error)
            problem = (reason, problem?.since ?? now(), (problem?.attempts ?? 0) + 1)
        }
    }

    static func shortReason(_ error: Error) -> String {
        let s = "\(error)"
        if s.contains("no such file") || s.contains("no such store") { return "file missing" }
        if s.contains("locked") || s.contains("busy") { return "locked" }
        if s.contains("not a cockpit store") || s.contains("not a database") { return "not a cockpit store" }
        return String(s.prefix(60))
    }

    mutating func run() -> Int32 {
        load(force: true)
        draw()
        var lastCheck = Date()
        var lastRotate = Date()
        var lastRepaint = Date()
        var minute = now() / 60
        var highlightUntil: Date? = data?.changed.isEmpty == false ? Date().addingTimeInterval(3) : nil
        while true {
            let sig = terminal.takeSignal()
            if sig != 0 { return sig }
            if terminal.takeContinued() { terminal.invalidate(); draw() }
            if let key = terminal.readKey(timeoutMs: 250) {
                switch key {
                case .char("q") where allowQuit, .char("Q") where allowQuit: return 0
                case .char("\u{0C}"): terminal.invalidate(); draw()
                case .resize: draw()
                default: break   // read-only: every other key is ignored
                }
                continue
            }
            // New data is looked for on every pass (a PRAGMA on an open connection: microseconds), so
            // a wall shows a commit within about a quarter of a second plus the time to load it.
            if Date().timeIntervalSince(lastCheck) < 1 {
                let before = version
                if problem == nil { load(force: false) }
                if version != before {
                    if !moved.isEmpty { highlightUntil = Date().addingTimeInterval(3) }
                    draw()
                }
                continue
            }
            lastCheck = Date()
            var redraw = false
            if Date().timeIntervalSince(lastRotate) >= TimeInterval(rotateSeconds), rotation.count > 1 {
                lastRotate = Date()
                position = (position + 1) % rotation.count
                data = nil   // a new unit: nothing to highlight against
                load(force: true)
                redraw = true
            } else {
                let m = now() / 60
                let before = version
                load(force: problem != nil || (fixedAt == nil && m != minute))
                minute = m
                if version != before || problem != nil {
                    redraw = true
                    if !moved.isEmpty { highlightUntil = Date().addingTimeInterval(3) }
                }
            }
            if let until = highlightUntil, Date() >= until {
                highlightUntil = nil
                data?.changed = []
                redraw = true
            }
            if Date().timeIntervalSince(lastRepaint) >= Self.repaintSeconds {
                lastRepaint = Date()
                terminal.invalidate()
                redraw = true
            }
            if redraw { draw() }
        }
    }

    func render(width: Int, height: Int) -> Canvas {
        var c: Canvas
        if let data, tree != nil {
            var model = CockpitModel(unitID: data.unit.id)
            let incident = rotation.indices.contains(position) && rotation[position].incident
            model.layoutName = incident ? "incident" : layoutName
            c = CockpitScreen(options: options, layouts: catalog).render(model: model, data: data, width: width, height: height)
        } else {
            c = Canvas(width: width, height: height)
            let message = fatal ?? (problem == nil ? text.waiting : "")
            _ = c.put(message, x: max(0, (width - Text.width(message)) / 2), y: height / 2, style: Style(.red, bold: true), maxWidth: width)
        }
        guard width >= RenderOptions.minWidth, height >= RenderOptions.minHeight else { return c }
        // The bottom line is the wall's own: no key bar, since no keys do anything here.
        let bottom = Rect(x: 0, y: height - 1, width: width, height: 1)
        c.fill(bottom, style: Style(.grey, reverse: true))
        _ = c.put(" " + text.status(position: position + 1, count: max(1, rotation.count), rotate: rotateSeconds, allowQuit: allowQuit),
                  x: 0, y: height - 1, style: Style(.grey, reverse: true), maxWidth: width)
        if let problem {
            let line = " " + text.unavailable(problem.reason, since: LocalTime.iso(problem.since).dropFirst(11).prefix(5).description,
                                              attempts: problem.attempts)
            let row = Rect(x: 0, y: height - 2, width: width, height: 1)
            c.fill(row, style: Style(.red, reverse: true))
            _ = c.put(line, x: 0, y: height - 2, style: Style(.red, bold: true, reverse: true), maxWidth: width)
        }
        if let fatal, data != nil {
            _ = c.put(" " + fatal, x: 0, y: height - 2, style: Style(.red, bold: true, reverse: true), maxWidth: width)
        }
        return c
    }

    func draw() {
        let (w, h) = terminal.size
        terminal.draw(render(width: w, height: h))
    }
}
