import CockpitCore
import CockpitStore
import CockpitUI

/// Fetches what a screen shows from the store: one place for the TUI, `snapshot` and `report`,
/// so the three always agree.
public struct ScreenLoader {
    public let store: CockpitStore
    public let tree: OrgTree
    public let strings: Strings

    public init(store: CockpitStore, tree: OrgTree, strings: Strings) {
        self.store = store; self.tree = tree; self.strings = strings
    }

    public func load(unitID: String, window: FigureWindow) throws -> ScreenData {
        let all = try store.figures(tree: tree, window: window)
        let unit = tree.unit(unitID) ?? tree.root
        let children = tree.children(of: unit.id).map { (unit: $0, figures: all[$0.id] ?? Figures()) }
        let cases = try store.cases(under: unit.id, tree: tree, light: .red, at: window.at, limit: children.isEmpty ? 500 : 100)
        var warnings: [String] = []
        let calendar = try store.calendar()
        if !calendar.covers(LocalTime.day(of: window.at)) {
            warnings.append(strings.atOutsideCalendar(LocalTime.dayString(LocalTime.day(of: window.at))))
        }
        let outside = try store.casesOutsideCalendar()
        if outside > 0 { warnings.append(strings.outsideCalendar(outside)) }
        var data = ScreenData(path: tree.path(to: unit.id), figures: all[unit.id] ?? Figures(), children: children,
                              overdueCases: cases, at: window.at, dataAsOf: try store.lastIngestAt(), warnings: warnings,
                              unitNames: Dictionary(uniqueKeysWithValues: tree.subtree(of: unit.id).map { ($0.id, $0.name) }))
        data.tree = tree
        data.allFigures = all
        // Hall boards, alerts, source statuses and history come from the store parts being built
        // alongside; until they land, data.boards / alerts / sources / history stay empty and
        // their widgets say "no data".
        return data
    }
}
