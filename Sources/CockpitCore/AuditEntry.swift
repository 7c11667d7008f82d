/// One line of the append-only audit log: who did what to which alert, and when.
public struct AuditEntry: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case opened, reopened, level, resolved      // by the data (actor "rules")
        case acknowledged, noted, assigned, closed, reopenedByHand = "reopened_by_hand"  // by a person
    }

    public var seq: Int64
    /// When it happened (the evaluation's `at` for the rules, the clock for people).
    public var at: Int64
    public var alert: Int64
    public var actor: String
    public var action: Action
    public var level: AlertItem.Level?
    public var state: AlertItem.State?
    public var value: Double?
    public var note: String?

    public init(seq: Int64, at: Int64, alert: Int64, actor: String, action: Action, level: AlertItem.Level?,
                state: AlertItem.State?, value: Double?, note: String?) {
        self.seq = seq; self.at = at; self.alert = alert; self.actor = actor; self.action = action
        self.level = level; self.state = state; self.value = value; self.note = note
    }

    /// The actor of changes the rules make.
    public static let rulesActor = "rules"
}
