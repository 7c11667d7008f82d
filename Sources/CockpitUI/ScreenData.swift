import CockpitCore

/// Everything a cockpit screen shows for one unit at one moment, fetched by the app from the
/// store. Rendering is a pure function of this, the model and the size.
public struct ScreenData: Sendable {
    public var path: [OrgUnit]                 // root … unit
    public var figures: Figures
    public var children: [(unit: OrgUnit, figures: Figures)]
    public var overdueCases: [CaseListItem]
    public var at: Int64
    /// When the data was last written (last ingest commit), nil if unknown.
    public var dataAsOf: Int64?
    public var warnings: [String]
    /// Figures that changed with the last refresh, as "unitID|metric": drawn highlighted briefly.
    public var changed: Set<String> = []
    /// Names of the units the listed cases belong to.
    public var unitNames: [String: String]

    // Filled by the store side as its parts land; an empty one makes its widget say "no data".
    /// Hall queue boards of the unit and the halls below it.
    public var boards: [HallBoard] = []
    /// Alerts on the unit and below, newest first.
    public var alerts: [AlertItem] = []
    /// The data sources and how current each is.
    public var sources: [SourceStatus] = []
    /// Past values per `historyKey(unit, metric)`, one per bucket, oldest first; the last is the
    /// current bucket, so the one before it is what a delta compares with.
    public var history: [String: [Double?]] = [:]
    /// The whole tree and every unit's figures, for the unit tree.
    public var tree: OrgTree? = nil
    public var allFigures: [String: Figures] = [:]

    public static func historyKey(_ unit: String, _ metric: String) -> String { unit + "|" + metric }

    public init(path: [OrgUnit], figures: Figures, children: [(unit: OrgUnit, figures: Figures)],
                overdueCases: [CaseListItem], at: Int64, dataAsOf: Int64?, warnings: [String] = [],
                unitNames: [String: String] = [:]) {
        self.path = path; self.figures = figures; self.children = children
        self.overdueCases = overdueCases; self.at = at; self.dataAsOf = dataAsOf; self.warnings = warnings
        self.unitNames = unitNames
    }

    public var unit: OrgUnit { path[path.count - 1] }

    /// Which figures differ from `old` (same unit, its children): what a refresh changed.
    public func changes(from old: ScreenData) -> Set<String> {
        guard old.unit.id == unit.id else { return [] }
        var out: Set<String> = []
        func compare(_ id: String, _ a: Figures, _ b: Figures) {
            for (name, v) in a.values where b[name] != v { out.insert("\(id)|\(name)") }
            for (name, _) in b.values where a[name] == nil { out.insert("\(id)|\(name)") }
        }
        compare(unit.id, figures, old.figures)
        let before = Dictionary(old.children.map { ($0.unit.id, $0.figures) }, uniquingKeysWith: { a, _ in a })
        for (u, f) in children { compare(u.id, f, before[u.id] ?? Figures()) }
        return out
    }
    /// Set when a filter narrowed the lists, so an emptied comparison is not mistaken for a leaf.
    public var isLeaf: Bool? = nil
    /// Leaves (communities, parks) list their overdue cases instead of comparing children.
    public var showsCases: Bool { isLeaf ?? children.isEmpty }
}
