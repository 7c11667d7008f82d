import CockpitAlerts
import CockpitCore
import Foundation
import GRDB

extension Schema {
    /// Incidents (`alerts`), what the evaluator remembers per key (`alert_tracks`) and the
    /// append-only `audit` log, which triggers make impossible to edit or delete from any
    /// connection, screens included.
    static func registerAlerts(_ m: inout DatabaseMigrator) {
        m.registerMigration("alerts, alert tracks, audit log") { db in
            try db.execute(sql: """
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY,
                    rule TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    level TEXT NOT NULL CHECK (level IN ('yellow', 'red')),
                    state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'closed')),
                    value REAL,
                    opened_at INTEGER NOT NULL,         -- of the current episode (a re-open restarts it)
                    first_opened_at INTEGER NOT NULL,
                    acknowledged_by TEXT,
                    acknowledged_at INTEGER,
                    assigned_to TEXT,
                    note TEXT,
                    resolved_at INTEGER,
                    resolved_by TEXT,
                    reopened INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX alerts_by_state ON alerts (state, level);
                CREATE TABLE alert_tracks (
                    rule TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    alert INTEGER REFERENCES alerts (id),
                    pending_since INTEGER,
                    clear_since INTEGER,
                    awaiting_clear INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (rule, unit, metric)
                ) WITHOUT ROWID;
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    recorded_at INTEGER NOT NULL,       -- the wall clock, even when `at` is a replayed time
                    alert INTEGER NOT NULL REFERENCES alerts (id),
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    level TEXT,
                    state TEXT,
                    value REAL,
                    note TEXT
                );
                CREATE INDEX audit_by_alert ON audit (alert, seq);
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER alerts_no_delete BEFORE DELETE ON alerts
                    BEGIN SELECT RAISE(ABORT, 'alerts are never deleted, only resolved or closed'); END;
                """)
        }
    }
}

/// What one evaluation did.
public struct AlertEvaluation: Sendable, Equatable {
    public var transitions: [AlertTransition]
    /// Alerts open or acknowledged after it.
    public var active: Int
}

/// A person's change to an alert.
public enum AlertAction: Sendable, Equatable {
    case acknowledge(note: String?)
    case note(String)
    case assign(to: String, note: String?)
    /// Resolved by a person: needs a note saying why.
    case close(note: String)
    case reopen(note: String?)
}

extension CockpitStore {
    /// Evaluates `rules` against every unit's figures as of `at` and applies the transitions
    /// (and the audit lines they make) in one transaction. `sources` are the data sources'
    /// statuses, for `source.stale_s` rules. Safe to call from several processes at once.
    @discardableResult
    public func evaluateAlerts(rules: [AlertRule], sources: [SourceStatus] = [], at: Int64,
                               since: Int64? = nil) throws -> AlertEvaluation {
        let tree = try tree()
        let figures = try figures(tree: tree, window: FigureWindow(at: at, since: since))
        let evaluator = AlertEvaluator(rules: rules)
        let recordedAt = Int64(Date().timeIntervalSince1970)
        return try database.writeWithoutTransaction { db in
            var result = AlertEvaluation(transitions: [], active: 0)
            try db.inTransaction(.immediate) {
                let tracks = try Self.loadTracks(db)
                let outcome = evaluator.evaluate(tree: tree, figures: figures, sources: sources, at: at, tracks: tracks)
                var newIDs: [AlertKey: Int64] = [:]
                for t in outcome.transitions {
                    newIDs[t.key] = try Self.apply(t, db: db, at: at, recordedAt: recordedAt)
                }
                for (key, var track) in outcome.tracks where track != tracks[key] || newIDs[key] != nil {
                    if let id = newIDs[key] { track.alertID = id }
                    try db.execute(sql: """
                        INSERT INTO alert_tracks (rule, unit, metric, alert, pending_since, clear_since, awaiting_clear)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (rule, unit, metric) DO UPDATE SET alert = excluded.alert,
                            pending_since = excluded.pending_since, clear_since = excluded.clear_since,
                            awaiting_clear = excluded.awaiting_clear
                        """, arguments: [key.rule, key.unit, key.metric, track.alertID, track.pendingSince,
                                         track.clearSince, track.awaitingClear])
                }
                let active = try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts WHERE state IN ('open', 'acknowledged')") ?? 0
                result = AlertEvaluation(transitions: outcome.transitions, active: active)
                return .commit
            }
            return result
        }
    }

