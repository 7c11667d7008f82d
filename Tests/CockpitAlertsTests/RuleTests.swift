import CockpitAlerts
import CockpitCore
import XCTest

/// d → s1 (c1, c2), s2 (c3).
let smallTree = try! OrgTree(units: [
    OrgUnit(id: "d", name: "区", tier: .district, parent: nil),
    OrgUnit(id: "s1", name: "甲街道", tier: .street, parent: "d"),
    OrgUnit(id: "s2", name: "乙街道", tier: .street, parent: "d"),
    OrgUnit(id: "c1", name: "一社区", tier: .community, parent: "s1"),
    OrgUnit(id: "c2", name: "二社区", tier: .community, parent: "s1"),
    OrgUnit(id: "c3", name: "三社区", tier: .community, parent: "s2"),
])

final class RuleFileTests: XCTestCase {
    func testParsesRulesWithDefaults() throws {
        let set = try RuleSet.parse(yaml: """
            rules:
              - id: street-overdue
                title: 街道超期办件
                metric: cases.overdue
                scope: street
                when: ">="
                levels: {yellow: 1, red: 5}
                clear_after: 10m
              - id: wait
                metric: queue.longest_wait_s@intake
                scope: s1
                when: ">"
                levels:
                  red: 1800
                for: 90
                clear_margin: 300
            """, file: "a.yaml")
        XCTAssertEqual(set.rules.count, 2)
        let r = set.rules[0]
        XCTAssertEqual(r.title, "街道超期办件")
        XCTAssertEqual(r.scope, .tier(.street))
        XCTAssertEqual(r.comparison, .atLeast)
        XCTAssertEqual(r.thresholds, [.init(level: .yellow, value: 1), .init(level: .red, value: 5)])
        XCTAssertEqual(r.clearAfter, 600)
        XCTAssertEqual(r.origin, "a.yaml:2:5")
        let w = set.rules[1]
        XCTAssertEqual(w.title, "wait")
        XCTAssertEqual(w.scope, .unit("s1"))
        XCTAssertEqual(w.holdFor, 90)
        XCTAssertEqual(w.clearMargin, 300)
        XCTAssertEqual(set.problems(in: smallTree), [])
    }

    func testErrorsNameFileLineColumnAndTheNearestName() {
        let yaml = """
            rules:
              - id: a
                metirc: cases.overdue
                scope: street
                when: ">="
                levels: {yellow: 1}
              - id: b
                metric: cases.overdu
                scope: street
                when: "=>"
                levels: {yelow: 1, red: x}
                for: soon
              - id: a
                metric: series.
                scope: street
                when: "<"
                levels: {yellow: 1, red: 5}
            """
        XCTAssertThrowsError(try RuleSet.parse(yaml: yaml, file: "r.yaml")) { error in
            let text = (error as? RuleErrors)?.description ?? "\(error)"
            let expected = [
                "r.yaml:3:5: unknown key 'metirc' (nearest: 'metric')",
                "r.yaml:2:5: rule is missing 'metric'",
                "r.yaml:8:13: unknown metric 'cases.overdu' (nearest: 'cases.overdue')",
                "r.yaml:10:11: 'when' must be one of >=, >, <=, < (got '=>')",
                "r.yaml:11:14: unknown level 'yelow' (nearest: 'yellow')",
                "r.yaml:11:29: threshold of 'red' must be a number",
                "r.yaml:12:10: 'for' must be a duration like 30s, 5m, 1h (got 'soon')",
                "r.yaml:13:9: rule id 'a' is used twice (first at 2:9)",
                "r.yaml:14:13: metric 'series.' needs a series name",
                "r.yaml:17:13: red must be at least as severe as yellow for '<'",
            ]
            for line in expected { XCTAssertTrue(text.contains(line), "missing \(line) in:\n\(text)") }
        }
    }

    func testYAMLSyntaxErrorHasAPosition() {
        XCTAssertThrowsError(try RuleSet.parse(yaml: "rules:\n  - id: a\n   metric: [x\n", file: "s.yaml")) { error in
            let e = (error as? RuleErrors)?.errors.first
            XCTAssertEqual(e?.file, "s.yaml")
            XCTAssertGreaterThan(e?.line ?? 0, 1)
            XCTAssertTrue(e?.message.hasPrefix("YAML: ") ?? false, "\(String(describing: e))")
        }
    }

