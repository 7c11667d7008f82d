import CockpitApp
import CockpitCore
import CockpitStore
import Foundation
import XCTest

/// The real binary: `report --format csv|prometheus --all`, `history backfill` and `history`,
/// checked against `report --at` at the same moments.
final class HistoryCommandTests: XCTestCase {
    var dir = ""
    var db: String { dir + "/copy.sqlite" }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "cockpit-history-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // A store of its own without the sample store's day of history: the backfill writes, and
        // what it writes is compared with the figures as of each moment.
        try Demo.build(at: db, from: Paths.sampleData, now: SampleStore.ingestTime, historyHours: 0)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs the cockpit binary with posix_spawn, output to files, killed after `timeout` seconds.
    func cockpit(_ args: [String], timeout: Double = 120) -> Run {
        let outPath = dir + "/out", errPath = dir + "/err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = [Paths.binary] + args
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv) == 0 else {
            XCTFail("cannot start \(argv[0])")
            return Run(status: -1, out: "", err: "")
        }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r == -1, errno != EINTR { break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                XCTFail("cockpit \(args.joined(separator: " ")) did not finish in \(timeout) s")
                break
            }
            usleep(20_000)
        }
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        return Run(status: code, out: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                   err: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testReportAsPrometheusAndCSVForEveryUnit() throws {
        let at = "2026-11-20T17:00:00+08:00"
        let prom = cockpit(["report", "--db", db, "--at", at, "--all", "--format", "prometheus"])
        XCTAssertEqual(prom.status, 0, prom.err)
        let parsed = try PrometheusText(prom.out)
        let open = parsed.samples.filter { $0.name == "cockpit_cases_open" }
        XCTAssertEqual(open.count, 88, "every unit of the tree")
        let district = try json(cockpit(["report", "--db", db, "--at", at, "--format", "json"]).out)
        let metrics = try XCTUnwrap(district["metrics"] as? [String: Any])
        XCTAssertEqual(open.first { $0.labels["unit"] == "xiacheng" }?.value, (metrics["cases.open"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(open.first { $0.labels["unit"] == "wulin" }?.labels["name"], "武林街道")

        let csv = cockpit(["report", "--db", db, "--at", at, "--unit", "wulin", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.err)
        let rows = try parseCSV(csv.out)
        let units = Set(rows.dropFirst().map { $0[1] })
        XCTAssertTrue(units.contains("wulin"))
        XCTAssertEqual(units.count, 1 + (try CockpitStore(path: db, mode: .read).tree().children(of: "wulin").count))
        // One row per unit and figure: every reported name, its parts and the unit's series.
        let csvStore = try CockpitStore(path: db, mode: .read)
        let figures = try csvStore.figures(tree: csvStore.tree(), window: FigureWindow(at: LocalTime.parse(at)!))
        XCTAssertEqual(rows.count, 1 + units.map { ReportFormats.reportedNames(figures[$0]).count }.reduce(0, +))

        let allJSON = try json(cockpit(["report", "--db", db, "--at", at, "--all", "--format", "json"]).out)
        XCTAssertEqual((allJSON["units"] as? [Any])?.count, 88)
        XCTAssertNotNil(allJSON["children"], "the usual shape is kept")

        let bad = cockpit(["report", "--db", db, "--format", "xml"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("prometheus"), bad.err)
    }

    func testBackfillThenHistoryMatchesReportAtEachMoment() throws {
        let backfill = cockpit(["history", "backfill", "--db", db, "--from", "2026-11-19T08:00:00+08:00",
                                "--to", "2026-11-20T17:00:00+08:00", "--step", "3h"])
        XCTAssertEqual(backfill.status, 0, backfill.err)
        XCTAssertTrue(backfill.out.hasPrefix("12 moments"), backfill.out)

        for (at, resolutions) in [("2026-11-19T08:00:00+08:00", ["hour"]), ("2026-11-20T14:00:00+08:00", ["minute", "hour"])] {
            for unit in ["xiacheng", "wulin-zhuganxiang"] {
                let report = try json(cockpit(["report", "--db", db, "--unit", unit, "--at", at, "--format", "json"]).out)
                let metrics = try XCTUnwrap(report["metrics"] as? [String: Any])
                for metric in Metric.caseFigures {
                    for res in resolutions {
                        let run = cockpit(["history", "--db", db, "--unit", unit, "--metric", metric, "--resolution", res,
                                           "--from", at, "--to", at, "--format", "json"])
                        XCTAssertEqual(run.status, 0, run.err)
                        let points = try XCTUnwrap(try json(run.out)["points"] as? [[String: Any]])
                        if let v = metrics[metric] as? NSNumber {
                            XCTAssertEqual(points.count, 1, "\(unit) \(metric) \(res) at \(at)")
                            XCTAssertEqual(points.first?["bucket"] as? String, at)
                            XCTAssertEqual((points.first?["value"] as? NSNumber)?.doubleValue ?? .nan, v.doubleValue, accuracy: 1e-9,
                                           "\(unit) \(metric) \(res) at \(at)")
                        } else {
                            XCTAssertEqual(points.count, 0, "a missing figure records nothing: \(unit) \(metric)")
                        }
                    }
                }
            }
        }

        // The whole range as CSV; a second backfill leaves it as it was.
        let range = ["history", "--db", db, "--unit", "wulin", "--metric", "cases.overdue", "--resolution", "hour",
                     "--from", "2026-11-19T00:00:00+08:00", "--to", "2026-11-20T23:00:00+08:00", "--format", "csv"]
        let before = cockpit(range)
        let rows = try parseCSV(before.out)
        XCTAssertEqual(rows.first, ["bucket", "value"])
        XCTAssertEqual(rows.count, 1 + 12)
        _ = cockpit(["history", "backfill", "--db", db, "--from", "2026-11-19T08:00:00+08:00",
                     "--to", "2026-11-20T17:00:00+08:00", "--step", "3h"])
        XCTAssertEqual(cockpit(range).out, before.out)

        let misspelt = cockpit(["history", "--db", db, "--unit", "wulin", "--metric", "cases.overdu"])
        XCTAssertEqual(misspelt.status, 2)
        XCTAssertTrue(misspelt.err.contains("nearest: cases.overdue"), misspelt.err)
        let badStep = cockpit(["history", "backfill", "--db", db, "--from", "2026-11-19", "--to", "2026-11-20", "--step", "3x"])
        XCTAssertNotEqual(badStep.status, 0)
        XCTAssertTrue(badStep.err.contains("--step"), badStep.err)

        let retention = cockpit(["history", "retention", "--db", db, "--hours", "24"])
        XCTAssertEqual(retention.status, 0, retention.err)
        XCTAssertTrue(retention.out.contains("hours kept 24"), retention.out)
        let after = try parseCSV(cockpit(range).out)
        XCTAssertEqual(after.dropFirst().map { $0[0] }, rows.dropFirst().map { $0[0] }.filter { $0 >= "2026-11-19T18:00" },
                       "hours older than a day before the newest moment (Nov 20 17:00) are pruned")
    }

    /// `cockpit ingest` records one moment (now) after each file, so trends move with every ingest.
    func testIngestRecordsTheFiguresAsOfNow() throws {
        let fresh = dir + "/fresh.sqlite"
        XCTAssertEqual(cockpit(["ingest", "--db", fresh, "--kind", "units", Paths.sampleData + "/units.csv"]).status, 0)
        let casesCSV = dir + "/cases.csv"
        try """
            id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions
            h1,wulin-zhuganxiang,区民政局,X1,事项一,hall,2026-11-20T09:00:00+08:00,3,accepted,,
            h2,wulin-zhuganxiang,区民政局,X1,事项一,hall,2026-11-20T09:00:00+08:00,3,in_review,,
            """.write(toFile: casesCSV, atomically: true, encoding: .utf8)
        let before = Int64(Date().timeIntervalSince1970)
        let ingest = cockpit(["ingest", "--db", fresh, "--kind", "cases", casesCSV])
        XCTAssertEqual(ingest.status, 0, ingest.err)
        let after = Int64(Date().timeIntervalSince1970)
        let store = try CockpitStore(path: fresh, mode: .read)
        let latest = try XCTUnwrap(try store.historyLatest())
        XCTAssertTrue((before...after).contains(latest))
        for unit in ["xiacheng", "wulin", "wulin-zhuganxiang"] {
            let points = try store.history(unit: unit, metric: Metric.casesOpen, from: latest, to: latest, resolution: .minute)
            XCTAssertEqual(points.map(\.value), [2], unit)
        }
        XCTAssertEqual(try store.history(unit: "changqing", metric: Metric.casesOpen, from: latest, to: latest, resolution: .minute).map(\.value), [0])
    }
}
