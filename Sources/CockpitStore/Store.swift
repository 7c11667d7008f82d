import CockpitCore
import Foundation
import GRDB

public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

/// The SQLite store (WAL). One writer (`ingest`, later the engine), many readers (screens).
public final class CockpitStore: @unchecked Sendable {
    public enum Mode: Sendable { case write, read }

    public let path: String
    /// Writers use a pool (WAL, concurrent readers); screens use one read-only connection, so that
    /// `PRAGMA data_version` keeps answering for the same connection and notices other writers.
    let database: any DatabaseWriter
    public var reader: any DatabaseReader { database }

    /// The page cache of a long-running screen: the roll-ups it reads every refresh fit, and the
    /// OS page cache serves the rest, so that 64 walls on one host do not hold 2 MB each.
    public static let screenPageCacheKiB = 512

    /// `pageCacheKiB` sets SQLite's page cache of a read-only store (default: SQLite's 2 MB).
    public init(path: String, mode: Mode = .write, pageCacheKiB: Int? = nil) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.label = "cockpit"
        switch mode {
        case .write:
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            let pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
            database = pool
        case .read:
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError("\(path): no such store (build one with `cockpit ingest`)")
            }
            config.readonly = true
            if let pageCacheKiB {
                config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(pageCacheKiB)") }
            }
            let queue = try DatabaseQueue(path: path, configuration: config)
            let applied = try queue.read { try Schema.migrator.hasCompletedMigrations($0) }
            guard applied else { throw StoreError("\(path): not a cockpit store, or made by another version") }
            database = queue
        }
    }

    /// Changes whenever another connection commits (cheap: no table is read).
    public func dataVersion() throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "PRAGMA data_version") ?? 0 }
    }

    public func tree() throws -> OrgTree {
        let units = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, tier, parent, code FROM units ORDER BY ord").map { row in
                OrgUnit(id: row["id"], name: row["name"], tier: OrgUnit.Tier(rawValue: row["tier"]) ?? .community,
                        parent: row["parent"], code: row["code"])
            }
        }
        guard !units.isEmpty else { throw StoreError("\(path): the store has no units yet (ingest --kind units first)") }
        return try OrgTree(units: units)
    }

    public func calendar() throws -> WorkCalendar {
        try database.read { try Self.loadCalendar($0) }
    }

    static func loadCalendar(_ db: Database) throws -> WorkCalendar {
        let entries = try Row.fetchAll(db, sql: "SELECT day, kind FROM calendar").map { row in
            (day: Int32(row["day"] as Int), kind: WorkCalendar.Kind(rawValue: row["kind"]) ?? .holiday)
        }
        return WorkCalendar(entries: entries, coveredYears: try Int.fetchAll(db, sql: "SELECT year FROM calendar_years"))
    }

    public func meta(_ key: String) throws -> String? {
        try database.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try database.write { try Self.setMeta($0, key, value) }
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    /// The time of the last committed ingest, the data's "as of".
    public func lastIngestAt() throws -> Int64? {
        try meta("last_ingest_at").flatMap { Int64($0) }
    }

    public func caseCount() throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cases") ?? 0 }
    }

    public struct Reject: Sendable {
        public var source: String, kind: String, line: Int, field: String?, reason: String, raw: String
    }

    public func rejects(source: String? = nil, limit: Int = 1000) throws -> [Reject] {
        try database.read { db in
            let sql = "SELECT source, kind, line, field, reason, raw FROM rejects"
                + (source == nil ? "" : " WHERE source = ?") + " ORDER BY source, line LIMIT ?"
            let args: StatementArguments = source.map { [$0, limit] } ?? [limit]
            return try Row.fetchAll(db, sql: sql, arguments: args).map {
                Reject(source: $0["source"], kind: $0["kind"], line: $0["line"], field: $0["field"],
                       reason: $0["reason"], raw: $0["raw"])
            }
        }
    }
}

extension CockpitStore {
    /// Checkpoints the WAL into the main file and closes every connection.
    public func close() throws {
        if let pool = database as? DatabasePool {
            _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try pool.close()
        } else if let queue = database as? DatabaseQueue {
            try queue.close()
        }
    }
}