    /// The evaluator's memory, joined with each key's latest incident.
    static func loadTracks(_ db: Database) throws -> [AlertKey: AlertTrack] {
        var out: [AlertKey: AlertTrack] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT t.rule, t.unit, t.metric, t.alert, t.pending_since, t.clear_since, t.awaiting_clear, a.state, a.level
            FROM alert_tracks t LEFT JOIN alerts a ON a.id = t.alert
            """)
        while let r = try rows.next() {
            out[AlertKey(rule: r[0], unit: r[1], metric: r[2])] = AlertTrack(
                alertID: r[3], state: (r[7] as String?).flatMap(AlertItem.State.init), level: (r[8] as String?).flatMap(AlertItem.Level.init),
                pendingSince: r[4], clearSince: r[5], awaitingClear: r[6])
        }
        return out
    }

    /// Writes one transition and its audit line; returns the alert's id.
    static func apply(_ t: AlertTransition, db: Database, at: Int64, recordedAt: Int64) throws -> Int64 {
        let actor = AuditEntry.rulesActor
        switch t {
        case .open(let key, let level, let value):
            try db.execute(sql: """
                INSERT INTO alerts (rule, unit, metric, level, state, value, opened_at, first_opened_at)
                VALUES (?, ?, ?, ?, 'open', ?, ?, ?)
                """, arguments: [key.rule, key.unit, key.metric, level.rawValue, value, at, at])
            let id = db.lastInsertedRowID
            try audit(db, at: at, recordedAt: recordedAt, alert: id, actor: actor, action: .opened, level: level, state: .open, value: value)
            return id
        case .reopen(let id, _, let level, let value):
            // A new episode of the same incident: acknowledgement and resolution start afresh.
            try db.execute(sql: """
                UPDATE alerts SET state = 'open', level = ?, value = ?, opened_at = ?, reopened = reopened + 1,
                    acknowledged_by = NULL, acknowledged_at = NULL, resolved_at = NULL, resolved_by = NULL
                WHERE id = ?
                """, arguments: [level.rawValue, value, at, id])
            try audit(db, at: at, recordedAt: recordedAt, alert: id, actor: actor, action: .reopened, level: level, state: .open, value: value)
            return id
        case .changeLevel(let id, _, _, let to, let value):
            try db.execute(sql: "UPDATE alerts SET level = ?, value = ? WHERE id = ?", arguments: [to.rawValue, value, id])
            let state = try String.fetchOne(db, sql: "SELECT state FROM alerts WHERE id = ?", arguments: [id]).flatMap(AlertItem.State.init)
            try audit(db, at: at, recordedAt: recordedAt, alert: id, actor: actor, action: .level, level: to, state: state, value: value)
            return id
        case .resolve(let id, _, let value):
            try db.execute(sql: "UPDATE alerts SET state = 'resolved', value = ?, resolved_at = ?, resolved_by = ? WHERE id = ?",
                           arguments: [value, at, actor, id])
            let level = try String.fetchOne(db, sql: "SELECT level FROM alerts WHERE id = ?", arguments: [id]).flatMap(AlertItem.Level.init)
            try audit(db, at: at, recordedAt: recordedAt, alert: id, actor: actor, action: .resolved, level: level, state: .resolved, value: value)
            return id
        }
    }

    static func audit(_ db: Database, at: Int64, recordedAt: Int64, alert: Int64, actor: String, action: AuditEntry.Action,
                      level: AlertItem.Level?, state: AlertItem.State?, value: Double?, note: String? = nil) throws {
        try db.execute(sql: """
            INSERT INTO audit (at, recorded_at, alert, actor, action, level, state, value, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [at, recordedAt, alert, actor, action.rawValue, level?.rawValue, state?.rawValue, value, note])
    }

