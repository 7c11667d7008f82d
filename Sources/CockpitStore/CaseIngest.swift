import CockpitCore
import Foundation
import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A record's fields as bytes, by column index: the CSV reader's records, or a row of Strings.
protocol ByteFields {
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8>
}

extension CSVRecord: ByteFields {}

/// A row of Strings laid out as bytes, so that `accept(CSVRow)` runs the same code as the fast path.
final class RowBytes: ByteFields {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private var ends: [Int] = []
    init(_ fields: [String]) {
        bytes = .allocate(capacity: max(1, fields.reduce(0) { $0 + $1.utf8.count }))
        var at = 0
        for f in fields {
            for c in f.utf8 { bytes[at] = c; at += 1 }
            ends.append(at)
        }
    }
    deinit { bytes.deallocate() }
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Without leading and trailing spaces and tabs (as `trimmingSpaces`).
    @inline(__always) var trimmed: UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = count
        while lo < hi, self[lo] == 32 || self[lo] == 9 { lo += 1 }
        while hi > lo, self[hi - 1] == 32 || self[hi - 1] == 9 { hi -= 1 }
        return lo == 0 && hi == count ? self : UnsafeBufferPointer(rebasing: self[lo..<hi])
    }
    var string: String { String(decoding: self, as: UTF8.self) }
    @inline(__always) func equals(_ s: StaticString) -> Bool {
        guard s.utf8CodeUnitCount == count else { return false }
        let p = s.utf8Start
        for i in 0..<count where p[i] != self[i] { return false }
        return true
    }
    /// A non-negative decimal number (at most 9 digits), or nil.
    var smallInt: Int? {
        guard count > 0, count <= 9 else { return nil }
        var v = 0
        for c in self { guard c >= 48, c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
        return v
    }
}

/// Unit ids looked up by their bytes (no String per row): FNV-1a hash, then a byte compare.
struct UnitTable {
    let ids: [String]
    /// Each id's bytes, allocated once and never freed (a tree has a few hundred units): they
    /// are bound to statements without a copy.
    let bytes: [UnsafeBufferPointer<UInt8>]
    /// Each unit's place in the ids' byte order (SQLite's BINARY collation): roll-up keys are
    /// written in the tables' key order without comparing strings.
    let rank: [Int]
    private var byHash: [UInt64: [Int]] = [:]
    private let idBytes: [[UInt8]]

    init(tree: OrgTree) {
        ids = tree.units.map(\.id)
        idBytes = ids.map { Array($0.utf8) }
        bytes = idBytes.map { b in
            let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, b.count))
            _ = p.initialize(from: b)
            return UnsafeBufferPointer(rebasing: p[0..<b.count])
        }
        for (i, b) in idBytes.enumerated() { byHash[Self.hash(b.withUnsafeBufferPointer { $0 }), default: []].append(i) }
        var rank = [Int](repeating: 0, count: ids.count)
        for (place, i) in idBytes.indices.sorted(by: { [idBytes] in idBytes[$0].lexicographicallyPrecedes(idBytes[$1]) }).enumerated() { rank[i] = place }
        self.rank = rank
    }

    @inline(__always) static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for c in b { h = (h ^ UInt64(c)) &* 0x100000001b3 }
        return h
    }

    func index(of b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let candidates = byHash[Self.hash(b)] else { return nil }
        for i in candidates where idBytes[i].elementsEqual(b) { return i }
        return nil
    }

    func index(of id: String) -> Int? { var s = id; return s.withUTF8 { index(of: $0) } }
}

/// The hot path of ingest: cases. Fields are read as bytes and bound with the raw SQLite API;
/// both roll-ups are kept current with deltas applied once per batch. A case seen for the first
/// time costs one row; a later push of a known id takes the slow path (history, replace).
final class CasesConsumer: BatchConsumer {
    let tree: OrgTree
    let rules: CaseRules
    let units: UnitTable

    /// What the batch adds to and takes from the roll-ups, written in `endBatch`.
    var counts = CaseCounts()
    /// Whether this transaction has checked that no other process's bulk load runs.
    private var checkedPending = false

    private var insert: Statement?
    private var selectOld: Statement?
    private var update: Statement?
    /// The statements of later pushes, prepared once (a bulk load has ~40k later pushes a million rows).
    private var insertPush: Statement?, samePush: Statement?, updateKeys: Statement?
    private var columns: [Int] = []
    private var pushedAtColumn = -1
    private let sourceBytes: UnsafeMutableBufferPointer<UInt8>

    init(file: String, source: String, tree: OrgTree, rules: CaseRules) {
        self.tree = tree
        self.rules = rules
        self.units = UnitTable(tree: tree)
        sourceBytes = .allocate(capacity: max(1, source.utf8.count))
        _ = sourceBytes.initialize(from: source.utf8)
        super.init(file: file, source: source, kind: .cases)
    }

    deinit { sourceBytes.deallocate() }

