import XCTest
@testable import CockpitCore

final class OrgTreeTests: XCTestCase {
    /// A small "1+8+X" tree; the children of wulin and tianshui are interleaved on purpose.
    static let units: [OrgUnit] = [
        OrgUnit(id: "xiacheng", name: "下城区", tier: .district, parent: nil, code: "330103"),
        OrgUnit(id: "wulin", name: "武林街道", tier: .street, parent: "xiacheng", code: "330103002"),
        OrgUnit(id: "tianshui", name: "天水街道", tier: .street, parent: "xiacheng", code: "330103003"),
        OrgUnit(id: "wulin-zhuganxiang", name: "竹竿巷社区", tier: .community, parent: "wulin"),
        OrgUnit(id: "tianshui-wushan", name: "武林路社区", tier: .community, parent: "tianshui"),
        OrgUnit(id: "wulin-fengqi", name: "凤起社区", tier: .community, parent: "wulin"),
        OrgUnit(id: "wulin-park", name: "武林创意园", tier: .park, parent: "wulin"),
        OrgUnit(id: "chaoming", name: "潮鸣街道", tier: .street, parent: "xiacheng"),
    ]

    private func tree() throws -> OrgTree { try OrgTree(units: Self.units) }

    private func assertThrows(_ units: [OrgUnit], containing parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try OrgTree(units: units), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(error is TreeError, "\(type(of: error))", file: file, line: line)
            for p in parts { XCTAssertTrue(text.contains(p), "'\(text)' should mention '\(p)'", file: file, line: line) }
        }
    }

    // MARK: - Validation

    func testValidTree() throws {
        let t = try tree()
        XCTAssertEqual(t.root.id, "xiacheng")
        XCTAssertEqual(t.units.map(\.id), Self.units.map(\.id))
        XCTAssertTrue(t.contains("wulin-fengqi"))
        XCTAssertFalse(t.contains("wulinn"))
        XCTAssertEqual(t.unit("wulin")?.name, "武林街道")
        XCTAssertEqual(t.unit("xiacheng")?.code, "330103")
        XCTAssertNil(t.unit("nowhere"))
    }

    func testTwoRoots() {
        var units = Self.units
        units.append(OrgUnit(id: "shangcheng", name: "上城区", tier: .district, parent: nil))
        assertThrows(units, containing: ["2 roots", "xiacheng", "shangcheng"])
    }

    func testNoRoot() {
        assertThrows([], containing: ["no root"])
        assertThrows([OrgUnit(id: "a", name: "A", tier: .street, parent: "b"),
                      OrgUnit(id: "b", name: "B", tier: .street, parent: "a")], containing: ["no root"])
    }

    func testUnknownParent() {
        var units = Self.units
        units.append(OrgUnit(id: "ghost-community", name: "幽灵社区", tier: .community, parent: "ghost"))
        assertThrows(units, containing: ["ghost-community", "unknown parent", "'ghost'"])
    }

    func testCycle() {
        var units = Self.units
        // a → b → a, hanging off nothing; the root is still there.
        units.append(OrgUnit(id: "a", name: "A", tier: .street, parent: "b"))
        units.append(OrgUnit(id: "b", name: "B", tier: .community, parent: "a"))
        assertThrows(units, containing: ["cycle"])
    }

    func testSelfParentIsACycle() {
        var units = Self.units
        units.append(OrgUnit(id: "loop", name: "L", tier: .street, parent: "loop"))
        assertThrows(units, containing: ["'loop'", "cycle"])
    }

    func testUnitBelowACycleIsRefused() {
        var units = Self.units
        units.append(OrgUnit(id: "a", name: "A", tier: .street, parent: "b"))
        units.append(OrgUnit(id: "b", name: "B", tier: .street, parent: "a"))
        units.append(OrgUnit(id: "c", name: "C", tier: .community, parent: "a"))
        assertThrows(units, containing: ["cycle"])
    }

    func testDuplicateId() {
        var units = Self.units
        units.append(OrgUnit(id: "wulin", name: "武林街道（重复）", tier: .street, parent: "xiacheng"))
        assertThrows(units, containing: ["'wulin'", "twice"])
    }

    // MARK: - Lookups

    func testPath() throws {
        let t = try tree()
        XCTAssertEqual(t.path(to: "wulin-fengqi").map(\.id), ["xiacheng", "wulin", "wulin-fengqi"])
        XCTAssertEqual(t.path(to: "wulin").map(\.id), ["xiacheng", "wulin"])
        XCTAssertEqual(t.path(to: "xiacheng").map(\.id), ["xiacheng"])
        XCTAssertEqual(t.path(to: "nowhere").map(\.id), [])
    }

    func testChildrenInInputOrder() throws {
        let t = try tree()
        XCTAssertEqual(t.children(of: "xiacheng").map(\.id), ["wulin", "tianshui", "chaoming"])
        XCTAssertEqual(t.children(of: "wulin").map(\.id), ["wulin-zhuganxiang", "wulin-fengqi", "wulin-park"])
        XCTAssertEqual(t.children(of: "tianshui").map(\.id), ["tianshui-wushan"])
        XCTAssertEqual(t.children(of: "chaoming").map(\.id), [])
        XCTAssertEqual(t.children(of: "wulin-park").map(\.id), [])
        XCTAssertEqual(t.children(of: "nowhere").map(\.id), [])
    }

    func testSubtree() throws {
        let t = try tree()
        XCTAssertEqual(t.subtree(of: "wulin").map(\.id), ["wulin", "wulin-zhuganxiang", "wulin-fengqi", "wulin-park"])
        XCTAssertEqual(t.subtree(of: "tianshui").map(\.id), ["tianshui", "tianshui-wushan"])
        XCTAssertEqual(t.subtree(of: "wulin-fengqi").map(\.id), ["wulin-fengqi"])
        XCTAssertEqual(t.subtree(of: "nowhere").map(\.id), [])
        // The root's subtree is every unit, each once, parents before their children.
        let all = t.subtree(of: "xiacheng").map(\.id)
        XCTAssertEqual(all.first, "xiacheng")
        XCTAssertEqual(Set(all), Set(Self.units.map(\.id)))
        XCTAssertEqual(all.count, Self.units.count)
        for u in Self.units {
            if let p = u.parent { XCTAssertLessThan(all.firstIndex(of: p)!, all.firstIndex(of: u.id)!, u.id) }
        }
    }

    func testIsWithin() throws {
        let t = try tree()
        XCTAssertTrue(t.isWithin("wulin-fengqi", "wulin"))
        XCTAssertTrue(t.isWithin("wulin-fengqi", "xiacheng"))
        XCTAssertTrue(t.isWithin("wulin", "wulin"))
        XCTAssertTrue(t.isWithin("xiacheng", "xiacheng"))
        XCTAssertFalse(t.isWithin("wulin", "wulin-fengqi"))        // an ancestor is not within its child
        XCTAssertFalse(t.isWithin("tianshui-wushan", "wulin"))     // another street's community
        XCTAssertFalse(t.isWithin("xiacheng", "wulin"))
        XCTAssertFalse(t.isWithin("nowhere", "xiacheng"))
        XCTAssertFalse(t.isWithin("wulin", "nowhere"))
    }

    // MARK: - Nearest

    func testNearestFindsTheTypo() throws {
        let t = try tree()
        // "wulinn" is one insertion from "wulin"; everything else is at least 5 away.
        let near = t.nearest(to: "wulinn")
        XCTAssertEqual(near.first, "wulin")
        XCTAssertEqual(near.count, 3)
        XCTAssertEqual(t.nearest(to: "wulinn", limit: 1), ["wulin"])
        XCTAssertEqual(t.nearest(to: "tianshiu", limit: 1), ["tianshui"])      // a swap: distance 2
        XCTAssertEqual(t.nearest(to: "wulin-fengqi", limit: 1), ["wulin-fengqi"])
    }

    func testNearestMatchesNamesToo() throws {
        let t = try tree()
        // "潮鸣街" is one deletion from the name 潮鸣街道 (id chaoming is far away).
        XCTAssertEqual(t.nearest(to: "潮鸣街", limit: 1), ["chaoming"])
        // "凤起" → 凤起社区 (distance 2) beats every other name and id.
        XCTAssertEqual(t.nearest(to: "凤起", limit: 1), ["wulin-fengqi"])
    }

    func testNearestTiesAreOrderedById() throws {
        let t = try OrgTree(units: [
            OrgUnit(id: "root", name: "Root district", tier: .district, parent: nil),
            OrgUnit(id: "ab", name: "Street number one", tier: .street, parent: "root"),
            OrgUnit(id: "aa", name: "Street number two", tier: .street, parent: "root"),
        ])
        // "ac": aa and ab are both 1 away (tie → id order), root is 4 away.
        XCTAssertEqual(t.nearest(to: "ac"), ["aa", "ab", "root"])
        XCTAssertEqual(t.nearest(to: "ac", limit: 2), ["aa", "ab"])
        XCTAssertEqual(t.nearest(to: "ac", limit: 0), [])
    }

    // MARK: - Edit distance and tiers

    func testEditDistance() {
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("", "abc"), 3)
        XCTAssertEqual(editDistance("abc", ""), 3)
        XCTAssertEqual(editDistance("", ""), 0)
        XCTAssertEqual(editDistance("wulin", "wulin"), 0)
        XCTAssertEqual(editDistance("wulin", "wulinn"), 1)
        XCTAssertEqual(editDistance("tianshui", "tianshiu"), 2)
        XCTAssertEqual(editDistance("武林街道", "武林街到"), 1)  // one character, not three bytes
        XCTAssertEqual(editDistance("abc", "cab"), 2)
    }

    func testTierRank() {
        XCTAssertEqual(OrgUnit.Tier.district.rank, 0)
        XCTAssertEqual(OrgUnit.Tier.street.rank, 1)
        XCTAssertEqual(OrgUnit.Tier.community.rank, 2)
        XCTAssertEqual(OrgUnit.Tier.park.rank, 2)
        XCTAssertEqual(OrgUnit.Tier(rawValue: "park"), .park)
        XCTAssertNil(OrgUnit.Tier(rawValue: "village"))
    }
}
