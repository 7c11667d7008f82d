import CockpitCore

extension CockpitStore {
    /// Every figure of every unit as of `window`, rolled up over descendants: the one call that
    /// screens, reports and alert rules read. Each family of figures merges its values in here.
    public func figures(tree: OrgTree, window: FigureWindow) throws -> [String: Figures] {
        try caseFigures(tree: tree, window: window)
    }
}
