import CockpitCore
import GRDB

extension CockpitStore {
    /// The families of figures, in the order `figures()` merges them.
    public static let figureFamilies = ["cases", "queue", "share", "rating", "items", "series"]

    /// Every figure of every unit as of `window`, rolled up over descendants: the one call that
    /// screens, reports and alert rules read. Each family of figures merges its values in here.
    public func figures(tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        try figures(tree: tree, window: window, families: nil)
    }

    /// Only the named families (all when nil), in one read transaction: lets the benchmark time
    /// each family alone.
    public func figures(tree: OrgTree, window: FigureWindow, families: Set<String>?) throws -> [String: Figures] {
        try database.read { db in
            func wanted(_ family: String) -> Bool { families?.contains(family) ?? true }
            var all: [String: Figures] = [:]
            if wanted("cases") { all = try Self.caseFigures(db, tree: tree, window: window) }
            if wanted("queue") { try Self.queueFigures(db, tree: tree, window: window, into: &all) }
            if wanted("share") { try Self.shareFigures(db, tree: tree, window: window, into: &all) }
            if wanted("rating") { try Self.ratingFigures(db, tree: tree, window: window, into: &all) }
            if wanted("items") { try Self.itemFigures(db, tree: tree, into: &all) }
            if wanted("series") { try Self.seriesFigures(db, tree: tree, window: window, into: &all) }
            return all
        }
    }
}
