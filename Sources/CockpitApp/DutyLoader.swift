import CockpitAlerts
import CockpitCore
import CockpitStore
import CockpitUI

/// Fetches what the duty screen shows: the active alerts, and for the selected one the figures,
/// cases and audit entries behind it. Shared by `cockpit duty` and the tests.
public struct DutyLoader {
    public let store: CockpitStore
    public let tree: OrgTree
    /// The rules, for titles and thresholds (alerts of rules not given show their rule id).
    public let rules: [AlertRule]
    public var casesShown = 8

    public init(store: CockpitStore, tree: OrgTree, rules: [AlertRule]) {
        self.store = store; self.tree = tree; self.rules = rules
    }

    public func load(selected: Int64?, at: Int64) throws -> DutyData {
        let alerts = try store.alerts(activeOnly: true)
        let byID = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let incidents = alerts.map { a in
            let rule = byID[a.rule]
            return DutyData.Incident(alert: a, title: rule?.title ?? a.rule,
                                     unitPath: tree.path(to: a.unit).map(\.name).joined(separator: " › "),
                                     thresholds: rule.map { r in
                                         r.thresholds.map { "\(r.comparison.rawValue) \(Self.number($0.value)) \($0.level.rawValue)" }
                                             .joined(separator: " · ")
                                     })
        }
        var data = DutyData(incidents: incidents, at: at,
                            unitNames: Dictionary(uniqueKeysWithValues: tree.units.map { ($0.id, $0.name) }))
        guard let chosen = alerts.first(where: { $0.id == selected }) ?? alerts.first else { return data }
        let figures = try store.figures(tree: tree, window: FigureWindow(at: at))[chosen.unit] ?? Figures()
        var names = [chosen.metric]
        if chosen.metric.hasPrefix("cases.") {
            names += [Metric.casesOpen, Metric.casesOverdue, Metric.casesWarning, Metric.casesSuspended].filter { $0 != chosen.metric }
        }
        data.figures = names.map { ($0, figures[$0]) }
        let light: CaseLight? = switch chosen.metric {
        case Metric.casesOverdue: .red
        case Metric.casesWarning: .yellow
        case Metric.casesSuspended: .grey
        default: nil
        }
        if let light, tree.contains(chosen.unit) {
            data.cases = try store.cases(under: chosen.unit, tree: tree, light: light, at: at, limit: casesShown)
            data.casesTotal = figures.int(chosen.metric)
        }
        data.timeline = try store.audit(alert: chosen.id)
        return data
    }

    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v) }
}
