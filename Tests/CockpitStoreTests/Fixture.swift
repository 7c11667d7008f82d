import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// A temporary folder with a store and CSV files written by the test.
final class Fixture {
    let dir: String
    let store: CockpitStore
    var dbPath: String { dir + "/test.sqlite" }

    init() throws {
        dir = NSTemporaryDirectory() + "cockpit-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try CockpitStore(path: dir + "/test.sqlite", mode: .write)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func ingest(_ kind: IngestKind, _ name: String, _ text: String) throws -> IngestReport {
        try store.ingest(kind: kind, file: write(name, text), now: 1_800_000_000)
    }

    /// d → s1 (c1, c2), s2 (c3); the 2026 calendar around National Day.
    func loadSmallDistrict() throws {
        try ingest(.units, "units.csv", """
            id,name,tier,parent
            d,区,district,
            s1,甲街道,street,d
            s2,乙街道,street,d
            c1,一社区,community,s1
            c2,二社区,community,s1
            c3,三社区,community,s2
            """)
        var cal = "date,kind\n2026-09-20,workday\n2026-10-10,workday\n"
        for d in 1...7 { cal += "2026-10-0\(d),holiday\n" }
        try ingest(.calendar, "calendar.csv", cal)
    }

    static let header = "id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions"
}

func t(_ s: String) -> Int64 { LocalTime.parse(s)! }
