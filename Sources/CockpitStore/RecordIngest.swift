import CockpitCore
import Foundation
import GRDB

/// One record as an adapter read it, its fields already named as ours.
public struct SourceRecord: Sendable, Equatable {
    /// Where it came from, for people: "cases.csv:12", "query:updated_at=1700000000", "sim#42".
    public var position: String
    /// The line number where the source has lines (files), else nil.
    public var line: Int?
    /// Our field names → text. A field the record lacks counts as empty.
    public var fields: [String: String]
    /// The record as the source gave it, kept with a reject (cut to `CSVReader.rawLimit` bytes).
    public var raw: String
    /// Set when the record could not even be read into fields (invalid UTF-8, broken JSON, …):
    /// it is rejected with this reason (and `errorField`, when one field is to blame).
    public var error: String?
    public var errorField: String?

    public init(position: String, line: Int? = nil, fields: [String: String], raw: String,
                error: String? = nil, errorField: String? = nil) {
        self.position = position; self.line = line; self.fields = fields; self.raw = raw
        self.error = error; self.errorField = errorField
    }
}

/// Records of one kind within a batch.
public struct RecordGroup: Sendable {
    public var kind: IngestKind
    public var records: [SourceRecord]
    public init(kind: IngestKind, records: [SourceRecord]) { self.kind = kind; self.records = records }
}

extension IngestKind {
    public var requiredFields: [String] { required }
    public var optionalFields: [String] { optional }
    /// Every field this kind reads.
    public var fieldNames: [String] { required + optional }
}

