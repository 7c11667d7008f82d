import XCTest
@testable import CockpitUI

final class PinyinTests: XCTestCase {
    // MARK: - The generated table

    func testTableShape() {
        XCTAssertEqual(PinyinTable.first, 0x4E00)
        XCTAssertEqual(PinyinTable.count, 0x9FFF - 0x4E00 + 1)
        XCTAssertEqual(PinyinTable.initials.utf8CodeUnitCount, PinyinTable.count)  // no stray line breaks
        let bytes = UnsafeBufferPointer(start: PinyinTable.initials.utf8Start, count: PinyinTable.count)
        let allowed = Set(UInt8(ascii: "a")...UInt8(ascii: "z")).union([UInt8(ascii: "?")])
        XCTAssertTrue(bytes.allSatisfy(allowed.contains))
        let unknown = bytes.filter { $0 == UInt8(ascii: "?") }.count
        XCTAssertLessThan(unknown, 200, "most ideographs have a reading")
        XCTAssertFalse(PinyinTable.pypinyinVersion.isEmpty)
    }

    // MARK: - initial(of:)

    func testInitialOfScalar() {
        XCTAssertEqual(Pinyin.initial(of: "武"), "w")
        XCTAssertEqual(Pinyin.initial(of: "\u{4E00}"), "y")  // 一, the block's first code point
        XCTAssertEqual(Pinyin.initial(of: "区"), "q")
        // Not in U+4E00…U+9FFF: no initial, even for letters and ideographs of other blocks.
        for s: Unicode.Scalar in ["a", "A", "3", " ", "-", "〇", "，", "Ａ", "\u{3400}", "\u{F900}",
                                  "\u{20000}", "\u{4DFF}", "\u{A000}"] {
            XCTAssertNil(Pinyin.initial(of: s), "U+\(String(s.value, radix: 16))")
        }
    }

    /// Place-name overrides of pypinyin's most common reading (see gen-pinyin-initials.py).
    func testPlaceNameOverrides() {
        XCTAssertEqual(Pinyin.initial(of: "长"), "c")  // cháng (长庆), not zhǎng
        XCTAssertEqual(Pinyin.initial(of: "朝"), "z")  // zhāo (朝晖), not cháo
        XCTAssertEqual(Pinyin.initial(of: "弄"), "l")  // lòng (闸弄口), not nòng
        XCTAssertEqual(Pinyin.initial(of: "重"), "z")  // kept: zhòng (重点); no local 重 place name
        XCTAssertEqual(Pinyin.initial(of: "潮"), "c")  // 潮鸣 cháo: a different character from 朝
    }

