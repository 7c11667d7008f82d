import CockpitCore

/// Keys as the screen model sees them, decoded by the terminal backend (or by tests).
public enum Key: Equatable, Sendable {
    case up, down, left, right, enter, escape, backspace, tab, pageUp, pageDown, home, end, f1
    case char(Character)
    case resize
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
    /// The help overlay is open: the next key closes it.
    public var showHelp = false

    public init(unitID: String) { self.unitID = unitID }

    public var selectedRow: Int { selection[unitID] ?? 0 }

    /// Applies a key to the model, given what is on screen now.
    public mutating func update(_ key: Key, data: ScreenData, tree: OrgTree) -> Effect {
        if showHelp {
            if key == .resize { return .redraw }
            showHelp = false
            return key == .char("q") ? .quit : .redraw
        }
        let rows = data.showsCases ? data.overdueCases.count : data.children.count
        func move(to row: Int) -> Effect {
            guard rows > 0 else { return .none }
            let clamped = min(max(0, row), rows - 1)
            guard clamped != selectedRow else { return .none }
            selection[unitID] = clamped
            return .redraw
        }
        switch key {
        case .up, .char("k"): return move(to: selectedRow - 1)
        case .down, .char("j"): return move(to: selectedRow + 1)
        case .pageUp: return move(to: selectedRow - 10)
        case .pageDown: return move(to: selectedRow + 10)
        case .home, .char("g"): return move(to: 0)
        case .end, .char("G"): return move(to: rows - 1)
        case .enter, .right, .char("l"):
            guard !data.showsCases, data.children.indices.contains(selectedRow) else { return .none }
            unitID = data.children[selectedRow].unit.id
            return .reload
        case .escape, .backspace, .left, .char("h"):
            guard let parent = tree.unit(unitID)?.parent else { return .none }
            let child = unitID
            unitID = parent
            if let i = tree.children(of: parent).firstIndex(where: { $0.id == child }) { selection[parent] = i }
            return .reload
        case .char("?"), .f1:
            showHelp = true
            return .redraw
        case .char("r"):
            return .reload
        case .char(let d) where d.isASCII && d.isNumber && d != "0":
            // 1–8 (or as many streets as there are) jump straight to a street.
            let streets = tree.children(of: tree.root.id)
            let n = Int(String(d))! - 1
            guard streets.indices.contains(n) else { return .none }
            selection[tree.root.id] = n
            unitID = streets[n].id
            return .reload
        case .char("q"), .char("Q"): return .quit
        case .resize: return .redraw
        default: return .none
        }
    }
}
