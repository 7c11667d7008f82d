import CockpitCore

/// What one alert is about: a rule applied to a unit's figure (the metric concrete, e.g.
/// `source.stale_s@cases-csv` when the rule watches every source).
public struct AlertKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rule: String
    public var unit: String
    public var metric: String
    public init(rule: String, unit: String, metric: String) { self.rule = rule; self.unit = unit; self.metric = metric }
    public static func < (a: AlertKey, b: AlertKey) -> Bool { (a.rule, a.unit, a.metric) < (b.rule, b.unit, b.metric) }
    public var description: String { "\(rule) \(unit) \(metric)" }
}

/// What the evaluator remembers about a key between evaluations (the store keeps it).
public struct AlertTrack: Sendable, Equatable {
    /// The latest incident of this key, if there ever was one, with its state and level.
    public var alertID: Int64?
    public var state: AlertItem.State?
    public var level: AlertItem.Level?
    /// Since when the condition has held while no incident is active (for `for:`).
    public var pendingSince: Int64?
    /// Since when the condition has been gone while an incident is active (for `clear_after:`).
    public var clearSince: Int64?
    /// Closed by a person: re-opens only after the condition has gone and come back.
    public var awaitingClear: Bool

    public init(alertID: Int64? = nil, state: AlertItem.State? = nil, level: AlertItem.Level? = nil,
                pendingSince: Int64? = nil, clearSince: Int64? = nil, awaitingClear: Bool = false) {
        self.alertID = alertID; self.state = state; self.level = level
        self.pendingSince = pendingSince; self.clearSince = clearSince; self.awaitingClear = awaitingClear
    }

    public var isActive: Bool { state == .open || state == .acknowledged }
}

/// A change the data makes to an alert.
public enum AlertTransition: Sendable, Equatable {
    case open(AlertKey, level: AlertItem.Level, value: Double)
    case reopen(Int64, AlertKey, level: AlertItem.Level, value: Double)
    case changeLevel(Int64, AlertKey, from: AlertItem.Level, to: AlertItem.Level, value: Double)
    case resolve(Int64, AlertKey, value: Double)

    public var key: AlertKey {
        switch self {
        case .open(let k, _, _), .reopen(_, let k, _, _), .changeLevel(_, let k, _, _, _), .resolve(_, let k, _): k
        }
    }
}

/// Figures + source statuses + time + what was remembered → transitions. Pure: no store, no clock.
public struct AlertEvaluator: Sendable {
    public var rules: [AlertRule]
    public init(rules: [AlertRule]) { self.rules = rules }

    public struct Outcome: Sendable, Equatable {
        public var transitions: [AlertTransition] = []
        /// Every key evaluated, with what to remember about it now.
        public var tracks: [AlertKey: AlertTrack] = [:]
    }

    /// The (key, value) pairs a rule watches now; a nil value means no figure (no data).
    public func observations(of rule: AlertRule, tree: OrgTree, figures: [String: Figures],
                             sources: [SourceStatus], at: Int64) -> [(AlertKey, Double?)] {
        let base = rule.metric.split(separator: "@", maxSplits: 1).first.map(String.init) ?? rule.metric
        if base == AlertMetrics.sourceStale {
            // Sources belong to the whole district: their alerts sit on the root.
            let wanted = rule.metric.contains("@") ? String(rule.metric.split(separator: "@", maxSplits: 1)[1]) : nil
            return sources.filter { wanted == nil || $0.name == wanted }.map { s in
                (AlertKey(rule: rule.id, unit: tree.root.id, metric: Metric.part(AlertMetrics.sourceStale, s.name)),
                 Double(s.staleSince.map { max(0, at - $0) } ?? 0))
            }
        }
        let units: [OrgUnit]
        switch rule.scope {
        case .tier(let t): units = tree.units.filter { $0.tier == t }
        case .unit(let id): units = tree.unit(id).map { [$0] } ?? []
        }
        return units.map { u in (AlertKey(rule: rule.id, unit: u.id, metric: rule.metric), figures[u.id]?[rule.metric]) }
    }

    public func evaluate(tree: OrgTree, figures: [String: Figures], sources: [SourceStatus], at: Int64,
                         tracks: [AlertKey: AlertTrack]) -> Outcome {
        var out = Outcome()
        for rule in rules {
            for (key, value) in observations(of: rule, tree: tree, figures: figures, sources: sources, at: at) {
                var track = tracks[key] ?? AlertTrack()
                if let t = step(rule: rule, key: key, value: value, at: at, track: &track) { out.transitions.append(t) }
                out.tracks[key] = track
            }
        }
        return out
    }

    /// One key, one evaluation.
    func step(rule: AlertRule, key: AlertKey, value: Double?, at: Int64, track: inout AlertTrack) -> AlertTransition? {
        if track.isActive, let id = track.alertID, let current = track.level {
            // No figure says nothing either way: an open alert stays as it is.
            guard let value else { return nil }
            if let level = rule.level(for: value, current: current) {
                track.clearSince = nil
                guard level != current else { return nil }
                track.level = level
                return .changeLevel(id, key, from: current, to: level, value: value)
            }
            let since = track.clearSince ?? at
            track.clearSince = since
            guard at - since >= rule.clearAfter else { return nil }
            track.state = .resolved
            track.clearSince = nil
            track.pendingSince = nil
            return .resolve(id, key, value: value)
        }
        guard let value else { track.pendingSince = nil; return nil }
        if track.awaitingClear {
            // Closed by a person while it held: wait until it is clearly gone (within the margin).
            if rule.level(for: value, current: track.level) == nil { track.awaitingClear = false }
            track.pendingSince = nil
            return nil
        }
        guard let level = rule.level(for: value, current: nil) else { track.pendingSince = nil; return nil }
        let since = track.pendingSince ?? at
        track.pendingSince = since
        guard at - since >= rule.holdFor else { return nil }
        track.pendingSince = nil
        track.clearSince = nil
        track.state = .open
        track.level = level
        if let id = track.alertID { return .reopen(id, key, level: level, value: value) }
        return .open(key, level: level, value: value)
    }
}
