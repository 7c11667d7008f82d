import CockpitCore

/// What the duty officer's screen shows, filled by the app from the store.
public struct DutyData: Sendable, Equatable {
    public struct Incident: Sendable, Equatable {
        public var alert: AlertItem
        /// The rule's title (its id when the rule is not known here).
        public var title: String
        /// "下城区 › 武林街道 › 竹竿巷社区".
        public var unitPath: String
        /// "≥ 1 黄 · ≥ 5 红", when the rule is known.
        public var thresholds: String?
        public init(alert: AlertItem, title: String, unitPath: String, thresholds: String? = nil) {
            self.alert = alert; self.title = title; self.unitPath = unitPath; self.thresholds = thresholds
        }
    }

    /// Open and acknowledged alerts, worst first.
    public var incidents: [Incident]
    /// The figures of the selected incident's unit now (metric, value), the alert's own first.
    public var figures: [(String, Double?)]
    /// The cases behind the selected incident (for case figures), most overdue first, and how many in all.
    public var cases: [CaseListItem]
    public var casesTotal: Int
    /// The selected incident's audit log, oldest first.
    public var timeline: [AuditEntry]
    public var at: Int64
    public var unitNames: [String: String]

    public init(incidents: [Incident], figures: [(String, Double?)] = [], cases: [CaseListItem] = [], casesTotal: Int = 0,
                timeline: [AuditEntry] = [], at: Int64, unitNames: [String: String] = [:]) {
        self.incidents = incidents; self.figures = figures; self.cases = cases; self.casesTotal = casesTotal
        self.timeline = timeline; self.at = at; self.unitNames = unitNames
    }

    public static func == (a: DutyData, b: DutyData) -> Bool {
        a.incidents == b.incidents && a.figures.map(\.0) == b.figures.map(\.0) && a.figures.map(\.1) == b.figures.map(\.1)
            && a.cases == b.cases && a.casesTotal == b.casesTotal && a.timeline == b.timeline && a.at == b.at
    }
}

/// A change the officer asks for, carried out by the app against the store.
public struct DutyCommand: Sendable, Equatable {
    public enum Kind: String, Sendable { case acknowledge, note, assign, close }
    public var kind: Kind
    public var alert: Int64
    public var text: String
    public init(kind: Kind, alert: Int64, text: String) { self.kind = kind; self.alert = alert; self.text = text }
}

public enum DutyEffect: Sendable, Equatable {
    case none, redraw
    /// Another incident is selected: its cases and timeline must be loaded.
    case reload
    case perform(DutyCommand)
    case quit
}

/// The duty screen's state: which incident, what is being typed, whether the bell is muted.
public struct DutyModel: Sendable, Equatable {
    public var officer: String
    public var selected: Int64?
    /// The input line: what it is for and what has been typed.
    public var input: (kind: DutyCommand.Kind, text: String)?
    public var muted: Bool
    /// The last action's outcome ("#12 已确认" or the store's refusal).
    public var message: String?
    /// Red alert episodes already seen (id, opened at), so the bell rings once per new one.
    var seenRed: Set<String> = []
    var started = false

    public init(officer: String, muted: Bool = false) { self.officer = officer; self.muted = muted }

    public static func == (a: DutyModel, b: DutyModel) -> Bool {
        a.officer == b.officer && a.selected == b.selected && a.input?.kind == b.input?.kind && a.input?.text == b.input?.text
            && a.muted == b.muted && a.message == b.message
    }

    public func selectedIndex(in data: DutyData) -> Int? {
        guard !data.incidents.isEmpty else { return nil }
        return data.incidents.firstIndex { $0.alert.id == selected } ?? 0
    }

    /// Keeps the selection on the same alert when the list changes (or on the first one).
    public mutating func follow(_ data: DutyData) {
        if let i = selectedIndex(in: data) { selected = data.incidents[i].alert.id } else { selected = nil }
    }

    /// Whether a new red alert (or a re-opened or escalated one) arrived with `data`: ring the
    /// bell unless muted. Alerts already there when the screen starts do not ring.
    public mutating func shouldRing(for data: DutyData) -> Bool {
        let red = Set(data.incidents.filter { $0.alert.level == .red && $0.alert.state == .open }
            .map { "\($0.alert.id)@\($0.alert.openedAt)" })
        let fresh = !red.subtracting(seenRed).isEmpty
        seenRed.formUnion(red)
        defer { started = true }
        return fresh && started && !muted
    }

    public mutating func update(_ key: Key, data: DutyData) -> DutyEffect {
        if key == .resize { return .redraw }
        if var line = input {
            switch key {
            case .escape: input = nil; return .redraw
            case .enter:
                input = nil
                guard let id = selected ?? selectedIndex(in: data).map({ data.incidents[$0].alert.id }) else { return .redraw }
                return .perform(DutyCommand(kind: line.kind, alert: id, text: line.text))
            case .backspace:
                if !line.text.isEmpty { line.text.removeLast() }
                input = line
                return .redraw
            case .char(let c):
                line.text.append(c)
                input = line
                return .redraw
            default: return .none
            }
        }
        let count = data.incidents.count
        let index = selectedIndex(in: data) ?? 0
        func select(_ i: Int) -> DutyEffect {
            guard count > 0 else { return .none }
            let j = max(0, min(count - 1, i))
            guard data.incidents[j].alert.id != selected || selected == nil else { return .none }
            selected = data.incidents[j].alert.id
            return .reload
        }
        switch key {
        case .up, .char("k"): return select(index - 1)
        case .down, .char("j"): return select(index + 1)
        case .home, .char("g"): return select(0)
        case .end, .char("G"): return select(count - 1)
        case .pageUp: return select(index - 10)
        case .pageDown: return select(index + 10)
        case .char("q"): return .quit
        case .char("m"):
            muted.toggle()
            return .redraw
        case .char("r"): return .reload
        case .char("a"), .char("n"), .char("s"), .char("c"):
            guard count > 0 else { return .none }
            if selected == nil { selected = data.incidents[index].alert.id }
            let kind: DutyCommand.Kind = switch key {
            case .char("a"): .acknowledge
            case .char("n"): .note
            case .char("s"): .assign
            default: .close
            }
            input = (kind, "")
            message = nil
            return .redraw
        default: return .none
        }
    }
}
