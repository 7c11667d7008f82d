import CockpitCore

/// Keys as the screen model sees them, decoded by the terminal backend (or by tests).
public enum Key: Equatable, Sendable {
    case up, down, left, right, enter, escape, backspace, tab, pageUp, pageDown, home, end, f1
    case char(Character)
    case resize
    /// A left click at a screen cell (the backend reports it; `pick` is what it lands on).
    case click(x: Int, y: Int)
    /// A row of a list chosen by pointing at it.
    case pick(ListKind, Int)
}

/// The lists a screen shows, for clicks.
public enum ListKind: Equatable, Sendable { case children, cases }

/// A panel Tab can move to, as the screen last drew it: its id, the list it shows (if any) and
/// its metrics (the columns `s` sorts by).
public struct PanelFocus: Sendable, Equatable {
    public var id: String
    public var list: ListKind?
    public var metrics: [String]
    public init(id: String, list: ListKind?, metrics: [String] = []) { self.id = id; self.list = list; self.metrics = metrics }

    /// Which of `panels` has the focus: the one named, else the case list when the cases are
    /// focused, else the first list of children, else the first.
    public static func resolve(_ panels: [PanelFocus], focused: String?, casesFocused: Bool) -> Int? {
        guard !panels.isEmpty else { return nil }
        if let f = focused, let i = panels.firstIndex(where: { $0.id == f }) { return i }
        if casesFocused, let i = panels.firstIndex(where: { $0.list == .cases }) { return i }
        return panels.firstIndex { $0.list == .children } ?? panels.firstIndex { $0.list != nil } ?? 0
    }
}

/// What the app must do after a key.
public enum Effect: Equatable, Sendable {
    case none
    /// The model changed in a way that needs new data (another unit).
    case reload
    /// Only the selection or scroll changed: redraw with the same data.
    case redraw
    case quit
}

/// The screen's state (the Elm architecture's model): which unit, and what is selected where.
public struct CockpitModel: Sendable, Equatable {
    public var unitID: String
    /// The selected row of each unit's list, kept when going down and back up.
    public var selection: [String: Int] = [:]
    /// On a district or street screen, Tab moves the focus from the comparison to the list of
    /// most overdue cases and back; where both do not fit, the focused one is the one drawn.
    public var casesFocused = false
    /// The selected row of each unit's case list.
    public var caseSelection: [String: Int] = [:]
    /// The help overlay is open: the next key closes it.
    public var showHelp = false
    /// What the bottom line is taking as input, if anything.
    public enum Input: Equatable, Sendable { case filter, command }
    public var input: Input? = nil
    /// The `/` filter of the current unit's list (by name, pinyin initials or id); empty = everything.
    public var filter = ""
    /// The `:` command line being typed.
    public var command = ""
    /// A one-line message for the user (an unknown command, …), cleared by the next key.
    public var message: String? = nil

    /// The panels of the screen as last drawn (`Canvas.focusables`), for Tab; empty before the first draw.
    public var panels: [PanelFocus] = []
    /// The panel Tab moved to, by id; nil = the default (the main list).
    public var focusedPanel: String? = nil
    /// `:layout NAME` shows another layout than the unit's tier's; nil = the tier's.
    public var layoutName: String? = nil
    /// The layouts `:layout` may name (empty = not checked here).
    public var layoutNames: [String] = []
    /// The column the children are sorted by (`s` cycles through the focused table's columns).
    public var sortMetric: String? = nil

    public init(unitID: String) { self.unitID = unitID }

    /// The focused panel as last drawn, if the screen has told.
    public var focus: PanelFocus? {
        PanelFocus.resolve(panels, focused: focusedPanel, casesFocused: casesFocused).map { panels[$0] }
    }

    public var selectedRow: Int { selection[unitID] ?? 0 }
    public var selectedCase: Int { caseSelection[unitID] ?? 0 }