    /// A person's change to alert `id`, with its audit line, in one immediate transaction: two
    /// officers acting at once are serialised by SQLite and both recorded. Returns the alert after it.
    @discardableResult
    public func act(_ action: AlertAction, alert id: Int64, by officer: String, at: Int64? = nil) throws -> AlertItem {
        let officer = officer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !officer.isEmpty else { throw StoreError("an officer's name is needed") }
        let now = Int64(Date().timeIntervalSince1970)
        let at = at ?? now
        return try database.writeWithoutTransaction { db in
            var result: AlertItem?
            try db.inTransaction(.immediate) {
                guard let a = try Self.fetchAlerts(db, sql: "WHERE id = ?", arguments: [id]).first else {
                    throw StoreError("no alert \(id)")
                }
                let active = a.state == .open || a.state == .acknowledged
                func refuse(_ what: String) -> StoreError { StoreError("alert \(id) is \(a.state.rawValue): cannot \(what)") }
                let entry: (AuditEntry.Action, AlertItem.State, String?)
                switch action {
                case .acknowledge(let note):
                    guard active else { throw refuse("acknowledge") }
                    // The first acknowledgement owns the alert; a later one is still recorded in the log.
                    try db.execute(sql: """
                        UPDATE alerts SET state = 'acknowledged', acknowledged_by = coalesce(acknowledged_by, ?),
                            acknowledged_at = coalesce(acknowledged_at, ?), note = coalesce(?, note) WHERE id = ?
                        """, arguments: [officer, at, Self.clean(note), id])
                    entry = (.acknowledged, .acknowledged, Self.clean(note))
                case .note(let note):
                    guard let note = Self.clean(note) else { throw StoreError("a note needs some text") }
                    try db.execute(sql: "UPDATE alerts SET note = ? WHERE id = ?", arguments: [note, id])
                    entry = (.noted, a.state, note)
                case .assign(let to, let note):
                    guard active else { throw refuse("assign") }
                    guard let to = Self.clean(to) else { throw StoreError("assign to whom?") }
                    try db.execute(sql: "UPDATE alerts SET assigned_to = ?, note = coalesce(?, note) WHERE id = ?",
                                   arguments: [to, Self.clean(note), id])
                    entry = (.assigned, a.state, "→ \(to)" + (Self.clean(note).map { ": " + $0 } ?? ""))
                case .close(let note):
                    guard active else { throw refuse("close") }
                    guard let note = Self.clean(note) else { throw StoreError("closing an alert needs a note saying why") }
                    try db.execute(sql: "UPDATE alerts SET state = 'closed', note = ?, resolved_at = ?, resolved_by = ? WHERE id = ?",
                                   arguments: [note, at, officer, id])
                    // The rules re-open it only once the condition has gone and come back.
                    try db.execute(sql: "UPDATE alert_tracks SET awaiting_clear = 1, clear_since = NULL, pending_since = NULL WHERE alert = ?",
                                   arguments: [id])
                    entry = (.closed, .closed, note)
                case .reopen(let note):
                    guard !active else { throw refuse("re-open") }
                    try db.execute(sql: """
                        UPDATE alerts SET state = 'open', opened_at = ?, reopened = reopened + 1, acknowledged_by = NULL,
                            acknowledged_at = NULL, resolved_at = NULL, resolved_by = NULL, note = coalesce(?, note) WHERE id = ?
                        """, arguments: [at, Self.clean(note), id])
                    try db.execute(sql: "UPDATE alert_tracks SET awaiting_clear = 0, clear_since = NULL, pending_since = NULL WHERE alert = ?",
                                   arguments: [id])
                    entry = (.reopenedByHand, .open, Self.clean(note))
                }
                try Self.audit(db, at: at, recordedAt: now, alert: id, actor: officer, action: entry.0, level: a.level,
                               state: entry.1, value: a.value, note: entry.2)
                result = try Self.fetchAlerts(db, sql: "WHERE id = ?", arguments: [id]).first
                return .commit
            }
            return result!
        }
    }

    static func clean(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        // Control characters would reach terminals through the log.
        return String(String.UnicodeScalarView(t.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }

    /// Alerts, worst first: active before the rest, then by level (red first), unacknowledged
    /// before acknowledged, oldest first.
    public func alerts(activeOnly: Bool = false, limit: Int = 10_000) throws -> [AlertItem] {
        try database.read { db in
            try Self.fetchAlerts(db, sql: (activeOnly ? "WHERE state IN ('open', 'acknowledged') " : "") + """
                ORDER BY state NOT IN ('open', 'acknowledged'), CASE level WHEN 'red' THEN 0 ELSE 1 END,
                    state <> 'open', opened_at, id LIMIT ?
                """, arguments: [limit])
        }
    }

    public func alert(_ id: Int64) throws -> AlertItem? {
        try database.read { try Self.fetchAlerts($0, sql: "WHERE id = ?", arguments: [id]).first }
    }

    static func fetchAlerts(_ db: Database, sql: String, arguments: StatementArguments) throws -> [AlertItem] {
        try Row.fetchAll(db, sql: """
            SELECT id, rule, unit, metric, level, state, value, opened_at, acknowledged_by, assigned_to, note FROM alerts
            """ + " " + sql, arguments: arguments).map { r in
            AlertItem(id: r[0], rule: r[1], unit: r[2], metric: r[3], level: AlertItem.Level(rawValue: r[4]) ?? .red,
                      state: AlertItem.State(rawValue: r[5]) ?? .open, value: r[6], openedAt: r[7],
                      acknowledgedBy: r[8], assignedTo: r[9], note: r[10])
        }
    }

    /// The audit log, oldest first; of one alert when `alert` is given.
    public func audit(alert: Int64? = nil, limit: Int = 100_000) throws -> [AuditEntry] {
        try database.read { db in
            let filter = alert == nil ? "" : "WHERE alert = ?"
            let args: StatementArguments = alert.map { [$0, limit] } ?? [limit]
            return try Row.fetchAll(db, sql: """
                SELECT seq, at, alert, actor, action, level, state, value, note FROM audit \(filter) ORDER BY seq LIMIT ?
                """, arguments: args).map { r in
                AuditEntry(seq: r[0], at: r[1], alert: r[2], actor: r[3], action: AuditEntry.Action(rawValue: r[4]) ?? .noted,
                           level: (r[5] as String?).flatMap(AlertItem.Level.init), state: (r[6] as String?).flatMap(AlertItem.State.init),
                           value: r[7], note: r[8])
            }
        }
    }
}
