/// Colours by meaning, mapped to terminal colours by the backend (or dropped in monochrome).
public enum Tint: UInt8, Sendable, CaseIterable {
    case normal, red, yellow, green, cyan, blue, magenta, grey, title
}

public struct Style: Hashable, Sendable {
    public var tint: Tint
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(_ tint: Tint = .normal, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.tint = tint; self.bold = bold; self.reverse = reverse; self.dim = dim
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
}

/// One terminal cell. A wide character sits in its first cell; the second is a continuation
/// (`text` empty) so that columns stay countable and nothing is drawn twice.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style
    public var isContinuation: Bool { text.isEmpty }

    public static let blank = Cell(text: " ", style: .plain)
}

public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func inset(_ d: Int) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    public func inset(dx: Int, dy: Int) -> Rect { Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy) }

    /// Splits off the top `h` rows: (top, rest).
    public func takeTop(_ h: Int) -> (Rect, Rect) {
        let h = min(max(0, h), height)
        return (Rect(x: x, y: y, width: width, height: h), Rect(x: x, y: y + h, width: width, height: height - h))
    }

    public func takeBottom(_ h: Int) -> (Rect, Rect) {
        let h = min(max(0, h), height)
        return (Rect(x: x, y: y, width: width, height: height - h), Rect(x: x, y: maxY - h, width: width, height: h))
    }

    /// `n` columns of equal width (the remainder goes to the first ones), `gap` columns apart.
    public func columns(_ n: Int, gap: Int = 1) -> [Rect] {
        guard n > 0 else { return [] }
        let usable = width - gap * (n - 1)
        let base = usable / n, extra = usable % n
        var out: [Rect] = []
        var cx = x
        for i in 0..<n {
            let w = base + (i < extra ? 1 : 0)
            out.append(Rect(x: cx, y: y, width: w, height: height))
            cx += w + gap
        }
        return out
    }
}

/// A grid of cells that screens draw into. Knows display widths; knows nothing of terminals.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    public var ambiguousWide: Bool
    /// Which list row each screen line shows, so that a click can be turned into a pick.
    public var rowTargets: [Int: (list: ListKind, row: Int)] = [:]
    /// The panels Tab can reach on this frame, in order (set by the screen, read into the model).
    public var focusables: [PanelFocus] = []

    /// The list row under a click at (x, y), if any.
    public func target(x: Int, y: Int) -> Key? {
        guard let t = rowTargets[y] else { return nil }
        return .pick(t.list, t.row)
    }

    public init(width: Int, height: Int, ambiguousWide: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.ambiguousWide = ambiguousWide
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Columns a grapheme takes; control characters take none (they are never drawn).
    func columns(of ch: Character) -> Int {
        var w = 0
        for s in ch.unicodeScalars {
            if DisplayWidth.isControl(s) { return 0 }
            w += DisplayWidth.of(s, ambiguousWide: ambiguousWide)
        }
        return min(w, 2)
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns and to the canvas. A wide character
    /// that would be cut in half is replaced by a space. Returns the columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var cx = x
        for ch in text {
            let w = columns(of: ch)
            if w == 0 {
                // Combining marks join the previous cell; control characters are dropped.
                if !ch.unicodeScalars.contains(where: DisplayWidth.isControl), cx > x, cx - 1 >= 0 {
                    var prev = cx - 1
                    while prev > 0, self[prev, y].isContinuation { prev -= 1 }
                    self[prev, y].text.append(ch)
                }
                continue
            }
            if cx + w > limit {
                if cx < limit, cx >= 0 { self[cx, y] = Cell(text: " ", style: style) }
                break
            }
            if cx >= 0 {
                clearWide(at: cx, y: y)
                self[cx, y] = Cell(text: String(ch), style: style)
                if w == 2 {
                    clearWide(at: cx + 1, y: y)
                    self[cx + 1, y] = Cell(text: "", style: style)
                }
            }
            cx += w
        }
        return max(0, cx - x)
    }

    /// Overwriting half of a wide character must blank its other half.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        if self[x, y].isContinuation, x > 0 { self[x - 1, y] = Cell(text: " ", style: self[x - 1, y].style) }
        if x + 1 < width, self[x + 1, y].isContinuation, !self[x, y].isContinuation {
            self[x + 1, y] = Cell(text: " ", style: self[x + 1, y].style)
        }
    }

    public mutating func fill(_ rect: Rect, style: Style = .plain, char: String = " ") {
        for yy in max(0, rect.y)..<min(height, rect.maxY) {
            for xx in max(0, rect.x)..<min(width, rect.maxX) {
                clearWide(at: xx, y: yy)
                self[xx, yy] = Cell(text: char, style: style)
            }
        }
    }

    /// A box with Unicode light lines (or ASCII), and a title in the top border.
    public mutating func box(_ r: Rect, title: String? = nil, style: Style = Style(.grey), titleStyle: Style = .bold, ascii: Bool = false) {
        guard r.width >= 2, r.height >= 2 else { return }
        let h = ascii ? "-" : "─", v = ascii ? "|" : "│"
        let corners = ascii ? ["+", "+", "+", "+"] : ["┌", "┐", "└", "┘"]
        put(corners[0] + String(repeating: h, count: r.width - 2) + corners[1], x: r.x, y: r.y, style: style)
        for yy in (r.y + 1)..<(r.maxY - 1) {
            put(v, x: r.x, y: yy, style: style)
            put(v, x: r.maxX - 1, y: yy, style: style)
        }
        put(corners[2] + String(repeating: h, count: r.width - 2) + corners[3], x: r.x, y: r.maxY - 1, style: style)
        if let title, r.width > 6 {
            put(" " + Text.fit(title, r.width - 6, ambiguousWide: ambiguousWide) + " ", x: r.x + 2, y: r.y, style: titleStyle)
        }
    }

    /// The canvas as plain text lines, trailing spaces removed (what `snapshot` prints).
    public func lines() -> [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width where !self[x, y].isContinuation { s += self[x, y].text }
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
    }

    public var text: String { lines().joined(separator: "\n") }
}

/// Fitting text into columns.
public enum Text {
    public static func width(_ s: String, ambiguousWide: Bool = false) -> Int {
        var w = 0
        for ch in s {
            var cw = 0
            for sc in ch.unicodeScalars where !DisplayWidth.isControl(sc) { cw += DisplayWidth.of(sc, ambiguousWide: ambiguousWide) }
            w += min(cw, 2)
        }
        return w
    }

    /// `s` cut to at most `columns`, ending in "…" when cut; a wide character is never split.
    public static func fit(_ s: String, _ columns: Int, ambiguousWide: Bool = false) -> String {
        guard columns > 0 else { return "" }
        if width(s, ambiguousWide: ambiguousWide) <= columns { return s }
        var out = ""
        var w = 0
        for ch in s {
            let cw = width(String(ch), ambiguousWide: ambiguousWide)
            if w + cw > columns - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }

    public enum Align { case left, right, center }

    /// `s` fitted and padded to exactly `columns`.
    public static func pad(_ s: String, _ columns: Int, align: Align = .left, ambiguousWide: Bool = false) -> String {
        let f = fit(s, columns, ambiguousWide: ambiguousWide)
        let gap = max(0, columns - width(f, ambiguousWide: ambiguousWide))
        switch align {
        case .left: return f + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + f
        case .center: return String(repeating: " ", count: gap / 2) + f + String(repeating: " ", count: gap - gap / 2)
        }
    }
}
