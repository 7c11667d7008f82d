import CockpitCore
import CockpitStore
import Foundation
import Yams

/// One source as the sources file declares it.
public struct SourceConfig: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case file, sqlite, exec, simulator }

    public var name: String
    public var kind: Kind
    /// The record kind it brings (nil for the simulator, which brings several).
    public var records: IngestKind?
    /// Seconds between polls.
    public var interval: Double = 2
    /// Seconds without success after which the source is stale (default: three intervals, at least 60 s).
    /// 0: never (a one-shot file).
    public var staleAfter: Double? = nil
    /// Records per batch (one transaction).
    public var batch: Int = 10_000
    public var mapping = FieldMapping()
    // file
    public var path: String? = nil
    public var shownPath: String? = nil
    public var format: FileAdapter.Format? = nil
    public var follow = false
    // sqlite
    public var database: String? = nil
    public var table: String? = nil
    public var query: String? = nil
    public var cursor: String? = nil
    public var key: String? = nil
    // exec
    public var command: [String] = []
    public var timeout: Double = 30
    // simulator
    public var seed: UInt64 = 1
    public var rate: Double = 5
    public var feeds: [String] = SimulatorFeed.availableFeeds
    /// Where in the sources file it is declared.
    public var line = 0, column = 0

    /// A source that reads its input once and is then done (a file not followed).
    public var isOneShot: Bool { kind == .file && !follow }

    public var effectiveStaleAfter: Double {
        if let staleAfter { return staleAfter }
        return isOneShot ? 0 : max(60, interval * 3)
    }
}

public struct SourcesFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// The sources file: YAML, checked key by key so that every mistake names its file:line:col and,
/// for a misspelt name, the nearest valid one.
///
/// ```yaml
/// sources:
///   - name: cases-export
///     kind: file              # file | sqlite | exec | simulator
///     records: cases          # what the records are: units, calendar, cases, …
///     path: export/cases.csv  # relative to this file
///     follow: true            # like tail -F
///     mapping: {办件编号: id}  # their field → ours
///     constants: {channel: hall}
/// ```
public struct SourcesFile: Sendable {
    public var sources: [SourceConfig]
    /// Things that stop nothing (a simulator feed this build cannot store yet).
    public var warnings: [String]

    static let commonKeys = ["name", "kind", "records", "interval", "stale_after", "batch", "mapping", "constants"]
    static let kindKeys: [SourceConfig.Kind: [String]] = [
        .file: ["path", "format", "follow"],
        .sqlite: ["database", "table", "query", "cursor", "key"],
        .exec: ["command", "timeout"],
        .simulator: ["seed", "rate", "feeds"],
    ]