extension CockpitStore {
    /// Stores one batch of records of one kind from `source`, its rejects, the source's counters and
    /// its new `checkpoint`, all in ONE transaction: after a crash either all of it is there or none,
    /// so a restart that resumes from the stored checkpoint neither loses nor repeats a record.
    /// The same record twice is one record (the kinds upsert by id; the later push wins).
    @discardableResult
    public func ingest(kind: IngestKind, records: [SourceRecord], source: String, checkpoint: String?,
                       replaceRejects: Bool = false, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> IngestReport {
        try ingest(groups: [RecordGroup(kind: kind, records: records)], source: source, checkpoint: checkpoint,
                   replaceRejects: replaceRejects, now: now)
    }

    /// The same for a batch holding several kinds (the simulator's cases and tickets, …).
    /// `replaceRejects` drops the source's earlier rejects first: a file read again from its start.
    @discardableResult
    public func ingest(groups: [RecordGroup], source: String, checkpoint: String?, replaceRejects: Bool = false,
                       now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> IngestReport {
        let started = Date()
        var report = IngestReport()
        // Consumers read the tree and the calendar: made before the write, outside the lock.
        var consumers: [(RecordGroup, BatchConsumer)] = []
        for group in groups where !group.records.isEmpty {
            consumers.append((group, try makeConsumer(kind: group.kind, file: source, source: source)))
        }
        try database.writeWithoutTransaction { db in
            try db.inTransaction {
                if replaceRejects {
                    try db.execute(sql: "DELETE FROM rejects WHERE source = ?", arguments: [source])
                }
                for (group, consumer) in consumers {
                    try Self.consume(group, consumer: consumer, source: source, db: db, report: &report, now: now)
                }
                try db.execute(sql: """
                    INSERT INTO sources (name, kind, records_in, rejected, last_success) VALUES (?, '', ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET records_in = records_in + excluded.records_in,
                        rejected = rejected + excluded.rejected, last_success = excluded.last_success,
                        last_error = NULL, last_error_at = NULL, stale_since = NULL
                    """, arguments: [source, report.accepted, report.rejected, now])
                if let checkpoint {
                    try db.execute(sql: "INSERT INTO checkpoints (source, value) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET value = excluded.value",
                                   arguments: [source, checkpoint])
                } else {
                    try db.execute(sql: "DELETE FROM checkpoints WHERE source = ?", arguments: [source])
                }
                if !consumers.isEmpty { try Self.setMeta(db, "last_ingest_at", String(now)) }
                return .commit
            }
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Feeds records to the kind's consumer as rows under a header of our field names.
    private static func consume(_ group: RecordGroup, consumer: BatchConsumer, source: String, db: Database,
                                report: inout IngestReport, now: Int64) throws {
        let names = group.kind.required + group.kind.optional
        var header: [String: Int] = [:]
        for (i, n) in names.enumerated() { header[n] = i }
        let rejectStmt = try db.cachedStatement(sql: """
            INSERT INTO rejects (source, kind, line, field, reason, raw, at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for record in group.records {
            var rejection: Rejection? = nil
            if let e = record.error {
                rejection = Rejection(field: record.errorField, reason: e)
            } else {
                let row = CSVRow(line: record.line ?? 0, fields: names.map { record.fields[$0] ?? "" })
                rejection = try consumer.accept(row, header: header, db: db)
            }
            if let r = rejection {
                report.rejected += 1
                if report.reasons.count < maxReasons {
                    report.reasons.append("\(record.position): \(r.field.map { "\($0): " } ?? "")\(r.reason)")
                }
                let raw = record.raw.utf8.count > CSVReader.rawLimit
                    ? String(decoding: record.raw.utf8.prefix(CSVReader.rawLimit), as: UTF8.self) : record.raw
                try rejectStmt.execute(arguments: [source, group.kind.rawValue, record.line ?? 0, r.field, r.reason, raw, now, record.position])
            } else {
                report.accepted += 1
            }
        }
        try consumer.endBatch(db: db)
        try consumer.finish(db: db, report: &report)
    }

    /// The source's last committed checkpoint (nil: start from the beginning).
    public func checkpoint(source: String) throws -> String? {
        try database.read { try String.fetchOne($0, sql: "SELECT value FROM checkpoints WHERE source = ?", arguments: [source]) }
    }
}

// MARK: - Source bookkeeping

extension CockpitStore {
    /// Declares a source (kind, the interval within which it should succeed) so that it shows in
    /// `sources` before its first batch, and goes stale when it stops succeeding.
    public func registerSource(name: String, kind: String, expectedInterval: Int64, now: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO sources (name, kind, expected_interval, registered_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, expected_interval = excluded.expected_interval
                """, arguments: [name, kind, expectedInterval, now])
        }
    }

    /// A poll that brought nothing new but worked. `caughtUp`: nothing is left to read right now.
    public func sourceSucceeded(name: String, caughtUp: Bool, now: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                UPDATE sources SET last_success = ?, last_error = NULL, last_error_at = NULL, stale_since = NULL,
                    caught_up_at = CASE WHEN ? THEN ? ELSE caught_up_at END
                WHERE name = ?
                """, arguments: [now, caughtUp, now, name])
        }
    }

    /// A failed poll: kept as the last error; the source is stale from its first failure on.
    public func sourceFailed(name: String, error: String, now: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                UPDATE sources SET last_error = ?, last_error_at = ?, stale_since = coalesce(stale_since, ?) WHERE name = ?
                """, arguments: [error, now, now, name])
        }
    }

    /// Every source, by name. A source is stale from its first failure since its last success, or
    /// once it has not succeeded within its expected interval (an engine that stopped goes stale too).
    public func sourceStatuses(now: Int64) throws -> [SourceStatus] {
        try database.read { db in
            try Self.pendingRollupStatus(db).map { [$0] } ?? []
            + Row.fetchAll(db, sql: """
                SELECT name, kind, last_success, last_error, last_error_at, records_in, rejected, expected_interval,
                       stale_since, registered_at, caught_up_at FROM sources ORDER BY name
                """).map { row in
                let lastSuccess: Int64? = row["last_success"]
                let interval: Int64 = row["expected_interval"] ?? 0
                var stale: Int64? = row["stale_since"]
                if stale == nil, interval > 0 {
                    let base: Int64 = lastSuccess ?? row["registered_at"] ?? now
                    if now > base + interval { stale = base + interval }
                }
                var s = SourceStatus(name: row["name"], kind: row["kind"], lastSuccess: lastSuccess, lastError: row["last_error"],
                                     lastErrorAt: row["last_error_at"], recordsIn: row["records_in"], rejected: row["rejected"],
                                     staleSince: stale)
                s.expectedIntervalS = interval > 0 ? interval : nil
                if interval > 0 { s.lagS = (row["caught_up_at"] as Int64?).map { max(0, now - $0) } }
                return s
            }
        }
    }

    public struct PositionedReject: Sendable, Equatable {
        public var source: String, kind: String, position: String, line: Int, field: String?, reason: String, raw: String
    }

    /// Rejects with their source and position, in the order they came.
    public func positionedRejects(source: String? = nil, limit: Int = 1000) throws -> [PositionedReject] {
        try database.read { db in
            let sql = "SELECT source, kind, position, line, field, reason, raw FROM rejects"
                + (source == nil ? "" : " WHERE source = ?") + " ORDER BY id LIMIT ?"
            let args: StatementArguments = source.map { [$0, limit] } ?? [limit]
            return try Row.fetchAll(db, sql: sql, arguments: args).map {
                let line: Int = $0["line"]
                let src: String = $0["source"]
                return PositionedReject(source: src, kind: $0["kind"], position: $0["position"] ?? "\(src):\(line)", line: line,
                                        field: $0["field"], reason: $0["reason"], raw: $0["raw"])
            }
        }
    }
}

// MARK: - Schema

extension Schema {
    static func registerSources(_ m: inout DatabaseMigrator) {
        m.registerMigration("sources, checkpoints, reject positions") { db in
            try db.execute(sql: """
                CREATE TABLE sources (
                    name TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    last_success INTEGER,
                    last_error TEXT,
                    last_error_at INTEGER,
                    records_in INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0,
                    caught_up_at INTEGER,               -- last time nothing was left to read: lag = now - this
                    expected_interval INTEGER,          -- seconds within which a success is expected
                    stale_since INTEGER,                -- first failure since the last success
                    registered_at INTEGER
                );
                CREATE TABLE checkpoints (source TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                ALTER TABLE rejects ADD COLUMN position TEXT;
                """)
        }
    }
}
