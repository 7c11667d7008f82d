import CockpitAdapters
import CockpitCore
import CockpitStore
import Foundation
import Logging
import XCTest

final class EngineTests: XCTestCase {
    func testSourcesRunTogetherAndAFailingOneGoesStale() throws {
        let f = try Fixture()
        try f.write("cases.csv", ([casesHeader] + (1...50).map { caseRow("E\($0)") } + [caseRow("BAD", unit: "nowhere")]).joined(separator: "\n") + "\n")
        try f.write("sources.yaml", """
            sources:
              - name: export
                kind: file
                records: cases
                path: cases.csv
                batch: 20
              - name: broken
                kind: exec
                records: cases
                command: "echo 'cannot reach upstream' >&2; exit 3"
                interval: 0.1
                stale_after: 30
              - name: live
                kind: simulator
                seed: 1
                rate: 1000
                interval: 0.1
                feeds: [cases]
            """)
        let file = try SourcesFile.load(path: f.dir + "/sources.yaml")
        let engine = try Engine(store: f.store, sources: file.sources, logger: Logger(label: "test"))
        final class Commits: @unchecked Sendable { var list: [CommitInfo] = [] }
        let commits = Commits()
        engine.onCommit.append { commits.list.append($0) }
        let started = Int64(Date().timeIntervalSince1970)
        engine.run(stop: StopSignal(), untilIdle: true)

        XCTAssertEqual(commits.list.filter { $0.source == "export" }.map(\.accepted), [20, 20, 10])
        XCTAssertEqual(commits.list.filter { $0.source == "export" }.map(\.rejected).reduce(0, +), 1)
        XCTAssertTrue(commits.list.contains { $0.source == "live" && $0.accepted > 0 })
        let byName = Dictionary(uniqueKeysWithValues: try f.store.sourceStatuses(now: started + 1).map { ($0.name, $0) })
        XCTAssertEqual(byName["export"]?.recordsIn, 50)
        XCTAssertEqual(byName["export"]?.rejected, 1)
        XCTAssertFalse(byName["export"]!.isStale)
        let broken = try XCTUnwrap(byName["broken"])
        XCTAssertTrue(broken.isStale)
        XCTAssertEqual(broken.kind, "exec/cases")
        XCTAssertTrue(broken.lastError?.contains("exited with status 3: cannot reach upstream") == true, "\(broken)")
        XCTAssertNil(broken.lastSuccess)
        // A followed source that stops succeeding goes stale after its expected interval.
        let later = try f.store.sourceStatuses(now: started + 3600).first { $0.name == "live" }!
        XCTAssertTrue(later.isStale)
        XCTAssertFalse(try f.store.sourceStatuses(now: started + 3600).first { $0.name == "export" }!.isStale) // one-shot: never
        XCTAssertEqual(try f.store.positionedRejects(source: "export").map(\.position), ["cases.csv:52"])
    }

    func testAFailingSourceRecoversAndIsNoLongerStale() throws {
        let f = try Fixture()
        let flag = f.dir + "/up"
        try f.write("flaky.sh", "test -e \(flag) || exit 1\necho '\(caseJSON("R1"))'\n")
        try f.write("sources.yaml", """
            sources:
              - name: flaky
                kind: exec
                records: cases
                command: [/bin/sh, \(f.dir)/flaky.sh]
                interval: 0.05
            """)
        let engine = try Engine(store: f.store, sources: try SourcesFile.load(path: f.dir + "/sources.yaml").sources, logger: Logger(label: "test"))
        let stop = StopSignal()
        final class Box: @unchecked Sendable { let engine: Engine; init(_ e: Engine) { engine = e } }
        let box = Box(engine)
        let finished = DispatchSemaphore(value: 0)
        Thread { box.engine.run(stop: stop); finished.signal() }.start()
        defer { stop.stop(); XCTAssertEqual(finished.wait(timeout: .now() + 30), .success) }
        func status() throws -> SourceStatus? { try f.store.sourceStatuses(now: Int64(Date().timeIntervalSince1970)).first }
        var waited = 0.0
        while try status()?.lastError == nil, waited < 20 { usleep(50_000); waited += 0.05 }
        XCTAssertTrue(try status()!.isStale)
        XCTAssertTrue(FileManager.default.createFile(atPath: flag, contents: nil))
        waited = 0
        while try status()?.lastSuccess == nil, waited < 30 { usleep(50_000); waited += 0.05 }
        let s = try XCTUnwrap(try status())
        XCTAssertFalse(s.isStale)
        XCTAssertNil(s.lastError)
        XCTAssertEqual(try f.caseIDs(), ["R1"])
    }
}
