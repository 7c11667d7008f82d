import CockpitCore
import CockpitStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV or JSON Lines file, read once or followed like `tail -F` (appended lines, rotation by
/// rename, truncation). The checkpoint is the file's inode, the byte offset after the last
/// committed record, its line number and a hash of the file's first bytes: a restart resumes
/// there, and a file replaced under the same name (new inode, or rewritten head) is read anew.
/// A last line without its newline is left for later while following (the writer may be mid-line).
public final class FileAdapter: Adapter {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    public let name: String
    public let path: String
    /// The path as the sources file wrote it: how positions name the file.
    let shownPath: String
    let kind: IngestKind
    let format: Format
    let follow: Bool
    let mapping: FieldMapping

    struct Checkpoint: Codable, Equatable {
        var inode: UInt64
        var offset: Int64
        var line: Int
        var head: String
    }

    private var fd: Int32 = -1
    private var inode: UInt64 = 0
    private var offset: Int64 = 0          // after the last record handed out
    private var line = 1                    // line number of the next record
    private var header: [String]? = nil     // CSV: the source's column names
    private var headerOurs: [String?] = []  // each column's field of ours (nil: ignored)
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0      // file offset of buffer[0]
    private var headCache: (upTo: Int64, hash: String)? = nil

    public init(name: String, path: String, shownPath: String? = nil, kind: IngestKind, format: Format,
                follow: Bool, mapping: FieldMapping = FieldMapping()) {
        self.name = name; self.path = path; self.shownPath = shownPath ?? path; self.kind = kind
        self.format = format; self.follow = follow; self.mapping = mapping
    }

    deinit { close() }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        buffer = []
    }

    public func poll(from checkpointText: String?, limit: Int) throws -> Batch {
        var notes: [String] = []
        var replace = false
        let cp = CheckpointCoding.decode(Checkpoint.self, checkpointText)
        if checkpointText != nil, cp == nil { notes.append("\(shownPath): unreadable checkpoint, reading from the start") }

        if fd < 0 || cp == nil || cp!.inode != inode || cp!.offset != offset {
            guard try open(at: cp, notes: &notes, replace: &replace) else {
                return Batch(checkpoint: checkpointText, notes: notes) // following a file that is not there yet
            }
        }

        var records: [SourceRecord] = []
        var draining = false // the followed file was renamed away: read it to its very end, then switch
        while true {
            if follow, !draining, try rotatedOrTruncated(notes: &notes) { draining = true }
            try readRecords(into: &records, limit: limit, atEOF: !follow || draining, notes: &notes)
            if records.count >= limit { break }
            if draining {
                guard try open(at: nil, notes: &notes, replace: &replace, rotated: true) else { break }
                draining = false
                continue
            }
            break
        }
        let checkpoint = CheckpointCoding.encode(Checkpoint(inode: inode, offset: offset, line: line, head: headHash(upTo: offset)))
        return Batch(groups: records.isEmpty ? [] : [RecordGroup(kind: kind, records: records)], checkpoint: checkpoint,
                     replaceRejects: replace, more: records.count >= limit, notes: notes)
    }

    // MARK: opening and following

    /// Opens the file at its checkpoint (or its start). False: following and the file is absent.
    private func open(at cp: Checkpoint?, notes: inout [String], replace: inout Bool, rotated: Bool = false) throws -> Bool {
        close()
        let f = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if f < 0 {
            let e = errno
            if follow, e == ENOENT { return false }
            throw AdapterError("\(shownPath): cannot open (\(String(cString: strerror(e))))")
        }
        fd = f
        var st = stat()
        fstat(fd, &st)
        inode = UInt64(st.st_ino)
        headCache = nil
        offset = 0; line = 1
        if let cp, cp.inode == inode, cp.offset <= Int64(st.st_size), headHash(upTo: cp.offset) == cp.head {
            offset = cp.offset; line = cp.line
        } else if rotated {
            notes.append("\(shownPath): rotated (a new file under the name): reading it from the start")
        } else if let cp {
            notes.append("\(shownPath): not the file of the checkpoint (inode \(cp.inode) → \(inode), or rewritten): reading it from the start")
            replace = !follow
        } else {
            replace = true
        }
        buffer = []
        bufferStart = offset
        header = nil
        if format == .csv { try loadHeader(notes: &notes) }
        else if offset == 0, startsWithBOM() { offset = 3; bufferStart = 3 }
        return true
    }

    /// Following: has the name moved to another file (rotation) or has ours shrunk (truncation)?
    /// On truncation reading restarts at 0 here; on rotation true is returned so that the old
    /// file is read to its end first.
    private func rotatedOrTruncated(notes: inout [String]) throws -> Bool {
        var st = stat()
        if stat(path, &st) == 0, UInt64(st.st_ino) != inode { return true }
        var own = stat()
        fstat(fd, &own)
        if Int64(own.st_size) < offset {
            notes.append("\(shownPath): truncated (\(own.st_size) bytes, was read to \(offset)): reading it from the start")
            offset = 0; line = 1; buffer = []; bufferStart = 0; header = nil; headCache = nil
            if format == .csv { try loadHeader(notes: &notes) }
        }
        return false
    }

    // MARK: reading

    /// Reads more of the file into the buffer; false at the end of the file.
    private func fill() throws -> Bool {
        let chunk = 1 << 20
        // Drop what has been handed out already.
        let used = Int(offset - bufferStart)
        if used > 0, used >= buffer.count / 2 {
            buffer.removeFirst(used)
            bufferStart = offset
        }
        let old = buffer.count
        buffer.reserveCapacity(old + chunk)
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + old, chunk, off_t(bufferStart + Int64(old))) }
        if n < 0 {
            buffer.removeLast(chunk)
            throw AdapterError("\(shownPath): read error (\(String(cString: strerror(errno))))")
        }
        buffer.removeLast(chunk - n)
        return n > 0
    }

    private func readRecords(into records: inout [SourceRecord], limit: Int, atEOF: Bool, notes: inout [String]) throws {
        if format == .csv, header == nil {
            try loadHeader(notes: &notes)
            if header == nil { return }
        }
        var eof = false
        while records.count < limit {
            let start = Int(offset - bufferStart)
            let step: Step? = buffer.withUnsafeBufferPointer { buf in
                format == .csv ? nextCSV(buf, start, eof: eof && atEOF) : nextJSON(buf, start, eof: eof && atEOF)
            }
            guard let step else {
                if eof { return }
                if try !fill() { eof = true }
                continue
            }
            offset = bufferStart + Int64(step.end)
            line += step.lines
            if let r = step.record { records.append(r) }
        }
    }

    private struct Step { var record: SourceRecord?; var end: Int; var lines: Int }

    private func nextJSON(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, eof: Bool) -> Step? {
        guard start < buf.count else { return nil }
        let nl = CSVText.endOfLine(buf, from: start)
        guard nl != nil || eof else { return nil } // a partial last line waits for its newline
        let end = nl ?? buf.count
        var stop = nl.map { $0 - 1 } ?? end
        if stop > start, buf[stop - 1] == 13 { stop -= 1 }
        let bytes = Array(buf[start..<stop])
        if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { return Step(record: nil, end: end, lines: 1) }
        let position = "\(shownPath):\(line)"
        let raw = rawText(bytes)
        switch JSONLine.fields(bytes[...]) {
        case .failure(let e):
            return Step(record: SourceRecord(position: position, line: line, fields: [:], raw: raw, error: e.reason), end: end, lines: 1)
        case .success(let pairs):
            let m = mapping.apply(pairs, kind: kind)
            return Step(record: SourceRecord(position: position, line: line, fields: m.fields, raw: raw, error: m.error, errorField: m.errorField),
                        end: end, lines: 1)
        }
    }

    private func nextCSV(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, eof: Bool) -> Step? {
        guard start < buf.count, let header else { return nil }
        let position = "\(shownPath):\(line)"
        let scan = CSVText.scan(buf, from: start, atEOF: eof)
        // Broken quoting: a quote left open swallows the lines after it. Only its first line is
        // refused; reading goes on with the next line, so the good rows after it are kept.
        let broken: Bool
        if let scan {
            broken = scan.unterminatedQuote
                || (scan.newlines > 0 && (scan.fields.count != header.count || swallowsARow(buf, start, scan.end, header.count)))
        } else {
            broken = buf.count - start > RecordLimits.maxRecordBytes
        }
        if broken {
            let end = CSVText.endOfLine(buf, from: start) ?? buf.count
            let raw = rawText(buf[start..<end].filter { $0 != 10 && $0 != 13 })
            let reason = "broken quoting: a quote opened on this line is not closed where the record should end (the line is refused, reading goes on with the next)"
            return Step(record: SourceRecord(position: position, line: line, fields: [:], raw: raw, error: reason), end: end, lines: 1)
        }
        guard let scan else { return nil }
        let lines = scan.newlines + 1
        if scan.fields.count == 1, scan.fields[0].isEmpty { return Step(record: nil, end: scan.end, lines: lines) }
        var rawEnd = scan.end
        while rawEnd > start, buf[rawEnd - 1] == 10 || buf[rawEnd - 1] == 13 { rawEnd -= 1 }
        let raw = rawText(buf[start..<rawEnd])
        func refuse(_ reason: String, _ field: String? = nil) -> Step {
            Step(record: SourceRecord(position: position, line: line, fields: [:], raw: raw, error: reason, errorField: field),
                 end: scan.end, lines: lines)
        }
        guard scan.fields.count == header.count else {
            return refuse("expected \(header.count) fields (as in the header), found \(scan.fields.count)")
        }
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(headerOurs.count)
        for (i, bytes) in scan.fields.enumerated() {
            guard let ours = headerOurs[i] else { continue } // an ignored column may hold anything
            guard let text = decodeUTF8(bytes) else {
                return refuse("column '\(header[i])' (field \(i + 1)) is not valid UTF-8", ours)
            }
            pairs.append((ours, text))
        }
        let m = mapping.assemble(pairs)
        return Step(record: SourceRecord(position: position, line: line, fields: m.fields, raw: raw, error: m.error, errorField: m.errorField),
                    end: scan.end, lines: lines)
    }

    /// A record spanning lines whose later lines would each be a whole row on their own: a quote
    /// left open has swallowed rows (a real multi-line field seldom has exactly the header's commas).
    private func swallowsARow(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ columns: Int) -> Bool {
        var commas = 0
        var firstLine = true
        for i in start..<end {
            switch buf[i] {
            case 44: commas += 1
            case 10:
                if !firstLine, commas + 1 == columns { return true }
                firstLine = false
                commas = 0
            default: break
            }
        }
        return !firstLine && buf[end - 1] != 10 && commas + 1 == columns
    }

    /// Reads the header row from the file's start (after a BOM and blank lines), checks it
    /// against the kind and the mapping, and moves past it. Leaves `header` nil while the file is
    /// empty or its first line is not complete yet.
    private func loadHeader(notes: inout [String]) throws {
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        var have = 0
        while true {
            if have == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + have, $0.count - have, off_t(have)) }
            if n < 0 { throw AdapterError("\(shownPath): read error (\(String(cString: strerror(errno))))") }
            have += n
            let atEOF = n == 0
            var start = have >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            var headerLine = 1
            let found: (CSVRecordScan, Int)? = bytes.withUnsafeBufferPointer { full in
                let buf = UnsafeBufferPointer(rebasing: full[0..<have])
                while start < have {
                    guard let s = CSVText.scan(buf, from: start, atEOF: atEOF && !follow) else { return nil }
                    if s.fields.count == 1, s.fields[0].isEmpty { start = s.end; headerLine += 1; continue }
                    return (s, headerLine)
                }
                return nil
            }
            if let (scan, hLine) = found {
                var names: [String] = []
                for (i, f) in scan.fields.enumerated() {
                    guard let s = decodeUTF8(f) else { throw AdapterError("\(shownPath):\(hLine): header: column \(i + 1) is not valid UTF-8") }
                    names.append(s.trimmingSpaces)
                }
                try checkHeader(names, line: hLine, notes: &notes)
                header = names
                let known = Set(kind.fieldNames)
                headerOurs = names.map { let o = mapping.ours($0); return known.contains(o) ? o : nil }
                if offset < Int64(scan.end) {
                    offset = Int64(scan.end); line = hLine + 1 + scan.newlines
                    buffer = []; bufferStart = offset
                }
                return
            }
            if atEOF { return } // empty, blank or (following) an incomplete first line
        }
    }

    private func checkHeader(_ names: [String], line hLine: Int, notes: inout [String]) throws {
        let known = kind.fieldNames
        var seen: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            let ours = mapping.ours(n)
            if let j = seen[ours] {
                notes.append("\(shownPath):\(hLine): column '\(ours)' appears twice (columns \(j + 1) and \(i + 1)): a row whose two values differ is refused")
            } else {
                seen[ours] = i
            }
            if !known.contains(ours) {
                let near = known.min { editDistance($0, ours) < editDistance($1, ours) } ?? ""
                notes.append("\(shownPath):\(hLine): unknown column '\(n)' ignored" + (editDistance(near, ours) <= 3 ? " (did you mean '\(near)'?)" : ""))
            }
        }
        let missing = kind.requiredFields.filter { seen[$0] == nil && mapping.constants[$0] == nil }
        if !missing.isEmpty {
            throw AdapterError("\(shownPath):\(hLine): header: missing column\(missing.count > 1 ? "s" : "") "
                + missing.map { "'\($0)'" }.joined(separator: ", ") + " (a \(kind.rawValue) file needs: \(kind.requiredFields.joined(separator: ",")); map other names in the sources file)")
        }
    }

    private func startsWithBOM() -> Bool {
        var b = [UInt8](repeating: 0, count: 3)
        return pread(fd, &b, 3, 0) == 3 && b == [0xEF, 0xBB, 0xBF]
    }

    /// FNV-1a of the file's first (up to 4 KB) bytes before `upTo`: tells a rewritten file from ours.
    private func headHash(upTo: Int64) -> String {
        let n = Int(min(upTo, 4096))
        if let c = headCache, c.upTo == Int64(n) { return c.hash }
        var b = [UInt8](repeating: 0, count: n)
        let got = n == 0 ? 0 : pread(fd, &b, n, 0)
        var h: UInt64 = 0xcbf29ce484222325
        for x in b.prefix(max(0, got)) { h = (h ^ UInt64(x)) &* 0x100000001b3 }
        let text = String(h, radix: 16)
        headCache = (Int64(n), text)
        return text
    }
}