    func setColumns(_ header: [String: Int]) {
        guard columns.isEmpty else { return }
        columns = IngestKind.cases.required.map { header[$0]! }
        pushedAtColumn = header["pushed_at"] ?? -1
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        if !checkedPending {
            // Once per transaction: a bulk load may have begun since this consumer was made.
            try CaseRollupsPending.refuseWhileLive(db)
            checkedPending = true
        }
        setColumns(header)
        return try accept(record: RowBytes(row.fields), line: row.line, db: db)
    }

    /// One record: validated field by field (the first bad field is the reason), then stored.
    func accept<R: ByteFields>(record r: R, line: Int, db: Database) throws -> Rejection? {
        switch prepare(record: r) {
        case .rejected(let rejection): return rejection
        case .ok(let c): return try store(c, line: line, db: db)
        }
    }

    /// A record validated and derived from its fields alone (no database): what `store` writes.
    /// The byte fields point into the record's memory, or into a parsed batch's bytes.
    struct Prepared {
        var id, department, itemCode, itemName: UnsafeBufferPointer<UInt8>
        var unit: Int
        var facts: CaseFacts
        var keys: DerivedKeys
        var masks: (errors: Int, flags: Int)
        var timeKeys: CaseAbnormal.TimeKeys
        var pushedAt: Int64
    }
    enum Outcome { case ok(Prepared), rejected(Rejection) }

    /// Validates one record field by field (the first bad field is the reason) and derives its
    /// keys. Reads only what is fixed before the first record (columns, units, rules), so the
    /// parsing thread of a bulk load may run it while the writer stores earlier records.
    func prepare<R: ByteFields>(record r: R) -> Outcome {
        @inline(__always) func field(_ i: Int) -> UnsafeBufferPointer<UInt8> { r.field(columns[i]).trimmed }

        let id = field(0)
        guard id.count > 0 else { return .rejected(Rejection(field: "id", reason: "missing id")) }
        let unitBytes = field(1)
        guard let unit = units.index(of: unitBytes) else {
            let u = unitBytes.string
            let near = tree.nearest(to: u, limit: 1).first.map { " (nearest: '\($0)')" } ?? ""
            return .rejected(Rejection(field: "unit", reason: "unknown unit '\(u)'\(near)"))
        }
        let department = field(2)
        guard department.count > 0 else { return .rejected(Rejection(field: "department", reason: "missing department")) }
        let itemCode = field(3)
        let itemName = field(4)
        guard itemName.count > 0 else { return .rejected(Rejection(field: "item_name", reason: "missing item name")) }
        let channelBytes = field(5)
        let channel: ServiceCase.Channel
        if channelBytes.equals("hall") { channel = .hall }
        else if channelBytes.equals("online") { channel = .online }
        else if channelBytes.equals("mobile") { channel = .mobile }
        else { return .rejected(Rejection(field: "channel", reason: "unknown channel '\(channelBytes.string)' (hall, online or mobile)")) }
        let acceptedBytes = field(6)
        guard let acceptedAt = LocalTime.parse(utf8: acceptedBytes) else {
            return .rejected(Rejection(field: "accepted_at", reason: acceptedBytes.count == 0 ? "missing acceptance time" : "'\(acceptedBytes.string)' is not an ISO 8601 time"))
        }
        let daysBytes = field(7)
        let promised: Int
        if let d = daysBytes.smallInt { promised = d } else {
            guard let d = Int(daysBytes.string) else {
                return .rejected(Rejection(field: "promised_days", reason: "'\(daysBytes.string)' is not a whole number of working days"))
            }
            promised = d
        }
        guard promised >= 0, promised <= 3650 else {
            return .rejected(Rejection(field: "promised_days", reason: "\(promised) is out of range (0 to 3650 working days)"))
        }
        let statusBytes = field(8)
        let status: ServiceCase.Status
        if statusBytes.equals("completed") { status = .completed }
        else if statusBytes.equals("in_review") { status = .inReview }
        else if statusBytes.equals("accepted") { status = .accepted }
        else if statusBytes.equals("suspended") { status = .suspended }
        else if statusBytes.equals("rejected") { status = .rejected }
        else if statusBytes.equals("withdrawn") { status = .withdrawn }
        else {
            return .rejected(Rejection(field: "status", reason: "unknown status '\(statusBytes.string)' (accepted, in_review, suspended, completed, rejected or withdrawn)"))
        }
        let completedBytes = field(9)
        var completedAt: Int64? = nil
        if completedBytes.count > 0 {
            guard let t = LocalTime.parse(utf8: completedBytes) else {
                return .rejected(Rejection(field: "completed_at", reason: "'\(completedBytes.string)' is not an ISO 8601 time"))
            }
            completedAt = t
        }
        let suspensionBytes = field(10)
        var suspensions: [ServiceCase.Suspension] = []
        if suspensionBytes.count > 0 {
            switch ServiceCase.Suspension.parseList(suspensionBytes.string) {
            case .success(let list): suspensions = list
            case .failure(let e): return .rejected(Rejection(field: "suspensions", reason: e.message))
            }
        }
        let facts = CaseFacts(status: status, channel: channel, acceptedAt: acceptedAt, promisedDays: promised,
                              completedAt: completedAt, suspensions: suspensions)
        var pushedAt = Self.fallbackPushTime(facts)
        if pushedAtColumn >= 0 {
            let p = r.field(pushedAtColumn).trimmed
            if p.count > 0 {
                guard let t = LocalTime.parse(utf8: p) else {
                    return .rejected(Rejection(field: "pushed_at", reason: "'\(p.string)' is not an ISO 8601 time"))
                }
                pushedAt = t
            }
        }

        let keys = DerivedKeys(facts, rules: rules)
        let masks = CaseAbnormal.staticMasks(facts, history: [], calendar: rules.calendar)
        let timeKeys = CaseAbnormal.timeKeys(facts, history: [], pushedAt: pushedAt, calendar: rules.calendar)
        return .ok(Prepared(id: id, department: department, itemCode: itemCode, itemName: itemName, unit: unit,
                            facts: facts, keys: keys, masks: masks, timeKeys: timeKeys, pushedAt: pushedAt))
    }