    /// Ideographs without a reading ("?" in the table) have no initial, are dropped from the
    /// initials, and never match a letter (nor "?" itself).
    func testUnknownNeverMatchesALetter() {
        let bytes = UnsafeBufferPointer(start: PinyinTable.initials.utf8Start, count: PinyinTable.count)
        var unknown: [Unicode.Scalar] = []
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "?") {
            unknown.append(Unicode.Scalar(PinyinTable.first + UInt32(i))!)
        }
        XCTAssertFalse(unknown.isEmpty)
        XCTAssertTrue(unknown.contains("\u{5159}"))  // 兙, a Japanese unit kokuji
        for s in unknown {
            XCTAssertNil(Pinyin.initial(of: s))
            let name = String(Character(s))
            XCTAssertEqual(Pinyin.initials(name), "")
            XCTAssertEqual(Pinyin.initials("武" + name + "林"), "wl")
            XCTAssertFalse(Pinyin.matches(name, query: "?"))
            for letter in "abcdefghijklmnopqrstuvwxyz" {
                XCTAssertFalse(Pinyin.matches(name, query: String(letter)), "U+\(String(s.value, radix: 16))")
            }
        }
        // No reading never turns into "?" in a name's initials.
        XCTAssertFalse(Pinyin.initials("兙社区").contains("?"))
    }

    // MARK: - initials(_:)

    func testInitialsOfUnitNames() {
        XCTAssertEqual(Pinyin.initials("武林街道"), "wljd")
        XCTAssertEqual(Pinyin.initials("下城区"), "xcq")
        XCTAssertEqual(Pinyin.initials("长庆街道"), "cqjd")
        XCTAssertEqual(Pinyin.initials("朝晖街道"), "zhjd")
        XCTAssertEqual(Pinyin.initials("潮鸣"), "cm")
        XCTAssertEqual(Pinyin.initials("石桥"), "sq")
        XCTAssertEqual(Pinyin.initials("三塘北苑社区"), "stbysq")
        XCTAssertEqual(Pinyin.initials("长寿桥社区"), "csqsq")
        XCTAssertEqual(Pinyin.initials("闸弄口街道"), "zlkjd")
    }

    func testInitialsOfMixedText() {
        XCTAssertEqual(Pinyin.initials("Park 3号"), "park3h")
        XCTAssertEqual(Pinyin.initials(""), "")
        XCTAssertEqual(Pinyin.initials("wulin-yuewang"), "wulinyuewang")
        XCTAssertEqual(Pinyin.initials("330103002"), "330103002")
        // Punctuation, full-width forms, other blocks and emoji are dropped.
        XCTAssertEqual(Pinyin.initials("（武林）·街道！Ａ１〇\u{3400}😀é"), "wljd")
        // Same as mapping scalar by scalar.
        let text = "Ab9 武林，長 長庆\u{20000}x"
        let expected = String(text.unicodeScalars.compactMap { s -> Character? in
            if let c = Pinyin.initial(of: s) { return c }
            if s.isASCII, s.properties.isAlphabetic || ("0"..."9").contains(s) {
                return Character(String(s).lowercased())
            }
            return nil
        })
        XCTAssertEqual(Pinyin.initials(text), expected)
    }

    // MARK: - matches(_:query:)

    func testMatchesInitials() {
        XCTAssertTrue(Pinyin.matches("三塘北苑社区", query: "stby"))
        XCTAssertTrue(Pinyin.matches("三塘北苑社区", query: "bysq"))
        XCTAssertTrue(Pinyin.matches("武林街道", query: "wl"))
        XCTAssertTrue(Pinyin.matches("武林街道", query: "wljd"))
        XCTAssertTrue(Pinyin.matches("长庆街道", query: "cq"))
        XCTAssertTrue(Pinyin.matches("朝晖街道", query: "zh"))
        XCTAssertFalse(Pinyin.matches("武林街道", query: "lw"))
        XCTAssertFalse(Pinyin.matches("武林街道", query: "wljds"))
        XCTAssertTrue(Pinyin.matches("Park 3号", query: "park3h"))
        XCTAssertTrue(Pinyin.matches("武林街道", query: "WL"))  // ASCII case does not matter
    }

    /// Initials, not full pinyin: "wulin" does not find 武林街道.
    func testFullPinyinDoesNotMatch() {
        XCTAssertFalse(Pinyin.matches("武林街道", query: "wulin"))
        XCTAssertFalse(Pinyin.matches("三塘北苑社区", query: "santang"))
    }

    func testMatchesTheNameItself() {
        XCTAssertTrue(Pinyin.matches("武林街道", query: "武林"))
        XCTAssertTrue(Pinyin.matches("武林街道", query: "街道"))
        XCTAssertFalse(Pinyin.matches("武林街道", query: "林武"))
        XCTAssertTrue(Pinyin.matches("Park 3号", query: "park 3"))  // a space is in the name only
        XCTAssertTrue(Pinyin.matches("Park 3号", query: "3号"))
        XCTAssertTrue(Pinyin.matches("ÉCOLE 武林", query: "école"))  // non-ASCII case, Unicode rules
        XCTAssertTrue(Pinyin.matches("武林街道", query: ""))  // the empty filter shows everything
        XCTAssertTrue(Pinyin.matches("", query: ""))
        XCTAssertFalse(Pinyin.matches("", query: "a"))
    }

    func testMatchesASCIIIds() {
        XCTAssertTrue(Pinyin.matches("changqing-wangma", query: "wangma"))
        XCTAssertTrue(Pinyin.matches("changqing-wangma", query: "g-w"))   // the name itself
        XCTAssertTrue(Pinyin.matches("changqing-wangma", query: "gwang")) // initials drop the hyphen
        XCTAssertTrue(Pinyin.matches("WULIN-YueWang", query: "wulin-yue"))
        XCTAssertTrue(Pinyin.matches("330103002001", query: "3301030020"))
        XCTAssertFalse(Pinyin.matches("330103002001", query: "4"))
        XCTAssertFalse(Pinyin.matches("changqing-wangma", query: "wangmax"))
    }

    /// Long names take the heap path of the scratch buffer; the result must not change.
    func testLongNames() {
        let long = String(repeating: "社区", count: 3000) + "武林街道"
        XCTAssertTrue(Pinyin.matches(long, query: "wljd"))
        XCTAssertFalse(Pinyin.matches(long, query: "wljdx"))
        XCTAssertEqual(Pinyin.initials(long).count, 6004)
    }
}
