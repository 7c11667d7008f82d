import CockpitCore
import CockpitStore
import CockpitUI

/// Fetches what a screen shows from the store: one place for the TUI, `snapshot` and `report`,
/// so the three always agree.
struct ScreenLoader {
    let store: CockpitStore
    let tree: OrgTree
    let strings: Strings

    func load(unitID: String, window: FigureWindow) throws -> ScreenData {
        let all = try store.caseFigures(tree: tree, window: window)
        let unit = tree.unit(unitID) ?? tree.root
        let children = tree.children(of: unit.id).map { (unit: $0, figures: all[$0.id] ?? Figures()) }
        let cases = children.isEmpty
            ? try store.cases(under: unit.id, tree: tree, light: .red, at: window.at, limit: 500) : []
        var warnings: [String] = []
        let calendar = try store.calendar()
        if !calendar.covers(LocalTime.day(of: window.at)) {
            warnings.append(strings.atOutsideCalendar(LocalTime.dayString(LocalTime.day(of: window.at))))
        }
        let outside = try store.casesOutsideCalendar()
        if outside > 0 { warnings.append(strings.outsideCalendar(outside)) }
        return ScreenData(path: tree.path(to: unit.id), figures: all[unit.id] ?? Figures(), children: children,
                          overdueCases: cases, at: window.at, dataAsOf: try store.lastIngestAt(), warnings: warnings)
    }
}
