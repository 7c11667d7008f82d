import CockpitCore
import Yams

/// A problem in a layout file, at file:line:col, saying what was expected and, for a misspelt
/// name, the nearest valid one.
public struct LayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case syntax, unknownKey, unknownWidget, unknownMetric, unknownPlaceholder, wrongType, badSize,
             missingKey, badValue, badThresholds, duplicateID, empty
    }
    public var kind: Kind
    public var mark: SourceMark
    public var message: String
    public var expected: String?
    public var suggestion: String?

    public init(kind: Kind, mark: SourceMark, message: String, expected: String? = nil, suggestion: String? = nil) {
        self.kind = kind; self.mark = mark; self.message = message; self.expected = expected; self.suggestion = suggestion
    }

    public var description: String {
        var s = "\(mark): \(message)"
        if let expected { s += " (expected \(expected))" }
        if let suggestion { s += "; did you mean '\(suggestion)'?" }
        return s
    }
}

/// Every problem found in one file (a file is checked whole, not stopped at the first).
public struct LayoutErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LayoutError]
    public init(errors: [LayoutError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Layout files → validated `Layout`s. The widgets' specs say which keys each panel accepts.
public struct LayoutLoader: Sendable {
    public let widgets: [String: WidgetSpec]

    public init(widgets: [WidgetSpec]) {
        self.widgets = Dictionary(widgets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static let topKeys = ["name", "title", "description", "tier", "rows", "columns", "gap"]
    static let nodeKeys = ["rows", "columns", "gap", "size"]
    static let panelKeys = ["widget", "id", "title", "metric", "metrics", "thresholds", "priority", "of", "size",
                            "min_width", "min_height", "source"]

    /// Parses and checks `yaml` (from `file`, named `name`); throws `LayoutErrors` listing every problem.
    public func load(yaml: String, file: String, name: String) throws -> Layout {
        var ctx = Context(file: file, widgets: widgets)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let e as YamlError {
            throw LayoutErrors(errors: [ctx.yamlError(e)])
        } catch {
            throw LayoutErrors(errors: [LayoutError(kind: .syntax, mark: SourceMark(file: file, line: 1, column: 1), message: "\(error)")])
        }
        guard let root, case .mapping(let top) = root else {
            let mark = root.map { ctx.mark($0) } ?? SourceMark(file: file, line: 1, column: 1)
            throw LayoutErrors(errors: [LayoutError(kind: .wrongType, mark: mark, message: "a layout is a mapping",
                                                    expected: "keys such as title: and rows: or columns:")])
        }
        ctx.checkKeys(top, allowed: Self.topKeys)
        var title: LocalText? = nil
        if let t = top["title"] { title = ctx.text(t, what: "title") }
        if let t = top["tier"], let s = ctx.string(t, what: "tier") {
            let tiers = OrgUnit.Tier.allCases.map(\.rawValue) + ["any"]
            if !tiers.contains(s) { ctx.fail(.badValue, t, "unknown tier '\(s)'", expected: tiers.joined(separator: ", "), suggestion: Nearest.name(s, in: tiers)) }
        }
        var layoutName = name
        if let n = top["name"], let s = ctx.string(n, what: "name") { layoutName = s }
        let node = ctx.node(root, isTop: true)
        var seen: [String: SourceMark] = [:]
        for p in node?.panels ?? [] {
            if let first = seen[p.id] {
                ctx.errors.append(LayoutError(kind: .duplicateID, mark: p.mark, message: "panel id '\(p.id)' is used twice (first at \(first))",
                                              expected: "a unique id"))
            }
            seen[p.id] = p.mark
        }
        // In file order, as an editor would walk them.
        let ordered = ctx.errors.enumerated().sorted {
            ($0.element.mark.line, $0.element.mark.column, $0.offset) < ($1.element.mark.line, $1.element.mark.column, $1.offset)
        }.map(\.element)
        if !ordered.isEmpty { throw LayoutErrors(errors: ordered) }
        guard let node else { throw LayoutErrors(errors: [LayoutError(kind: .empty, mark: ctx.mark(root), message: "no panels")]) }
        return Layout(name: layoutName, file: file, title: title, root: node)
    }

    /// The walk over the YAML tree, collecting problems as it goes.
    struct Context {
        let file: String
        let widgets: [String: WidgetSpec]
        var errors: [LayoutError] = []
        var panelCount = 0

        func mark(_ n: Node) -> SourceMark {
            let m = n.mark
            return SourceMark(file: file, line: m?.line ?? 1, column: m?.column ?? 1)
        }

        mutating func fail(_ kind: LayoutError.Kind, _ n: Node, _ message: String, expected: String? = nil, suggestion: String? = nil) {
            errors.append(LayoutError(kind: kind, mark: mark(n), message: message, expected: expected, suggestion: suggestion))
        }

        func yamlError(_ e: YamlError) -> LayoutError {
            func at(_ m: Mark) -> SourceMark { SourceMark(file: file, line: m.line, column: m.column) }
            switch e {
            case .scanner(let c, let problem, let m, _), .parser(let c, let problem, let m, _), .composer(let c, let problem, let m, _):
                let context = c.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
                return LayoutError(kind: .syntax, mark: at(m), message: "YAML: \(problem)\(context)")
            case .duplicatedKeysInMapping(let duplicates, let c):
                return LayoutError(kind: .syntax, mark: at(c.mark), message: "key given twice: \(duplicates.joined(separator: ", "))",
                                   expected: "each key once")
            case .reader(let problem, let offset, _, _):
                return LayoutError(kind: .syntax, mark: SourceMark(file: file, line: 1, column: 1),
                                   message: "YAML: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
            default:
                return LayoutError(kind: .syntax, mark: SourceMark(file: file, line: 1, column: 1), message: "YAML: \(e)")
            }
        }

        mutating func checkKeys(_ m: Node.Mapping, allowed: [String]) {
            for (k, _) in m {
                guard let key = k.scalar?.string else { fail(.wrongType, k, "a key must be a plain name", expected: "one of \(allowed.joined(separator: ", "))"); continue }
                if !allowed.contains(key) {
                    fail(.unknownKey, k, "unknown key '\(key)'", expected: "one of \(allowed.sorted().joined(separator: ", "))",
                         suggestion: Nearest.name(key, in: allowed))
                }
            }
        }

        mutating func string(_ n: Node, what: String) -> String? {
            guard case .scalar(let s) = n else { fail(.wrongType, n, "\(what) must be a single value", expected: "a string"); return nil }
            return s.string
        }

        mutating func int(_ n: Node, what: String, min: Int = 0) -> Int? {
            guard let i = n.int, i >= min else { fail(.wrongType, n, "\(what) must be a whole number", expected: "an integer ≥ \(min)"); return nil }
            return i
        }

        mutating func number(_ n: Node, what: String) -> Double? {
            guard case .scalar = n, let d = n.float, d.isFinite else { fail(.wrongType, n, "\(what) must be a number", expected: "a number such as 12 or 0.95"); return nil }
            return d
        }

        mutating func bool(_ n: Node, what: String) -> Bool? {
            guard case .scalar = n, let b = n.string.flatMap(yamlBool) else { fail(.wrongType, n, "\(what) must be true or false", expected: "true or false"); return nil }
            return b
        }

        /// A title or text: a string, or `{zh: …, en: …}`; its placeholders are checked.
        mutating func text(_ n: Node, what: String) -> LocalText? {
            var t: LocalText
            switch n {
            case .scalar(let s):
                t = LocalText(s.string)
            case .mapping(let m):
                checkKeys(m, allowed: ["zh", "en"])
                guard let zhNode = m["zh"], let zh = string(zhNode, what: "\(what).zh") else {
                    fail(.missingKey, n, "\(what) needs zh:", expected: "{zh: 中文, en: English}"); return nil
                }
                let en = m["en"].flatMap { string($0, what: "\(what).en") } ?? zh
                t = LocalText(zh: zh, en: en)
            default:
                fail(.wrongType, n, "\(what) must be text", expected: "a string or {zh: …, en: …}"); return nil
            }
            for text in Set([t.zh, t.en]) {
                for (p, _) in Placeholders.find(in: text) {
                    if let problem = Placeholders.problem(p) {
                        let names = Placeholders.names + MetricNames.known.map { "=" + $0 }
                        fail(.unknownPlaceholder, n, "unknown placeholder '{\(p)}' in \(what)", expected: problem,
                             suggestion: Nearest.name(p, in: names).map { "{\($0)}" })
                    }
                }
            }
            return t
        }

        mutating func size(_ n: Node) -> LayoutSize? {
            if case .scalar(let s) = n {
                let v = s.string.trimmingSpaces
                if let i = Int(v), i >= 1 { return .cells(i) }
                if v == "auto" { return .auto }
                if v.hasSuffix("fr"), let f = Int(String(v.dropLast(2)).trimmingSpaces), f >= 1 { return .fraction(f) }
            }
            fail(.badSize, n, "bad size '\(n.scalar?.string ?? "…")'", expected: "a number of cells (e.g. 4), a share such as 2fr, or auto")
            return nil
        }

        mutating func metric(_ n: Node, what: String) -> MetricBinding? {
            var name: String?, label: LocalText? = nil, priority = 0, th: Thresholds? = nil
            switch n {
            case .scalar(let s): name = s.string
            case .mapping(let m):
                checkKeys(m, allowed: ["metric", "label", "priority", "thresholds"])
                guard let mn = m["metric"] else { fail(.missingKey, n, "\(what) needs metric:", expected: "{metric: cases.open, label: 在办}"); return nil }
                name = string(mn, what: "metric")
                if let l = m["label"] { label = text(l, what: "label") }
                if let p = m["priority"] { priority = int(p, what: "priority", min: Int.min) ?? 0 }
                if let t = m["thresholds"] { th = thresholds(t) }
            default:
                fail(.wrongType, n, "\(what) must be a metric", expected: "a metric name or {metric: …, label: …}"); return nil
            }
            guard let name else { return nil }
            if let problem = MetricNames.problem(name) {
                fail(.unknownMetric, n, "unknown metric '\(name)'", expected: problem, suggestion: MetricNames.nearest(name))
                return nil
            }
            return MetricBinding(metric: name, label: label, priority: priority, thresholds: th, mark: mark(n))
        }

        mutating func thresholds(_ n: Node) -> Thresholds? {
            guard case .mapping(let m) = n else { fail(.wrongType, n, "thresholds must be a mapping", expected: "{yellow: 1, red: 10, better: lower}"); return nil }
            checkKeys(m, allowed: ["yellow", "red", "better", "by"])
            var t = Thresholds()
            if let y = m["yellow"] { t.yellow = number(y, what: "yellow") }
            if let r = m["red"] { t.red = number(r, what: "red") }
            if let b = m["better"], let s = string(b, what: "better") {
                if let v = Thresholds.Better(rawValue: s) { t.better = v } else {
                    fail(.badThresholds, b, "better must be lower or higher", expected: "lower or higher", suggestion: Nearest.name(s, in: ["lower", "higher"]))
                }
            }
            if let b = m["by"], let s = string(b, what: "by") {
                if let v = Thresholds.By(rawValue: s) { t.by = v } else {
                    fail(.badThresholds, b, "by must be value or delta", expected: "value or delta", suggestion: Nearest.name(s, in: ["value", "delta"]))
                }
            }
            if t.by == .value, t.yellow == nil, t.red == nil {
                fail(.badThresholds, n, "thresholds by value need yellow:, red: or both", expected: "{yellow: N, red: M}")
            }
            if let y = t.yellow, let r = t.red, t.better == .lower ? y > r : y < r {
                fail(.badThresholds, n, "yellow (\(written(y))) comes after red (\(written(r))) when \(t.better.rawValue) is better",
                     expected: t.better == .lower ? "yellow ≤ red" : "yellow ≥ red")
            }
            return t
        }

        mutating func node(_ n: Node, isTop: Bool = false) -> LayoutNode? {
            guard case .mapping(let m) = n else {
                fail(.wrongType, n, "a part of the grid must be a mapping", expected: "rows:, columns: or widget:"); return nil
            }
            var size = LayoutSize.fraction(1)
            if !isTop, let s = m["size"] { size = self.size(s) ?? size }
            let has = (rows: m["rows"] != nil, columns: m["columns"] != nil, widget: m["widget"] != nil)
            let count = [has.rows, has.columns, has.widget].filter { $0 }.count
            if count != 1 {
                fail(count == 0 ? .missingKey : .badValue, n, count == 0 ? "a part of the grid needs rows:, columns: or widget:" : "rows:, columns: and widget: exclude each other",
                     expected: "exactly one of rows:, columns:, widget:")
                return nil
            }
            if has.widget {
                if isTop { fail(.badValue, n, "the top of a layout holds rows: or columns:", expected: "rows: or columns:"); return nil }
                return panel(m, n, size: size)
            }
            if !isTop { checkKeys(m, allowed: LayoutLoader.nodeKeys) }
            let gapNode = m["gap"]
            let listNode = has.rows ? m["rows"]! : m["columns"]!
            guard case .sequence(let seq) = listNode else {
                fail(.wrongType, listNode, "\(has.rows ? "rows" : "columns") must be a list", expected: "a list of parts (- widget: … or - rows: …)"); return nil
            }
            let parts = Array(seq).compactMap { node($0) }
            if Array(seq).isEmpty { fail(.empty, listNode, "an empty \(has.rows ? "rows" : "columns") list", expected: "at least one part") }
            let gap = gapNode.flatMap { int($0, what: "gap") } ?? (has.rows ? 0 : 1)
            guard !parts.isEmpty else { return nil }
            return LayoutNode(size: size, gap: gap, content: has.rows ? .rows(parts) : .columns(parts), mark: mark(n))
        }

        mutating func panel(_ m: Node.Mapping, _ n: Node, size: LayoutSize) -> LayoutNode? {
            panelCount += 1
            guard let wn = m["widget"], let w = string(wn, what: "widget") else { return nil }
            guard let spec = widgets[w] else {
                fail(.unknownWidget, wn, "unknown widget '\(w)'", expected: "one of \(widgets.keys.sorted().joined(separator: ", "))",
                     suggestion: Nearest.name(w, in: Array(widgets.keys)))
                return nil
            }
            checkKeys(m, allowed: LayoutLoader.panelKeys + spec.options.keys)
            var p = Panel(id: "\(w)-\(panelCount)", widget: w, title: nil, metrics: [], thresholds: nil, priority: 0, of: nil,
                          options: [:], minWidth: nil, minHeight: nil, mark: mark(n))
            if let i = m["id"], let s = string(i, what: "id") { p.id = s }
            if let t = m["title"] { p.title = text(t, what: "title") }
            if let mm = m["metric"] { if let b = metric(mm, what: "metric") { p.metrics = [b] } }
            if let ms = m["metrics"] {
                if m["metric"] != nil { fail(.badValue, ms, "metric: and metrics: exclude each other", expected: "one of them") }
                if case .sequence(let seq) = ms { p.metrics = Array(seq).compactMap { metric($0, what: "metrics item") } } else {
                    fail(.wrongType, ms, "metrics must be a list", expected: "a list such as [cases.open, cases.overdue]")
                }
            }
            let metricsGiven = m["metric"] != nil || m["metrics"] != nil
            let given: Int
            if case .sequence(let seq)? = m["metrics"] { given = Array(seq).count } else { given = m["metric"] != nil ? 1 : 0 }
            if spec.maxMetrics == 0, metricsGiven {
                fail(.badValue, m["metric"] ?? m["metrics"]!, "widget '\(w)' binds no metrics", expected: "no metric: or metrics: here")
            } else if given < spec.minMetrics {
                fail(.missingKey, n, "widget '\(w)' needs \(spec.minMetrics == 1 ? "a metric" : "\(spec.minMetrics) metrics")",
                     expected: spec.minMetrics == 1 ? "metric: NAME" : "metrics: [at least \(spec.minMetrics)]")
            } else if given > spec.maxMetrics {
                fail(.badValue, m["metrics"] ?? n, "widget '\(w)' shows at most \(spec.maxMetrics) metric\(spec.maxMetrics == 1 ? "" : "s")",
                     expected: "\(spec.maxMetrics) or fewer")
            }
            if let t = m["thresholds"] { p.thresholds = thresholds(t) }
            if let pr = m["priority"] { p.priority = int(pr, what: "priority", min: Int.min) ?? 0 }
            if let o = m["of"], let s = string(o, what: "of") {
                if let v = Panel.Of(rawValue: s) { p.of = v } else {
                    fail(.badValue, o, "of must be unit or children", expected: "unit or children", suggestion: Nearest.name(s, in: ["unit", "children"]))
                }
            }
            if let v = m["source"], let s = string(v, what: "source") { p.options["source"] = .string(s) }
            if let v = m["min_width"] { p.minWidth = int(v, what: "min_width", min: 1) }
            if let v = m["min_height"] { p.minHeight = int(v, what: "min_height", min: 1) }
            for (key, kind) in spec.options {
                guard let v = m[key] else {
                    if spec.required.contains(key) { fail(.missingKey, n, "widget '\(w)' needs \(key):", expected: "\(key): …") }
                    continue
                }
                switch kind {
                case .string: if let s = string(v, what: key) { p.options[key] = .string(s) }
                case .number: if let d = number(v, what: key) { p.options[key] = .number(d) }
                case .bool: if let b = bool(v, what: key) { p.options[key] = .bool(b) }
                case .text: if let t = text(v, what: key) { p.options[key] = .text(t) }
                case .metric: if let b = metric(v, what: key) { p.options[key] = .metric(b) }
                case .oneOf(let values):
                    if let s = string(v, what: key) {
                        if values.contains(s) { p.options[key] = .string(s) } else {
                            fail(.badValue, v, "\(key) '\(s)' is not known", expected: values.joined(separator: ", "), suggestion: Nearest.name(s, in: values))
                        }
                    }
                }
            }
            return LayoutNode(size: size, gap: 0, content: .panel(p), mark: mark(n))
        }
    }
}

/// A threshold as written: no ".0" on whole numbers.
func written(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
