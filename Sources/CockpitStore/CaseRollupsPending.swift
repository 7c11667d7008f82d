import CockpitCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// A bulk load of cases into an empty store writes the case roll-ups once, at its end, instead of
/// once per transaction (about 870k roll-up rows at 1M cases: measured 2.7–3.1 s of the writer's
/// time per load when written transaction by transaction). While it runs, the meta row
/// `cases.rollups_pending` says so: who writes them (process id and start time) and since when.
///
/// - Screens warn on their warning line, and `cockpit sources` lists a stale source ("案件汇总"),
///   with since when: the case figures are not current until the load ends.
/// - A load killed before its end leaves the row: the next cases ingest, engine or calendar
///   change rebuilds every case roll-up from `cases` (GROUP BY) and removes it. A process that
///   finds the row of a load that is still running refuses to write cases until it ends.
enum CaseRollupsPending {
    static let key = "cases.rollups_pending"

    /// Stored as JSON in the meta row.
    struct Marker: Codable, Equatable {
        var pid: Int32
        var start: String      // the process's start time (/proc/PID/stat), against PID reuse
        var since: Int64
        var source: String

        var text: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }

        init(pid: Int32, start: String, since: Int64, source: String) {
            self.pid = pid; self.start = start; self.since = since; self.source = source
        }

        init?(_ text: String) {
            guard let m = try? JSONDecoder().decode(Marker.self, from: Data(text.utf8)) else { return nil }
            self = m
        }

        /// Whether the process that wrote the marker is still running (same pid, same start time).
        var isLive: Bool { Self.startTime(of: pid) == start }

        static var mine: (pid: Int32, start: String) { (getpid(), startTime(of: getpid()) ?? "") }

        /// Field 22 of /proc/PID/stat: clock ticks since boot when the process started.
        static func startTime(of pid: Int32) -> String? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the ")" the fields start at 3 (state): field 22 is index 19.
            return fields.count > 19 ? String(fields[19]) : nil
        }
    }

    static func marker(_ db: Database) throws -> Marker? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]).flatMap(Marker.init)
    }

    /// Marks the roll-ups as pending, written by this process.
    static func begin(_ db: Database, source: String, now: Int64) throws {
        let me = Marker.mine
        try CockpitStore.setMeta(db, key, Marker(pid: me.pid, start: me.start, since: now, source: source).text)
    }

    static func end(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
    }

    /// Before any other write to cases or their roll-ups: refuses while another process's bulk
    /// load runs; after one that was killed, rebuilds every case roll-up from `cases`.
    static func settle(_ db: Database) throws {
        guard try marker(db) != nil else { return }
        try refuseWhileLive(db)
        try CockpitStore.rebuildRollup(db)
        try end(db)
    }

    /// Throws while another process's bulk load runs: its roll-ups are written at its end, and
    /// deltas of other writers meanwhile (a later push taking a case out of a key not yet
    /// written) would not add up. This process's own marker is of a load that has ended.
    static func refuseWhileLive(_ db: Database) throws {
        guard let m = try marker(db), m.pid != getpid(), m.isLive else { return }
        throw StoreError("a bulk load of cases (\(m.source), process \(m.pid), since \(LocalTime.iso(m.since))) is writing this store; "
                         + "cases can be written again when it ends")
    }
}

extension CockpitStore {
    /// Since when the case roll-ups wait for a bulk load, and whether that load still runs (nil:
    /// they are current). Screens warn with it.
    public func caseRollupsPending() throws -> (since: Int64, running: Bool)? {
        try database.read { try CaseRollupsPending.marker($0) }.map { ($0.since, $0.isLive) }
    }

    /// `CaseRollupsPending.settle` in a write transaction of its own.
    func settleCaseRollups() throws {
        let pending = try database.read { try CaseRollupsPending.marker($0) }
        guard pending != nil else { return }
        try database.write { try CaseRollupsPending.settle($0) }
    }

    /// The pending case roll-ups of a bulk load as a source status, for the screens' title bar
    /// and `cockpit sources`: stale since the load began.
    static func pendingRollupStatus(_ db: Database) throws -> SourceStatus? {
        guard let m = try CaseRollupsPending.marker(db) else { return nil }
        let why = m.isLive ? "bulk load running: case figures are written when it ends"
                           : "bulk load interrupted: case figures are rebuilt by the next cases ingest"
        return SourceStatus(name: "案件汇总 (case roll-ups)", kind: "cases", lastSuccess: nil, lastError: "\(m.source): \(why)",
                            lastErrorAt: m.since, recordsIn: 0, rejected: 0, staleSince: m.since)
    }
}
