import CockpitCore
import CockpitStore
import Foundation

/// Limits that keep one bad record from costing memory or good rows.
public enum RecordLimits {
    /// A field of ours longer than this is refused (a 10 MB "name" is an upstream bug, not data).
    public static let maxFieldBytes = 1 << 20
    /// A quoted record still open after this many bytes is taken as broken quoting.
    public static let maxRecordBytes = 32 << 20
}

/// One CSV record found in a byte buffer: where it ends and its fields (raw bytes).
struct CSVRecordScan {
    var fields: [[UInt8]]
    /// Index just past the record's terminating newline (or the buffer's end at EOF).
    var end: Int
    /// Newlines inside the record (quoted fields spanning lines), so line numbers stay true.
    var newlines: Int
    var unterminatedQuote: Bool
}

enum CSVText {
    /// Scans one RFC 4180 record starting at `start`: quoted fields with "" escapes and embedded
    /// newlines, CRLF or LF. Returns nil when the record is not complete in `buf` (no newline yet)
    /// unless `atEOF`, in which case the rest is the record (flagged if a quote is left open).
    static func scan(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, atEOF: Bool) -> CSVRecordScan? {
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false, afterQuote = false, atFieldStart = true
        var newlines = 0
        var i = start
        let n = buf.count
        while i < n {
            let c = buf[i]
            i += 1
            if inQuotes {
                if c == 34 { inQuotes = false; afterQuote = true; continue }
                if c == 10 { newlines += 1 }
                field.append(c)
                continue
            }
            switch c {
            case 34:
                if afterQuote { field.append(34); inQuotes = true; afterQuote = false }
                else if atFieldStart { inQuotes = true; atFieldStart = false }
                else { field.append(c) } // a stray quote inside an unquoted field is text
            case 44:
                afterQuote = false
                fields.append(field); field.removeAll(keepingCapacity: true)
                atFieldStart = true
            case 10:
                if field.last == 13, !afterQuote { field.removeLast() }
                fields.append(field)
                return CSVRecordScan(fields: fields, end: i, newlines: newlines, unterminatedQuote: false)
            case 13 where afterQuote:
                break // CR after a closing quote: part of CRLF
            default:
                afterQuote = false
                atFieldStart = false
                field.append(c)
            }
        }
        guard atEOF else { return nil }
        if field.last == 13, !inQuotes { field.removeLast() }
        fields.append(field)
        return CSVRecordScan(fields: fields, end: n, newlines: newlines, unterminatedQuote: inQuotes)
    }

    /// Index just past the first newline at or after `start` (or nil): where reading resumes after
    /// a record with a broken quote, so that the rows after it are not swallowed.
    static func endOfLine(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < buf.count { if buf[i] == 10 { return i + 1 }; i += 1 }
        return nil
    }
}

/// Decodes a field, or says which byte is not UTF-8.
func decodeUTF8(_ bytes: [UInt8]) -> String? {
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    return String(validating: bytes, as: UTF8.self)
}

func rawText<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    String(decoding: bytes.prefix(CSVReader.rawLimit), as: UTF8.self)
}

/// A source's field names → ours, plus constant fields: how a real source with other column
/// names is read without code.
public struct FieldMapping: Sendable, Equatable {
    /// Source field → our field.
    public var renames: [String: String]
    /// Our field → a value every record gets (unless the source has the field).
    public var constants: [String: String]

    public init(renames: [String: String] = [:], constants: [String: String] = [:]) {
        self.renames = renames; self.constants = constants
    }

    public func ours(_ theirs: String) -> String {
        let key = theirs.trimmingSpaces
        return renames[key] ?? renames[key.lowercased()] ?? key.lowercased()
    }

    /// Our fields from the source's (name, value) pairs. Fields of no use to `kind` are left out;
    /// two source fields landing on one of ours must agree, and no field may exceed the limit.
    func apply(_ pairs: [(String, String)], kind: IngestKind) -> (fields: [String: String], error: String?, errorField: String?) {
        let known = Set(kind.fieldNames)
        return assemble(pairs.compactMap { p in let n = ours(p.0); return known.contains(n) ? (n, p.1) : nil })
    }

    /// The same for pairs already under our names (a file's header is mapped once, not per row).
    func assemble(_ pairs: [(String, String)]) -> (fields: [String: String], error: String?, errorField: String?) {
        var out: [String: String] = [:]
        out.reserveCapacity(pairs.count + constants.count)
        for (name, value) in pairs {
            if value.utf8.count > RecordLimits.maxFieldBytes {
                return (out, "field is \(value.utf8.count) bytes long (limit \(RecordLimits.maxFieldBytes))", name)
            }
            if let earlier = out[name], earlier != value {
                return (out, "column '\(name)' appears twice with different values ('\(earlier.prefix(40))' and '\(value.prefix(40))')", name)
            }
            out[name] = value
        }
        for (k, v) in constants where out[k] == nil || out[k]!.isEmpty { out[k] = v }
        return (out, nil, nil)
    }
}

enum JSONLine {
    /// One JSON Lines record → (source field, text) pairs, or why not.
    static func fields(_ bytes: ArraySlice<UInt8>) -> Result<[(String, String)], RecordError> {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(RecordError(reason: "not valid UTF-8"))
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) } catch {
            var detail = ""
            if case DecodingError.dataCorrupted(let c) = error {
                detail = (c.underlyingError.map { "\($0)" } ?? c.debugDescription)
            }
            return .failure(RecordError(reason: "not valid JSON" + (detail.isEmpty ? "" : " (\(detail.prefix(160)))")))
        }
        guard case .object(let dict) = value else {
            return .failure(RecordError(reason: "a JSON Lines record must be an object ({…})"))
        }
        return .success(dict.sorted { $0.key < $1.key }.compactMap { k, v in v.text.map { (k, $0) } })
    }
}

/// A JSON value, decoded strictly (a number is never taken for a bool).
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// Our text: null as absent, arrays of scalars joined by ";" (e.g. suspensions), objects as JSON.
    var text: String? {
        switch self {
        case .null: nil
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .array(let a): a.compactMap(\.text).joined(separator: ";")
        case .object(let o): "{" + o.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.text.map { "\"\($0)\"" } ?? "null")" }.joined(separator: ",") + "}"
        }
    }
}

public struct RecordError: Error, Sendable { public var reason: String }
