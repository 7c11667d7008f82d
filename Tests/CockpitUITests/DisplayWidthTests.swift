import XCTest
@testable import CockpitUI
#if canImport(Glibc)
import Glibc

/// glibc's wcwidth(3): Glibc's module map does not export it (it needs _XOPEN_SOURCE).
/// A plain C function taking and returning 32-bit ints, so the Swift calling convention matches.
@_silgen_name("wcwidth") private func glibcWcwidth(_ c: Int32) -> Int32
#endif

final class DisplayWidthTests: XCTestCase {
    private func w(_ v: UInt32, ambiguousWide: Bool = false) -> Int {
        DisplayWidth.of(Unicode.Scalar(v)!, ambiguousWide: ambiguousWide)
    }

    /// Unicode version of the generated table, as (major, minor).
    private var tableVersion: (Int, Int) {
        let parts = WidthTable.unicodeVersion.split(separator: ".").compactMap { Int($0) }
        return (parts[0], parts[1])
    }

    /// Assigned in the table's Unicode version (per the Swift runtime's own Unicode data).
    private func assignedInTable(_ s: Unicode.Scalar) -> Bool {
        guard let age = s.properties.age else { return false }
        return (age.major, age.minor) <= tableVersion
    }

    // MARK: - Known values

    func testKnownValues() {
        XCTAssertEqual(DisplayWidth.of("a" as Unicode.Scalar), 1)
        XCTAssertEqual(DisplayWidth.of("~" as Unicode.Scalar), 1)
        XCTAssertEqual(DisplayWidth.of(" " as Unicode.Scalar), 1)
        XCTAssertEqual(DisplayWidth.of("下" as Unicode.Scalar), 2)
        XCTAssertEqual(DisplayWidth.of("区" as Unicode.Scalar), 2)
        XCTAssertEqual(DisplayWidth.of("Ａ" as Unicode.Scalar), 2)        // U+FF21 fullwidth
        XCTAssertEqual(w(0xFF0C), 2)                                       // ，fullwidth comma
        XCTAssertEqual(w(0x3002), 2)                                       // 。
        XCTAssertEqual(w(0x0301), 0)                                       // combining acute
        XCTAssertEqual(w(0x200B), 0)                                       // zero width space
        XCTAssertEqual(w(0x00AD), 1)                                       // soft hyphen, as glibc
        XCTAssertEqual(w(0x1160), 0)                                       // Hangul jungseong filler
        XCTAssertEqual(w(0x1100), 2)                                       // Hangul choseong
        XCTAssertEqual(DisplayWidth.of("─" as Unicode.Scalar), 1)          // U+2500, ambiguous
        XCTAssertEqual(DisplayWidth.of("─" as Unicode.Scalar, ambiguousWide: true), 2)
        XCTAssertEqual(DisplayWidth.of("●" as Unicode.Scalar), 1)          // U+25CF, ambiguous
        XCTAssertEqual(DisplayWidth.of("●" as Unicode.Scalar, ambiguousWide: true), 2)
        XCTAssertEqual(DisplayWidth.of("a" as Unicode.Scalar, ambiguousWide: true), 1)
        XCTAssertEqual(DisplayWidth.of("下" as Unicode.Scalar, ambiguousWide: true), 2)
        XCTAssertEqual(w(0x1F600), 2)                                      // 😀
        XCTAssertEqual(DisplayWidth.of("한" as Unicode.Scalar), 2)
        XCTAssertEqual(w(0xFF76), 1)                                       // halfwidth katakana
        XCTAssertEqual(w(0x20000), 2)                                      // CJK Ext. B
        XCTAssertEqual(w(0x2FFFD), 2)                                      // unassigned, default W
        XCTAssertEqual(w(0xE0001), 0)                                      // language tag (Cf)
        XCTAssertEqual(w(0x10FFFF), 1)
    }

