import CockpitApp
import CockpitCore
@testable import CockpitStore
import CockpitUI
import Foundation
import GRDB
import XCTest

/// While a bulk load of cases has not written its roll-ups (or was killed before it could), the
/// case figures are not current: every screen says so on its warning line, with since when.
final class PendingRollupsScreenTests: XCTestCase {
    func testAScreenWarnsWhileTheCaseRollupsArePending() throws {
        let path = NSTemporaryDirectory() + "cockpit-pending-\(getpid()).sqlite"
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        try DatabaseQueue(path: SampleStore.path).inDatabase { try $0.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        let since = LocalTime.parse("2026-11-20T16:42:00+08:00")!

        func screen(_ lang: Strings.Language) throws -> String {
            let store = try CockpitStore(path: path, mode: .read)
            let loader = ScreenLoader(store: store, tree: try store.tree(), strings: Strings(lang))
            let data = try loader.load(unitID: "xiacheng", window: FigureWindow(at: SampleStore.at))
            return CockpitScreen(options: RenderOptions(strings: Strings(lang))).render(model: CockpitModel(unitID: "xiacheng"), data: data,
                                                                                  width: 160, height: 40).text
        }
        func mark(pid: Int32, start: String) throws {
            let writer = try CockpitStore(path: path)
            try writer.database.write { db in
                try CockpitStore.setMeta(db, CaseRollupsPending.key,
                                         CaseRollupsPending.Marker(pid: pid, start: start, since: since, source: "big.csv").text)
            }
        }
        XCTAssertFalse(try screen(.zh).contains("办件汇总"), "no warning while the roll-ups are current")

        // A load that still runs (a live process: this one's parent).
        let parent = getppid()
        try mark(pid: parent, start: CaseRollupsPending.Marker.startTime(of: parent) ?? "?")
        let running = try screen(.zh)
        XCTAssertTrue(running.contains("注意：2026-11-20 16:42 起批量导入办件中，导入结束才写入汇总，办件数字不是当前值"), running)
        XCTAssertTrue(try screen(.en).contains("note: bulk load of cases since 2026-11-20 16:42; case figures are not current until it ends"))

        // One killed before its end (its process is gone).
        try mark(pid: Int32.max - 1, start: "1")
        let interrupted = try screen(.zh)
        XCTAssertTrue(interrupted.contains("批量导入中断，办件汇总待重建"), interrupted)
    }
}
