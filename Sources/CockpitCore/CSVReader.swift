#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV record, with the physical line it starts on (1-based).
public struct CSVRow: Sendable {
    public var line: Int
    public var fields: [String]
    /// Set when the record cannot be read as text fields (invalid UTF-8, an unterminated quote).
    public var error: String?
    /// Bytes of the file read so far (by chunks): enough for a progress bar.
    public var bytesRead: Int64

    public init(line: Int, fields: [String], error: String? = nil, bytesRead: Int64 = 0) {
        self.line = line; self.fields = fields; self.error = error; self.bytesRead = bytesRead
    }

    /// The record as CSV text again, for rejects: built only when a row is refused, so that the
    /// hot path keeps no copy of every line. Cut to `CSVReader.rawLimit` bytes.
    public var raw: String {
        var out = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "," }
            if f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                out += "\""
                for ch in f { out += ch == "\"" ? "\"\"" : String(ch) }
                out += "\""
            } else {
                out += f
            }
            if out.utf8.count >= CSVReader.rawLimit { break }
        }
        if out.utf8.count > CSVReader.rawLimit {
            out = String(decoding: out.utf8.prefix(CSVReader.rawLimit), as: UTF8.self)
        }
        return out
    }
}

public struct CSVError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A streaming RFC 4180 reader: quoted fields with "" escapes and embedded newlines, CRLF or LF,
/// a UTF-8 BOM at the start. It never gives up on a file because of one bad record: the record
/// comes back with `error` set and reading goes on with the next one.
public struct CSVReader {
    /// The raw text kept for a rejected row is cut to this many bytes (the fields are read whole).
    public static let rawLimit = 4096

    private let file: UnsafeMutablePointer<FILE>
    public let path: String