    func testControls() {
        for v: UInt32 in Array(0x00...0x1F) + [0x7F] + Array(0x80...0x9F) {
            let s = Unicode.Scalar(v)!
            XCTAssertTrue(DisplayWidth.isControl(s), "U+\(hex(v))")
            XCTAssertEqual(DisplayWidth.of(s), 0, "U+\(hex(v))")
            XCTAssertEqual(DisplayWidth.of(s, ambiguousWide: true), 0, "U+\(hex(v))")
        }
        XCTAssertEqual(w(0x0007), 0)
        XCTAssertTrue(DisplayWidth.isControl("\u{07}"))
        for v: UInt32 in [0x20, 0x41, 0x7E, 0xA0, 0xAD, 0x4E0B] {
            XCTAssertFalse(DisplayWidth.isControl(Unicode.Scalar(v)!), "U+\(hex(v))")
        }
    }

    func testStrings() {
        // 3 ideographs x 2 + space + 3 letters = 10 columns (the brief said 9; without the
        // space it is 9).
        XCTAssertEqual(DisplayWidth.of("下城区 abc"), 10)
        XCTAssertEqual(DisplayWidth.of("下城区abc"), 9)
        XCTAssertEqual(DisplayWidth.of(""), 0)
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)                     // e + combining acute
        XCTAssertEqual(DisplayWidth.of("状态：正常"), 10)
        XCTAssertEqual(DisplayWidth.of("a\tb\n"), 2)                       // controls count 0
        XCTAssertEqual(DisplayWidth.of("─●─"), 3)
        XCTAssertEqual(DisplayWidth.of("─●─", ambiguousWide: true), 6)
        XCTAssertEqual(DisplayWidth.of("😀x"), 3)
        // Long (heap) string == sum over scalars, in both modes.
        let long = String(repeating: "杭州市西湖区 CPU 98% ──● 한국어 カタカナ ，。e\u{301}\u{200B}😀\n", count: 200)
        for ambiguousWide in [false, true] {
            let expected = long.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1, ambiguousWide: ambiguousWide) }
            XCTAssertEqual(DisplayWidth.of(long, ambiguousWide: ambiguousWide), expected)
        }
        // Substrings and bridged/odd storage go through the same API.
        XCTAssertEqual(DisplayWidth.of(String(long.prefix(7))), 13)        // 杭州市西湖区 + space
    }

    // MARK: - The generated table

    func testTableIsWellFormed() {
        let tables: [(String, [ClosedRange<UInt32>], Int)] = [
            ("zero", WidthTable.zero, 0), ("wide", WidthTable.wide, 2), ("ambiguous", WidthTable.ambiguous, 3),
        ]
        var all: [(ClosedRange<UInt32>, Int)] = []
        for (name, table, cls) in tables {
            XCTAssertFalse(table.isEmpty, name)
            for (a, b) in zip(table, table.dropFirst()) {
                // Sorted, non-overlapping and merged (a gap of at least one scalar between ranges).
                XCTAssertLessThan(a.upperBound + 1, b.lowerBound, "\(name): \(a) then \(b)")
            }
            all += table.map { ($0, cls) }
        }
        all.sort { $0.0.lowerBound < $1.0.lowerBound }
        for (a, b) in zip(all, all.dropFirst()) {
            XCTAssertLessThan(a.0.upperBound, b.0.lowerBound, "tables overlap: \(a.0) and \(b.0)")
        }
        // The combined search table.
        let seg = WidthTable.segments
        XCTAssertEqual(seg.first, 0 << 2 | 1)
        XCTAssertTrue(zip(seg, seg.dropFirst()).allSatisfy { $0 < $1 })
        XCTAssertTrue(WidthTable.searchStep <= seg.count && WidthTable.searchStep * 2 > seg.count)
        XCTAssertEqual(WidthTable.searchStep.nonzeroBitCount, 1)
        // Every range boundary (and the scalar on each side) classifies as its table says.
        func expected(_ v: UInt32, ambiguousWide: Bool) -> Int {
            if v < 0x20 || (0x7F...0x9F).contains(v) { return 0 }
            for (range, cls) in all where range.contains(v) {
                return cls == 3 ? (ambiguousWide ? 2 : 1) : cls
            }
            return 1
        }
        for (range, _) in all {
            for v in [range.lowerBound &- 1, range.lowerBound, range.upperBound, range.upperBound + 1]
            where v <= 0x10FFFF {
                guard Unicode.Scalar(v) != nil else { continue }
                XCTAssertEqual(w(v), expected(v, ambiguousWide: false), "U+\(hex(v))")
                XCTAssertEqual(w(v, ambiguousWide: true), expected(v, ambiguousWide: true), "U+\(hex(v))")
            }
        }
    }

    /// Independent of glibc: the classes that matter for Chinese/Japanese/Korean text.
    func testEastAsianBlocksAndCombiningMarks() {
        // CJK ideographs: the blocks EastAsianWidth.txt makes wide, assigned or not.
        for range: ClosedRange<UInt32> in [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
                                           0x20000...0x2FFFD, 0x30000...0x3FFFD] {
            let bad = range.filter { w($0) != 2 }
            XCTAssertTrue(bad.isEmpty, "not wide in \(hex(range.lowerBound))...: \(bad.prefix(5).map { hex($0) })")
        }
        var ideographs = 0, kana = 0, marks = 0
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let p = s.properties
            if p.isUnifiedIdeograph {
                ideographs += 1
                XCTAssertEqual(w(v), 2, "ideograph U+\(hex(v))")
            }
            guard assignedInTable(s) else { continue }
            let gc = p.generalCategory
            // Combining marks and format characters (soft hyphen excepted) take no column.
            if gc == .nonspacingMark || gc == .enclosingMark || (gc == .format && v != 0xAD) {
                marks += 1
                XCTAssertEqual(w(v), 0, "mark/format U+\(hex(v))")
                XCTAssertEqual(w(v, ambiguousWide: true), 0, "mark/format U+\(hex(v))")
            }
            // Hiragana, Katakana, Katakana Phonetic Extensions, Kana Supplement/Extended/Small.
            if (0x3041...0x30FF).contains(v) || (0x31F0...0x31FF).contains(v) || (0x1B000...0x1B16F).contains(v) {
                kana += 1
                XCTAssertEqual(w(v), gc == .nonspacingMark ? 0 : 2, "kana U+\(hex(v))")
            }
        }
        XCTAssertGreaterThan(ideographs, 90_000)
        XCTAssertGreaterThan(kana, 300)
        XCTAssertGreaterThan(marks, 2_000)
        // Hangul: syllables and leading jamo wide, vowel/trailing jamo zero.
        XCTAssertTrue((0xAC00...0xD7A3).allSatisfy { w($0) == 2 }, "Hangul syllables")
        XCTAssertTrue((0x1100...0x115F).allSatisfy { w($0) == 2 }, "Hangul choseong")
        XCTAssertTrue((0x1160...0x11FF).allSatisfy { w($0) == 0 }, "Hangul jungseong/jongseong")
        XCTAssertTrue((0xA960...0xA97C).allSatisfy { w($0) == 2 }, "Hangul Jamo Extended-A")
        let jamoExtB: [UInt32] = Array(0xD7B0...0xD7C6) + Array(0xD7CB...0xD7FB)
        XCTAssertTrue(jamoExtB.allSatisfy { w($0) == 0 }, "Hangul Jamo Extended-B")
        // Fullwidth forms wide, halfwidth forms narrow.
        XCTAssertTrue((0xFF01...0xFF60).allSatisfy { w($0) == 2 }, "fullwidth forms")
        XCTAssertTrue((0xFFE0...0xFFE6).allSatisfy { w($0) == 2 }, "fullwidth signs")
        XCTAssertTrue((0xFF61...0xFFBE).allSatisfy { w($0) == 1 }, "halfwidth forms")
        XCTAssertTrue((0x3000...0x303E).allSatisfy { w($0) == ((0x302A...0x302D).contains($0) ? 0 : 2) },
                      "CJK symbols and punctuation")
    }

    // MARK: - Against glibc

    /// Known, deliberate differences from glibc's wcwidth (glibc 2.36, Unicode 14.0 data, generated
    /// by glibc's localedata/unicode-gen/utf8_gen.py). Nothing here touches CJK ideographs, Hangul,
    /// kana, fullwidth forms or combining marks.
    private static let glibcDifferences: [(range: ClosedRange<UInt32>, ours: Int, glibc: Int, why: String)] = [
        // Prepended_Concatenation_Mark (General_Category Cf): glibc special-cases them to 1; our
        // rule is Cf -> 0 (as GLib's g_unichar_iszerowidth, used by VTE terminals).
        (0x0600...0x0605, 0, 1, "Arabic number signs (Prepended_Concatenation_Mark)"),
        (0x06DD...0x06DD, 0, 1, "ARABIC END OF AYAH (Prepended_Concatenation_Mark)"),
        (0x070F...0x070F, 0, 1, "SYRIAC ABBREVIATION MARK (Prepended_Concatenation_Mark)"),
        (0x0890...0x0891, 0, 1, "Arabic pound/piastre mark above (Prepended_Concatenation_Mark)"),
        (0x08E2...0x08E2, 0, 1, "ARABIC DISPUTED END OF AYAH (Prepended_Concatenation_Mark)"),
        (0x110BD...0x110BD, 0, 1, "KAITHI NUMBER SIGN (Prepended_Concatenation_Mark)"),
        (0x110CD...0x110CD, 0, 1, "KAITHI NUMBER SIGN ABOVE (Prepended_Concatenation_Mark)"),
        // glibc forces these to 2; Unicode says Ambiguous (ours: 1, or 2 with ambiguousWide).
        (0x3248...0x324F, 1, 2, "circled numbers on black squares (East_Asian_Width A)"),
        // glibc forces these to 2; Unicode says Neutral.
        (0x4DC0...0x4DFF, 1, 2, "Yijing hexagram symbols (East_Asian_Width N)"),
    ]

    func testAgainstGlibcWcwidth() throws {
        #if canImport(Glibc)
        let saved = setlocale(LC_ALL, nil).map { String(cString: $0) }
        defer { _ = saved.map { setlocale(LC_ALL, $0) } }
        guard setlocale(LC_ALL, "C.UTF-8") != nil else {
            throw XCTSkip("C.UTF-8 locale not available")
        }
        var compared = 0, glibcUnassigned = 0, newerThanTable = 0
        var allowed = 0
        var unexpected: [String] = []
        for v in UInt32(0x20)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }  // surrogates
            let g = Int(glibcWcwidth(Int32(v)))
            if g < 0 { glibcUnassigned += 1; continue }        // unassigned in glibc's Unicode
            // A newer glibc may know characters assigned after the table's Unicode version.
            if !assignedInTable(s) && s.properties.age != nil { newerThanTable += 1; continue }
            compared += 1
            let ours = DisplayWidth.of(s)
            if ours == g { continue }
            if Self.glibcDifferences.contains(where: { $0.range.contains(v) && $0.ours == ours && $0.glibc == g }) {
                allowed += 1
            } else {
                unexpected.append("U+\(hex(v)) ours=\(ours) glibc=\(g)")
            }
        }
        print("DisplayWidth vs glibc wcwidth (C.UTF-8): compared \(compared) scalars, "
              + "\(allowed) allow-listed differences, \(unexpected.count) unexpected; skipped \(glibcUnassigned) "
              + "unassigned in glibc and \(newerThanTable) newer than Unicode \(WidthTable.unicodeVersion)")
        XCTAssertGreaterThan(compared, 250_000)
        XCTAssertLessThanOrEqual(allowed, Self.glibcDifferences.reduce(0) { $0 + $1.range.count })
        XCTAssertTrue(unexpected.isEmpty,
                      "\(unexpected.count) differences from glibc: \(unexpected.prefix(40).joined(separator: ", "))")
        #else
        throw XCTSkip("glibc wcwidth comparison runs on Linux only")
        #endif
    }
}

private func hex(_ v: UInt32) -> String {
    let h = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - h.count)) + h
}
