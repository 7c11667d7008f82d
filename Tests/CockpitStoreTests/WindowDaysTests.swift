import CockpitCore
@testable import CockpitStore
import XCTest

/// Which part of a window is read from the per-day roll-ups and which from raw rows.
final class WindowDaysTests: XCTestCase {
    let t = { (s: String) in LocalTime.parse(s)! }

    func testTodayIsRawWhileRecordsLieAfterAt() {
        let at = t("2026-11-20T17:00:00+08:00")
        let days = WindowDays(since: t("2026-11-01T00:00:00+08:00"), at: at)
            .closingToday(at: at, latest: t("2026-11-20T17:30:00+08:00"))
        XCTAssertEqual(days.fullDays, LocalTime.day(of: t("2026-11-01T00:00:00+08:00"))...(LocalTime.day(of: at) - 1))
        XCTAssertEqual(days.rawRanges, [t("2026-11-20T00:00:00+08:00")...at])
    }

    func testTodayFromTheRollupWhenNothingLiesAfterAt() {
        let at = t("2026-11-20T17:00:00+08:00")
        let from = t("2026-11-01T00:00:00+08:00")
        let days = WindowDays(since: from, at: at).closingToday(at: at, latest: t("2026-11-20T16:59:59+08:00"))
        XCTAssertEqual(days.fullDays, LocalTime.day(of: from)...LocalTime.day(of: at))
        XCTAssertEqual(days.rawRanges, [])
        // A window of today alone (the hall's and sharing's default) becomes today's roll-up row.
        let today = WindowDays(since: t("2026-11-20T00:00:00+08:00"), at: at).closingToday(at: at, latest: at)
        XCTAssertEqual(today.fullDays, LocalTime.day(of: at)...LocalTime.day(of: at))
        XCTAssertEqual(today.rawRanges, [])
    }

    func testARaggedStartStaysRaw() {
        let at = t("2026-11-20T17:00:00+08:00")
        let since = t("2026-11-20T08:30:00+08:00")
        // The window starts inside today: the roll-up row holds the whole day, so it cannot serve.
        let days = WindowDays(since: since, at: at).closingToday(at: at, latest: since)
        XCTAssertNil(days.fullDays)
        XCTAssertEqual(days.rawRanges, [since...at])
        // No record at all: nothing to close.
        XCTAssertEqual(WindowDays(since: since, at: at).closingToday(at: at, latest: nil).rawRanges, [since...at])
    }
}