    /// Stores a prepared record: most rows are new, a plain insert. Only when the id is already
    /// stored (a later push) does the slow path look at the history.
    /// `precounted`: the case is already counted as new (a bulk load's parser did): nothing to
    /// count when it is, and that count is taken back when the id turns out to be stored.
    /// `likelyStored`: the id is probably stored (a bulk load's parser saw it before): look it up
    /// first rather than try an insert that fails.
    func store(_ c: Prepared, line: Int, db: Database, precounted: Bool = false, likelyStored: Bool = false) throws -> Rejection? {
        let (id, unit, department, itemCode, itemName) = (c.id, c.unit, c.department, c.itemCode, c.itemName)
        let (facts, keys, masks, timeKeys, pushedAt) = (c.facts, c.keys, c.masks, c.timeKeys, c.pushedAt)
        func later(_ old: StoredCase) throws -> Rejection? {
            if precounted { count(unit: unit, keys: keys, completedAt: facts.completedAt, masks: masks, timeKeys: timeKeys, sign: -1) }
            return try laterPush(old: old, id: id.string, unit: unit, department: department, itemCode: itemCode, itemName: itemName,
                                 facts: facts, keys: keys, pushedAt: pushedAt, line: line, db: db)
        }
        if likelyStored, let old = try storedCase(id: id.string, db: db) { return try later(old) }
        let ins = try prepared(&insert, db, Self.insertSQL)
        bindCase(ins, id: id, unit: unit, department: department, itemCode: itemCode, itemName: itemName, facts: facts,
                 keys: keys, pushedAt: pushedAt, masks: masks, timeKeys: timeKeys, line: line)
        let rc = sqlite3_step(ins)
        sqlite3_reset(ins)
        if rc & 0xFF == SQLITE_CONSTRAINT { // extended codes are on: SQLITE_CONSTRAINT_PRIMARYKEY
            guard let old = try storedCase(id: id.string, db: db) else { throw StoreError("case \(id.string) vanished during ingest") }
            return try later(old)
        }
        guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
        if !precounted { count(unit: unit, keys: keys, completedAt: facts.completedAt, masks: masks, timeKeys: timeKeys, sign: 1) }
        return nil
    }

    /// New cases of a bulk load, up to `groupRows` a statement: one statement runs for many rows
    /// (measured in C on the benchmark file: 5.2 s for one row a statement, 3.0 s for 64). The
    /// rows must be cases the store does not hold (the parser saw their id first, and the store was
    /// empty), and are already counted. Should one be stored after all, the statement changes
    /// nothing and the rows go one by one through `store`.
    static let groupRows = 64
    func storeNew(_ rows: ArraySlice<(c: Prepared, line: Int)>, db: Database) throws -> [(line: Int, Rejection)] {
        guard !rows.isEmpty else { return [] }
        let st = try groupStatement(rows: rows.count, db)
        for (i, r) in rows.enumerated() {
            let c = r.c
            bindCase(st, at: Int32(i * 23), id: c.id, unit: c.unit, department: c.department, itemCode: c.itemCode, itemName: c.itemName,
                     facts: c.facts, keys: c.keys, pushedAt: c.pushedAt, masks: c.masks, timeKeys: c.timeKeys, line: r.line)
        }
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        if rc == SQLITE_DONE { return [] }
        guard rc & 0xFF == SQLITE_CONSTRAINT else { throw sqliteError(rc, db) }
        return try rows.compactMap { r in try store(r.c, line: r.line, db: db, precounted: true).map { (r.line, $0) } }
    }

