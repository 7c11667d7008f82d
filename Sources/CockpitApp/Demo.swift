import CockpitStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The demo store: built once from SampleData/ so that `swift run cockpit` shows a real district.
public enum Demo {
    /// Bump when SampleData changes so that an old demo store is rebuilt.
    public static let version = "2"

    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/cockpit/demo.sqlite"
    }

    /// SampleData/: $COCKPIT_SAMPLE_DATA, ./SampleData, or the one beside this source tree.
    public static func sampleDataDirectory() -> String? {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let d = env["COCKPIT_SAMPLE_DATA"] { candidates.append(d) }
        candidates.append(FileManager.default.currentDirectoryPath + "/SampleData")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("SampleData").path)
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../../../SampleData").standardized.path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/units.csv") }
    }

    /// Returns the demo store's path, building it first if it is missing or out of date.
    /// Built beside its final place and renamed in, so a kill mid-build never leaves half a store.
    public static func ensure(quiet: Bool) throws -> String {
        let path = defaultPath
        if FileManager.default.fileExists(atPath: path),
           let store = try? CockpitStore(path: path, mode: .read),
           (try? store.meta("demo_version")) == version {
            return path
        }
        guard let dir = sampleDataDirectory() else {
            throw StoreError("cannot find SampleData/ (run from the project folder, or set COCKPIT_SAMPLE_DATA)")
        }
        let started = Date()
        let building = path + ".building"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: building + suffix) }
        let cases = try build(at: building, from: dir)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        // rename(2): atomic, and it works whether or not an old demo store is there.
        guard rename(building, path) == 0 else {
            throw StoreError("cannot move \(building) to \(path): \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: building + suffix) }
        if !quiet {
            FileHandle.standardError.write(Data(String(format: "cockpit: built the demo store %@ from %@ (%d cases, %.1f s)", path, dir, cases, Date().timeIntervalSince(started)).utf8 + [10]))
        }
        return path
    }

    /// The other kinds of SampleData/, in an order that satisfies their references (ratings after cases).
    public static let serviceKinds: [IngestKind] = [.tickets, .directory, .calls, .quality, .ratings, .items, .series]

    /// Ingests SampleData/ (units, every calendar-*.csv, cases, then each of `serviceKinds` whose
    /// file is there) into a new store at `path`.
    /// `now` stamps the ingest (the data's "as of"), fixed in tests so that snapshots are stable.
    @discardableResult
    /// `historyHours` of hourly history are replayed before `now`, so trends show at once.
    public static func build(at path: String, from dir: String, now: Int64 = Int64(Date().timeIntervalSince1970),
                             historyHours: Int = 24) throws -> Int {
        let store = try CockpitStore(path: path, mode: .write)
        _ = try store.ingest(kind: .units, file: dir + "/units.csv", now: now)
        let calendars = (try FileManager.default.contentsOfDirectory(atPath: dir))
            .filter { $0.hasPrefix("calendar-") && $0.hasSuffix(".csv") }.sorted()
        for f in calendars { _ = try store.ingest(kind: .calendar, file: dir + "/" + f, now: now) }
        let cases = try store.ingest(kind: .cases, file: dir + "/cases.csv", now: now).accepted
        for kind in serviceKinds {
            let file = dir + "/" + kind.rawValue + ".csv"
            if FileManager.default.fileExists(atPath: file) { _ = try store.ingest(kind: kind, file: file, now: now) }
        }
        if historyHours > 0 {
            try store.backfillHistory(tree: store.tree(), from: now - Int64(historyHours) * 3600, to: now, step: 3600)
        }
        try store.setMeta("demo_version", version)
        try store.close()
        return cases
    }
}