    func testUnknownUnitScopeIsCheckedAgainstTheTree() throws {
        let set = try RuleSet.parse(yaml: "rules:\n  - {id: a, metric: cases.open, scope: s3, when: '>', levels: {red: 0}}\n", file: "u.yaml")
        let problems = set.problems(in: smallTree).map(\.description)
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems[0], "u.yaml:2:40: unknown unit 's3' (nearest: 'c3', 's1', 's2')")
    }

    func testBundledRulesAreValid() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleData/alerts.yaml").path
        let set = try RuleSet.load(file: file)
        XCTAssertGreaterThanOrEqual(set.rules.count, 4)
        XCTAssertTrue(set.rules.contains { $0.metric == AlertMetrics.sourceStale })
    }

    func testDurations() {
        XCTAssertEqual(parseDuration("90"), 90)
        XCTAssertEqual(parseDuration("5m"), 300)
        XCTAssertEqual(parseDuration("2h"), 7200)
        XCTAssertNil(parseDuration("-5m"))
        XCTAssertNil(parseDuration("5 minutes"))
    }
}

final class EvaluatorTests: XCTestCase {
    let overdue = AlertRule(id: "ov", metric: "cases.overdue", scope: .tier(.street), comparison: .atLeast,
                            thresholds: [.init(level: .yellow, value: 1), .init(level: .red, value: 5)])

    func figures(_ s1: Double?, _ s2: Double? = 0) -> [String: Figures] {
        var out: [String: Figures] = [:]
        if let s1 { out["s1"] = Figures(["cases.overdue": s1]) }
        if let s2 { out["s2"] = Figures(["cases.overdue": s2]) }
        return out
    }

    /// Runs the evaluator over a series of values of s1, one a minute, carrying its memory like the store.
    func run(_ rule: AlertRule, _ values: [Double?], start: Int64 = 0,
             tracks: inout [AlertKey: AlertTrack]) -> [[AlertTransition]] {
        let e = AlertEvaluator(rules: [rule])
        var out: [[AlertTransition]] = []
        var nextID: Int64 = (tracks.values.compactMap(\.alertID).max() ?? 0) + 1
        for (i, v) in values.enumerated() {
            let o = e.evaluate(tree: smallTree, figures: figures(v), sources: [], at: start + Int64(i) * 60, tracks: tracks)
            for (k, var t) in o.tracks {
                if o.transitions.contains(where: { if case .open(let key, _, _) = $0 { key == k } else { false } }) {
                    t.alertID = nextID; nextID += 1
                }
                tracks[k] = t
            }
            out.append(o.transitions)
        }
        return out
    }

    let s1 = AlertKey(rule: "ov", unit: "s1", metric: "cases.overdue")

    func testThresholdsPickTheLevelAndScopeTheUnits() {
        var tracks: [AlertKey: AlertTrack] = [:]
        let steps = run(overdue, [0, 1, 4, 5, 7], tracks: &tracks)
        XCTAssertEqual(steps[0], [])
        XCTAssertEqual(steps[1], [.open(s1, level: .yellow, value: 1)])
        XCTAssertEqual(steps[2], [])
        XCTAssertEqual(steps[3], [.changeLevel(1, s1, from: .yellow, to: .red, value: 5)])
        XCTAssertEqual(steps[4], [])
        // Only streets are watched: the district and the communities have no keys.
        XCTAssertEqual(Set(tracks.keys.map(\.unit)), ["s1", "s2"])
    }

    func testResolvesWhenGoneAndReopensTheSameIncidentWhenItComesBack() {
        var tracks: [AlertKey: AlertTrack] = [:]
        let steps = run(overdue, [2, 0, 0, 3], tracks: &tracks)
        XCTAssertEqual(steps[0], [.open(s1, level: .yellow, value: 2)])
        XCTAssertEqual(steps[1], [.resolve(1, s1, value: 0)])
        XCTAssertEqual(steps[2], [])
        XCTAssertEqual(steps[3], [.reopen(1, s1, level: .yellow, value: 3)])
    }

