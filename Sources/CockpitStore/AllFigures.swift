import CockpitCore

extension CockpitStore {
    /// Every figure of every unit as of `window`, rolled up over descendants: the one call that
    /// screens, reports and alert rules read. Each family of figures merges its values in here.
    public func figures(tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        var all = try caseFigures(tree: tree, window: window)
        try database.read { db in
            try Self.queueFigures(db, tree: tree, window: window, into: &all)
            try Self.shareFigures(db, tree: tree, window: window, into: &all)
            try Self.ratingFigures(db, tree: tree, window: window, into: &all)
            try Self.itemFigures(db, tree: tree, into: &all)
            try Self.seriesFigures(db, tree: tree, window: window, into: &all)
        }
        return all
    }
}
