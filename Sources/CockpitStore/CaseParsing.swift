import CockpitCore
import Dispatch
import Foundation

/// Records parsed by the parsing thread of a cases ingest, handed to the writer in file order.
/// A good record's fields are copied into chunks that live as long as the batch, so its
/// `Prepared` fields point there (the reader's buffer has moved on by the time it is stored).
final class ParsedBatch: @unchecked Sendable {
    enum Outcome {
        case ok(CasesConsumer.Prepared)
        case rejected(Rejection, raw: String)
    }
    struct Item {
        var line: Int
        var bytesRead: Int64
        var outcome: Outcome
        /// The record's fields in `spans`, to give a reject its raw text if the writer refuses it.
        var fields: Range<Int>
        /// The first record of its id in the file (a bulk load's parser tells; false otherwise).
        var firstOfID = false
    }

    private(set) var items: [Item] = []
    private var spans: [UnsafeBufferPointer<UInt8>] = []
    private var chunks: [UnsafeMutablePointer<UInt8>] = []
    private var free = 0, next: UnsafeMutablePointer<UInt8>? = nil
    private static let chunkSize = 1 << 18

    init() {
        items.reserveCapacity(CaseParsing.batchRecords)
        spans.reserveCapacity(CaseParsing.batchRecords * 12)
    }

    deinit { for c in chunks { c.deallocate() } }

    private func keep(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let src = b.baseAddress, b.count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        if b.count > free || next == nil {
            let size = max(Self.chunkSize, b.count)
            let c = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            chunks.append(c)
            next = c
            free = size
        }
        let at = next!
        at.update(from: src, count: b.count)
        next = at + b.count
        free -= b.count
        return UnsafeBufferPointer(start: at, count: b.count)
    }

    func add(_ rec: CSVRecord, _ p: CasesConsumer.Prepared, firstOfID: Bool) {
        let first = spans.count
        for i in 0..<rec.count { spans.append(keep(rec.field(i))) }
        items.append(Item(line: rec.line, bytesRead: rec.bytesRead, outcome: .ok(keep(p)), fields: first..<spans.count, firstOfID: firstOfID))
    }

    /// The record with its byte fields copied here.
    private func keep(_ p: CasesConsumer.Prepared) -> CasesConsumer.Prepared {
        var q = p
        q.id = keep(p.id)
        q.department = keep(p.department)
        q.itemCode = keep(p.itemCode)
        q.itemName = keep(p.itemName)
        return q
    }

    /// Copies a good record of another batch, its bytes included: a bulk load keeps its likely
    /// later pushes to the end.
    func adopt(_ item: Item, from other: ParsedBatch) {
        guard case .ok(let p) = item.outcome else { return }
        let first = spans.count
        for f in other.spans[item.fields] { spans.append(keep(f)) }
        items.append(Item(line: item.line, bytesRead: item.bytesRead, outcome: .ok(keep(p)), fields: first..<spans.count))
    }

    func add(_ rec: CSVRecord, rejected r: Rejection) {
        items.append(Item(line: rec.line, bytesRead: rec.bytesRead, outcome: .rejected(r, raw: rec.row.raw), fields: 0..<0))
    }

    /// The record as CSV text, as `CSVRow.raw` gives it for a record rejected while reading.
    func raw(of item: Item) -> String {
        if case .rejected(_, let raw) = item.outcome { return raw }
        return CSVRow(line: item.line, fields: spans[item.fields].map { String(decoding: $0, as: UTF8.self) }).raw
    }
}

/// The parsing thread of a cases ingest: reads the file after its header, validates and derives
/// each record (`CasesConsumer.prepare`, which reads only what is fixed before it starts) and
/// hands batches to the writer through a short queue. The writer stores them in file order, so
/// the store ends up as with one thread; the reading, checks, deadlines and rules run beside
/// SQLite's inserts instead of before them.
final class CaseParsing: @unchecked Sendable {
    static let batchRecords = 2048
    /// Batches parsed ahead of the writer at most (about 2 MB each on the benchmark's file).
    static let depth = 8