    private var groupStatements: [Int: Statement] = [:]
    private func groupStatement(rows: Int, _ db: Database) throws -> OpaquePointer {
        if let s = groupStatements[rows] { return s.sqliteStatement }
        let one = "(" + Array(repeating: "?", count: 23).joined(separator: ", ") + ")"
        let sql = Self.insertSQL.components(separatedBy: "VALUES")[0] + "VALUES " + Array(repeating: one, count: rows).joined(separator: ", ")
        let s = try db.makeStatement(sql: sql)
        groupStatements[rows] = s
        return s.sqliteStatement
    }

    /// Without a `pushed_at` column (or with it empty) a push is dated by the latest time it
    /// carries: acceptance, completion, the start or end of a suspension.
    static func fallbackPushTime(_ f: CaseFacts) -> Int64 {
        var t = max(f.acceptedAt, f.completedAt ?? f.acceptedAt)
        for s in f.suspensions { t = max(t, s.from, s.to ?? s.from) }
        return t
    }

    private func count(unit: Int, keys: DerivedKeys, completedAt: Int64?, masks: (errors: Int, flags: Int), timeKeys: CaseAbnormal.TimeKeys, sign: Int) {
        counts.count(unit: unit, keys: keys, completedAt: completedAt, masks: masks, timeKeys: timeKeys, sign: sign)
    }

