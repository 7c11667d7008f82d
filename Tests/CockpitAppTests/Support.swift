import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation
import XCTest

enum Paths {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleData = repo.appendingPathComponent("SampleData").path
    static let snapshots = repo.appendingPathComponent("Tests/CockpitAppTests/Snapshots").path

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

/// The sample district built once per test run into a temporary store, stamped with a fixed
/// ingest time so that snapshots are stable.
enum SampleStore {
    static let ingestTime = LocalTime.parse("2026-11-20T17:05:00+08:00")!
    static let at = LocalTime.parse("2026-11-20T17:00:00+08:00")!

    static let path: String = {
        let p = NSTemporaryDirectory() + "cockpit-sample-\(getpid()).sqlite"
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + s) }
        do { try Demo.build(at: p, from: Paths.sampleData, now: ingestTime) } catch { fatalError("sample store: \(error)") }
        return p
    }()

    static func loader(_ lang: Strings.Language = .zh) throws -> ScreenLoader {
        let store = try CockpitStore(path: path, mode: .read)
        return ScreenLoader(store: store, tree: try store.tree(), strings: Strings(lang))
    }
}

/// A line as (display column, character) pairs, so tests can check what sits in which column.
func columns(_ line: String) -> [(col: Int, ch: Character)] {
    var out: [(Int, Character)] = []
    var col = 0
    for ch in line {
        out.append((col, ch))
        col += Text.width(String(ch))
    }
    return out
}
