import ArgumentParser
import CockpitCore
import CockpitStore
import Foundation

/// `cockpit history`: a figure's buckets over time, the backfill that replays the past, retention.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A unit's figure over time: minute buckets for the last day, hours for 90 days, days beyond.",
        discussion: "Every figure of every unit is recorded per bucket by `cockpit ingest` (once, after the file) "
            + "and by the engine (on commit and on the minute). Stock figures (open, overdue, waiting, …) "
            + "read as the mean of their samples in an hour or day bucket; flow figures (completed, on-time "
            + "rate, served, calls, …) as the last sample, the total as of the bucket's end.",
        subcommands: [Show.self, Backfill.self, Retention.self, Bench.self],
        defaultSubcommand: Show.self
    )
}

/// A resolution, a step or a duration: `90s`, `15m`, `1h`, `2d`.
func parseDuration(_ text: String, option: String) throws -> Int64 {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    guard let u = text.last, let mult = units[u], let n = Int64(text.dropLast()), n > 0 else {
        throw ValidationError("\(option) '\(text)' is not a duration such as 90s, 15m, 1h or 1d")
    }
    return n * mult
}

extension History {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print one figure's buckets (the default subcommand)."
        )

        @Option(help: "The SQLite store.")
        var db: String

        @OptionGroup var unit: UnitOption

        @Option(help: "The metric, e.g. cases.overdue or queue.waiting@intake.")
        var metric: String

        @Option(help: "minute, hour or day.")
        var resolution: String = "hour"

        @Option(help: "First bucket (ISO 8601). Default: a day of minutes, a week of hours or 90 days of days before --to.")
        var from: String?

        @Option(help: "Last bucket (ISO 8601). Default: the newest recorded moment.")
        var to: String?

        @Option(help: "text, json or csv.")
        var format: String = "text"

        func run() throws {
            guard let res = HistoryResolution(name: resolution) else {
                throw ValidationError("--resolution must be minute, hour or day, not '\(resolution)'")
            }
            guard ["text", "json", "csv"].contains(format) else { throw ValidationError("--format must be text, json or csv") }
            let store: CockpitStore
            do { store = try CockpitStore(path: db, mode: .read) } catch { fail("\(error)") }
            let tree = try store.tree()
            let u = unit.resolve(in: tree)
            let known = try store.historyMetrics(unit: u.id)
            guard known.contains(metric) else {
                if known.isEmpty { fail("\(u.id) has no history yet (record some with `cockpit history backfill`)") }
                let near = known.sorted { editDistance($0, metric) < editDistance($1, metric) }.prefix(3)
                fail("no history of '\(metric)' for \(u.id); nearest: \(near.joined(separator: ", "))")
            }
            let toT = try to.map { try parseTime($0, option: "--to") } ?? (try store.historyLatest()) ?? Int64(Date().timeIntervalSince1970)
            let span: Int64 = switch res {
            case .minute: 86_400 - 60
            case .hour: 7 * 86_400 - 3600
            case .day: 89 * 86_400
            }
            let fromT = try from.map { try parseTime($0, option: "--from") } ?? toT - span
            guard fromT <= toT else { throw ValidationError("--from is after --to") }
            let points = try store.history(unit: u.id, metric: metric, from: fromT, to: toT, resolution: res)
            let reads = CockpitStore.historyReadsMean(metric) ? "mean" : "last"
            switch format {
            case "json":
                let items = points.map { "{\"bucket\":\(JSON.string(LocalTime.iso($0.bucket))),\"value\":\(JSON.number($0.value))}" }
                print("{\"unit\":\(JSON.string(u.id)),\"metric\":\(JSON.string(metric)),\"resolution\":\(JSON.string(res.name)),"
                    + "\"reads\":\(JSON.string(reads)),\"from\":\(JSON.string(LocalTime.iso(fromT))),\"to\":\(JSON.string(LocalTime.iso(toT))),"
                    + "\"points\":[\(items.joined(separator: ","))]}")
            case "csv":
                print("bucket,value\r\n" + points.map { "\(LocalTime.iso($0.bucket)),\(JSON.number($0.value))\r\n" }.joined(), terminator: "")
            default:
                print("\(u.name) (\(u.id))  \(metric)  per \(res.name) (\(reads) of the bucket's samples)  \(LocalTime.iso(fromT)) … \(LocalTime.iso(toT))")
                if points.isEmpty { print("no buckets in this range") }
                for p in points {
                    let when = res == .day ? LocalTime.dayString(LocalTime.day(of: p.bucket)) : LocalTime.short(p.bucket)
                    let value = p.value == p.value.rounded() ? JSON.number(p.value) : String(format: "%.2f", p.value)
                    print("\(when)  \(value)")
                }
            }
        }
    }

    struct Backfill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the figures as of past moments, --from to --to every --step, so that trends exist.",
            discussion: "Each moment is computed as `cockpit report --at` would compute it and recorded into the "
                + "finest bucket still kept for it (older than a day of minutes: its hour; older than 90 "
                + "days of hours: its day), replacing what that bucket held: running it twice changes nothing."
        )

        @Option(help: "The SQLite store.")
        var db: String

        @Option(help: "The first moment (ISO 8601).")
        var from: String

        @Option(help: "The last moment (ISO 8601).")
        var to: String

        @Option(help: "Between moments: e.g. 15m, 1h, 1d.")
        var step: String = "1h"

        func run() throws {
            let fromT = try parseTime(from, option: "--from"), toT = try parseTime(to, option: "--to")
            let stepS = try parseDuration(step, option: "--step")
            guard fromT <= toT else { throw ValidationError("--from is after --to") }
            let store: CockpitStore
            do { store = try CockpitStore(path: db, mode: .write) } catch { fail("\(db): \(error)") }
            let tree = try store.tree()
            let started = Date()
            var figureS = 0.0, writeS = 0.0, rows = 0, pruned = 0, slowest = 0.0
            let showProgress = isatty(STDERR_FILENO) != 0
            let moments = try store.backfillHistory(tree: tree, from: fromT, to: toT, step: stepS) { t, s in
                figureS += s.figureSeconds
                writeS += s.writeSeconds
                slowest = max(slowest, s.writeSeconds)
                rows += s.rowsWritten
                pruned += s.rowsPruned
                if showProgress { FileHandle.standardError.write(Data("\r\(LocalTime.short(t))".utf8)) }
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let n = Double(max(1, moments))
            print(String(format: "%d moments from %@ to %@: %d rows written, %d pruned, %.1f s (figures %.1f ms, write %.1f ms per moment, slowest write %.1f ms)",
                         moments, LocalTime.iso(fromT), LocalTime.iso(toT), rows, pruned, Date().timeIntervalSince(started),
                         figureS / n * 1000, writeS / n * 1000, slowest * 1000))
        }
    }

    struct Retention: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set how many buckets of each resolution are kept (and prune to it)."
        )

        @Option(help: "The SQLite store.")
        var db: String

        @Option(help: "Minute buckets kept (default 1440: a day).")
        var minutes: Int?

        @Option(help: "Hour buckets kept (default 2160: 90 days).")
        var hours: Int?

        @Option(help: "Day buckets kept (default 1096: three years).")
        var days: Int?

        func run() throws {
            let store: CockpitStore
            do { store = try CockpitStore(path: db, mode: .write) } catch { fail("\(db): \(error)") }
            var r = try store.historyRetention()
            if minutes != nil || hours != nil || days != nil {
                r.minutes = minutes ?? r.minutes
                r.hours = hours ?? r.hours
                r.days = days ?? r.days
                do { try store.setHistoryRetention(r) } catch let e as StoreError { fail(e.description) }
            }
            let counts = try store.historyRowCounts()
            print("minutes kept \(r.minutes) (\(counts[.minute] ?? 0) rows), hours kept \(r.hours) (\(counts[.hour] ?? 0) rows), days kept \(r.days) (\(counts[.day] ?? 0) rows)")
        }
    }

    /// Measures one recording of `--metrics` figures for every unit of a store's tree, minute after
    /// minute, in a scratch copy of the tree (the store given is only read for its units).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark: the cost of recording history (units × metrics per minute) and the size it takes.",
            shouldDisplay: false
        )

        @Option(help: "A store whose tree to use.")
        var db: String

        @Option(help: "Metrics per unit.")
        var metrics = 40

        @Option(help: "Minutes to record.")
        var minutes = 1440

        @Option(help: "Where to build the scratch store (removed afterwards).")
        var scratch: String = NSTemporaryDirectory() + "cockpit-history-bench.sqlite"

        func run() throws {
            let tree = try CockpitStore(path: db, mode: .read).tree()
            for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + s) }
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + s) } }
            let store = try CockpitStore(path: scratch, mode: .write)
            let names = (0..<metrics).map { i in i < 7 ? Metric.caseFigures[i] : "bench.m\(i)" }
            let start = LocalTime.parse("2026-11-20T00:00:00+08:00")!
            var times: [Double] = []
            var rows = 0
            for m in 0..<minutes {
                var all: [String: Figures] = [:]
                for (k, u) in tree.units.enumerated() {
                    var f = Figures()
                    // Values that move: a level that drifts and a total that grows through the day.
                    for (i, name) in names.enumerated() { f[name] = Double((k * 31 + i * 7 + m / (1 + i % 5)) % 997) }
                    all[u.id] = f
                }
                let s = try store.writeHistory(all, at: start + Int64(m) * 60)
                times.append(s.writeSeconds * 1000)
                rows += s.rowsWritten
            }
            // What a sparkline costs: the newest day of minutes and all hours of one series.
            let last = start + Int64(minutes - 1) * 60
            var readMinutes = 0.0, readHours = 0.0, points = 0
            for u in tree.units.prefix(20) {
                var t0 = Date()
                points += try store.history(unit: u.id, metric: names[0], from: last - 86_340, to: last, resolution: .minute).count
                readMinutes += Date().timeIntervalSince(t0)
                t0 = Date()
                points += try store.history(unit: u.id, metric: names[0], from: last - 90 * 86_400, to: last, resolution: .hour).count
                readHours += Date().timeIntervalSince(t0)
            }
            let readers = Double(min(20, tree.units.count))
            try store.close()
            let size = (try FileManager.default.attributesOfItem(atPath: scratch)[.size] as? Int64) ?? 0
            let sorted = times.sorted()
            func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print(String(format: "%d units × %d metrics, %d minutes: write per minute p50 %.1f ms, p95 %.1f ms, max %.1f ms; %d rows written; store %.1f MB",
                         tree.units.count, metrics, minutes, pct(0.5), pct(0.95), sorted.last ?? 0, rows, Double(size) / 1_048_576))
            print(String(format: "read one series: the last day of minutes %.2f ms, 90 days of hours %.2f ms (mean of %d units, %d points)",
                         readMinutes / readers * 1000, readHours / readers * 1000, Int(readers), points))
        }
    }
}