    /// Channel and status names as bytes that live as long as the program: bound without a copy,
    /// found by the enum's position (no String hashed per row).
    nonisolated(unsafe) private static let channelWords = ServiceCase.Channel.allCases.map { permanentBytes($0.rawValue) }
    nonisolated(unsafe) private static let statusWords = ServiceCase.Status.allCases.map { permanentBytes($0.rawValue) }
    private static func permanentBytes(_ w: String) -> UnsafeBufferPointer<UInt8> {
        let b = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: w.utf8.count)
        _ = b.initialize(from: w.utf8)
        return UnsafeBufferPointer(b)
    }
    @inline(__always) static func channelBytes(_ c: ServiceCase.Channel) -> UnsafeBufferPointer<UInt8> {
        switch c { case .hall: channelWords[0]; case .online: channelWords[1]; case .mobile: channelWords[2] }
    }
    @inline(__always) static func statusBytes(_ s: ServiceCase.Status) -> UnsafeBufferPointer<UInt8> {
        switch s {
        case .accepted: statusWords[0]; case .inReview: statusWords[1]; case .suspended: statusWords[2]
        case .completed: statusWords[3]; case .rejected: statusWords[4]; case .withdrawn: statusWords[5]
        }
    }

    static let insertSQL = """
        INSERT INTO cases (id, unit, department, item_code, item_name, channel, accepted_at, promised_days, status,
                           completed_at, suspensions, deadline, outside_calendar, k_class, k_day, late, source, line,
                           pushed_at, latest_at, stall_day, abn, flags)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Binds a case's 23 columns from parameter `at` + 1 on (a statement may hold many rows).
    private func bindCase(_ st: OpaquePointer, at: Int32 = 0, id: UnsafeBufferPointer<UInt8>, unit: Int, department: UnsafeBufferPointer<UInt8>,
                          itemCode: UnsafeBufferPointer<UInt8>, itemName: UnsafeBufferPointer<UInt8>, facts: CaseFacts,
                          keys: DerivedKeys, pushedAt: Int64, masks: (errors: Int, flags: Int), timeKeys: CaseAbnormal.TimeKeys, line: Int) {
        // Bound without a copy: the bytes (a record's buffer, a parsed batch) outlive the step
        // that follows, and every step binds all the fields again.
        bindStatic(st, at + 1, id)
        bindStatic(st, at + 2, units.bytes[unit])
        bindStatic(st, at + 3, department)
        bindStatic(st, at + 4, itemCode)
        bindStatic(st, at + 5, itemName)
        bindStatic(st, at + 6, Self.channelBytes(facts.channel))
        sqlite3_bind_int64(st, at + 7, facts.acceptedAt)
        sqlite3_bind_int64(st, at + 8, Int64(facts.promisedDays))
        bindStatic(st, at + 9, Self.statusBytes(facts.status))
        if let c = facts.completedAt { sqlite3_bind_int64(st, at + 10, c) } else { sqlite3_bind_null(st, at + 10) }
        bindText(st, at + 11, facts.suspensions.isEmpty ? "" : ServiceCase.Suspension.format(facts.suspensions))
        sqlite3_bind_int64(st, at + 12, keys.deadline.instant)
        sqlite3_bind_int64(st, at + 13, keys.deadline.outsideCalendar ? 1 : 0)
        sqlite3_bind_int64(st, at + 14, Int64(keys.caseClass.rawValue))
        sqlite3_bind_int64(st, at + 15, Int64(keys.day))
        sqlite3_bind_int64(st, at + 16, keys.late ? 1 : 0)
        bindStatic(st, at + 17, UnsafeBufferPointer(sourceBytes))
        sqlite3_bind_int64(st, at + 18, Int64(line))
        sqlite3_bind_int64(st, at + 19, pushedAt)
        sqlite3_bind_int64(st, at + 20, timeKeys.latestAt)
        if let d = timeKeys.stallDay { sqlite3_bind_int64(st, at + 21, Int64(d)) } else { sqlite3_bind_null(st, at + 21) }
        sqlite3_bind_int64(st, at + 22, Int64(masks.errors))
        sqlite3_bind_int64(st, at + 23, Int64(masks.flags))
    }

    /// A case row as `laterPush` needs it, read by column position with the raw C API (GRDB's
    /// rows look columns up by name, and this path runs for every later push of a bulk load).
    private struct StoredCase {
        var unitID: String, department: String, itemCode: String, itemName: String, channel: String
        var acceptedAt: Int64, promisedDays: Int, status: String, completedAt: Int64?, suspensions: String
        var kClass: Int, kDay: Int32, late: Int, outside: Int, source: String, line: Int
        var pushedAt: Int64, latestAt: Int64, stallDay: Int32?, abn: Int, flags: Int
    }

    private func storedCase(id: String, db: Database) throws -> StoredCase? {
        let st = try prepared(&selectOld, db, """
            SELECT unit, department, item_code, item_name, channel, accepted_at, promised_days, status, completed_at, suspensions,
                   k_class, k_day, late, outside_calendar, source, line, pushed_at, latest_at, stall_day, abn, flags
            FROM cases WHERE id = ?
            """)
        defer { sqlite3_reset(st) }
        bindText(st, 1, id)
        let rc = sqlite3_step(st)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw sqliteError(rc, db) }
        func text(_ i: Int32) -> String { sqlite3_column_text(st, i).map { String(cString: $0) } ?? "" }
        func int(_ i: Int32) -> Int64 { sqlite3_column_int64(st, i) }
        func optional(_ i: Int32) -> Int64? { sqlite3_column_type(st, i) == SQLITE_NULL ? nil : int(i) }
        return StoredCase(unitID: text(0), department: text(1), itemCode: text(2), itemName: text(3), channel: text(4),
                          acceptedAt: int(5), promisedDays: Int(int(6)), status: text(7), completedAt: optional(8), suspensions: text(9),
                          kClass: Int(int(10)), kDay: Int32(int(11)), late: Int(int(12)), outside: Int(int(13)), source: text(14),
                          line: Int(int(15)), pushedAt: int(16), latestAt: int(17), stallDay: optional(18).map { Int32($0) },
                          abn: Int(int(19)), flags: Int(int(20)))
    }

    /// A push of an id already stored. The same push again (same push time and content) changes nothing. Else
    /// the push joins the history (the first push is copied there from the case row when needed),
    /// the later push in push time becomes the case, and the rules are judged on the whole history.
    private func laterPush(old: StoredCase, id: String, unit: Int, department: UnsafeBufferPointer<UInt8>, itemCode: UnsafeBufferPointer<UInt8>,
                           itemName: UnsafeBufferPointer<UInt8>, facts: CaseFacts, keys: DerivedKeys, pushedAt: Int64,
                           line: Int, db: Database) throws -> Rejection? {
        let departmentText = department.string, itemCodeText = itemCode.string, itemNameText = itemName.string
        let suspensionsText = facts.suspensions.isEmpty ? "" : ServiceCase.Suspension.format(facts.suspensions)
        var history = try CockpitStore.pushes(of: id, db: db)
        if history.isEmpty {
            // The same push again (same push time, same content) changes nothing.
            if old.pushedAt == pushedAt && old.status == facts.status.rawValue && old.unitID == units.ids[unit]
                && old.department == departmentText && old.itemCode == itemCodeText && old.itemName == itemNameText
                && old.channel == facts.channel.rawValue && old.acceptedAt == facts.acceptedAt && old.promisedDays == facts.promisedDays
                && old.completedAt == facts.completedAt && old.suspensions == suspensionsText {
                return nil
            }
            // The first push lived in the case row only: copy it into the history now.
            try run(&insertPush, db, Self.insertPushSQL) { st in
                bindText(st, 1, id); sqlite3_bind_int64(st, 2, old.pushedAt); sqlite3_bind_int64(st, 3, 0); bindText(st, 4, old.status)
                bindText(st, 5, old.unitID); bindText(st, 6, old.department); bindText(st, 7, old.itemCode); bindText(st, 8, old.itemName)
                bindText(st, 9, old.channel); sqlite3_bind_int64(st, 10, old.acceptedAt); sqlite3_bind_int64(st, 11, Int64(old.promisedDays))
                if let c = old.completedAt { sqlite3_bind_int64(st, 12, c) } else { sqlite3_bind_null(st, 12) }
                bindText(st, 13, old.suspensions); bindText(st, 14, old.source); sqlite3_bind_int64(st, 15, Int64(old.line))
            }
            history = [CasePush(pushedAt: old.pushedAt, status: ServiceCase.Status(rawValue: old.status) ?? .accepted, unit: old.unitID,
                                department: old.department, source: old.source, line: old.line)]
        } else if try exists(&samePush, db, """
            SELECT 1 FROM case_pushes WHERE id = ? AND pushed_at = ? AND status = ? AND unit = ? AND department = ?
                AND item_code = ? AND item_name = ? AND channel = ? AND accepted_at = ? AND promised_days = ? AND completed_at IS ?
                AND suspensions = ?
            """, { st in
                bindText(st, 1, id); sqlite3_bind_int64(st, 2, pushedAt); bindStatic(st, 3, Self.statusBytes(facts.status))
                bindStatic(st, 4, units.bytes[unit]); bindStatic(st, 5, department); bindStatic(st, 6, itemCode); bindStatic(st, 7, itemName)
                bindStatic(st, 8, Self.channelBytes(facts.channel)); sqlite3_bind_int64(st, 9, facts.acceptedAt)
                sqlite3_bind_int64(st, 10, Int64(facts.promisedDays))
                if let c = facts.completedAt { sqlite3_bind_int64(st, 11, c) } else { sqlite3_bind_null(st, 11) }
                bindText(st, 12, suspensionsText)
            }) {
            return nil
        }
        // Another push with the same push time (e.g. two pushes dated by the fallback): kept after it.
        let seq = history.filter { $0.pushedAt == pushedAt }.count
        try run(&insertPush, db, Self.insertPushSQL) { st in
            bindText(st, 1, id); sqlite3_bind_int64(st, 2, pushedAt); sqlite3_bind_int64(st, 3, Int64(seq))
            bindStatic(st, 4, Self.statusBytes(facts.status)); bindStatic(st, 5, units.bytes[unit]); bindStatic(st, 6, department)
            bindStatic(st, 7, itemCode); bindStatic(st, 8, itemName); bindStatic(st, 9, Self.channelBytes(facts.channel))
            sqlite3_bind_int64(st, 10, facts.acceptedAt); sqlite3_bind_int64(st, 11, Int64(facts.promisedDays))
            if let c = facts.completedAt { sqlite3_bind_int64(st, 12, c) } else { sqlite3_bind_null(st, 12) }
            bindText(st, 13, suspensionsText); bindStatic(st, 14, UnsafeBufferPointer(sourceBytes)); sqlite3_bind_int64(st, 15, Int64(line))
        }
        history.append(CasePush(pushedAt: pushedAt, status: facts.status, unit: units.ids[unit], department: departmentText,
                                source: source, line: line))
        history = CaseAbnormal.ordered(history)

        // Stop counting the case where it counted.
        guard let oldUnit = units.index(of: old.unitID) else { throw StoreError("case \(id): stored unit '\(old.unitID)' is not in the tree") }
        counts.count(unit: oldUnit, caseClass: old.kClass, day: old.kDay, late: old.late, outside: old.outside, completedAt: old.completedAt,
                     errors: old.abn, flags: old.flags, stallDay: old.stallDay, latestAt: old.latestAt, sign: -1)

        if pushedAt >= old.pushedAt {
            // The new push is the latest (on a tie, the later to arrive): it becomes the case.
            let masks = CaseAbnormal.staticMasks(facts, history: history, calendar: rules.calendar)
            let timeKeys = CaseAbnormal.timeKeys(facts, history: history, pushedAt: pushedAt, calendar: rules.calendar)
            // An UPDATE by id (the row is there: just read), its parameters numbered as the insert's.
            let up = try prepared(&update, db, """
                UPDATE cases SET unit = ?2, department = ?3, item_code = ?4, item_name = ?5, channel = ?6, accepted_at = ?7,
                    promised_days = ?8, status = ?9, completed_at = ?10, suspensions = ?11, deadline = ?12,
                    outside_calendar = ?13, k_class = ?14, k_day = ?15, late = ?16, source = ?17, line = ?18, pushed_at = ?19,
                    latest_at = ?20, stall_day = ?21, abn = ?22, flags = ?23
                WHERE id = ?1
                """)
            try id.withCString { idPtr in
                let idBuf = UnsafeBufferPointer(start: UnsafeRawPointer(idPtr).assumingMemoryBound(to: UInt8.self), count: id.utf8.count)
                bindCase(up, id: idBuf, unit: unit, department: department, itemCode: itemCode, itemName: itemName, facts: facts,
                         keys: keys, pushedAt: pushedAt, masks: masks, timeKeys: timeKeys, line: line)
                try step(up, db)
            }
            count(unit: unit, keys: keys, completedAt: facts.completedAt, masks: masks, timeKeys: timeKeys, sign: 1)
        } else {
            // An older push came late: the case stays as it is, only its history (and findings) change.
            let current = CaseFacts(status: ServiceCase.Status(rawValue: old.status) ?? .accepted,
                                    channel: ServiceCase.Channel(rawValue: old.channel) ?? .hall,
                                    acceptedAt: old.acceptedAt, promisedDays: old.promisedDays, completedAt: old.completedAt,
                                    suspensions: (try? ServiceCase.Suspension.parseList(old.suspensions).get()) ?? [])
            let masks = CaseAbnormal.staticMasks(current, history: history, calendar: rules.calendar)
            let timeKeys = CaseAbnormal.timeKeys(current, history: history, pushedAt: old.pushedAt, calendar: rules.calendar)
            try run(&updateKeys, db, "UPDATE cases SET latest_at = ?, stall_day = ?, abn = ?, flags = ? WHERE id = ?") { st in
                sqlite3_bind_int64(st, 1, timeKeys.latestAt)
                if let d = timeKeys.stallDay { sqlite3_bind_int64(st, 2, Int64(d)) } else { sqlite3_bind_null(st, 2) }
                sqlite3_bind_int64(st, 3, Int64(masks.errors)); sqlite3_bind_int64(st, 4, Int64(masks.flags)); bindText(st, 5, id)
            }
            counts.count(unit: oldUnit, caseClass: old.kClass, day: old.kDay, late: old.late, outside: old.outside, completedAt: old.completedAt,
                         errors: masks.errors, flags: masks.flags, stallDay: timeKeys.stallDay, latestAt: timeKeys.latestAt, sign: 1)
        }
        return nil
    }

    /// Writes the batch's roll-up deltas (`CaseCounts.flush`).
    override func endBatch(db: Database) throws {
        checkedPending = false
        try counts.flush(db, units: units)
    }

    private func step(_ st: OpaquePointer, _ db: Database) throws {
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        guard rc == SQLITE_DONE else { throw sqliteError(rc, db) }
    }

    private static let insertPushSQL = """
        INSERT INTO case_pushes (id, pushed_at, seq, status, unit, department, item_code, item_name, channel, accepted_at,
                                 promised_days, completed_at, suspensions, source, line)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Binds, steps and resets the statement held in `slot` (prepared on first use).
    private func run(_ slot: inout Statement?, _ db: Database, _ sql: String, _ bind: (OpaquePointer) -> Void) throws {
        let st = try prepared(&slot, db, sql)
        bind(st)
        try step(st, db)
    }

    /// Whether the query held in `slot` returns a row.
    private func exists(_ slot: inout Statement?, _ db: Database, _ sql: String, _ bind: (OpaquePointer) -> Void) throws -> Bool {
        let st = try prepared(&slot, db, sql)
        bind(st)
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw sqliteError(rc, db) }
        return rc == SQLITE_ROW
    }

    private func prepared(_ slot: inout Statement?, _ db: Database, _ sql: String) throws -> OpaquePointer {
        if let s = slot { return s.sqliteStatement }
        let s = try db.makeStatement(sql: sql)
        slot = s
        return s.sqliteStatement
    }
}