    public init(path: String) throws {
        guard let f = fopen(path, "rb") else {
            throw CSVError(description: "\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        self.file = f
        self.path = path
    }

    public func close() { fclose(file) }

    /// Calls `body` for each record; return false from it to stop.
    public func forEachRow(_ body: (CSVRow) throws -> Bool) throws {
        try forEachRecord { try body($0.row) }
    }

    /// Calls `body` for each record as bytes, valid only during the call: no String is made
    /// unless asked for. The hot path of ingest; `forEachRow` is built on it.
    public func forEachRecord(_ body: (CSVRecord) throws -> Bool) throws {
        let chunkSize = 1 << 20
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        let rec = CSVRecord.Storage()
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var afterQuote = false      // just saw a closing quote inside a quoted field
        var first = true
        var pendingCR = false
        var anyInRow = false
        var consumed: Int64 = 0

        func emit() throws -> Bool {
            rec.endField()
            let ok = try body(CSVRecord(storage: rec, line: rowLine, bytesRead: consumed))
            rec.reset()
            anyInRow = false
            return ok
        }

        while true {
            let n = fread(chunk, 1, chunkSize, file)
            if n == 0 { break }
            consumed += Int64(n)
            var i = 0
            if first {
                first = false
                if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { i = 3 }
            }
            while i < n {
                let c = chunk[i]
                i += 1
                if pendingCR {
                    pendingCR = false
                    if c == 10 { continue } // CRLF: the LF was already taken by the CR
                }
                if inQuotes {
                    if c == 34 { inQuotes = false; afterQuote = true; continue }
                    if c == 10 { line += 1 }
                    rec.append(c)
                    continue
                }
                // The common case first: plain bytes of an unquoted field, copied in a run.
                if c != 34, c != 44, c != 10, c != 13 {
                    afterQuote = false
                    anyInRow = true
                    var j = i
                    while j < n {
                        let d = chunk[j]
                        if d == 34 || d == 44 || d == 10 || d == 13 { break }
                        j += 1
                    }
                    rec.append(chunk + (i - 1), j - i + 1)
                    i = j
                    continue
                }
                switch c {
                case 34: // quote
                    if afterQuote { rec.append(34); inQuotes = true; afterQuote = false }
                    else if rec.fieldIsEmpty { inQuotes = true }
                    else { rec.append(c) } // a stray quote inside an unquoted field is kept as text
                    anyInRow = true
                case 44: // comma
                    afterQuote = false
                    rec.endField()
                    anyInRow = true
                default: // 10, 13
                    afterQuote = false
                    if c == 13 { pendingCR = true }
                    line += 1
                    if anyInRow || !rec.fieldIsEmpty {
                        if try !emit() { return }
                    }
                    rowLine = line
                }
            }
        }
        if inQuotes {
            rec.error = "unterminated quoted field starting on line \(rowLine)"
        }
        if anyInRow || !rec.fieldIsEmpty || inQuotes {
            _ = try emit()
        }
        if ferror(file) != 0 {
            throw CSVError(description: "\(path): read error")
        }
    }
}

/// One CSV record as bytes: the unquoted bytes of every field in one buffer. Valid only inside
/// the `forEachRecord` call that gives it.
public struct CSVRecord {
    final class Storage {
        var bytes: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        /// ends[i]: the end offset of field i; fieldStart: where the current field began.
        var ends: [Int] = []
        var fieldStart = 0
        var highBit: UInt8 = 0       // the current field has a non-ASCII byte
        var error: String? = nil

        init() {
            capacity = 1 << 12
            bytes = .allocate(capacity: capacity)
            ends.reserveCapacity(32)
        }
        deinit { bytes.deallocate() }

        var fieldIsEmpty: Bool { count == fieldStart }

        @inline(__always) func reserve(_ extra: Int) {
            if count + extra <= capacity { return }
            var c = capacity * 2
            while c < count + extra { c *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            b.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = b
            capacity = c
        }
        @inline(__always) func append(_ c: UInt8) {
            reserve(1)
            bytes[count] = c
            count += 1
            highBit |= c
        }
        @inline(__always) func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
            reserve(n)
            (bytes + count).update(from: p, count: n)
            var h: UInt8 = 0
            for k in 0..<n { h |= p[k] }
            highBit |= h
            count += n
        }
        func endField() {
            // ASCII (most fields: ids, codes, times) needs no validation.
            if highBit & 0x80 != 0, error == nil,
               !Self.isValidUTF8(UnsafeBufferPointer(start: bytes + fieldStart, count: count - fieldStart)) {
                error = "field \(ends.count + 1) is not valid UTF-8"
            }
            ends.append(count)
            fieldStart = count
            highBit = 0
        }
        /// UTF-8 as Unicode defines it (no overlongs, no surrogates, at most U+10FFFF), checked in
        /// place: the field's Chinese text costs no String.
        static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                var need = 0
                var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                switch c {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lo = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; hi = 0x9F
                case 0xF0: need = 3; lo = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; hi = 0x8F
                default: return false
                }
                guard i + need < n else { return false }   // truncated sequence
                let c1 = b[i + 1]
                guard c1 >= lo, c1 <= hi else { return false }
                var k = 2
                while k <= need {
                    guard b[i + k] & 0xC0 == 0x80 else { return false }
                    k += 1
                }
                i += need + 1
            }
            return true
        }

        func reset() {
            count = 0; fieldStart = 0; highBit = 0; error = nil
            ends.removeAll(keepingCapacity: true)
        }
    }

    let storage: Storage
    public let line: Int
    /// Bytes of the file read so far (by chunks): enough for a progress bar.
    public let bytesRead: Int64

    init(storage: Storage, line: Int, bytesRead: Int64) {
        self.storage = storage; self.line = line; self.bytesRead = bytesRead
    }

    public var count: Int { storage.ends.count }
    /// Set when the record cannot be read as text fields (invalid UTF-8, an unterminated quote).
    public var error: String? { storage.error }

    /// The bytes of field `i`, valid only during the call that gave the record.
    @inline(__always) public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : storage.ends[i - 1]
        return UnsafeBufferPointer(start: storage.bytes + start, count: storage.ends[i] - start)
    }

    public func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// The record as a row of Strings (for the row-by-row consumers and for rejects).
    public var row: CSVRow {
        CSVRow(line: line, fields: (0..<count).map(string), error: error, bytesRead: bytesRead)
    }
}
