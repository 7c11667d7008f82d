/// The "1+8+X" tree: one district, its streets (街道), their communities (社区) and parks (园区).
public struct OrgUnit: Sendable, Equatable, Hashable {
    public enum Tier: String, Sendable, CaseIterable {
        case district, street, community, park

        public var rank: Int {
            switch self {
            case .district: 0
            case .street: 1
            case .community, .park: 2
            }
        }
    }

    public var id: String
    public var name: String
    public var tier: Tier
    public var parent: String?
    public var code: String?

    public init(id: String, name: String, tier: Tier, parent: String?, code: String? = nil) {
        self.id = id; self.name = name; self.tier = tier; self.parent = parent; self.code = code
    }
}

public struct TreeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// An immutable, validated org tree with the lookups the screens and the roll-up need.
public struct OrgTree: Sendable {
    public let units: [OrgUnit]            // in input order, parents before children
    public let root: OrgUnit
    private let index: [String: Int]
    private let childIndex: [String: [Int]]

    public init(units input: [OrgUnit]) throws {
        var index: [String: Int] = [:]
        for (i, u) in input.enumerated() {
            guard index[u.id] == nil else { throw TreeError("unit '\(u.id)' appears twice") }
            index[u.id] = i
        }
        let roots = input.filter { $0.parent == nil }
        guard roots.count == 1, let root = roots.first else {
            throw TreeError(roots.isEmpty ? "the tree has no root (a unit with an empty parent)"
                                          : "the tree has \(roots.count) roots: \(roots.map(\.id).joined(separator: ", "))")
        }
        var children: [String: [Int]] = [:]
        for (i, u) in input.enumerated() {
            guard let p = u.parent else { continue }
            guard index[p] != nil else { throw TreeError("unit '\(u.id)' names an unknown parent '\(p)'") }
            children[p, default: []].append(i)
        }
        // Every unit must reach the root (no cycles).
        for u in input {
            var seen: Set<String> = [u.id]
            var cur = u
            while let p = cur.parent {
                guard seen.insert(p).inserted else { throw TreeError("unit '\(u.id)' is in a parent cycle") }
                cur = input[index[p]!]
            }
        }
        self.units = input
        self.root = root
        self.index = index
        self.childIndex = children
    }

    public func unit(_ id: String) -> OrgUnit? { index[id].map { units[$0] } }
    public func contains(_ id: String) -> Bool { index[id] != nil }

    public func children(of id: String) -> [OrgUnit] { (childIndex[id] ?? []).map { units[$0] } }

    /// From the root down to `id`, inclusive.
    public func path(to id: String) -> [OrgUnit] {
        var out: [OrgUnit] = []
        var cur = unit(id)
        while let u = cur {
            out.append(u)
            cur = u.parent.flatMap { unit($0) }
        }
        return out.reversed()
    }

    /// `id` and all units below it.
    public func subtree(of id: String) -> [OrgUnit] {
        guard let u = unit(id) else { return [] }
        var out = [u]
        var i = 0
        while i < out.count {
            out.append(contentsOf: children(of: out[i].id))
            i += 1
        }
        return out
    }

    /// The subtree under `id` as a tree of its own, `id` its root: what a scoped process (a wall
    /// pinned to one street) is given, so that no screen, list or command line can reach outside.
    public func restricted(to id: String) -> OrgTree? {
        let units = subtree(of: id)
        guard var top = units.first else { return nil }
        top.parent = nil
        return try? OrgTree(units: [top] + units.dropFirst())
    }

    /// Whether `id` is `ancestor` or lies below it.
    public func isWithin(_ id: String, _ ancestor: String) -> Bool {
        path(to: id).contains { $0.id == ancestor }
    }

    /// Up to `limit` ids closest to `query` by edit distance (for "did you mean" messages).
    public func nearest(to query: String, limit: Int = 3) -> [String] {
        units.map { ($0.id, min(editDistance($0.id, query), editDistance($0.name, query))) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
    }
}

/// Levenshtein distance over characters.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
