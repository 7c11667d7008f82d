import CockpitLayout

/// Where each panel of a layout goes in a rectangle, and which panels gave way.
public struct Arrangement: Sendable {
    public var placed: [(panel: Panel, rect: Rect)]
    /// Panels that did not fit, lowest priority first out: reachable behind Tab.
    public var hidden: [Panel]
}

/// Splits a rectangle by a layout's rows and columns. When a panel gets less than its minimum
/// size, the lowest-priority panel competing for that room (along the axis that is short) is
/// taken out and the rest laid out again: small terminals lose the least important panels first.
public enum Arranger {
    public static func arrange(_ layout: Layout, in rect: Rect,
                               minSize: (Panel) -> (width: Int, height: Int),
                               preferredHeight: (Panel, Int) -> Int? = { _, _ in nil }) -> Arrangement {
        let order = Dictionary(layout.panels.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var removed: [Panel] = []
        var removedIDs = Set<String>()
        while true {
            var placed: [(Panel, Rect)] = []
            var short: [[Panel]] = []
            place(layout.root, rect, chain: [], removed: removedIDs, placed: &placed, short: &short,
                  minSize: minSize, preferredHeight: preferredHeight)
            if short.isEmpty { return Arrangement(placed: placed, hidden: removed) }
            // Among everything competing for short room, the lowest priority goes; on a tie, the later one.
            let candidates = short.flatMap { $0 }
            guard let out = candidates.min(by: { a, b in
                a.priority != b.priority ? a.priority < b.priority : (order[a.id] ?? 0) > (order[b.id] ?? 0)
            }) else { return Arrangement(placed: placed, hidden: removed) }
            removed.append(out)
            removedIDs.insert(out.id)
        }
    }

    /// A container on the way down: its axis and the panels below it still in play.
    private struct Ancestor { var rows: Bool; var panels: [Panel] }

    private static func live(_ node: LayoutNode, _ removed: Set<String>) -> Bool {
        node.panels.contains { !removed.contains($0.id) }
    }

    private static func place(_ node: LayoutNode, _ rect: Rect, chain: [Ancestor], removed: Set<String>,
                              placed: inout [(Panel, Rect)], short: inout [[Panel]],
                              minSize: (Panel) -> (width: Int, height: Int), preferredHeight: (Panel, Int) -> Int?) {
        switch node.content {
        case .panel(let p):
            let (mw, mh) = minSize(p)
            placed.append((p, rect))
            if rect.width < mw { short.append(competitors(p, chain, rows: false)) }
            if rect.height < mh { short.append(competitors(p, chain, rows: true)) }
        case .rows(let parts), .columns(let parts):
            let rows: Bool = { if case .rows = node.content { return true }; return false }()
            let alive = parts.filter { live($0, removed) }
            guard !alive.isEmpty else { return }
            let me = Ancestor(rows: rows, panels: node.panels.filter { !removed.contains($0.id) })
            let length = rows ? rect.height : rect.width
            let cross = rows ? rect.width : rect.height
            let sizes = split(alive, length: length, gap: node.gap) { part in
                guard rows, case .panel(let p) = part.content else { return nil }
                return preferredHeight(p, cross)
            }
            var offset = rows ? rect.y : rect.x
            for (part, len) in zip(alive, sizes) {
                let r = rows ? Rect(x: rect.x, y: offset, width: rect.width, height: len)
                             : Rect(x: offset, y: rect.y, width: len, height: rect.height)
                place(part, r, chain: chain + [me], removed: removed, placed: &placed, short: &short,
                      minSize: minSize, preferredHeight: preferredHeight)
                offset += len + node.gap
            }
        }
    }

    /// Who competes with `p` for room along an axis: the panels of its nearest container on that axis.
    private static func competitors(_ p: Panel, _ chain: [Ancestor], rows: Bool) -> [Panel] {
        chain.last(where: { $0.rows == rows })?.panels ?? [p]
    }

    /// Lengths along the axis: fixed cells first (as far as they go), then what panels ask for
    /// (`auto`), then fractions share the rest. Room left with no fraction goes to the last part.
    static func split(_ parts: [LayoutNode], length: Int, gap: Int, preferred: (LayoutNode) -> Int?) -> [Int] {
        var left = max(0, length - gap * max(0, parts.count - 1))
        var out = Array(repeating: 0, count: parts.count)
        var shares: [(Int, Int)] = []
        for (i, p) in parts.enumerated() {
            if case .cells(let n) = p.size { out[i] = min(n, left); left -= out[i] }
        }
        for (i, p) in parts.enumerated() {
            if case .auto = p.size {
                if let want = preferred(p) { out[i] = min(want, left); left -= out[i] } else { shares.append((i, 1)) }
            }
            if case .fraction(let f) = p.size { shares.append((i, f)) }
        }
        let total = shares.reduce(0) { $0 + $1.1 }
        if total > 0 {
            var given = 0
            for (i, f) in shares { out[i] = left * f / total; given += out[i] }
            var extra = left - given
            for (i, _) in shares where extra > 0 { out[i] += 1; extra -= 1 }
        } else if let last = out.indices.last {
            out[last] += left
        }
        return out
    }
}
