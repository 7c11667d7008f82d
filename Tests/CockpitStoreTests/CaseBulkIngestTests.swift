import CockpitCore
@testable import CockpitStore
import Foundation
import GRDB
import XCTest

/// The cases ingest from a file runs on two threads (a parsing thread, the writer) and bulk-loads
/// an empty store; these check that it stores exactly what the row-by-row path stores.
final class CaseBulkIngestTests: XCTestCase {
    let now: Int64 = 1_800_000_000

    /// A file of several parse batches and commits: new cases, later pushes (newer, older,
    /// the same push again, same push time with other content), and bad rows of every kind.
    func mixedFile(rows: Int) -> String {
        var out = [Fixture.header + ",pushed_at"]
        var rng = SplitMix(seed: 42)
        let units = ["c1", "c2", "c3"], statuses = ["accepted", "in_review", "suspended", "completed", "rejected", "withdrawn"]
        func row(_ id: String, unit: String, status: String, day: Int, pushed: String = "") -> String {
            let acc = String(format: "2026-10-%02dT09:%02d:00+08:00", day, Int(rng.next() % 60))
            let done = status == "completed" || status == "rejected" ? String(format: "2026-10-%02dT15:00:00+08:00", min(28, day + 2)) : ""
            let susp = status == "suspended" ? String(format: "2026-10-%02dT10:00:00+08:00/", day) : ""
            return "\(id),\(unit),区民政局,X\(rng.next() % 7),事项\(rng.next() % 7),hall,\(acc),\(rng.next() % 6),\(status),\(done),\(susp),\(pushed)"
        }
        var written: [String] = []
        for i in 0..<rows {
            let r = rng.next() % 100
            let day = 8 + i * 20 / rows
            if r < 4, let old = written.randomElement(using: &rng) {
                out.append(old)                                   // the same push again
            } else if r < 8, let old = written.randomElement(using: &rng) {
                let id = String(old.prefix(while: { $0 != "," }))
                let later = String(format: "2026-10-%02dT18:00:00+08:00", min(28, day + 3))
                out.append(row(id, unit: units[Int(rng.next() % 3)], status: statuses[Int(rng.next() % 6)], day: day, pushed: later))
            } else if r < 10, let old = written.randomElement(using: &rng) {
                let id = String(old.prefix(while: { $0 != "," }))  // an older push arriving late
                out.append(row(id, unit: units[Int(rng.next() % 3)], status: "accepted", day: day, pushed: "2026-10-01T08:00:00+08:00"))
            } else if r < 11 {
                let bad = ["B\(i),nowhere,区民政局,X,事项,hall,2026-10-13T09:00:00+08:00,1,accepted,,,",
                           "B\(i),c1,区民政局,X,事项,hall,2026-13-45T09:00,1,accepted,,,",
                           "B\(i),c1,区民政局",
                           "B\(i),c1,区民政局,X,事项,fax,2026-10-13T09:00:00+08:00,1,accepted,,,",
                           "B\(i),c1,\"区民政局, 二处\",X,\"两行\n名称\",hall,2026-10-13T09:00:00+08:00,1,accepted,,,soon",
                           "B\(i),c1,区民政局,X,事项,hall,2026-10-13T09:00:00+08:00,1,suspended,,2026-10-13T10:00/x,"]
                out.append(bad[Int(rng.next() % UInt64(bad.count))])
            } else {
                let line = row(String(format: "N%06d", i), unit: units[Int(rng.next() % 3)], status: statuses[Int(rng.next() % 6)], day: day)
                written.append(line)
                out.append(line)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Every table the cases ingest writes, in key order, as text.
    func dump(_ store: CockpitStore) throws -> [String: [String]] {
        try store.reader.read { db in
            var out: [String: [String]] = [:]
            for (name, sql) in [
                ("cases", "SELECT * FROM cases ORDER BY id"),
                ("case_pushes", "SELECT * FROM case_pushes ORDER BY id, pushed_at, seq"),
                ("case_rollup", "SELECT * FROM case_rollup ORDER BY unit, k_class, k_day"),
                ("case_abnormal_rollup", "SELECT * FROM case_abnormal_rollup ORDER BY 1, 2, 3, 4, 5"),
                ("case_done_times", "SELECT day, unit, hex(times) FROM case_done_times ORDER BY day, unit"),
                ("case_latest_times", "SELECT day, unit, flag, stall_day, hex(times) FROM case_latest_times ORDER BY 1, 2, 3, 4"),
                ("case_flagged", "SELECT * FROM case_flagged ORDER BY unit"),
                ("case_unit_totals", "SELECT * FROM case_unit_totals ORDER BY unit"),
                ("rejects", "SELECT source, kind, line, field, reason, raw, at FROM rejects ORDER BY source, line"),
            ] {
                out[name] = try Row.fetchAll(db, sql: sql).map { $0.description }
            }
            return out
        }
    }

    /// The same file through the row-by-row path: CSV rows of Strings, `CasesConsumer.accept(CSVRow)`.
    func ingestRowByRow(_ store: CockpitStore, file: String, batch: Int) throws -> IngestReport {
        var report = IngestReport()
        var header: [String: Int]? = nil
        var headerCount = 0
        var consumer: BatchConsumer? = nil
        var rows: [CSVRow] = []
        func flush() throws {
            guard let consumer, let header, !rows.isEmpty else { return }
            try store.database.writeWithoutTransaction { db in
                try db.inTransaction {
                    try consumer.consume(rows, header: header, headerCount: headerCount, db: db, report: &report, now: now)
                    return .commit
                }
            }
            rows.removeAll()
        }
        let reader = try CSVReader(path: file)
        defer { reader.close() }
        try reader.forEachRow { row in
            if header == nil {
                header = try CockpitStore.readHeader(row, kind: .cases, file: file, report: &report)
                headerCount = row.fields.count
                consumer = try store.makeConsumer(kind: .cases, file: file, source: file)
                return true
            }
            rows.append(row)
            if rows.count >= batch { try flush() }
            return true
        }
        try flush()
        return report
    }

    func testTwoThreadIngestStoresWhatTheRowByRowPathStores() throws {
        let text = mixedFile(rows: 12_000)   // ~6 parse batches, 5 commits of 2,500 rows
        let bulk = try Fixture(), single = try Fixture()
        try bulk.loadSmallDistrict()
        try single.loadSmallDistrict()
        let path = try bulk.write("cases.csv", text)
        try single.write("cases.csv", text)
        let fast = try bulk.store.ingest(kind: .cases, file: path, source: path, batchSize: 2_500, now: now)
        let slow = try ingestRowByRow(single.store, file: path, batch: 2_500)
        XCTAssertGreaterThan(fast.rejected, 50)
        XCTAssertGreaterThan(try single.store.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_pushes") ?? 0 }, 200)
        XCTAssertEqual(fast.accepted, slow.accepted)
        XCTAssertEqual(fast.rejected, slow.rejected)
        XCTAssertEqual(fast.reasons, slow.reasons)
        let a = try dump(bulk.store), b = try dump(single.store)
        for table in a.keys.sorted() {
            let x = a[table] ?? [], y = b[table] ?? []
            if x != y {
                let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
                XCTFail("\(table): \(x.count) rows against \(y.count); first difference at \(i): \(i < x.count ? x[i] : "-") / \(i < y.count ? y[i] : "-")")
            }
        }
        // A second ingest of the same file (no longer a bulk load) changes nothing but the rejects' time.
        let again = try bulk.store.ingest(kind: .cases, file: path, source: path, batchSize: 2_500, now: now)
        XCTAssertEqual(again.rejected, fast.rejected)
        XCTAssertEqual(try dump(bulk.store), a)
    }

    /// Into a store that already has cases (not a bulk load: row by row, roll-ups per batch), a file
    /// that overlaps what is stored gives the same store as the row-by-row path.
    func testALoadIntoAStoreWithCasesStoresWhatTheRowByRowPathStores() throws {
        let text = mixedFile(rows: 12_000)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = String(lines[0])
        // Quoted fields may hold a newline: cut only between records that start with an id.
        let cut = lines.indices.first { $0 > 4_000 && lines[$0].hasPrefix("N") }!
        let first = ([header] + lines[1..<cut].map(String.init)).joined(separator: "\n") + "\n"
        let whole = text
        let fast = try Fixture(), slow = try Fixture()
        try fast.loadSmallDistrict()
        try slow.loadSmallDistrict()
        let firstPath = try fast.write("first.csv", first), wholePath = try fast.write("whole.csv", whole)
        try slow.write("first.csv", first)
        try slow.write("whole.csv", whole)
        try fast.store.ingest(kind: .cases, file: firstPath, source: firstPath, batchSize: 2_500, now: now)
        _ = try ingestRowByRow(slow.store, file: firstPath, batch: 2_500)
        // The whole file: its first part again (every id stored), then new ids and later pushes.
        let a = try fast.store.ingest(kind: .cases, file: wholePath, source: wholePath, batchSize: 2_500, now: now)
        let b = try ingestRowByRow(slow.store, file: wholePath, batch: 2_500)
        XCTAssertEqual(a.accepted, b.accepted)
        XCTAssertEqual(a.rejected, b.rejected)
        XCTAssertEqual(a.reasons, b.reasons)
        let x = try dump(fast.store), y = try dump(slow.store)
        for table in x.keys.sorted() where x[table] != y[table] {
            XCTFail("\(table): \(x[table]?.count ?? 0) rows against \(y[table]?.count ?? 0)")
        }
        XCTAssertGreaterThan(try fast.store.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cases") ?? 0 }, 8_000)
        // The roll-ups kept batch by batch equal a recount from `cases`.
        try fast.store.database.write { try CockpitStore.rebuildRollup($0) }
        XCTAssertEqual(try dump(fast.store), x)
    }

    /// A bulk load writes the case roll-ups once, at its end. One killed before (its marker left
    /// by a process that is gone) shows as a stale source and is settled by the next cases ingest;
    /// one that still runs (a live process) keeps every other writer of cases out.
    func testTheRollupsPendingOfABulkLoad() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        XCTAssertGreaterThan(try f.ingest(.cases, "cases.csv", mixedFile(rows: 3_000)).accepted, 2_000)
        XCTAssertNil(try f.store.meta(CaseRollupsPending.key))
        XCTAssertEqual(try f.store.sourceStatuses(now: now).filter { $0.kind == "cases" }, [])
        let loaded = try dump(f.store)
        try f.store.database.write { try CockpitStore.rebuildRollup($0) }
        XCTAssertEqual(try dump(f.store), loaded, "the roll-ups written at the end are those counted from `cases`")

        // Killed before its end: the marker of a process that is gone, and no roll-ups.
        try f.store.database.write { db in
            let gone = CaseRollupsPending.Marker(pid: Int32.max - 1, start: "1", since: now, source: "big.csv")
            try CockpitStore.setMeta(db, CaseRollupsPending.key, gone.text)
            for t in ["case_rollup", "case_abnormal_rollup", "case_done_times", "case_latest_times", "case_flagged", "case_unit_totals"] {
                try db.execute(sql: "DELETE FROM \(t)")
            }
        }
        let stale = try f.store.sourceStatuses(now: now + 60).filter { $0.kind == "cases" }
        XCTAssertEqual(stale.count, 1)
        XCTAssertEqual(stale.first?.staleSince, now)
        XCTAssertTrue(stale.first?.lastError?.hasPrefix("big.csv: bulk load interrupted") ?? false, "\(stale)")
        let more = CaseAbnormalStoreTests.header + "\nM1,c1,区民政局,X1,事项1,hall,2026-10-20T09:00:00+08:00,3,accepted,,,\n"
        XCTAssertEqual(try f.ingest(.cases, "more.csv", more).accepted, 1)
        XCTAssertNil(try f.store.meta(CaseRollupsPending.key))
        let settled = try dump(f.store)
        XCTAssertEqual(settled["case_rollup"]?.isEmpty, false)
        try f.store.database.write { try CockpitStore.rebuildRollup($0) }
        XCTAssertEqual(try dump(f.store), settled, "settled: the roll-ups are those counted from `cases`")

        // A load that still runs in another process: cases and calendars wait for it, also a
        // writer (the engine) whose consumer was made before the load began.
        let engine = try f.store.makeConsumer(kind: .cases, file: "engine", source: "engine")
        let parent = getppid()
        let live = CaseRollupsPending.Marker(pid: parent, start: CaseRollupsPending.Marker.startTime(of: parent) ?? "?", since: now, source: "big.csv")
        try f.store.database.write { try CockpitStore.setMeta($0, CaseRollupsPending.key, live.text) }
        XCTAssertThrowsError(try f.ingest(.cases, "more2.csv", more.replacingOccurrences(of: "M1,", with: "M2,"))) { e in
            XCTAssertTrue("\(e)".contains("a bulk load of cases (big.csv, process \(parent)"), "\(e)")
        }
        XCTAssertThrowsError(try f.store.database.write { try CockpitStore.recomputeCaseKeys($0) })
        let names = IngestKind.cases.required + IngestKind.cases.optional
        let header = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let fields = names.map { ["id": "M3", "unit": "c1", "department": "区民政局", "item_code": "X1", "item_name": "事项1", "channel": "hall",
                                  "accepted_at": "2026-10-20T09:00:00+08:00", "promised_days": "3", "status": "accepted"][$0] ?? "" }
        XCTAssertThrowsError(try f.store.database.write { try engine.accept(CSVRow(line: 1, fields: fields), header: header, db: $0) }) { e in
            XCTAssertTrue("\(e)".contains("a bulk load of cases (big.csv"), "\(e)")
        }
        XCTAssertTrue(try f.store.sourceStatuses(now: now).first?.lastError?.hasSuffix("bulk load running: case figures are written when it ends") ?? false)
        XCTAssertEqual(try dump(f.store), settled)
    }

    /// A bulk load stays in WAL mode (a rollback journal was measured and not kept: after a kill it
    /// leaves a hot journal that read-only screens cannot open until a writer rolls it back).
    func testABulkLoadStaysInWALModeBesideAnotherConnection() throws {
        for otherReader in [false, true] {
            let f = try Fixture()
            try f.loadSmallDistrict()
            var c = Configuration()
            c.readonly = true
            let other = otherReader ? try DatabaseQueue(path: f.dbPath, configuration: c) : nil
            _ = try other?.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM units") }
            let r = try f.ingest(.cases, "cases.csv", mixedFile(rows: 3_000))
            XCTAssertGreaterThan(r.accepted, 2_000)
            XCTAssertEqual(try f.store.reader.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
            if let other { XCTAssertGreaterThan(try other.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cases") ?? 0 }, 2_000) }
            XCTAssertFalse(FileManager.default.fileExists(atPath: f.dbPath + "-journal"))
        }
    }

    /// A store made before the case list index covered open cases only moves to the new index.
    func testAnOlderStoreMovesToTheOpenCasesIndex() throws {
        let f = try Fixture()
        let path = f.dir + "/old.sqlite"
        do {
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v2 case pushes and abnormal rules")
            let names = try old.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'") }
            XCTAssertTrue(names.contains("cases_by_key"), "\(names)")
            try old.close()
        }
        let store = try CockpitStore(path: path)
        let names = try store.reader.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' ORDER BY name") }
        XCTAssertEqual(names.filter { !$0.hasPrefix("sqlite_") }, ["cases_open_by_key"])
        try store.close()
    }

    func testTheCaseListReadsTheOpenCasesIndex() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", mixedFile(rows: 2_000))
        let tree = try f.store.tree()
        let at = t("2026-10-20T10:00:00+08:00")
        for light in [CaseLight.red, .yellow, .green, .grey] {
            let listed = try f.store.cases(under: "d", tree: tree, light: light, at: at, limit: 10_000)
            let rules = CaseRules(calendar: try f.store.calendar())
            let byLight = try f.store.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM cases WHERE status IN ('accepted', 'in_review', 'suspended') ORDER BY deadline, id").filter { row in
                    let c = ServiceCase(id: row["id"], unit: row["unit"], department: row["department"], itemCode: row["item_code"],
                                        itemName: row["item_name"], channel: ServiceCase.Channel(rawValue: row["channel"]) ?? .hall,
                                        acceptedAt: row["accepted_at"], promisedDays: row["promised_days"],
                                        status: ServiceCase.Status(rawValue: row["status"]) ?? .accepted, completedAt: row["completed_at"],
                                        suspensions: (try? ServiceCase.Suspension.parseList(row["suspensions"]).get()) ?? [])
                    return rules.light(of: c, deadline: rules.deadline(of: c), at: at) == light
                }.map { $0["id"] as String }
            }
            XCTAssertFalse(byLight.isEmpty, "\(light)")
            XCTAssertEqual(listed.map(\.id), byLight, "\(light)")
        }
        let plan = try f.store.reader.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE unit IN ('c1', 'c2') AND k_class = 0 AND k_day < 20000 AND k_class IN (0, 1)").map { $0["detail"] as String }
        }
        XCTAssertTrue(plan.joined().contains("cases_open_by_key"), "\(plan)")
    }

    /// A group of new cases of which one is stored after all: the statement changes nothing and the
    /// rows go one by one, the stored one as a later push; the roll-ups end as a recount gives them.
    func testAGroupWithAStoredCaseFallsBackRowByRow() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        let header = Fixture.header + ",pushed_at"
        try f.ingest(.cases, "first.csv", header + "\nx1,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,accepted,,,\n")
        let consumer = try XCTUnwrap(try f.store.makeConsumer(kind: .cases, file: "group.csv", source: "group.csv") as? CasesConsumer)
        consumer.setColumns(Dictionary(uniqueKeysWithValues: header.split(separator: ",").enumerated().map { (String($1), $0) }))
        let records = [
            RowBytes("x2,c2,区民政局,X1,事项一,online,2026-10-12T10:00:00+08:00,5,accepted,,,".split(separator: ",", omittingEmptySubsequences: false).map(String.init)),
            RowBytes("x1,c1,区民政局,X1,事项一,online,2026-10-12T09:00:00+08:00,5,completed,2026-10-13T11:00:00+08:00,,2026-10-13T11:00:00+08:00".split(separator: ",", omittingEmptySubsequences: false).map(String.init)),
        ]
        var group: [(c: CasesConsumer.Prepared, line: Int)] = []
        for (i, r) in records.enumerated() {
            guard case .ok(let p) = consumer.prepare(record: r) else { return XCTFail("record \(i) refused") }
            // Counted as new, as a bulk load's parser counts every record.
            consumer.counts.count(unit: p.unit, keys: p.keys, completedAt: p.facts.completedAt, masks: p.masks, timeKeys: p.timeKeys, sign: 1)
            group.append((p, i + 2))
        }
        try f.store.database.writeWithoutTransaction { db in
            try db.inTransaction {
                XCTAssertTrue(try consumer.storeNew(group[...], db: db).isEmpty)
                try consumer.endBatch(db: db)
                return .commit
            }
        }
        XCTAssertEqual(try f.store.reader.read { try String.fetchAll($0, sql: "SELECT id || ' ' || status FROM cases ORDER BY id") },
                       ["x1 completed", "x2 accepted"])
        XCTAssertEqual(try f.store.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_pushes WHERE id = 'x1'") }, 2)
        let kept = try dump(f.store)
        try f.store.database.write { try CockpitStore.rebuildRollup($0) }
        XCTAssertEqual(try dump(f.store), kept, "the roll-ups after the fallback are those counted from `cases`")
    }
}

/// A small deterministic generator (the tests' data must not change between runs).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