    /// Applies a key to the model, given what is on screen now.
    public mutating func update(_ key: Key, data: ScreenData, tree: OrgTree) -> Effect {
        if key != .resize { message = nil }
        if let mode = input { return updateInput(mode, key, tree: tree) }
        let data = filtered(data)
        // With the screen's panels known, the focused one says whether the cases have the keys.
        if let f = focus, key != .tab { casesFocused = f.list == .cases && !data.showsCases }
        if showHelp {
            if key == .resize { return .redraw }
            showHelp = false
            return key == .char("q") ? .quit : .redraw
        }
        let onCases = data.showsCases || casesFocused
        // A focused panel that is not a list (an alert list, a chart) takes no row moves.
        let movable = focus.map { $0.list != nil } ?? true
        let rows = !movable ? 0 : onCases ? data.overdueCases.count : data.children.count
        let current = casesFocused && !data.showsCases ? selectedCase : selectedRow
        func move(to row: Int) -> Effect {
            guard rows > 0 else { return .none }
            let clamped = min(max(0, row), rows - 1)
            guard clamped != current else { return .none }
            if casesFocused && !data.showsCases { caseSelection[unitID] = clamped } else { selection[unitID] = clamped }
            return .redraw
        }
        switch key {
        case .pick(let list, let row):
            // A click selects a row; a click on the selected row opens it, like Enter.
            let onCaseList = list == .cases && !data.showsCases
            if onCaseList != casesFocused { casesFocused = onCaseList }
            if focus?.list != list { focusedPanel = panels.first { $0.list == list }?.id }
            let same = (onCaseList ? selectedCase : selectedRow) == row
            if same { return update(.enter, data: data, tree: tree) }
            if onCaseList { caseSelection[unitID] = row } else { selection[unitID] = row }
            return .redraw
        case .tab:
            if !panels.isEmpty {
                // Through every panel the screen offers, those that gave way included.
                guard panels.count > 1 else { return .none }
                let now = PanelFocus.resolve(panels, focused: focusedPanel, casesFocused: casesFocused) ?? 0
                let next = panels[(now + 1) % panels.count]
                focusedPanel = next.id
                casesFocused = next.list == .cases && !data.showsCases
                return .redraw
            }
            guard !data.showsCases else { return .none }
            casesFocused.toggle()
            return .redraw
        case .char("s"):
            // Sort the children by the next column of the focused table (then back to tree order).
            guard let f = focus, f.list == .children, !f.metrics.isEmpty else { return .none }
            if let cur = sortMetric, let i = f.metrics.firstIndex(of: cur) {
                sortMetric = i + 1 < f.metrics.count ? f.metrics[i + 1] : nil
            } else {
                sortMetric = f.metrics[0]
            }
            selection[unitID] = 0
            return .redraw
        case .enter where casesFocused && !data.showsCases, .right where casesFocused && !data.showsCases:
            // From a case in the list to the community (or park) it belongs to.
            guard data.overdueCases.indices.contains(selectedCase) else { return .none }
            go(to: data.overdueCases[selectedCase].unit)
            return .reload
        case .up, .char("k"): return move(to: current - 1)
        case .down, .char("j"): return move(to: current + 1)
        case .pageUp: return move(to: current - 10)
        case .pageDown: return move(to: current + 10)
        case .home, .char("g"): return move(to: 0)
        case .end, .char("G"): return move(to: rows - 1)
        case .enter, .right, .char("l"):
            guard !data.showsCases, data.children.indices.contains(selectedRow) else { return .none }
            go(to: data.children[selectedRow].unit.id)
            return .reload
        case .escape where !filter.isEmpty:
            filter = ""
            return .redraw
        case .escape, .backspace, .left, .char("h"):
            guard let parent = tree.unit(unitID)?.parent else { return .none }
            let child = unitID
            go(to: parent)
            if let i = tree.children(of: parent).firstIndex(where: { $0.id == child }) { selection[parent] = i }
            return .reload
        case .char("?"), .f1:
            showHelp = true
            return .redraw
        case .char("r"):
            return .reload
        case .char("/"):
            input = .filter
            filter = ""
            selection[unitID] = 0
            return .redraw
        case .char(":"):
            input = .command
            command = ""
            return .redraw
        case .char(let d) where d.isASCII && d.isNumber && d != "0":
            // 1–8 (or as many streets as there are) jump straight to a street.
            let streets = tree.children(of: tree.root.id)
            let n = Int(String(d))! - 1
            guard streets.indices.contains(n) else { return .none }
            selection[tree.root.id] = n
            go(to: streets[n].id)
            return .reload
        case .char("q"), .char("Q"): return .quit
        case .resize: return .redraw
        default: return .none
        }
    }

