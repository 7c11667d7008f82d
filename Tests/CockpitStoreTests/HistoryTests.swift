import CockpitCore
@testable import CockpitStore
import Foundation
import GRDB
import XCTest

/// Counts the store's commits (GRDB tells every observer of every commit).
final class CommitCounter: TransactionObserver, @unchecked Sendable {
    var commits = 0
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits += 1 }
    func databaseDidRollback(_ db: Database) {}
}

final class HistoryTests: XCTestCase {
    let open = Metric.casesOpen            // a stock: coarse buckets read as the mean
    let done = Metric.casesCompleted       // a flow: coarse buckets read as the last sample

    func write(_ f: Fixture, _ at: String, open: Double? = nil, done: Double? = nil, unit: String = "d") throws {
        var fig = Figures()
        fig[self.open] = open
        fig[self.done] = done
        try f.store.writeHistory([unit: fig], at: t(at))
    }

    func values(_ f: Fixture, _ metric: String, _ res: HistoryResolution, _ from: String, _ to: String, unit: String = "d") throws -> [Double] {
        try f.store.history(unit: unit, metric: metric, from: t(from), to: t(to), resolution: res).map(\.value)
    }

    /// Every row of the history table, to compare the whole state before and after a repeat.
    func dump(_ f: Fixture) throws -> [String] {
        try f.store.reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT res || ' ' || bucket || ' ' || s.unit || ' ' || s.metric || ' ' || quote(last) || ' ' || quote(sum) || ' ' || quote(n) || ' ' || quote(last_at)
                FROM history h JOIN history_series s ON s.id = h.series ORDER BY res, bucket, s.unit, s.metric
                """)
        }
    }

    func testBucketStartsFollowLocalMinutesHoursAndDays() {
        let at = t("2026-10-14T00:30:45+08:00")
        XCTAssertEqual(HistoryResolution.minute.bucketStart(at), t("2026-10-14T00:30:00+08:00"))
        XCTAssertEqual(HistoryResolution.hour.bucketStart(at), t("2026-10-14T00:00:00+08:00"))
        // The local day starts at 00:00 UTC+8, which is 16:00 UTC the day before.
        XCTAssertEqual(HistoryResolution.day.bucketStart(at), t("2026-10-13T16:00:00Z"))
        XCTAssertEqual(HistoryResolution.day.bucketStart(t("2026-10-14T23:59:59+08:00")), t("2026-10-14T00:00:00+08:00"))
        XCTAssertEqual(HistoryResolution.minute.bucketStart(t("2026-10-14T10:00:00+08:00")), t("2026-10-14T10:00:00+08:00"))
        XCTAssertEqual(HistoryResolution(name: "hour"), .hour)
        XCTAssertNil(HistoryResolution(name: "week"))
    }

    func testStocksDownSampleToTheMeanAndFlowsToTheLastSample() throws {
        let f = try Fixture()
        try write(f, "2026-10-14T10:00:00+08:00", open: 10, done: 1)
        try write(f, "2026-10-14T10:01:00+08:00", open: 20, done: 3)
        try write(f, "2026-10-14T10:59:30+08:00", open: 30, done: 4)
        try write(f, "2026-10-14T11:00:00+08:00", open: 40, done: 6)
        let day = ("2026-10-14T00:00:00+08:00", "2026-10-14T23:59:00+08:00")
        XCTAssertEqual(try values(f, open, .minute, day.0, day.1), [10, 20, 30, 40])
        XCTAssertEqual(try values(f, done, .minute, day.0, day.1), [1, 3, 4, 6])
        XCTAssertEqual(try values(f, open, .hour, day.0, day.1), [20, 40], "mean of 10, 20, 30; then 40")
        XCTAssertEqual(try values(f, done, .hour, day.0, day.1), [4, 6], "the total as of each hour's last sample")
        XCTAssertEqual(try values(f, open, .day, day.0, day.1), [25], "mean of the four minute samples")
        XCTAssertEqual(try values(f, done, .day, day.0, day.1), [6])
        let hours = try f.store.history(unit: "d", metric: open, from: t(day.0), to: t(day.1), resolution: .hour)
        XCTAssertEqual(hours.map(\.bucket), [t("2026-10-14T10:00:00+08:00"), t("2026-10-14T11:00:00+08:00")])
        // A range that starts inside a bucket includes that bucket; one that ends before the next excludes it.
        XCTAssertEqual(try values(f, open, .hour, "2026-10-14T10:30:00+08:00", "2026-10-14T10:59:59+08:00"), [20])
        XCTAssertEqual(try values(f, open, .minute, "2026-10-14T10:00:30+08:00", "2026-10-14T10:01:00+08:00"), [10, 20])
        XCTAssertEqual(try values(f, open, .hour, day.0, day.1, unit: "nowhere"), [])
        XCTAssertEqual(try values(f, "cases.nothing", .hour, day.0, day.1), [])
    }

    func testTheSameBucketTwiceLastWriteWinsAndRepeatsChangeNothing() throws {
        let f = try Fixture()
        func sequence() throws {
            try write(f, "2026-10-14T10:00:10+08:00", open: 10, done: 1)
            try write(f, "2026-10-14T10:00:50+08:00", open: 14, done: 2)   // the same minute: replaces
            try write(f, "2026-10-14T10:01:00+08:00", open: 20, done: 5)
        }
        try sequence()
        let range = ("2026-10-14T00:00:00+08:00", "2026-10-14T23:00:00+08:00")
        XCTAssertEqual(try values(f, open, .minute, range.0, range.1), [14, 20])
        XCTAssertEqual(try values(f, open, .hour, range.0, range.1), [17], "(14 + 20) / 2: the replaced 10 no longer counts")
        XCTAssertEqual(try values(f, done, .hour, range.0, range.1), [5])
        XCTAssertEqual(try values(f, open, .day, range.0, range.1), [17])
        let before = try dump(f)
        XCTAssertEqual(before.count, 2 * (2 + 1 + 1))
        try sequence()
        XCTAssertEqual(try dump(f), before, "recording the same moments again changes nothing")
        // Re-recording an earlier minute does not take the hour's last sample from a later one.
        try write(f, "2026-10-14T10:00:20+08:00", open: 14, done: 2)
        XCTAssertEqual(try values(f, done, .hour, range.0, range.1), [5])
        XCTAssertEqual(try values(f, open, .hour, range.0, range.1), [17])
        // A figure that is missing (nil: a rate over an empty window) records nothing.
        try write(f, "2026-10-14T10:02:00+08:00", open: nil, done: 7)
        XCTAssertEqual(try values(f, open, .minute, range.0, range.1), [14, 20])
        XCTAssertEqual(try values(f, done, .minute, range.0, range.1), [2, 5, 7])
    }

    func testRetentionPrunesEachResolutionFromTheNewestMoment() throws {
        let f = try Fixture()
        try f.store.setHistoryRetention(HistoryRetention(minutes: 3, hours: 2, days: 2))
        XCTAssertEqual(try f.store.historyRetention(), HistoryRetention(minutes: 3, hours: 2, days: 2))
        for m in 0..<6 { try write(f, "2026-10-14T10:0\(m):00+08:00", open: Double(m)) }
        let all = ("2026-10-01T00:00:00+08:00", "2026-10-31T00:00:00+08:00")
        XCTAssertEqual(try values(f, open, .minute, all.0, all.1), [3, 4, 5], "the last three minutes")
        XCTAssertEqual(try values(f, open, .hour, all.0, all.1), [2.5], "the hour keeps all six samples")
        try write(f, "2026-10-14T11:00:00+08:00", open: 10)
        try write(f, "2026-10-14T12:00:00+08:00", open: 20)
        XCTAssertEqual(try values(f, open, .minute, all.0, all.1), [20], "minutes older than 11:58 are gone")
        XCTAssertEqual(try values(f, open, .hour, all.0, all.1), [10, 20], "the 10:00 hour is gone")
        XCTAssertEqual(try values(f, open, .day, all.0, all.1), [(0 + 1 + 2 + 3 + 4 + 5 + 10 + 20) / 8])
        try write(f, "2026-10-15T08:00:00+08:00", open: 30)
        try write(f, "2026-10-16T08:00:00+08:00", open: 40)
        XCTAssertEqual(try f.store.history(unit: "d", metric: open, from: t(all.0), to: t(all.1), resolution: .day).map(\.bucket),
                       [t("2026-10-15T00:00:00+08:00"), t("2026-10-16T00:00:00+08:00")], "two days kept")
        // Older than every retention: nothing recorded.
        let stats = try f.store.writeHistory(["d": Figures([open: 99])], at: t("2026-10-01T08:00:00+08:00"))
        XCTAssertNil(stats.finest)
        XCTAssertEqual(stats.rowsWritten, 0)
        // Yesterday at 09:00 is past the kept minutes and hours: it goes to its day, replacing it.
        let y = try f.store.writeHistory(["d": Figures([open: 33])], at: t("2026-10-15T09:00:00+08:00"))
        XCTAssertEqual(y.finest, .day)
        XCTAssertEqual(try values(f, open, .day, all.0, all.1), [33, 40])
        // Counts per resolution: the minute and hour of Oct 16 08:00, two days.
        XCTAssertEqual(try f.store.historyRowCounts(), [.minute: 1, .hour: 1, .day: 2])
        // Shrinking the retention prunes at once.
        try f.store.setHistoryRetention(HistoryRetention(minutes: 3, hours: 1, days: 1))
        XCTAssertEqual(try f.store.historyRowCounts(), [.minute: 1, .hour: 1, .day: 1])
        XCTAssertThrowsError(try f.store.setHistoryRetention(HistoryRetention(minutes: 0, hours: 1, days: 1)))
    }

    func testAMomentPastTheKeptMinutesReplacesItsHourSoABackfillCanBeRepeated() throws {
        let f = try Fixture()
        try write(f, "2026-10-14T12:00:00+08:00", open: 5, done: 9)      // the newest moment
        for m in 0..<3 { try write(f, "2026-10-12T10:0\(m):00+08:00", open: Double(100 + m), done: Double(m)) }
        // Two days back is past the day of minutes: each write replaced the 10:00 hour.
        let range = ("2026-10-12T00:00:00+08:00", "2026-10-12T23:00:00+08:00")
        XCTAssertEqual(try values(f, open, .minute, range.0, range.1), [])
        XCTAssertEqual(try values(f, open, .hour, range.0, range.1), [102])
        XCTAssertEqual(try values(f, open, .day, range.0, range.1), [102])
        let before = try dump(f)
        try write(f, "2026-10-12T10:02:00+08:00", open: 102, done: 2)
        XCTAssertEqual(try dump(f), before)
        // Another hour of the same day adds to the day; the day's flow is the latest hour's.
        try write(f, "2026-10-12T09:00:00+08:00", open: 50, done: 7)
        XCTAssertEqual(try values(f, open, .day, range.0, range.1), [76])
        XCTAssertEqual(try values(f, done, .day, range.0, range.1), [2], "10:02 is later than 09:00")
    }

    func testPreviousBucketValue() throws {
        let f = try Fixture()
        try write(f, "2026-10-13T15:00:00+08:00", open: 7, done: 70)
        try write(f, "2026-10-14T09:59:00+08:00", open: 8, done: 80)
        try write(f, "2026-10-14T10:00:00+08:00", open: 9, done: 90)
        try write(f, "2026-10-14T10:01:00+08:00", open: 11, done: 91)
        let at = t("2026-10-14T10:01:30+08:00")
        XCTAssertEqual(try f.store.previousBucketValue(unit: "d", metric: open, at: at, resolution: .minute),
                       HistoryPoint(bucket: t("2026-10-14T10:00:00+08:00"), value: 9))
        XCTAssertEqual(try f.store.previousBucketValue(unit: "d", metric: open, at: at, resolution: .hour),
                       HistoryPoint(bucket: t("2026-10-14T09:00:00+08:00"), value: 8))
        XCTAssertEqual(try f.store.previousBucketValue(unit: "d", metric: done, at: at, resolution: .day),
                       HistoryPoint(bucket: t("2026-10-13T00:00:00+08:00"), value: 70))
        // No sample in the bucket before: nil, not the one before that.
        XCTAssertNil(try f.store.previousBucketValue(unit: "d", metric: open, at: t("2026-10-14T09:30:00+08:00"), resolution: .minute))
        XCTAssertNil(try f.store.previousBucketValue(unit: "x", metric: open, at: at, resolution: .minute))
    }

    /// Cases of the small district whose lights change over Oct 12–14.
    let cases = Fixture.header + """

        a1,c1,区民政局,X1,事项一,hall,2026-09-30T10:00:00+08:00,3,in_review,,
        a2,c1,区民政局,X1,事项一,online,2026-10-13T09:00:00+08:00,1,accepted,,
        a3,c2,区民政局,X1,事项一,hall,2026-10-09T09:00:00+08:00,2,accepted,,
        a5,c3,区医保局,X2,事项二,mobile,2026-09-01T09:00:00+08:00,5,suspended,,2026-09-03T10:00:00+08:00/
        a6,c3,区医保局,X2,事项二,hall,2026-10-08T09:00:00+08:00,0,completed,2026-10-09T10:00:00+08:00,
        a7,c1,区医保局,X2,事项二,hall,2026-10-09T09:00:00+08:00,5,completed,2026-10-12T10:00:00+08:00,
        a9,c3,区医保局,X2,事项二,hall,2026-09-25T10:00:00+08:00,5,in_review,,2026-09-28T10:00:00+08:00/2026-10-09T10:00:00+08:00
        """

    /// A backfill records, for every unit and metric, what `figures(tree:window:)` (`report --at`)
    /// says at each moment: hour by hour, minute by minute for the last day, and per day as the
    /// mean of the day's moments (stocks) or its last moment (flows).
    func testBackfillMatchesTheFiguresRecomputedAtEachMoment() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", cases)
        let tree = try f.store.tree()
        let from = t("2026-10-12T00:00:00+08:00"), to = t("2026-10-14T23:00:00+08:00"), step: Int64 = 2 * 3600
        let moments = try f.store.backfillHistory(tree: tree, from: from, to: to, step: step)
        XCTAssertEqual(moments, 3 * 12)
        var checked = 0, moved = Set<String>()
        var perDay: [Int64: [String: [Double]]] = [:]
        for m in stride(from: from, through: to, by: Int(step)) {
            let figures = try f.store.figures(tree: tree, window: FigureWindow(at: m))
            for u in tree.units {
                for (metric, value) in figures[u.id]!.values {
                    let key = u.id + " " + metric
                    let hour = try f.store.history(unit: u.id, metric: metric, from: m, to: m, resolution: .hour)
                    XCTAssertEqual(hour, [HistoryPoint(bucket: m, value: value)], "\(key) at \(LocalTime.iso(m))")
                    if m > to - 86_400 {
                        XCTAssertEqual(try f.store.history(unit: u.id, metric: metric, from: m, to: m, resolution: .minute).map(\.value), [value])
                    }
                    perDay[HistoryResolution.day.bucketStart(m), default: [:]][key, default: []].append(value)
                    if let first = perDay[HistoryResolution.day.bucketStart(from)]?[key]?.first, first != value { moved.insert(metric) }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 3 * 12 * 6 * 6)
        XCTAssertTrue(moved.isSuperset(of: [Metric.casesOverdue, Metric.casesWarning, Metric.casesCompleted]),
                      "the figures must move over the week for this test to mean something: \(moved)")
        for (day, series) in perDay {
            for (key, samples) in series {
                let parts = key.split(separator: " ").map(String.init)
                let expected = MetricKind.of(parts[1]) == .stock ? samples.reduce(0, +) / Double(samples.count) : samples.last!
                let got = try f.store.history(unit: parts[0], metric: parts[1], from: day, to: day, resolution: .day)
                XCTAssertEqual(got.count, 1, key)
                XCTAssertEqual(got.first?.value ?? .nan, expected, accuracy: 1e-9, "\(key) on \(LocalTime.iso(day))")
            }
        }
        // The same backfill again leaves every row as it was.
        let before = try dump(f)
        try f.store.backfillHistory(tree: tree, from: from, to: to, step: step)
        XCTAssertEqual(try dump(f), before)
    }

    func testRecordHistoryWritesEveryUnitAndMetricInOneTransaction() throws {
        let f = try Fixture()
        try f.loadSmallDistrict()
        try f.ingest(.cases, "cases.csv", cases)
        let tree = try f.store.tree()
        let commits = CommitCounter()
        f.store.database.add(transactionObserver: commits)
        let at = t("2026-10-14T10:00:00+08:00")
        let stats = try f.store.recordHistory(tree: tree, at: at)
        let figures = try f.store.figures(tree: tree, window: FigureWindow(at: at))
        let samples = figures.values.reduce(0) { $0 + $1.values.count }
        XCTAssertEqual(stats.samples, samples)
        XCTAssertEqual(stats.rowsWritten, 3 * samples)
        XCTAssertEqual(stats.finest, .minute)
        XCTAssertEqual(commits.commits, 1, "one transaction, not one per row")
        XCTAssertEqual(try f.store.historyLatest(), at)
        XCTAssertEqual(Set(try f.store.historyMetrics(unit: "s1")), Set(figures["s1"]!.values.keys))
    }
}