func sqliteError(_ rc: Int32, _ db: Database) -> DatabaseError {
    DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
}

/// SQLITE_TRANSIENT: SQLite copies the bytes, so the Swift string may go away after binding.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

@inline(__always) func bindText(_ stmt: OpaquePointer, _ index: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bindBytes(stmt, index, $0) }
}

/// SQLITE_STATIC: the bytes outlive the statement's use of them (no copy).
private let sqliteStatic = unsafeBitCast(0, to: sqlite3_destructor_type.self)

@inline(__always) func bindStatic(_ stmt: OpaquePointer, _ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return bindBytes(stmt, index, bytes) }
    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
        _ = sqlite3_bind_text(stmt, index, $0, Int32(bytes.count), sqliteStatic)
    }
}

/// Binds bytes as text; SQLite copies them (they live in a reader's buffer that moves on).
@inline(__always) func bindBytes(_ stmt: OpaquePointer, _ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
    if let base = bytes.baseAddress, bytes.count > 0 {
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            _ = sqlite3_bind_text(stmt, index, $0, Int32(bytes.count), sqliteTransient)
        }
    } else {
        _ = sqlite3_bind_text(stmt, index, "", 0, sqliteTransient) // empty strings may have no storage
    }
}

/// The keys a case is counted under, derived from its fields and the calendar.
struct DerivedKeys {
    var deadline: CaseRules.Deadline
    var caseClass: Schema.CaseClass
    var day: Int32
    var late: Bool