    /// Moving to another unit clears the filter, which belonged to the list left behind.
    private mutating func go(to id: String) {
        unitID = id
        filter = ""
        casesFocused = false
        focusedPanel = nil
    }

    /// The data as the screen shows it: the lists narrowed by the filter.
    public func filtered(_ data: ScreenData) -> ScreenData {
        var data = data
        if let m = sortMetric {
            // Highest first; a unit without the figure last; ties keep the tree's order.
            data.children = data.children.enumerated().sorted { a, b in
                let x = a.element.figures[m] ?? -.infinity, y = b.element.figures[m] ?? -.infinity
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
        }
        let q = filter.lowercased()
        guard !q.isEmpty else { return data }
        var d = data
        // Chinese text, pinyin initials ("wl" finds 武林街道) or the id.
        d.children = data.children.filter { Pinyin.matches($0.unit.name, query: q) || $0.unit.id.contains(q) }
        d.overdueCases = data.overdueCases.filter {
            $0.id.lowercased().contains(q) || Pinyin.matches($0.itemName, query: q) || Pinyin.matches($0.department, query: q)
                || Pinyin.matches(data.unitNames[$0.unit] ?? $0.unit, query: q)
        }
        // A filtered leaf still shows its cases; a filtered parent keeps showing its comparison.
        d.isLeaf = data.showsCases
        return d
    }

    /// Keys while the bottom line takes text: Enter applies, Esc cancels, Backspace deletes.
    private mutating func updateInput(_ mode: Input, _ key: Key, tree: OrgTree) -> Effect {
        switch key {
        case .escape:
            input = nil
            if mode == .filter { filter = "" }
            return .redraw
        case .enter:
            input = nil
            if mode == .command { return run(command, tree: tree) }
            return .redraw
        case .backspace:
            if mode == .filter {
                if filter.isEmpty { input = nil } else { filter.removeLast() }
                selection[unitID] = 0
            } else {
                if command.isEmpty { input = nil } else { command.removeLast() }
            }
            return .redraw
        case .char(let ch):
            if mode == .filter { filter.append(ch); selection[unitID] = 0 } else { command.append(ch) }
            return .redraw
        case .resize:
            return .redraw
        default:
            return .none
        }
    }

    /// `:street 武林`, `:unit wulin-zhuganxiang` (id or name), `:up`, `:top`, `:q`.
    private mutating func run(_ line: String, tree: OrgTree) -> Effect {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = parts.first else { return .redraw }
        let arg = parts.count > 1 ? parts[1].trimmingSpaces : ""
        func find(_ units: [OrgUnit]) -> OrgUnit? {
            units.first { $0.id == arg } ?? units.first { $0.name == arg }
                ?? units.first { $0.name.hasPrefix(arg) } ?? units.first { $0.name.contains(arg) }
        }
        switch verb {
        case "q", "quit": return .quit
        case "layout":
            // `:layout NAME` draws this unit with another layout; `:layout` alone goes back to the tier's.
            if arg.isEmpty { layoutName = nil; focusedPanel = nil; return .redraw }
            guard layoutNames.isEmpty || layoutNames.contains(arg) else {
                message = "'\(arg)'? " + layoutNames.joined(separator: ", ")
                return .redraw
            }
            layoutName = arg
            focusedPanel = nil
            return .redraw
        case "top", "district":
            go(to: tree.root.id)
            return .reload
        case "up":
            guard let parent = tree.unit(unitID)?.parent else { return .redraw }
            go(to: parent)
            return .reload
        case "street", "unit", "community", "park":
            guard !arg.isEmpty else {
                message = "usage: :\(verb) NAME"
                return .redraw
            }
            let pool = verb == "unit" ? tree.units : tree.units.filter {
                $0.tier.rawValue == verb || (verb == "community" && $0.tier == .park)
            }
            guard let u = find(pool) else {
                message = "'\(arg)'? " + tree.nearest(to: arg).joined(separator: ", ")
                return .redraw
            }
            go(to: u.id)
            return .reload
        default:
            message = "':\(verb)'? street, unit, layout, up, top, q"
            return .redraw
        }
    }
}
