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
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var field: [UInt8] = []
        field.reserveCapacity(256)
        var fields: [String] = []
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var afterQuote = false      // just saw a closing quote inside a quoted field
        var error: String? = nil
        var first = true
        var pendingCR = false
        var anyInRow = false
        var consumed: Int64 = 0

        func finishField() {
            // ASCII (most fields: ids, codes, times) needs no validation.
            if field.allSatisfy({ $0 < 0x80 }) {
                fields.append(String(decoding: field, as: UTF8.self))
            } else if let s = String(validating: field, as: UTF8.self) {
                fields.append(s)
            } else {
                if error == nil { error = "field \(fields.count + 1) is not valid UTF-8" }
                fields.append(String(decoding: field, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
        }
        func emit() throws -> Bool {
            finishField()
            let row = CSVRow(line: rowLine, fields: fields, error: error, bytesRead: consumed)
            fields.removeAll(keepingCapacity: true)
            error = nil
            anyInRow = false
            return try body(row)
        }

        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, file) }
            if n == 0 { break }
            consumed += Int64(n)
            var start = 0
            if first {
                first = false
                if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { start = 3 }
            }
            var i = start
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
                    field.append(c)
                    continue
                }
                switch c {
                case 34: // quote
                    if afterQuote { field.append(34); inQuotes = true; afterQuote = false }
                    else if field.isEmpty { inQuotes = true }
                    else { field.append(c) } // a stray quote inside an unquoted field is kept as text
                    anyInRow = true
                case 44: // comma
                    afterQuote = false
                    finishField()
                    anyInRow = true
                case 10, 13:
                    afterQuote = false
                    if c == 13 { pendingCR = true }
                    line += 1
                    if anyInRow || !field.isEmpty {
                        if try !emit() { return }
                    }
                    rowLine = line
                default:
                    afterQuote = false
                    field.append(c)
                    anyInRow = true
                }
            }
        }
        if inQuotes {
            error = "unterminated quoted field starting on line \(rowLine)"
        }
        if anyInRow || !field.isEmpty || inQuotes {
            _ = try emit()
        }
        if ferror(file) != 0 {
            throw CSVError(description: "\(path): read error")
        }
    }
}
