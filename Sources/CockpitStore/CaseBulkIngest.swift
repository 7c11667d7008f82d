import CockpitCore
import Foundation
import GRDB

extension CockpitStore {
    /// Cases from CSV, streamed through two threads: a parsing thread reads the records as bytes,
    /// validates them and derives their keys (`CaseParsing`); this one stores them in file order,
    /// binding the bytes with the raw C API (no row of Strings). Same results as the generic path:
    /// the same checks, the same rejects with line, field, reason and raw text.
    ///
    /// Into an empty store it is a bulk load: `synchronous = OFF` and a big page cache while it
    /// runs; the first record of each id (the parsing thread tells) inserted 64 a statement; the
    /// records of ids seen before kept to the end and stored in id order; and the case roll-ups
    /// written once at the end (`CaseRollupsPending`): the parsing thread counts every good record
    /// as a new case, the writer takes back those that were later pushes and counts what
    /// `laterPush` changes. (`CaseIndexes.create` at the end rebuilds any index of `cases` that a
    /// crashed load of an earlier version left dropped.)
    func ingestCases(file: String, source: String, batchSize: Int, now: Int64,
                     progress: ((IngestProgress) -> Void)?) throws -> IngestReport {
        let started = Date()
        let reader: CSVReader
        do { reader = try CSVReader(path: file) } catch { throw IngestFileError(description: "\(error)") }
        defer { reader.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
        var report = IngestReport()

        // The header first, on its own: the consumer needs the columns before the parsing
        // thread starts preparing records.
        var headerRow: CSVRow? = nil
        var headerCount = 0
        do {
            let head: CSVReader
            do { head = try CSVReader(path: file) } catch { throw IngestFileError(description: "\(error)") }
            defer { head.close() }
            try head.forEachRecord { rec in
                headerRow = rec.row
                headerCount = rec.count
                return false
            }
        }
        guard let headerRow else { throw IngestFileError(description: "\(file): empty file (no header row)") }

        let header = try Self.readHeader(headerRow, kind: .cases, file: file, report: &report)
        guard let consumer = try makeConsumer(kind: .cases, file: file, source: source) as? CasesConsumer else {
            throw IngestFileError(description: "\(file): no cases consumer")
        }
        consumer.setColumns(header)

        try database.writeWithoutTransaction { db in
            try db.execute(sql: "DELETE FROM rejects WHERE source = ?", arguments: [source])

            var inBatch = 0
            var rows = 0
            let bulk = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cases)") ?? false)
            let rejectStmt = try db.makeStatement(sql: "INSERT INTO rejects (source, kind, line, field, reason, raw, at) VALUES (?, ?, ?, ?, ?, ?, ?)")

            func commit() throws {
                guard inBatch > 0 else { return }
                if !bulk { try consumer.endBatch(db: db) }
                try Self.setMeta(db, "last_ingest_at", String(now))
                try db.commit()
                inBatch = 0
            }

            if bulk {
                // A bigger page cache: the table's right edge and the indexes' hot pages stay in
                // memory. The indexes are kept up to date row by row: measured, that costs less
                // than half of dropping them and building them by sorting at the end (200k rows:
                // 0.19 s CPU against 0.62 s), since the rows arrive roughly in id and time order.
                try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY")
                try db.inTransaction {
                    try CaseRollupsPending.begin(db, source: source, now: now)
                    return .commit
                }
            }
            defer {
                if db.isInsideTransaction { try? db.rollback() }
                if bulk { try? db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT") }
            }

            // A second thread reads, validates and derives; this one (the writer) only stores,
            // in file order, so the results are those of one thread.
            let parsing = CaseParsing(reader: reader, consumer: consumer, headerCount: headerCount, batchRecords: batchSize, counting: bulk)
            parsing.start()
            defer { parsing.stop() }

            func reject(_ r: Rejection, line: Int, raw: String) throws {
                report.rejected += 1
                if report.reasons.count < CockpitStore.maxReasons {
                    report.reasons.append("\(file):\(line): \(r.field.map { "\($0): " } ?? "")\(r.reason)")
                }
                try rejectStmt.execute(arguments: [source, IngestKind.cases.rawValue, line, r.field, r.reason, raw, now])
            }

            // A bulk load stores the first record of each id many rows a statement (`storeNew`);
            // the group is written before every commit.
            var group: [(c: CasesConsumer.Prepared, line: Int)] = []
            group.reserveCapacity(CasesConsumer.groupRows)
            func storeGroup(_ batch: ParsedBatch) throws {
                guard !group.isEmpty else { return }
                let refused = try consumer.storeNew(group[...], db: db)
                for (line, r) in refused {
                    try reject(r, line: line, raw: batch.raw(of: batch.items.first { $0.line == line }!))
                }
                report.accepted += group.count - refused.count
                group.removeAll(keepingCapacity: true)
            }

            // A bulk load keeps the records of ids seen before (likely later pushes, ~4 % of the
            // benchmark file) to the end, then stores them in id order: each id's pushes still in
            // file order (all a later push reads and writes is its own id's rows and its counts),
            // and the lookups walk the B-trees in key order instead of at random.
            let later = ParsedBatch()

            while let batch = try parsing.next() {
                for item in batch.items {
                    if inBatch == 0 { try db.beginTransaction() }
                    switch item.outcome {
                    case .ok(let c):
                        if item.firstOfID {
                            group.append((c, item.line))
                            if group.count == CasesConsumer.groupRows { try storeGroup(batch) }
                            break
                        }
                        if bulk {
                            later.adopt(item, from: batch)
                            break
                        }
                        if let r = try consumer.store(c, line: item.line, db: db) {
                            try reject(r, line: item.line, raw: batch.raw(of: item))
                        } else {
                            report.accepted += 1
                        }
                    case .rejected(let r, let raw):
                        try reject(r, line: item.line, raw: raw)
                    }
                    inBatch += 1
                    rows += 1
                    if inBatch >= batchSize {
                        try storeGroup(batch)
                        try commit()
                        progress?(IngestProgress(rows: rows, bytesRead: item.bytesRead, bytesTotal: total))
                    }
                }
                try storeGroup(batch) // its rows' bytes live in this batch
            }
            try commit()
            if bulk {
                let ids = later.items.map { item -> UnsafeBufferPointer<UInt8> in
                    if case .ok(let c) = item.outcome { return c.id } else { return UnsafeBufferPointer(start: nil, count: 0) }
                }
                let order = later.items.indices.sorted { a, b in
                    ids[a].elementsEqual(ids[b]) ? a < b : ids[a].lexicographicallyPrecedes(ids[b])
                }
                for i in order {
                    let item = later.items[i]
                    guard case .ok(let c) = item.outcome else { continue }
                    if inBatch == 0 { try db.beginTransaction() }
                    if let r = try consumer.store(c, line: item.line, db: db, precounted: true, likelyStored: true) {
                        try reject(r, line: item.line, raw: later.raw(of: item))
                    } else {
                        report.accepted += 1
                    }
                    inBatch += 1
                    if inBatch >= batchSize { try commit() }
                }
                try commit()
                // The roll-ups of the whole load, in key order into tables that were empty.
                try db.inTransaction {
                    if try CaseRollupsPending.marker(db)?.pid == getpid() {
                        var counts = parsing.takeCounts()
                        counts.merge(consumer.counts)
                        consumer.counts = counts
                        try CaseCounts.withIndexesRebuilt(db, tables: ["case_rollup", "case_abnormal_rollup"]) {
                            try consumer.endBatch(db: db)
                        }
                    } else {
                        try Self.rebuildRollup(db) // the marker went missing: count from `cases`
                    }
                    try CaseRollupsPending.end(db)
                    return .commit
                }
            }
            progress?(IngestProgress(rows: rows, bytesRead: total, bytesTotal: total))
            try CaseIndexes.create(db)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}
