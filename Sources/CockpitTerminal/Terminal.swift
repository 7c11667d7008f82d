import CNCurses
import CockpitUI
#if canImport(Glibc)
import Glibc
#endif

public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
}

/// The ncurses backend: copies a canvas to the terminal and turns keystrokes into keys.
/// Each frame is erase() + draw + refresh(): ncurses compares with what the terminal already
/// shows and sends only the difference, so an unchanged frame costs (next to) nothing.
public final class Terminal {
    public enum ColorMode: Sendable { case auto, none }

    private var pairs: [Tint: Int16] = [:]
    private var grey: (pair: Int16, dim: Bool) = (0, true)
    public private(set) var hasColor = false
    private var running = false

    /// Refuses pipes and dumb terminals up front, with a message that says what to use instead.
    public static func check(environment env: [String: String]) -> String? {
        if isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            return "cockpit needs an interactive terminal; to print a screen as text use `cockpit snapshot`"
        }
        let term = env["TERM"] ?? ""
        if term.isEmpty || term == "dumb" {
            return "TERM is \(term.isEmpty ? "not set" : "'dumb'"): cockpit needs a terminal with cursor addressing; to print a screen as text use `cockpit snapshot`"
        }
        return nil
    }

    public init(colorMode: ColorMode) throws {
        setlocale(LC_ALL, "")
        guard cockpit_start(25) == 0 else { throw TerminalError(description: "cannot start the terminal (TERM=\(String(cString: getenv("TERM") ?? strdup("")!)))") }
        running = true
        cockpit_install_signal_handlers()
        if colorMode == .auto, has_colors() {
            hasColor = true
            let table: [(Tint, Int16)] = [(.red, Int16(COLOR_RED)), (.yellow, Int16(COLOR_YELLOW)), (.green, Int16(COLOR_GREEN)),
                                          (.cyan, Int16(COLOR_CYAN)), (.blue, Int16(COLOR_BLUE)), (.magenta, Int16(COLOR_MAGENTA)),
                                          (.title, Int16(COLOR_BLUE))]
            for (i, (tint, color)) in table.enumerated() {
                init_pair(Int16(i + 1), color, -1)
                pairs[tint] = Int16(i + 1)
            }
            // Grey: bright black where the terminal has 16+ colours, else dim white.
            let greyPair = Int16(table.count + 1)
            if cockpit_colors() >= 16 {
                init_pair(greyPair, 8, -1)
                grey = (greyPair, false)
            } else {
                init_pair(greyPair, Int16(COLOR_WHITE), -1)
                grey = (greyPair, true)
            }
        }
    }

    deinit { stop() }

    /// Gives the terminal back (idempotent): cursor visible, modes restored.
    public func stop() {
        guard running else { return }
        running = false
        cockpit_stop()
    }

    public var size: (width: Int, height: Int) { (Int(cockpit_cols()), Int(cockpit_lines())) }

    /// Forces the next frame to be sent whole (after SIGCONT, or to heal a garbled screen).
    public func invalidate() { cockpit_invalidate() }

    /// Keyboard interrupts (Ctrl-C, Ctrl-\, Ctrl-Z) become plain keys: for walls, which no key may end.
    /// Signals sent with kill(1), and SIGHUP from a dropped connection, still end the program.
    public func keysOnly() { cockpit_keys_only() }

    /// Gives freed heap back to the system (after start-up, which parses layouts and loads a lot once).
    public func trimHeap() { cockpit_trim_heap() }

    public func draw(_ canvas: Canvas) {
        erase()
        for y in 0..<canvas.height {
            var x = 0
            while x < canvas.width {
                let style = canvas[x, y].style
                var text = ""
                let start = x
                while x < canvas.width, canvas[x, y].style == style {
                    text += canvas[x, y].text
                    x += 1
                }
                // The bottom-right cell would scroll some terminals: leave it alone.
                if y == canvas.height - 1, x == canvas.width, text.hasSuffix(" ") { text.removeLast() }
                if text.isEmpty { continue }
                let (attrs, pair) = attributes(style)
                _ = cockpit_put(Int32(y), Int32(start), text, attrs, pair)
            }
        }
        refresh()
    }

    private func attributes(_ s: Style) -> (Int32, Int16) {
        var a: Int32 = 0
        if s.bold { a |= cockpit_attr_bold() }
        if s.reverse { a |= cockpit_attr_reverse() }
        if s.dim { a |= cockpit_attr_dim() }
        guard hasColor else { return (a, 0) }
        if s.tint == .grey {
            if grey.dim { a |= cockpit_attr_dim() }
            return (a, grey.pair)
        }
        return (a, pairs[s.tint] ?? 0)
    }

    /// The next key within `timeoutMs`, or nil.
    public func readKey(timeoutMs: Int) -> Key? {
        var ch: UInt32 = 0
        switch cockpit_read_key(Int32(timeoutMs), &ch) {
        case 1: return KeyDecoder.character(ch)
        case 2:
            if Int32(ch) == KEY_MOUSE {
                var x: Int32 = 0, y: Int32 = 0
                return cockpit_read_mouse(&x, &y) == 1 ? .click(x: Int(x), y: Int(y)) : nil
            }
            return KeyDecoder.keyCode(Int32(ch))
        default: return nil
        }
    }

    /// The last signal received (SIGINT, SIGTERM, SIGHUP, SIGQUIT), or 0.
    public func takeSignal() -> Int32 { cockpit_take_signal() }
    public func takeContinued() -> Bool { cockpit_take_continued() != 0 }
}

/// Turns what ncurses reports into keys; kept apart so it can be tested without a terminal.
public enum KeyDecoder {
    public static func character(_ ch: UInt32) -> Key? {
        switch ch {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 0..<32: return nil
        default: return Unicode.Scalar(ch).map { .char(Character($0)) }
        }
    }

    public static func keyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_RESIZE: return .resize
        case KEY_F0 + 1: return .f1
        default: return nil
        }
    }
}