    func testFlappingFigureOpensOneAlertNotFifty() {
        // 0, 1, 0, 1, … for 100 minutes: without hysteresis that is 50 opens and 50 resolves.
        let flapping = (0..<100).map { Double($0 % 2) }
        var plain: [AlertKey: AlertTrack] = [:]
        let noHysteresis = run(overdue, flapping, tracks: &plain).joined()
        XCTAssertEqual(noHysteresis.count, 99, "the figure really flaps")

        var rule = overdue
        rule.clearAfter = 600   // must stay clear for 10 minutes
        var tracks: [AlertKey: AlertTrack] = [:]
        let changes = Array(run(rule, flapping + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], tracks: &tracks).joined())
        XCTAssertEqual(changes, [.open(s1, level: .yellow, value: 1), .resolve(1, s1, value: 0)])
    }

    func testClearMarginKeepsALevelAcrossSmallDips() {
        var rule = overdue
        rule.clearMargin = 2
        var tracks: [AlertKey: AlertTrack] = [:]
        // Red at 5; with a margin of 2 it stays red down to 3 and drops to yellow only at 2.
        let steps = run(rule, [5, 4, 3, 5, 2, 0], tracks: &tracks)
        XCTAssertEqual(steps[0], [.open(s1, level: .red, value: 5)])
        XCTAssertEqual(steps[1], [])
        XCTAssertEqual(steps[2], [])
        XCTAssertEqual(steps[3], [])
        XCTAssertEqual(steps[4], [.changeLevel(1, s1, from: .red, to: .yellow, value: 2)])
        // Yellow at 1 with margin 2: it holds while ≥ -1, i.e. a count never clears. A margin is
        // per rule, so rules on counts keep it below their lowest threshold.
        XCTAssertEqual(steps[5], [])
    }

    func testHoldForDelaysOpening() {
        var rule = overdue
        rule.holdFor = 120
        var tracks: [AlertKey: AlertTrack] = [:]
        let steps = run(rule, [1, 1, 0, 1, 1, 1], tracks: &tracks)
        XCTAssertEqual(steps.prefix(5).joined().count, 0, "never held 2 minutes in a row until the last step")
        XCTAssertEqual(steps[5], [.open(s1, level: .yellow, value: 1)])
    }

    func testMissingFigureLeavesAnOpenAlertAlone() {
        var tracks: [AlertKey: AlertTrack] = [:]
        let steps = run(overdue, [3, nil, nil, 0], tracks: &tracks)
        XCTAssertEqual(steps[1] + steps[2], [])
        XCTAssertEqual(steps[3], [.resolve(1, s1, value: 0)])
    }

    func testClosedByAPersonReopensOnlyAfterTheConditionCameBack() {
        var tracks: [AlertKey: AlertTrack] = [:]
        _ = run(overdue, [3], tracks: &tracks)
        tracks[s1]!.state = .closed
        tracks[s1]!.awaitingClear = true
        let steps = run(overdue, [3, 3, 0, 2], start: 60, tracks: &tracks)
        XCTAssertEqual(steps[0] + steps[1] + steps[2], [])
        XCTAssertEqual(steps[3], [.reopen(1, s1, level: .yellow, value: 2)])
    }

    func testBelowComparisonAndSourceStaleness() {
        let rate = AlertRule(id: "rate", metric: "share.success_rate", scope: .unit("d"), comparison: .below,
                             thresholds: [.init(level: .yellow, value: 0.95), .init(level: .red, value: 0.8)])
        let stale = AlertRule(id: "stale", metric: AlertMetrics.sourceStale, scope: .tier(.district), comparison: .atLeast,
                              thresholds: [.init(level: .red, value: 300)])
        let e = AlertEvaluator(rules: [rate, stale])
        let sources = [
            SourceStatus(name: "cases-csv", kind: "csv", lastSuccess: 0, lastError: nil, lastErrorAt: nil, recordsIn: 1, rejected: 0, staleSince: 1000),
            SourceStatus(name: "hall", kind: "sqlite", lastSuccess: 0, lastError: nil, lastErrorAt: nil, recordsIn: 1, rejected: 0, staleSince: nil),
        ]
        let o = e.evaluate(tree: smallTree, figures: ["d": Figures(["share.success_rate": 0.9])], sources: sources,
                           at: 1300, tracks: [:])
        XCTAssertEqual(o.transitions, [
            .open(AlertKey(rule: "rate", unit: "d", metric: "share.success_rate"), level: .yellow, value: 0.9),
            .open(AlertKey(rule: "stale", unit: "d", metric: "source.stale_s@cases-csv"), level: .red, value: 300),
        ])
        let early = e.evaluate(tree: smallTree, figures: [:], sources: sources, at: 1299, tracks: [:])
        XCTAssertEqual(early.transitions, [], "stale for 299 s is not yet 5 minutes; no rate figure, no alert")
    }
}