    private let reader: CSVReader
    private let consumer: CasesConsumer
    private let headerCount: Int
    private let recordsPerBatch: Int
    /// When counting (a bulk load), every good record counted once (+1), as if it were a new case:
    /// read by the writer after the last batch. The writer takes back what it did not store new.
    private let counting: Bool
    private(set) var counts = CaseCounts()
    private let cond = NSCondition()
    private var queue: [ParsedBatch] = []
    private var finished = false
    private var failure: (any Error)? = nil
    private var stopped = false
    private var running = false
    private let done = DispatchSemaphore(value: 0)

    init(reader: CSVReader, consumer: CasesConsumer, headerCount: Int, batchRecords: Int = CaseParsing.batchRecords, counting: Bool = false) {
        self.reader = reader
        self.consumer = consumer
        self.headerCount = headerCount
        self.recordsPerBatch = max(1, min(batchRecords, Self.batchRecords))
        self.counting = counting
    }

    /// What the parser counted, once it has ended (`next()` returned nil).
    func takeCounts() -> CaseCounts {
        cond.lock()
        defer { cond.unlock() }
        precondition(finished, "the parser's counts are read after its last batch")
        let c = counts
        counts = CaseCounts()
        return c
    }

    func start() {
        running = true
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "cockpit-parse"
        thread.start()
    }

    private func run() {
        var batch = ParsedBatch()
        var seen = SeenHashes()
        var header = true
        do {
            try reader.forEachRecord { rec in
                if header { header = false; return true } // read by the writer already
                if let e = rec.error {
                    batch.add(rec, rejected: Rejection(field: nil, reason: e))
                } else if rec.count != headerCount {
                    batch.add(rec, rejected: Rejection(field: nil, reason: "expected \(headerCount) fields, found \(rec.count)"))
                } else {
                    switch consumer.prepare(record: rec) {
                    case .ok(let p):
                        batch.add(rec, p, firstOfID: counting && seen.insert(UnitTable.hash(p.id)))
                        if counting {
                            counts.count(unit: p.unit, keys: p.keys, completedAt: p.facts.completedAt, masks: p.masks, timeKeys: p.timeKeys, sign: 1)
                        }
                    case .rejected(let r): batch.add(rec, rejected: r)
                    }
                }
                if batch.items.count >= recordsPerBatch {
                    guard put(batch) else { return false }
                    batch = ParsedBatch()
                }
                return true
            }
            if !batch.items.isEmpty { _ = put(batch) }
            finish(nil)
        } catch {
            finish(error)
        }
    }

    /// Waits while the queue is full; false once the writer has stopped.
    private func put(_ b: ParsedBatch) -> Bool {
        cond.lock()
        defer { cond.unlock() }
        while queue.count >= Self.depth && !stopped { cond.wait() }
        if stopped { return false }
        queue.append(b)
        cond.broadcast()
        return true
    }

    private func finish(_ error: (any Error)?) {
        cond.lock()
        finished = true
        failure = error
        cond.broadcast()
        cond.unlock()
    }

    /// The next batch in file order; nil after the last. Rethrows what stopped the parser.
    func next() throws -> ParsedBatch? {
        cond.lock()
        defer { cond.unlock() }
        while queue.isEmpty && !finished { cond.wait() }
        if !queue.isEmpty {
            let b = queue.removeFirst()
            cond.broadcast()
            return b
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the parser if it still runs and waits for it to end (the reader is closed after).
    func stop() {
        guard running else { return }
        cond.lock()
        stopped = true
        queue.removeAll()
        cond.broadcast()
        cond.unlock()
        done.wait()
        running = false
    }
}

/// The ids a bulk load's parser has seen, by their 64-bit hash (an open-addressing table, no
/// bytes kept). A hash seen before marks a record as perhaps a later push: the writer then stores
/// it by the path that checks (`CasesConsumer.store`). Two ids that share a hash only cost the
/// second one that slower path; an id seen before is never taken for a new one.
struct SeenHashes {
    private var slots = [UInt64](repeating: 0, count: 1 << 16)
    private var count = 0

    /// True if `hash` is new (and now seen).
    mutating func insert(_ hash: UInt64) -> Bool {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let h = hash == 0 ? 1 : hash // 0 marks an empty slot
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let s = slots[i]
            if s == h { return false }
            if s == 0 { slots[i] = h; count += 1; return true }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for h in old where h != 0 { _ = insert(h) }
    }
}
