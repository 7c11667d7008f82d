import Foundation
import XCTest
@testable import CockpitCore

final class CSVReaderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cockpit-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = dir.appendingPathComponent("\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func read(_ bytes: [UInt8]) throws -> [CSVRow] {
        let reader = try CSVReader(path: try write(bytes))
        defer { reader.close() }
        var rows: [CSVRow] = []
        try reader.forEachRow { rows.append($0); return true }
        return rows
    }

    private func read(_ text: String) throws -> [CSVRow] { try read(Array(text.utf8)) }

    // MARK: - Basics

    func testSimpleRows() throws {
        let rows = try read("id,name,n\n1,武林街道,3\n2,天水街道,4\n")
        XCTAssertEqual(rows.map(\.fields), [["id", "name", "n"], ["1", "武林街道", "3"], ["2", "天水街道", "4"]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 3])
        XCTAssertEqual(rows.map(\.raw), ["id,name,n", "1,武林街道,3", "2,天水街道,4"])
        XCTAssertTrue(rows.allSatisfy { $0.error == nil })
    }

    func testLastRowWithoutNewline() throws {
        let rows = try read("a,b\n1,2")
        XCTAssertEqual(rows.map(\.fields), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(rows.last?.line, 2)
    }

    func testEmptyFields() throws {
        let rows = try read("a,,c\n,\n,x,\n")
        XCTAssertEqual(rows.map(\.fields), [["a", "", "c"], ["", ""], ["", "x", ""]])
    }

    // MARK: - Quoting

    func testQuotedFieldsWithCommas() throws {
        let rows = try read("id,addr\n1,\"延安路, 武林广场\",x\n")
        XCTAssertEqual(rows[1].fields, ["1", "延安路, 武林广场", "x"])
        XCTAssertEqual(rows[1].raw, "1,\"延安路, 武林广场\",x")
    }

    func testDoubledQuotesAreEscapes() throws {
        // "say ""hi""" → say "hi";  """" → ";  "" → empty;  """a""" → "a".
        let rows = try read("\"say \"\"hi\"\"\",\"\"\"\",\"\",\"\"\"a\"\"\"\n")
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0].fields, ["say \"hi\"", "\"", "", "\"a\""])
        XCTAssertNil(rows[0].error)
    }

    func testQuotedFieldAtEndOfFileWithoutNewline() throws {
        let rows = try read("1,\"a,b\"")
        XCTAssertEqual(rows.map(\.fields), [["1", "a,b"]])
        XCTAssertNil(rows[0].error)
    }

    func testEmbeddedNewlines() throws {
        // Line 1 header; the second record spans lines 2–4; the next record starts on line 5.
        let rows = try read("id,text,n\n1,\"first\nsecond\nthird\",x\n2,plain,y\n3,\"a\nb\",z\n4,end,w\n")
        XCTAssertEqual(rows.map(\.line), [1, 2, 5, 6, 8])
        XCTAssertEqual(rows[1].fields, ["1", "first\nsecond\nthird", "x"])
        XCTAssertEqual(rows[2].fields, ["2", "plain", "y"])
        XCTAssertEqual(rows[3].fields, ["3", "a\nb", "z"])
        XCTAssertEqual(rows[4].fields, ["4", "end", "w"])
        XCTAssertEqual(rows[1].raw, "1,\"first\nsecond\nthird\",x")
    }

    // MARK: - Line endings and BOM

    func testCRLF() throws {
        let rows = try read("a,b\r\n1,2\r\n3,4\r\n")
        XCTAssertEqual(rows.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 3])
        XCTAssertEqual(rows.map(\.raw), ["a,b", "1,2", "3,4"])
    }

    func testCRLFInsideAQuotedFieldIsKeptAndCounted() throws {
        let rows = try read("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n")
        XCTAssertEqual(rows.map(\.fields), [["a", "b"], ["1", "x\r\ny"], ["2", "z"]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 4])
    }

    func testBareCRLineEndings() throws {
        let rows = try read("a,b\r1,2\r\r3,4")
        XCTAssertEqual(rows.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 4])
    }

    func testUTF8BOMAtStartIsSkipped() throws {
        let rows = try read([0xEF, 0xBB, 0xBF] + Array("id,name\n1,下城区\n".utf8))
        XCTAssertEqual(rows.map(\.fields), [["id", "name"], ["1", "下城区"]])
        XCTAssertEqual(rows[0].fields[0].unicodeScalars.count, 2, "no U+FEFF left in the first field")
        XCTAssertEqual(rows.map(\.line), [1, 2])
    }

    func testBOMFollowedByAQuotedField() throws {
        let rows = try read([0xEF, 0xBB, 0xBF] + Array("\"id\",name\n".utf8))
        XCTAssertEqual(rows.map(\.fields), [["id", "name"]])
    }

    func testBOMOnlyFileHasNoRows() throws {
        XCTAssertEqual(try read([0xEF, 0xBB, 0xBF]).count, 0)
    }

    func testBlankLinesAreSkippedButCounted() throws {
        // Lines: 1 "a", 2 "", 3 "", 4 "b,c", 5 "" (CRLF), 6 "", 7 "d".
        let rows = try read("a\n\n\nb,c\n\r\n\nd")
        XCTAssertEqual(rows.map(\.fields), [["a"], ["b", "c"], ["d"]])
        XCTAssertEqual(rows.map(\.line), [1, 4, 7])
    }

    // MARK: - Empty and short files

    func testEmptyFileHasNoRows() throws {
        XCTAssertEqual(try read([UInt8]()).count, 0)
    }

    func testNewlinesOnlyFileHasNoRows() throws {
        XCTAssertEqual(try read("\n\r\n\n").count, 0)
    }

    func testHeaderOnly() throws {
        let withNewline = try read("id,unit,status\n")
        XCTAssertEqual(withNewline.map(\.fields), [["id", "unit", "status"]])
        let without = try read("id,unit,status")
        XCTAssertEqual(without.map(\.fields), [["id", "unit", "status"]])
        XCTAssertEqual(without.first?.line, 1)
    }

    // MARK: - Bad records

    func testInvalidUTF8InAFieldIsReportedAndReadingGoesOn() throws {
        // Row 2 has 0xFF in its second field; rows 3 and 4 are fine.
        let bytes = Array("id,name,n\n1,ab".utf8) + [0xFF] + Array("cd,3\n2,ok,4\n3,好,5\n".utf8)
        let rows = try read(bytes)
        XCTAssertEqual(rows.count, 4)
        XCTAssertNil(rows[0].error)
        XCTAssertNotNil(rows[1].error)
        XCTAssertTrue(rows[1].error?.contains("field 2") ?? false, rows[1].error ?? "")
        XCTAssertEqual(rows[1].fields, ["1", "ab\u{FFFD}cd", "3"])
        XCTAssertEqual(rows[1].line, 2)
        XCTAssertNil(rows[2].error)
        XCTAssertEqual(rows[2].fields, ["2", "ok", "4"])
        XCTAssertEqual(rows[2].line, 3)
        XCTAssertNil(rows[3].error)
        XCTAssertEqual(rows[3].fields, ["3", "好", "5"])
    }

    func testTruncatedMultibyteCharacterIsInvalid() throws {
        // "好" is E5 A5 BD; only its first two bytes are present.
        let rows = try read(Array("1,".utf8) + [0xE5, 0xA5] + Array(",x\n2,y\n".utf8))
        XCTAssertNotNil(rows[0].error)
        XCTAssertNil(rows[1].error)
        XCTAssertEqual(rows[1].fields, ["2", "y"])
    }

    func testUnterminatedQuoteAtEndOfFile() throws {
        let rows = try read("a,b\n1,ok\n2,\"never closed\nstill inside,\n")
        XCTAssertEqual(rows.count, 3)
        XCTAssertNil(rows[1].error)
        let last = rows[2]
        XCTAssertEqual(last.line, 3)
        XCTAssertNotNil(last.error)
        XCTAssertTrue(last.error?.contains("unterminated") ?? false, last.error ?? "")
        XCTAssertTrue(last.error?.contains("line 3") ?? false, last.error ?? "")
        XCTAssertEqual(last.fields, ["2", "never closed\nstill inside,\n"])
    }

    func testStrayQuoteInsideAnUnquotedFieldIsText() throws {
        let rows = try read("1,5\" pipe,x\n2,y,z\n")
        XCTAssertEqual(rows.map(\.fields), [["1", "5\" pipe", "x"], ["2", "y", "z"]])
        XCTAssertTrue(rows.allSatisfy { $0.error == nil })
    }

    // MARK: - Size

    func testTenMegabyteFieldIsReadWholeAndRawIsCut() throws {
        let size = 10 * 1024 * 1024
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let bytes = Array("id,blob,tail\n1,".utf8) + big + Array(",end\n2,small,end\n".utf8)
        let rows = try read(bytes)
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[1].fields.count, 3)
        XCTAssertEqual(rows[1].fields[1].utf8.count, size)
        XCTAssertTrue(rows[1].fields[1].utf8.allSatisfy { $0 == UInt8(ascii: "x") })
        XCTAssertEqual(rows[1].fields[2], "end")
        XCTAssertEqual(rows[1].raw.utf8.count, CSVReader.rawLimit)
        XCTAssertEqual(rows[1].raw, "1," + String(repeating: "x", count: CSVReader.rawLimit - 2))
        XCTAssertEqual(rows[2].fields, ["2", "small", "end"])
        XCTAssertEqual(rows[2].line, 3)
        XCTAssertEqual(rows[2].raw, "2,small,end")
    }

    func testTenMegabyteQuotedFieldIsReadWholeAndRawIsCut() throws {
        // The same through the quoted path: a comma and a newline inside, 10 MiB in all.
        let size = 10 * 1024 * 1024
        var big = [UInt8](repeating: UInt8(ascii: "q"), count: size)
        big[100] = UInt8(ascii: ",")
        big[size - 100] = UInt8(ascii: "\n")
        let bytes = Array("1,\"".utf8) + big + Array("\",end\n2,after\n".utf8)
        let rows = try read(bytes)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].fields.count, 3)
        XCTAssertEqual(rows[0].fields[1].utf8.count, size)
        XCTAssertEqual(Array(rows[0].fields[1].utf8)[100], UInt8(ascii: ","))
        XCTAssertEqual(rows[0].fields[2], "end")
        XCTAssertEqual(rows[0].raw.utf8.count, CSVReader.rawLimit)
        XCTAssertTrue(rows[0].raw.hasPrefix("1,\"qqq"))
        XCTAssertEqual(rows[1].fields, ["2", "after"])
        XCTAssertEqual(rows[1].line, 3)
    }

    func testLargeQuotedFieldWithNewlinesAcrossChunks() throws {
        // 3 MiB of "ab,\n" inside quotes: crosses several 1 MiB read chunks; every \n counts as a line.
        let unit = Array("ab,\n".utf8)
        let repeats = 3 * 1024 * 1024 / unit.count
        let body = (0..<repeats).flatMap { _ in unit }
        let rows = try read(Array("h\n\"".utf8) + body + Array("\"\nnext\n".utf8))
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[1].fields.count, 1)
        XCTAssertEqual(rows[1].fields[0].utf8.count, body.count)
        XCTAssertEqual(rows[1].line, 2)
        // The quoted record starts on line 2 and contains `repeats` newlines → its last line is 2 + repeats.
        XCTAssertEqual(rows[2].line, 2 + repeats + 1)
        XCTAssertEqual(rows[2].fields, ["next"])
    }

    func testCRLFSplitAcrossTheReadChunk() throws {
        // The CR is the last byte of the first 1 MiB chunk and its LF the first byte of the next.
        let chunk = 1 << 20
        let head = Array("id,text\r\n1,".utf8)                   // 11 bytes
        let filler = chunk - 1 - head.count                       // so that the CR lands at index chunk − 1
        let bytes = head + [UInt8](repeating: UInt8(ascii: "y"), count: filler) + Array("\r\n2,z\r\n".utf8)
        XCTAssertEqual(bytes[chunk - 1], 13)
        XCTAssertEqual(bytes[chunk], 10)
        let rows = try read(bytes)
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.map(\.line), [1, 2, 3])
        XCTAssertEqual(rows[1].fields[1].utf8.count, filler)
        XCTAssertEqual(rows[2].fields, ["2", "z"])
    }

    func testEscapedQuoteSplitAcrossTheReadChunk() throws {
        // The two quotes of a "" escape sit on either side of the 1 MiB chunk boundary.
        let chunk = 1 << 20
        let head = Array("id,text\n1,\"".utf8)                   // 11 bytes
        let filler = chunk - 1 - head.count
        let bytes = head + [UInt8](repeating: UInt8(ascii: "a"), count: filler) + Array("\"\"b\",c\n2,d\n".utf8)
        XCTAssertEqual(bytes[chunk - 1], 34)
        XCTAssertEqual(bytes[chunk], 34)
        let rows = try read(bytes)
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[1].fields.count, 3)
        XCTAssertEqual(rows[1].fields[1], String(repeating: "a", count: filler) + "\"b")
        XCTAssertEqual(rows[1].fields[2], "c")
        XCTAssertEqual(rows[2].fields, ["2", "d"])
    }

    // MARK: - Control

    func testReturningFalseStops() throws {
        let reader = try CSVReader(path: try write(Array("a\nb\nc\n".utf8)))
        defer { reader.close() }
        var seen: [String] = []
        try reader.forEachRow { seen.append($0.fields[0]); return seen.count < 2 }
        XCTAssertEqual(seen, ["a", "b"])
    }

    func testErrorsThrownByTheBodyPropagate() throws {
        struct Stop: Error {}
        let reader = try CSVReader(path: try write(Array("a\nb\n".utf8)))
        defer { reader.close() }
        var count = 0
        XCTAssertThrowsError(try reader.forEachRow { _ in count += 1; throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(count, 1)
    }

    func testMissingFileThrows() {
        let path = dir.appendingPathComponent("does-not-exist.csv").path
        XCTAssertThrowsError(try CSVReader(path: path)) { error in
            XCTAssertTrue("\(error)".contains("does-not-exist.csv"), "\(error)")
        }
    }
}
