import CockpitCore
import Foundation
import Yams

/// A problem in a rule file, at file:line:col.
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in a file (not just the first), so one edit fixes them all.
public struct RuleErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [RuleError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A validated set of alert rules, read from YAML:
///
/// ```yaml
/// rules:
///   - id: street-overdue
///     title: 街道超期办件
///     metric: cases.overdue
///     scope: street            # a tier (district, street, community, park) or a unit id
///     when: ">="               # >=, >, <=, <
///     levels: {yellow: 1, red: 5}
///     for: 0s                  # must hold this long before opening
///     clear_margin: 0          # once open, clears only past threshold ∓ margin
///     clear_after: 10m         # and only after staying clear this long
/// ```
public struct RuleSet: Sendable {
    public var rules: [AlertRule]
    /// Rules scoped to one unit, with where the unit was written, to check against a tree.
    var unitScopes: [(unit: String, at: RuleError)] = []

    public init(rules: [AlertRule]) { self.rules = rules }

    static let ruleKeys = ["id", "title", "metric", "scope", "when", "levels", "for", "clear_margin", "clear_after"]

    public static func load(file: String) throws -> RuleSet {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RuleErrors(errors: [RuleError(file: file, line: 0, column: 0, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleErrors(errors: [RuleError(file: file, line: 0, column: 0, message: "not UTF-8 text")])
        }
        return try parse(yaml: text, file: file)
    }

    public static func parse(yaml: String, file: String) throws -> RuleSet {
        var errors: [RuleError] = []
        func err(_ node: Node?, _ message: String) {
            let m = node?.mark
            errors.append(RuleError(file: file, line: m?.line ?? 1, column: m?.column ?? 1, message: message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let e as YamlError {
            throw RuleErrors(errors: [yamlError(e, file: file)])
        }
        guard let root, let top = root.mapping else {
            err(root, "expected a mapping with a 'rules' list")
            throw RuleErrors(errors: errors)
        }
        for (k, _) in top where k.string != "rules" {
            err(k, "unknown key '\(k.string ?? "?")' (nearest: 'rules')")
        }
        guard let list = top["rules"]?.sequence else {
            err(top["rules"] ?? root, "'rules' must be a list of rules")
            throw RuleErrors(errors: errors)
        }
        var set = RuleSet(rules: [])
        var seen: [String: Mark] = [:]
        for item in list {
            guard let map = item.mapping else { err(item, "a rule must be a mapping (id, metric, scope, when, levels)"); continue }
            let before = errors.count
            for (k, _) in map {
                let key = k.string ?? ""
                if !ruleKeys.contains(key) { err(k, "unknown key '\(key)' (nearest: '\(nearest(key, in: ruleKeys))')") }
            }
            func scalar(_ key: String, required: Bool = true) -> (String, Node)? {
                guard let n = map[key] else {
                    if required { err(item, "rule is missing '\(key)'") }
                    return nil
                }
                guard let s = n.scalar?.string, !s.isEmpty else { err(n, "'\(key)' must be a non-empty value"); return nil }
                return (s, n)
            }
            let id = scalar("id")
            if let (s, n) = id {
                if let first = seen[s] { err(n, "rule id '\(s)' is used twice (first at \(first.line):\(first.column))") }
                seen[s] = n.mark
            }
            let title = scalar("title", required: false)?.0
            let metric = scalar("metric")
            if let (m, n) = metric, let p = AlertMetrics.problem(with: m) { err(n, p) }
            var scope: AlertRule.Scope?
            var unitScope: (String, RuleError)?
            if let (s, n) = scalar("scope") {
                if let tier = OrgUnit.Tier(rawValue: s) {
                    scope = .tier(tier)
                } else {
                    scope = .unit(s)
                    unitScope = (s, RuleError(file: file, line: n.mark?.line ?? 1, column: n.mark?.column ?? 1, message: ""))
                }
            }
            var comparison: AlertRule.Comparison?
            if let (w, n) = scalar("when") {
                comparison = AlertRule.Comparison(rawValue: w)
                if comparison == nil {
                    err(n, "'when' must be one of >=, >, <=, < (got '\(w)')")
                }
            }
            var thresholds: [AlertRule.Threshold] = []
            if let ln = map["levels"] {
                if let lm = ln.mapping, !lm.isEmpty {
                    for (k, v) in lm {
                        let name = k.string ?? ""
                        guard let level = AlertItem.Level(rawValue: name) else {
                            err(k, "unknown level '\(name)' (nearest: '\(nearest(name, in: AlertItem.Level.allCases.map(\.rawValue)))')")
                            continue
                        }
                        guard let x = v.scalar.flatMap({ Double($0.string) }), x.isFinite else {
                            err(v, "threshold of '\(name)' must be a number"); continue
                        }
                        thresholds.append(.init(level: level, value: x))
                    }
                } else {
                    err(ln, "'levels' must map yellow and/or red to a threshold")
                }
            } else {
                err(item, "rule is missing 'levels'")
            }
            // Thresholds must rise with the level in the direction of the comparison.
            if let c = comparison, thresholds.count == 2 {
                let t = thresholds.sorted { $0.level < $1.level }
                let ordered = (c == .atLeast || c == .above) ? t[0].value <= t[1].value : t[0].value >= t[1].value
                if !ordered { err(map["levels"], "red must be at least as severe as yellow for '\(c.rawValue)'") }
            }
            func duration(_ key: String) -> Int64 {
                guard let (s, n) = scalar(key, required: false) else { return 0 }
                guard let d = parseDuration(s) else { err(n, "'\(key)' must be a duration like 30s, 5m, 1h (got '\(s)')"); return 0 }
                return d
            }
            let holdFor = duration("for"), clearAfter = duration("clear_after")
            var margin = 0.0
            if let (s, n) = scalar("clear_margin", required: false) {
                if let m = Double(s), m >= 0, m.isFinite { margin = m } else { err(n, "'clear_margin' must be a number ≥ 0") }
            }
            guard errors.count == before, let id, let metric, let scope, let comparison else { continue }
            let m = item.mark
            set.rules.append(AlertRule(id: id.0, title: title, metric: metric.0, scope: scope, comparison: comparison,
                                       thresholds: thresholds, holdFor: holdFor, clearMargin: margin, clearAfter: clearAfter,
                                       origin: "\(file):\(m?.line ?? 0):\(m?.column ?? 0)"))
            if let (u, at) = unitScope { set.unitScopes.append((u, at)) }
        }
        if !errors.isEmpty { throw RuleErrors(errors: errors) }
        return set
    }

    /// Unit scopes that name no unit of `tree`, with the nearest ids.
    public func problems(in tree: OrgTree) -> [RuleError] {
        unitScopes.filter { !tree.contains($0.unit) }.map { s in
            var e = s.at
            e.message = "unknown unit '\(s.unit)' (nearest: \(tree.nearest(to: s.unit).map { "'\($0)'" }.joined(separator: ", ")))"
            return e
        }
    }

    static func yamlError(_ e: YamlError, file: String) -> RuleError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RuleError(file: file, line: mark.line, column: mark.column, message: "YAML: " + problem)
        default:
            return RuleError(file: file, line: 1, column: 1, message: "YAML: \(e)")
        }
    }
}

/// "90", "30s", "5m", "1h", "2d" → seconds.
public func parseDuration(_ s: String) -> Int64? {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
    if let n = Int64(s), n >= 0 { return n }
    guard let u = s.last.flatMap({ units[$0] }), let n = Int64(s.dropLast()), n >= 0 else { return nil }
    return n * u
}