    init(_ f: CaseFacts, rules: CaseRules) {
        deadline = rules.deadline(acceptedAt: f.acceptedAt, promisedDays: f.promisedDays, suspensions: f.suspensions,
                                  openUntil: f.status.isOpen ? nil : f.completedAt)
        late = false
        switch f.status {
        case .accepted, .inReview:
            caseClass = .running; day = deadline.day
        case .suspended:
            caseClass = .suspended; day = deadline.day
        case .completed:
            if let done = f.completedAt {
                caseClass = .completed
                day = LocalTime.day(of: done)
                late = CaseRules.completedLate(completedAt: done, deadline: deadline)
            } else {
                // No completion time: it cannot fall in any window (ABN02 says why).
                caseClass = .closed; day = LocalTime.day(of: f.acceptedAt)
            }
        case .rejected, .withdrawn:
            caseClass = .closed; day = LocalTime.day(of: f.completedAt ?? f.acceptedAt)
        }
    }
}

extension CockpitStore {
    /// The stored pushes of a case pushed more than once (empty for a case pushed once).
    static func pushes(of id: String, db: Database) throws -> [CasePush] {
        // By column position with the raw C API: a bulk load asks this for every later push.
        let st = try db.cachedStatement(sql: "SELECT pushed_at, status, unit, department, source, line FROM case_pushes WHERE id = ? ORDER BY pushed_at, seq").sqliteStatement
        defer { sqlite3_reset(st) }
        bindText(st, 1, id)
        var pushes: [CasePush] = []
        while true {
            let rc = sqlite3_step(st)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw sqliteError(rc, db) }
            func text(_ i: Int32) -> String { sqlite3_column_text(st, i).map { String(cString: $0) } ?? "" }
            pushes.append(CasePush(pushedAt: sqlite3_column_int64(st, 0), status: ServiceCase.Status(rawValue: text(1)) ?? .accepted,
                                   unit: text(2), department: text(3), source: text(4), line: Int(sqlite3_column_int64(st, 5))))
        }
        return pushes
    }

    /// Recomputes every stored case's derived keys (deadline, lights, abnormal keys) from its
    /// fields, its history and the calendar, then both roll-ups: after a calendar changes, and
    /// once when the abnormal columns were added to an existing store.
    static func recomputeCaseKeys(_ db: Database) throws {
        try CaseRollupsPending.refuseWhileLive(db)
        let rules = CaseRules(calendar: try loadCalendar(db))
        var histories: [String: [CasePush]] = [:]
        let pushRows = try Row.fetchCursor(db, sql: "SELECT id, pushed_at, status, unit, department, source, line FROM case_pushes ORDER BY id, pushed_at, seq")
        while let p = try pushRows.next() {
            histories[p["id"], default: []].append(CasePush(pushedAt: p["pushed_at"], status: ServiceCase.Status(rawValue: p["status"]) ?? .accepted,
                                                           unit: p["unit"], department: p["department"], source: p["source"], line: p["line"]))
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT id, channel, accepted_at, promised_days, status, completed_at, suspensions, pushed_at FROM cases")
        let update = try db.makeStatement(sql: """
            UPDATE cases SET deadline = ?, outside_calendar = ?, k_class = ?, k_day = ?, late = ?,
                pushed_at = ?, latest_at = ?, stall_day = ?, abn = ?, flags = ? WHERE id = ?
            """)
        var updates: [StatementArguments] = []
        while let row = try rows.next() {
            let facts = CaseFacts(status: ServiceCase.Status(rawValue: row["status"]) ?? .accepted,
                                  channel: ServiceCase.Channel(rawValue: row["channel"]) ?? .hall,
                                  acceptedAt: row["accepted_at"], promisedDays: row["promised_days"], completedAt: row["completed_at"],
                                  suspensions: (try? ServiceCase.Suspension.parseList(row["suspensions"]).get()) ?? [])
            let id: String = row["id"]
            let storedPush: Int64 = row["pushed_at"]
            let pushedAt = storedPush != 0 ? storedPush : CasesConsumer.fallbackPushTime(facts)
            let history = histories[id] ?? []
            let k = DerivedKeys(facts, rules: rules)
            let masks = CaseAbnormal.staticMasks(facts, history: history, calendar: rules.calendar)
            let tk = CaseAbnormal.timeKeys(facts, history: history, pushedAt: pushedAt, calendar: rules.calendar)
            updates.append([k.deadline.instant, k.deadline.outsideCalendar ? 1 : 0, k.caseClass.rawValue, Int(k.day), k.late ? 1 : 0,
                            pushedAt, tk.latestAt, tk.stallDay.map { Int($0) }, masks.errors, masks.flags, id])
        }
        for args in updates { try update.execute(arguments: args) }
        try rebuildRollup(db)
        try CaseRollupsPending.end(db) // rebuilt from `cases`: nothing pending any more
    }

    static func rebuildRollup(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM case_rollup;
            INSERT INTO case_rollup (unit, k_class, k_day, n, late, outside_calendar)
                SELECT unit, k_class, k_day, count(*), sum(late), sum(outside_calendar) FROM cases GROUP BY unit, k_class, k_day;
            DELETE FROM case_abnormal_rollup;
            INSERT INTO case_abnormal_rollup (unit, err, flag, stall_day, latest_day, n)
                SELECT unit, abn != 0, flags != 0,
                       CASE WHEN abn != 0 THEN 0 ELSE coalesce(stall_day, 2147483647) END,
                       CASE WHEN abn != 0 THEN 0 ELSE (latest_at + 28800 - ((latest_at + 28800) % 86400 + 86400) % 86400) / 86400 END,
                       count(*)
                FROM cases GROUP BY 1, 2, 3, 4, 5;
            """)
        // (Not yet there while the v2 migration recomputes the keys: later ones build them.)
        if try db.tableExists("case_flagged") { try CaseUnitCounts.rebuild(db) }
    }
}