    public static func load(path: String) throws -> SourcesFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourcesFileError(file: path, line: 0, column: 0, message: "cannot read the sources file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SourcesFileError(file: path, line: 1, column: 1, message: "the sources file is not UTF-8 text")
        }
        let base = (path as NSString).deletingLastPathComponent
        return try parse(yaml: text, file: path, baseDirectory: base.isEmpty ? "." : base)
    }

    public static func parse(yaml: String, file: String, baseDirectory: String) throws -> SourcesFile {
        func fail(_ mark: Mark?, _ message: String) -> SourcesFileError {
            SourcesFileError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml, .basic) } catch let e as YamlError {
            switch e {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw fail(mark, "YAML: \(problem)")
            default: throw fail(nil, "YAML: \(e)")
            }
        }
        guard let root, let top = root.mapping else { throw fail(root?.mark, "expected a mapping with a 'sources' list") }
        var list: Node.Sequence? = nil
        for (k, v) in top {
            let key = k.string ?? ""
            guard key == "sources" else { throw fail(k.mark, "unknown key '\(key)'" + suggestion(key, ["sources"])) }
            guard let seq = v.sequence else { throw fail(v.mark, "'sources' must be a list of sources (- name: …)") }
            list = seq
        }
        guard let list else { throw fail(root.mark, "no 'sources' list") }

        var sources: [SourceConfig] = []
        var warnings: [String] = []
        var names: [String: Int] = [:]
        for item in list {
            guard let map = item.mapping else { throw fail(item.mark, "a source must be a mapping (name: …, kind: …)") }
            func value(_ key: String) -> Node? { map.first { $0.key.string == key }?.value }
            func scalar(_ key: String) throws -> String? {
                guard let n = value(key) else { return nil }
                guard let s = n.scalar?.string else { throw fail(n.mark, "'\(key)' must be a single value") }
                return s
            }
            func number(_ key: String) throws -> Double? {
                guard let s = try scalar(key) else { return nil }
                guard let d = parseDuration(s), d >= 0 else {
                    throw fail(value(key)?.mark, "'\(key)': '\(s)' is not a number of seconds (e.g. 5, 1.5, 30s, 2m, 1h)")
                }
                return d
            }
            guard let nameNode = value("name"), let name = nameNode.scalar?.string, !name.isEmpty else {
                throw fail(item.mark, "a source needs a 'name'")
            }
            if let line = names[name] { throw fail(nameNode.mark, "a source named '\(name)' is already declared on line \(line)") }
            names[name] = nameNode.mark?.line ?? 0
            guard let kindNode = value("kind"), let kindText = kindNode.scalar?.string else {
                throw fail(item.mark, "source '\(name)' needs a 'kind' (\(SourceConfig.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let kind = SourceConfig.Kind(rawValue: kindText) else {
                throw fail(kindNode.mark, "unknown kind '\(kindText)'" + suggestion(kindText, SourceConfig.Kind.allCases.map(\.rawValue))
                    + " (one of \(SourceConfig.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var c = SourceConfig(name: name, kind: kind)
            c.line = item.mark?.line ?? 0; c.column = item.mark?.column ?? 0
            let allowed = commonKeys + (kindKeys[kind] ?? [])
            for (k, _) in map {
                let key = k.string ?? ""
                guard allowed.contains(key) else {
                    if let other = kindKeys.first(where: { $0.value.contains(key) })?.key {
                        throw fail(k.mark, "'\(key)' is a key of \(other.rawValue) sources, not of \(kind.rawValue) ones" + suggestion(key, allowed))
                    }
                    throw fail(k.mark, "unknown key '\(key)'" + suggestion(key, allowed))
                }
            }
            if let r = try scalar("records") {
                guard kind != .simulator else { throw fail(value("records")?.mark, "a simulator brings several kinds: list them in 'feeds'") }
                guard let rk = IngestKind(rawValue: r) else {
                    let later = SimulatorFeed.feeds.contains(r) ? " (not in this build yet)" : ""
                    throw fail(value("records")?.mark, "unknown records kind '\(r)'\(later)" + suggestion(r, IngestKind.allCases.map(\.rawValue)))
                }
                c.records = rk
            } else if kind != .simulator {
                throw fail(item.mark, "source '\(name)' needs 'records' (\(IngestKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let d = try number("interval") { c.interval = max(0.05, d) }
            c.staleAfter = try number("stale_after")
            if let b = try scalar("batch") {
                guard let n = Int(b), n > 0 else { throw fail(value("batch")?.mark, "'batch' must be a whole number above 0") }
                c.batch = n
            }
            let ours = c.records?.fieldNames ?? []
            if let m = value("mapping") {
                guard let mm = m.mapping else { throw fail(m.mark, "'mapping' must map source fields to ours ({their_name: our_name})") }
                for (k, v) in mm {
                    guard let theirs = k.string, let our = v.scalar?.string else { throw fail(k.mark, "a mapping entry is 'their_field: our_field'") }
                    guard ours.contains(our) else {
                        throw fail(v.mark, "'\(our)' is not a field of \(c.records?.rawValue ?? "these") records" + suggestion(our, ours)
                            + " (fields: \(ours.joined(separator: ", ")))")
                    }
                    c.mapping.renames[theirs] = our
                }
            }
            if let m = value("constants") {
                guard let mm = m.mapping else { throw fail(m.mark, "'constants' must map our fields to values ({channel: hall})") }
                for (k, v) in mm {
                    guard let our = k.string, let val = v.scalar?.string else { throw fail(k.mark, "a constant is 'our_field: value'") }
                    guard ours.contains(our) else {
                        throw fail(k.mark, "'\(our)' is not a field of \(c.records?.rawValue ?? "these") records" + suggestion(our, ours))
                    }
                    c.mapping.constants[our] = val
                }
            }
            func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : baseDirectory + "/" + p }
            switch kind {
            case .file:
                guard let p = try scalar("path") else { throw fail(item.mark, "file source '\(name)' needs a 'path'") }
                c.path = resolve(p); c.shownPath = p
                if let f = try scalar("format") {
                    guard let ff = FileAdapter.Format(rawValue: f) else {
                        throw fail(value("format")?.mark, "unknown format '\(f)'" + suggestion(f, FileAdapter.Format.allCases.map(\.rawValue)) + " (csv or jsonl)")
                    }
                    c.format = ff
                } else {
                    c.format = p.hasSuffix(".jsonl") || p.hasSuffix(".ndjson") || p.hasSuffix(".json") ? .jsonl : .csv
                }
                if let f = value("follow") {
                    guard let b = f.string.flatMap(yamlBool) else { throw fail(f.mark, "'follow' must be true or false") }
                    c.follow = b
                }
            case .sqlite:
                guard let d = try scalar("database") else { throw fail(item.mark, "sqlite source '\(name)' needs a 'database'") }
                c.database = resolve(d)
                c.table = try scalar("table"); c.query = try scalar("query")
                guard (c.table == nil) != (c.query == nil) else {
                    throw fail(item.mark, "sqlite source '\(name)' needs either a 'table' or a 'query' (one of them)")
                }
                guard let cur = try scalar("cursor") else {
                    throw fail(item.mark, "sqlite source '\(name)' needs a 'cursor' column that grows with new rows (e.g. updated_at or rowid)")
                }
                c.cursor = cur
                c.key = try scalar("key")
            case .exec:
                guard let cmd = value("command") else { throw fail(item.mark, "exec source '\(name)' needs a 'command'") }
                if let s = cmd.scalar?.string { c.command = [s] }
                else if let seq = cmd.sequence { c.command = seq.compactMap { $0.scalar?.string } }
                guard !c.command.isEmpty, !c.command[0].isEmpty else { throw fail(cmd.mark, "'command' is a shell line or a list of arguments") }
                if let t = try number("timeout") { c.timeout = max(0.1, t) }
            case .simulator:
                if let s = try scalar("seed") {
                    guard let n = UInt64(s) else { throw fail(value("seed")?.mark, "'seed' must be a whole number") }
                    c.seed = n
                }
                if let r = try number("rate") { c.rate = r }
                if let f = value("feeds") {
                    guard let seq = f.sequence else { throw fail(f.mark, "'feeds' is a list, e.g. [cases, tickets]") }
                    var feeds: [String] = []
                    for n in seq {
                        let s = n.scalar?.string ?? ""
                        guard SimulatorFeed.feeds.contains(s) else {
                            throw fail(n.mark, "unknown feed '\(s)'" + suggestion(s, SimulatorFeed.feeds) + " (\(SimulatorFeed.feeds.joined(separator: ", ")))")
                        }
                        if IngestKind(rawValue: s) == nil {
                            warnings.append("\(file):\(n.mark?.line ?? 0):\(n.mark?.column ?? 0): feed '\(s)' is off: this build has no '\(s)' records yet")
                        } else {
                            feeds.append(s)
                        }
                    }
                    c.feeds = feeds
                }
            }
            sources.append(c)
        }
        return SourcesFile(sources: sources, warnings: warnings)
    }

    /// " (did you mean 'x'?)" when a valid name is close.
    static func suggestion(_ text: String, _ valid: [String]) -> String {
        guard let near = valid.min(by: { editDistance($0, text) < editDistance($1, text) }),
              editDistance(near, text) <= max(2, text.count / 3) else { return "" }
        return " (did you mean '\(near)'?)"
    }

    /// "5", "1.5", "30s", "2m", "1h", "500ms" → seconds.
    static func parseDuration(_ s: String) -> Double? {
        let t = s.trimmingSpaces
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(t)
    }
}
