import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import GRDB
import XCTest

enum Paths {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleData = repo.appendingPathComponent("SampleData").path
    static let badInputs = repo.appendingPathComponent("Tests/CockpitAdaptersTests/BadInputs").path

    /// The built `cockpit` binary beside the test bundle.
    static var binary: String {
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("cockpit").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/cockpit").path
    }
}

/// A temporary folder with a store holding a small district (d → s1 (c1, c2), s2 (c3)) and the
/// 2026 calendar, ready for cases.
final class Fixture {
    let dir: String
    let store: CockpitStore
    var dbPath: String { dir + "/store.sqlite" }
    static let units = ["c1", "c2", "c3"]

    init() throws {
        dir = NSTemporaryDirectory() + "cockpit-adapters-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try CockpitStore(path: dir + "/store.sqlite", mode: .write)
        try write("units.csv", """
            id,name,tier,parent
            d,区,district,
            s1,甲街道,street,d
            s2,乙街道,street,d
            c1,一社区,community,s1
            c2,二社区,community,s1
            c3,三社区,community,s2

            """)
        _ = try store.ingest(kind: .units, file: dir + "/units.csv")
        _ = try store.ingest(kind: .calendar, file: Paths.sampleData + "/calendar-2026.csv")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let path = dir + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func append(_ name: String, _ text: String) throws {
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: dir + "/" + name))
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    /// Polls and commits until the adapter has nothing more right now; returns the reports.
    @discardableResult
    func drain(_ a: any Adapter, source: String, limit: Int = 1000) throws -> [IngestReport] {
        var reports: [IngestReport] = []
        var cp = try store.checkpoint(source: source)
        while true {
            let b = try a.poll(from: cp, limit: limit)
            reports.append(try store.ingest(groups: b.groups, source: source, checkpoint: b.checkpoint, replaceRejects: b.replaceRejects))
            cp = b.checkpoint
            if !b.more { break }
        }
        return reports
    }

    func caseIDs() throws -> [String] {
        try queue().read { try String.fetchAll($0, sql: "SELECT id FROM cases ORDER BY id") }
    }

    func scalar(_ sql: String) throws -> Int {
        try queue().read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    func queue() throws -> DatabaseQueue {
        var c = Configuration()
        c.readonly = true
        return try DatabaseQueue(path: dbPath, configuration: c)
    }
}

let casesHeader = "id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions"

/// A valid case row.
func caseRow(_ id: String, unit: String = "c1", status: String = "accepted", name: String = "社保卡申领") -> String {
    let completed = status == "completed" ? "2026-11-05T10:00:00+08:00" : ""
    return "\(id),\(unit),区人力社保局,330103-RS-0005,\(name),hall,2026-11-02T09:00:00+08:00,3,\(status),\(completed),"
}

func caseJSON(_ id: String, unit: String = "c1", status: String = "accepted") -> String {
    #"{"id":"\#(id)","unit":"\#(unit)","department":"区人力社保局","item_code":"330103-RS-0005","item_name":"社保卡申领","channel":"hall","accepted_at":"2026-11-02T09:00:00+08:00","promised_days":3,"status":"\#(status)","completed_at":null,"suspensions":[]}"#
}
