import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// The corpus of bad inputs: each gives a clear reason, and no good row is lost.
final class BadInputTests: XCTestCase {
    struct Outcome {
        var ids: [String]
        var rejects: [CockpitStore.PositionedReject]
        var notes: [String]
    }

    func read(_ file: String, format: FileAdapter.Format = .csv, in f: Fixture? = nil, from dir: String = Paths.badInputs) throws -> Outcome {
        let f = try f ?? Fixture()
        let a = FileAdapter(name: file, path: dir + "/" + file, shownPath: file, kind: .cases, format: format, follow: false)
        var notes: [String] = []
        var cp: String? = nil
        while true {
            let b = try a.poll(from: cp, limit: 1000)
            notes += b.notes
            try f.store.ingest(groups: b.groups, source: file, checkpoint: b.checkpoint, replaceRejects: b.replaceRejects)
            cp = b.checkpoint
            if !b.more { break }
        }
        return Outcome(ids: try f.caseIDs(), rejects: try f.store.positionedRejects(source: file), notes: notes)
    }

    func testBrokenQuotingCostsOnlyItsOwnLine() throws {
        let o = try read("broken-quoting.csv")
        XCTAssertEqual(o.ids, ["Q1", "Q3", "Q4", "Q5", "Q6"])
        XCTAssertEqual(o.rejects.map(\.position), ["broken-quoting.csv:3"])
        XCTAssertTrue(o.rejects[0].reason.hasPrefix("broken quoting"), o.rejects[0].reason)
        XCTAssertTrue(o.rejects[0].raw.hasPrefix("Q2,c1,\"区人力社保局"), o.rejects[0].raw)
        // The real multi-line field is kept whole, and the line numbers after it stay true.
        let f = try Fixture()
        _ = try read("broken-quoting.csv", in: f)
        XCTAssertEqual(try f.scalar("SELECT line FROM cases WHERE id = 'Q6'"), 8)
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases WHERE id = 'Q5' AND item_name = '社保卡' || char(10) || '申领'"), 1)
    }

    func testInvalidUTF8IsRefusedWhereItMatters() throws {
        let o = try read("invalid-utf8.csv")
        // U3's bad bytes are in a column nobody reads: the row is good.
        XCTAssertEqual(o.ids, ["U1", "U3", "U4"])
        XCTAssertEqual(o.rejects.map(\.position), ["invalid-utf8.csv:3"])
        XCTAssertEqual(o.rejects[0].field, "item_name")
        XCTAssertEqual(o.rejects[0].reason, "column 'item_name' (field 5) is not valid UTF-8")
        XCTAssertTrue(o.notes.contains { $0.contains("unknown column 'note' ignored") }, "\(o.notes)")

        let j = try read("invalid-utf8.jsonl", format: .jsonl)
        XCTAssertEqual(j.ids, ["J2"])
        XCTAssertEqual(j.rejects.map(\.position), ["invalid-utf8.jsonl:1", "invalid-utf8.jsonl:3"])
        XCTAssertEqual(j.rejects[0].reason, "not valid UTF-8")
        XCTAssertTrue(j.rejects[1].reason.hasPrefix("not valid JSON"), j.rejects[1].reason)
    }

    func testBOMAndCRLF() throws {
        let f = try Fixture()
        let o = try read("bom-crlf.csv", in: f)
        XCTAssertEqual(o.ids, ["W1", "W2", "W3"])
        XCTAssertEqual(o.rejects.count, 0)
        // No stray CR in any value; a CRLF inside a quoted field is the field's own.
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases WHERE suspensions LIKE '%' || char(13) || '%' OR id LIKE '%' || char(13)"), 0)
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM cases WHERE id = 'W3' AND item_name = '多行' || char(13, 10) || '名称'"), 1)
    }

    func testEmptyAndHeaderOnlyFilesBringNothingAndFailNothing() throws {
        for file in ["empty.csv", "header-only.csv"] {
            let o = try read(file)
            XCTAssertEqual(o.ids, [], file)
            XCTAssertEqual(o.rejects.count, 0, file)
        }
    }

    func testUnknownColumnsAreIgnoredWithANote() throws {
        let o = try read("unknown-columns.csv")
        XCTAssertEqual(o.ids, ["K1", "K2"])
        XCTAssertTrue(o.notes.contains("unknown-columns.csv:1: unknown column 'remark' ignored"), "\(o.notes)")
        XCTAssertTrue(o.notes.contains { $0.contains("'窗口'") }, "\(o.notes)")
    }

    func testAMisspeltRequiredColumnNamesTheNearestOne() throws {
        XCTAssertThrowsError(try read("header-typo.csv")) { e in
            XCTAssertTrue("\(e)".hasPrefix("header-typo.csv:1: header: missing column 'unit'"), "\(e)")
        }
        let f = try Fixture()
        let a = FileAdapter(name: "t", path: Paths.badInputs + "/header-typo.csv", shownPath: "header-typo.csv", kind: .cases, format: .csv, follow: false)
        // With a mapping the same file reads fine: no code needed for other column names.
        let mapped = FileAdapter(name: "t", path: Paths.badInputs + "/header-typo.csv", kind: .cases, format: .csv, follow: false,
                                 mapping: FieldMapping(renames: ["unti": "unit"]))
        XCTAssertThrowsError(try a.poll(from: nil, limit: 10))
        try f.drain(mapped, source: "t")
        XCTAssertEqual(try f.caseIDs(), ["H1"])
    }

    func testDuplicateColumnsMustAgree() throws {
        let o = try read("duplicate-columns.csv")
        XCTAssertEqual(o.ids, ["D1", "D3"])
        XCTAssertEqual(o.rejects.map(\.position), ["duplicate-columns.csv:3"])
        XCTAssertEqual(o.rejects[0].reason, "column 'status' appears twice with different values ('accepted' and 'completed')")
        XCTAssertTrue(o.notes.contains { $0.contains("column 'status' appears twice (columns 9 and 12)") }, "\(o.notes)")
    }

    func testWrongFieldCounts() throws {
        let o = try read("field-count.csv")
        XCTAssertEqual(o.ids, ["N1", "N4"])
        XCTAssertEqual(o.rejects.map(\.reason), ["expected 11 fields (as in the header), found 4",
                                                 "expected 11 fields (as in the header), found 12"])
    }

    func testATenMegabyteFieldIsRefusedAndItsNeighboursKept() throws {
        let f = try Fixture()
        let huge = String(repeating: "长", count: 10 << 20 / 3 + 1) // > 10 MB of UTF-8
        try f.write("huge.csv", [casesHeader, caseRow("G1"), caseRow("G2", name: huge), caseRow("G3")].joined(separator: "\n") + "\n")
        let o = try read("huge.csv", in: f, from: f.dir)
        XCTAssertEqual(o.ids, ["G1", "G3"])
        XCTAssertEqual(o.rejects.count, 1)
        XCTAssertEqual(o.rejects[0].field, "item_name")
        XCTAssertTrue(o.rejects[0].reason.hasPrefix("field is 10485"), o.rejects[0].reason)
        XCTAssertLessThanOrEqual(o.rejects[0].raw.utf8.count, CSVReader.rawLimit) // the reject keeps a cut copy
    }
}
