import Foundation
import XCTest
@testable import CockpitCore

/// Checks a deadline against hand-computed values: the deadline day, the deadline instant written
/// out in ISO form (24:00 of the day = 00:00 of the next), the suspended working days and the flag.
private func check(_ d: CaseRules.Deadline, day: String, instant iso: String, suspended: Int = 0, outside: Bool = false,
                   file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(LocalTime.dayString(d.day), day, "deadline day", file: file, line: line)
    XCTAssertEqual(d.day, Fx.d(day), "deadline day number", file: file, line: line)
    XCTAssertEqual(LocalTime.iso(d.instant), iso, "deadline instant", file: file, line: line)
    XCTAssertEqual(d.instant, Fx.midnightAfter(day), "deadline instant = 24:00 of the day", file: file, line: line)
    XCTAssertEqual(d.suspendedWorkingDays, suspended, "suspended working days", file: file, line: line)
    XCTAssertEqual(d.outsideCalendar, outside, "outsideCalendar", file: file, line: line)
}

final class DeadlineTests: XCTestCase {
    let rules = CaseRules(calendar: Fx.cal2026)

    private func deadline(_ accepted: String, _ n: Int, _ suspensions: [ServiceCase.Suspension] = [],
                          openUntil: String? = nil, rules: CaseRules? = nil) -> CaseRules.Deadline {
        (rules ?? self.rules).deadline(acceptedAt: Fx.at(accepted), promisedDays: n, suspensions: suspensions,
                                       openUntil: openUntil.map(Fx.at))
    }

    // MARK: - Plain weeks

    func testOrdinaryWeek() {
        // Accepted Mon 2026-03-02 10:00, N=3: Tue 3 (1), Wed 4 (2), Thu 5 (3) → 2026-03-06T00:00+08:00.
        check(deadline("2026-03-02 10:00", 3), day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00")
    }

    func testOverAWeekend() {
        // Accepted Thu 2026-03-05 10:00, N=3: Fri 6 (1), Sat 7, Sun 8 off, Mon 9 (2), Tue 10 (3) → 2026-03-11T00:00.
        check(deadline("2026-03-05 10:00", 3), day: "2026-03-10", instant: "2026-03-11T00:00:00+08:00")
        // N=1 from Friday: Sat, Sun off → Mon 2026-03-09 → 2026-03-10T00:00.
        check(deadline("2026-03-06 16:00", 1), day: "2026-03-09", instant: "2026-03-10T00:00:00+08:00")
    }

    func testAcceptanceDayIsTakenFromLocalTime() {
        // Accepted Thu 2026-03-05 23:59:59, N=1: still Thursday → Fri 6 (1) → 2026-03-07T00:00.
        check(deadline("2026-03-05 23:59:59", 1), day: "2026-03-06", instant: "2026-03-07T00:00:00+08:00")
        // Accepted one second later, Fri 2026-03-06 00:00:00, N=1: Sat, Sun off → Mon 9 → 2026-03-10T00:00.
        check(deadline("2026-03-06 00:00", 1), day: "2026-03-09", instant: "2026-03-10T00:00:00+08:00")
        // 2026-03-05T16:00:00Z is Fri 2026-03-06 00:00 local: same as the line above.
        let d = rules.deadline(acceptedAt: LocalTime.parse("2026-03-05T16:00:00Z")!, promisedDays: 1, suspensions: [])
        check(d, day: "2026-03-09", instant: "2026-03-10T00:00:00+08:00")
    }

    // MARK: - Holidays and adjusted working days

    func testMidAutumnAndNationalDay2026() {
        // Accepted Thu 2026-09-24 10:00, N=3: Fri 25 holiday, Sat 26, Sun 27 holiday → Mon 28 (1), Tue 29 (2),
        // Wed 30 (3) → 2026-10-01T00:00+08:00.
        check(deadline("2026-09-24 10:00", 3), day: "2026-09-30", instant: "2026-10-01T00:00:00+08:00")
        // N=5: … Wed 30 (3), Oct 1–7 holiday, Thu 8 (4), Fri 9 (5) → 2026-10-10T00:00.
        check(deadline("2026-09-24 10:00", 5), day: "2026-10-09", instant: "2026-10-10T00:00:00+08:00")
        // N=6: … Sat 10-10 is 调休上班 (6) → 2026-10-11T00:00.
        check(deadline("2026-09-24 10:00", 6), day: "2026-10-10", instant: "2026-10-11T00:00:00+08:00")
        // N=7: Sun 10-11 off → Mon 12 (7) → 2026-10-13T00:00.
        check(deadline("2026-09-24 10:00", 7), day: "2026-10-12", instant: "2026-10-13T00:00:00+08:00")
    }

    func testAdjustedWorkingSundayBeforeNationalDay2026() {
        // Accepted Fri 2026-09-18 10:00, N=1: Sat 19 off, Sun 09-20 调休上班 (1) → 2026-09-21T00:00.
        check(deadline("2026-09-18 10:00", 1), day: "2026-09-20", instant: "2026-09-21T00:00:00+08:00")
    }

    func testSpringFestival2026() {
        // Accepted Thu 2026-02-12 09:00, N=3: Fri 13 (1), Sat 14 调休上班 (2), Sun 15 … Mon 23 holiday,
        // Tue 24 (3) → 2026-02-25T00:00.
        check(deadline("2026-02-12 09:00", 3), day: "2026-02-24", instant: "2026-02-25T00:00:00+08:00")
        // N=5: Wed 25 (4), Thu 26 (5) → 2026-02-27T00:00.
        check(deadline("2026-02-12 09:00", 5), day: "2026-02-26", instant: "2026-02-27T00:00:00+08:00")
        // N=7: Fri 27 (6), Sat 28 调休上班 (7) → 2026-03-01T00:00.
        check(deadline("2026-02-12 09:00", 7), day: "2026-02-28", instant: "2026-03-01T00:00:00+08:00")
        // N=8: Sun 03-01 off → Mon 03-02 (8) → 2026-03-03T00:00.
        check(deadline("2026-02-12 09:00", 8), day: "2026-03-02", instant: "2026-03-03T00:00:00+08:00")
    }

    func testSpringFestival2025() {
        let rules = CaseRules(calendar: Fx.cal2025)
        // Accepted Fri 2025-01-24 10:00, N=2: Sat 25 off, Sun 26 调休上班 (1), Mon 27 (2) → 2025-01-28T00:00.
        check(deadline("2025-01-24 10:00", 2, rules: rules), day: "2025-01-27", instant: "2025-01-28T00:00:00+08:00")
        // N=3: Jan 28 – Feb 4 holiday → Wed 02-05 (3) → 2025-02-06T00:00.
        check(deadline("2025-01-24 10:00", 3, rules: rules), day: "2025-02-05", instant: "2025-02-06T00:00:00+08:00")
        // N=6: Thu 6 (4), Fri 7 (5), Sat 02-08 调休上班 (6) → 2025-02-09T00:00.
        check(deadline("2025-01-24 10:00", 6, rules: rules), day: "2025-02-08", instant: "2025-02-09T00:00:00+08:00")
    }

    func testNationalDay2025() {
        let rules = CaseRules(calendar: Fx.cal2025)
        // Accepted Fri 2025-09-26 10:00, N=1: Sat 27 off, Sun 09-28 调休上班 (1) → 2025-09-29T00:00.
        check(deadline("2025-09-26 10:00", 1, rules: rules), day: "2025-09-28", instant: "2025-09-29T00:00:00+08:00")
        // N=3: Mon 29 (2), Tue 30 (3) → 2025-10-01T00:00.
        check(deadline("2025-09-26 10:00", 3, rules: rules), day: "2025-09-30", instant: "2025-10-01T00:00:00+08:00")
        // N=4: Oct 1–8 holiday → Thu 10-09 (4) → 2025-10-10T00:00.
        check(deadline("2025-09-26 10:00", 4, rules: rules), day: "2025-10-09", instant: "2025-10-10T00:00:00+08:00")
        // N=6: Fri 10 (5), Sat 10-11 调休上班 (6) → 2025-10-12T00:00.
        check(deadline("2025-09-26 10:00", 6, rules: rules), day: "2025-10-11", instant: "2025-10-12T00:00:00+08:00")
    }

    func testAcrossNewYear2025To2026() {
        let rules = CaseRules(calendar: Fx.cal2025and2026)
        // Accepted Wed 2025-12-31 15:00, N=2: Thu 01-01, Fri 02, Sat 03 holiday, Sun 01-04 调休上班 (1),
        // Mon 05 (2) → 2026-01-06T00:00; both years are covered.
        check(deadline("2025-12-31 15:00", 2, rules: rules), day: "2026-01-05", instant: "2026-01-06T00:00:00+08:00")
    }

    // MARK: - Acceptance on a non-working day

    func testAcceptedOnSaturday() {
        // Accepted Sat 2026-03-07 15:00, N=1: the Saturday is not counted, Sun 8 off, Mon 9 (1) → 2026-03-10T00:00.
        check(deadline("2026-03-07 15:00", 1), day: "2026-03-09", instant: "2026-03-10T00:00:00+08:00")
        // N=3: Tue 10 (2), Wed 11 (3) → 2026-03-12T00:00.
        check(deadline("2026-03-07 15:00", 3), day: "2026-03-11", instant: "2026-03-12T00:00:00+08:00")
    }

    func testAcceptedOnAHoliday() {
        // Accepted Thu 2026-10-01 11:00 (国庆), N=1: Oct 2–7 holiday → Thu 10-08 (1) → 2026-10-09T00:00.
        check(deadline("2026-10-01 11:00", 1), day: "2026-10-08", instant: "2026-10-09T00:00:00+08:00")
        // N=3: Fri 9 (2), Sat 10-10 调休上班 (3) → 2026-10-11T00:00.
        check(deadline("2026-10-01 11:00", 3), day: "2026-10-10", instant: "2026-10-11T00:00:00+08:00")
        // Accepted Tue 2026-02-17 (春节), N=1: Feb 18–23 holiday → Tue 02-24 (1) → 2026-02-25T00:00.
        check(deadline("2026-02-17 09:30", 1), day: "2026-02-24", instant: "2026-02-25T00:00:00+08:00")
    }

    func testAcceptedOnAnAdjustedWorkingSaturday() {
        // Accepted Sat 2026-02-28 10:00 (调休上班), N=1: Sun 03-01 off → Mon 03-02 (1) → 2026-03-03T00:00.
        check(deadline("2026-02-28 10:00", 1), day: "2026-03-02", instant: "2026-03-03T00:00:00+08:00")
    }

    // MARK: - N = 0 (即办件)

    func testZeroDaysEndsOnTheDayOfAcceptance() {
        // Accepted Wed 2026-03-04 16:30, N=0 → 24:00 of Wed → 2026-03-05T00:00.
        check(deadline("2026-03-04 16:30", 0), day: "2026-03-04", instant: "2026-03-05T00:00:00+08:00")
        // Accepted at 00:00:00 and at 23:59:59 of Mon 2026-03-02 → both 2026-03-03T00:00.
        check(deadline("2026-03-02 00:00", 0), day: "2026-03-02", instant: "2026-03-03T00:00:00+08:00")
        check(deadline("2026-03-02 23:59:59", 0), day: "2026-03-02", instant: "2026-03-03T00:00:00+08:00")
    }

    func testZeroDaysAcceptedOnSunday() {
        // Accepted Sun 2026-03-08 09:00, N=0 → the end of that Sunday (not Monday) → 2026-03-09T00:00.
        check(deadline("2026-03-08 09:00", 0), day: "2026-03-08", instant: "2026-03-09T00:00:00+08:00")
    }

    func testZeroDaysAcceptedOnAHoliday() {
        // Accepted Tue 2026-02-17 (春节), N=0 → end of that day → 2026-02-18T00:00.
        check(deadline("2026-02-17 11:00", 0), day: "2026-02-17", instant: "2026-02-18T00:00:00+08:00")
    }

    func testNegativePromisedDaysActLikeZero() {
        // N=−2 is clamped to 0: accepted Wed 2026-03-04 → 2026-03-05T00:00.
        check(deadline("2026-03-04 10:00", -2), day: "2026-03-04", instant: "2026-03-05T00:00:00+08:00")
    }

    // MARK: - Suspensions

    func testSuspensionOfOneWorkingDay() {
        // Accepted Mon 2026-03-02 10:00, N=3 → Thu 03-05. Suspended Tue 03-03 09:00 → Wed 03-04 09:00:
        // [Tue 3, Wed 4) = 1 working day → pushed to Fri 03-06 → 2026-03-07T00:00.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", "2026-03-04 09:00")]),
              day: "2026-03-06", instant: "2026-03-07T00:00:00+08:00", suspended: 1)
    }

    func testSuspensionStartingAndEndingTheSameDayCountsZero() {
        // Accepted Mon 2026-03-02 10:00, N=3 → Thu 03-05. Suspended Tue 03-03 09:00 → 17:00: [Tue 3, Tue 3) = 0.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", "2026-03-03 17:00")]),
              day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
        // Until 23:59:59 the same day: still 0.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", "2026-03-03 23:59:59")]),
              day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
        // Until 00:00 the next day: the resumption date is Wed 4 → [Tue 3, Wed 4) = 1 → Fri 03-06.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", "2026-03-04 00:00")]),
              day: "2026-03-06", instant: "2026-03-07T00:00:00+08:00", suspended: 1)
        // A zero-length suspension.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", "2026-03-03 09:00")]),
              day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
    }

    func testSuspensionSpanningMidAutumnAndNationalDay() {
        // Accepted Mon 2026-09-14 09:00, N=10: Tue 15 (1), Wed 16 (2), Thu 17 (3), Fri 18 (4), Sat 19 off,
        // Sun 20 调休上班 (5), Mon 21 (6), Tue 22 (7), Wed 23 (8), Thu 24 (9), Fri 25 holiday, Sat 26 off,
        // Sun 27 holiday, Mon 28 (10) → 2026-09-29T00:00 without the suspension.
        check(deadline("2026-09-14 09:00", 10), day: "2026-09-28", instant: "2026-09-29T00:00:00+08:00")
        // Suspended Wed 09-23 14:00 → Thu 10-08 10:00: [Sep 23, Oct 8) = Wed 23 (1), Thu 24 (2), Fri 25–Sun 27 off,
        // Mon 28 (3), Tue 29 (4), Wed 30 (5), Oct 1–7 holiday → 5 working days.
        // Pushed from Mon 28: Tue 29 (1), Wed 30 (2), Oct 1–7 off, Thu 8 (3), Fri 9 (4), Sat 10-10 调休上班 (5)
        // → 2026-10-11T00:00.
        check(deadline("2026-09-14 09:00", 10, [Fx.susp("2026-09-23 14:00", "2026-10-08 10:00")]),
              day: "2026-10-10", instant: "2026-10-11T00:00:00+08:00", suspended: 5)
    }

    func testSuspensionOnlyOverSpringFestivalHolidaysCountsZero() {
        // Accepted Thu 2026-02-12 09:00, N=3 → Tue 02-24 (see testSpringFestival2026). Suspended Sun 02-15 10:00 →
        // Tue 02-24 09:00: [Feb 15, Feb 24) are all holidays → 0 → unchanged, 2026-02-25T00:00.
        check(deadline("2026-02-12 09:00", 3, [Fx.susp("2026-02-15 10:00", "2026-02-24 09:00")]),
              day: "2026-02-24", instant: "2026-02-25T00:00:00+08:00", suspended: 0)
        // Suspended Fri 02-13 10:00 → Tue 02-24 09:00: Fri 13 (1), Sat 14 调休上班 (2), 15–23 holiday → 2.
        // Pushed from Tue 24: Wed 25 (1), Thu 26 (2) → 2026-02-27T00:00.
        check(deadline("2026-02-12 09:00", 3, [Fx.susp("2026-02-13 10:00", "2026-02-24 09:00")]),
              day: "2026-02-26", instant: "2026-02-27T00:00:00+08:00", suspended: 2)
    }

    func testSuspensionOverAWeekend() {
        // Accepted Thu 2026-03-05 10:00, N=3 → Tue 03-10. Suspended Sat 03-07 → Mon 03-09 09:00: Sat, Sun → 0.
        check(deadline("2026-03-05 10:00", 3, [Fx.susp("2026-03-07 10:00", "2026-03-09 09:00")]),
              day: "2026-03-10", instant: "2026-03-11T00:00:00+08:00", suspended: 0)
        // Suspended Fri 03-06 15:00 → Mon 03-09 09:00: Fri (1), Sat, Sun off → 1 → Wed 03-11 → 2026-03-12T00:00.
        check(deadline("2026-03-05 10:00", 3, [Fx.susp("2026-03-06 15:00", "2026-03-09 09:00")]),
              day: "2026-03-11", instant: "2026-03-12T00:00:00+08:00", suspended: 1)
    }

    func testSuspensionOnAnAdjustedWorkingSaturdayCounts() {
        // Accepted Thu 2026-02-26 09:00, N=2: Fri 27 (1), Sat 28 调休上班 (2) → 2026-03-01T00:00.
        check(deadline("2026-02-26 09:00", 2), day: "2026-02-28", instant: "2026-03-01T00:00:00+08:00")
        // Suspended Sat 02-28 10:00 → Mon 03-02 09:00: Sat 28 调休上班 (1), Sun 03-01 off → 1.
        // Pushed from Sat 28: Sun off, Mon 03-02 (1) → 2026-03-03T00:00.
        check(deadline("2026-02-26 09:00", 2, [Fx.susp("2026-02-28 10:00", "2026-03-02 09:00")]),
              day: "2026-03-02", instant: "2026-03-03T00:00:00+08:00", suspended: 1)
    }

    func testOpenSuspensionIsIgnoredWithoutOpenUntil() {
        // Accepted Mon 2026-03-02 10:00, N=3 → Thu 03-05; the open suspension from Tue 03-03 does not count.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", nil)]),
              day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
    }

    func testOpenSuspensionCountsUpToOpenUntil() {
        // Same case, open suspension from Tue 03-03 09:00 counted up to Mon 03-09 12:00:
        // [Tue 3, Mon 9) = Tue, Wed, Thu, Fri (4), Sat, Sun off → 4.
        // Pushed from Thu 5: Fri 6 (1), Mon 9 (2), Tue 10 (3), Wed 11 (4) → 2026-03-12T00:00.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", nil)], openUntil: "2026-03-09 12:00"),
              day: "2026-03-11", instant: "2026-03-12T00:00:00+08:00", suspended: 4)
        // openUntil on the suspension's own day: 0.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", nil)], openUntil: "2026-03-03 18:00"),
              day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
    }

    func testOpenUntilDoesNotStretchAClosedSuspension() {
        // Closed suspension [Tue 03-03, Wed 03-04) = 1, openUntil far away is for open ones only → Fri 03-06.
        check(deadline("2026-03-02 10:00", 3, [Fx.susp("2026-03-03 09:00", "2026-03-04 09:00")], openUntil: "2026-03-20 12:00"),
              day: "2026-03-06", instant: "2026-03-07T00:00:00+08:00", suspended: 1)
    }

    func testSeveralSuspensionsAroundLabourDay() {
        // Accepted Mon 2026-04-27 09:00, N=5: Tue 28 (1), Wed 29 (2), Thu 30 (3), May 1–5 holiday, Wed 6 (4),
        // Thu 7 (5) → 2026-05-08T00:00 without suspensions.
        check(deadline("2026-04-27 09:00", 5), day: "2026-05-07", instant: "2026-05-08T00:00:00+08:00")
        let s = [
            Fx.susp("2026-04-28 10:00", "2026-04-30 15:00"), // [Tue 28, Thu 30) = Tue, Wed → 2
            Fx.susp("2026-04-30 16:00", "2026-05-06 09:00"), // [Thu 30, Wed 6) = Thu 30; May 1–5 holiday → 1
            Fx.susp("2026-05-08 09:00", "2026-05-11 09:00"), // [Fri 8, Mon 11) = Fri 8, Sat 9 调休上班; Sun off → 2
            Fx.susp("2026-05-13 09:00", nil),                // open: ignored
        ]
        // 2 + 1 + 2 = 5, pushed from Thu 05-07: Fri 8 (1), Sat 9 调休上班 (2), Sun 10 off, Mon 11 (3), Tue 12 (4),
        // Wed 13 (5) → 2026-05-14T00:00.
        check(deadline("2026-04-27 09:00", 5, s), day: "2026-05-13", instant: "2026-05-14T00:00:00+08:00", suspended: 5)
    }

    func testOverlappingSuspensionsCountEachWorkingDayOnce() {
        // DESIGN §3: "pushed later by one working day for every working day on which the case was suspended".
        // Accepted Mon 2026-03-02 10:00, N=3 → Thu 03-05. Suspensions [Tue 03-03, Thu 03-05) and [Wed 03-04, Fri 03-06)
        // overlap on Wed: the case was suspended on Tue 3, Wed 4, Thu 5 = 3 working days (not 2 + 2 = 4).
        // Pushed from Thu 5: Fri 6 (1), Mon 9 (2), Tue 10 (3) → 2026-03-11T00:00.
        let s = [Fx.susp("2026-03-03 09:00", "2026-03-05 09:00"), Fx.susp("2026-03-04 09:00", "2026-03-06 09:00")]
        check(deadline("2026-03-02 10:00", 3, s), day: "2026-03-10", instant: "2026-03-11T00:00:00+08:00", suspended: 3)
    }

    // MARK: - Outside the calendar's years

    func testDeadlineInAnUncoveredYearUsesTheWeekdayRule() {
        // 2026-only calendar, accepted Mon 2027-03-01 10:00, N=3: Tue 2 (1), Wed 3 (2), Thu 4 (3) → 2027-03-05T00:00.
        check(deadline("2027-03-01 10:00", 3), day: "2027-03-04", instant: "2027-03-05T00:00:00+08:00", outside: true)
        // N=0 on Sat 2027-03-06 → 2027-03-07T00:00, flagged.
        check(deadline("2027-03-06 10:00", 0), day: "2027-03-06", instant: "2027-03-07T00:00:00+08:00", outside: true)
        // Accepted in 2025 (before the calendar): Wed 2025-10-01 is a real holiday but unknown here; N=1 → Thu 10-02.
        check(deadline("2025-10-01 10:00", 1), day: "2025-10-02", instant: "2025-10-03T00:00:00+08:00", outside: true)
    }

    func testDeadlineRunningPastTheLastCoveredYear() {
        // Accepted Wed 2026-12-30 10:00, N=3: Thu 31 (1), Fri 2027-01-01 (2, weekday rule), Sat, Sun off,
        // Mon 2027-01-04 (3) → 2027-01-05T00:00, flagged.
        check(deadline("2026-12-30 10:00", 3), day: "2027-01-04", instant: "2027-01-05T00:00:00+08:00", outside: true)
        // N=1 stays inside 2026 → Thu 12-31, not flagged.
        check(deadline("2026-12-30 10:00", 1), day: "2026-12-31", instant: "2027-01-01T00:00:00+08:00", outside: false)
    }

    func testAcceptedBeforeTheFirstCoveredYear() {
        // 2026-only calendar, accepted Wed 2025-12-31 15:00, N=2: Jan 1–3 holiday, Sun 01-04 调休上班 (1), Mon 5 (2).
        // Same day as with both years covered, but the acceptance day lies outside → flagged.
        check(deadline("2025-12-31 15:00", 2), day: "2026-01-05", instant: "2026-01-06T00:00:00+08:00", outside: true)
    }

    func testSuspensionOutsideTheCalendarSetsTheFlag() {
        // Accepted Mon 2026-12-21 09:00, N=3: Tue 22 (1), Wed 23 (2), Thu 24 (3). Suspended Mon 2027-01-04 →
        // Tue 2027-01-05: 1 working day by the weekday rule, in an uncovered year → pushed to Fri 12-25, flagged.
        check(deadline("2026-12-21 09:00", 3, [Fx.susp("2027-01-04 09:00", "2027-01-05 09:00")]),
              day: "2026-12-25", instant: "2026-12-26T00:00:00+08:00", suspended: 1, outside: true)
    }

    func testEmptyCalendarFlagsEverything() {
        let rules = CaseRules(calendar: WorkCalendar())
        // Accepted Mon 2026-03-02, N=3 → Thu 03-05 by the weekday rule, flagged.
        check(deadline("2026-03-02 10:00", 3, rules: rules), day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", outside: true)
    }

    func testInsideTheCalendarIsNotFlagged() {
        XCTAssertFalse(deadline("2026-03-02 10:00", 3).outsideCalendar)
        XCTAssertFalse(deadline("2026-09-14 09:00", 10, [Fx.susp("2026-09-23 14:00", "2026-10-08 10:00")]).outsideCalendar)
    }

    // MARK: - From a case

    func testDeadlineOfACompletedCaseCountsItsOpenSuspensionUntilCompletion() {
        // Accepted Mon 2026-03-02 10:00, N=3, suspended from Tue 03-03 09:00 and never resumed, completed
        // Mon 03-09 12:00: [Tue 3, Mon 9) = 4 working days → Thu 5 + 4 = Wed 03-11 → 2026-03-12T00:00.
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-03-02 10:00"), promisedDays: 3, status: .completed,
                               completedAt: Fx.at("2026-03-09 12:00"), suspensions: [Fx.susp("2026-03-03 09:00", nil)])
        check(rules.deadline(of: c), day: "2026-03-11", instant: "2026-03-12T00:00:00+08:00", suspended: 4)
    }

    func testDeadlineOfAnOpenSuspendedCaseIgnoresTheRunningSuspension() {
        // The same case still suspended: the open suspension is not counted → Thu 03-05 → 2026-03-06T00:00.
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-03-02 10:00"), promisedDays: 3, status: .suspended,
                               suspensions: [Fx.susp("2026-03-03 09:00", nil)])
        check(rules.deadline(of: c), day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
        // Even if a (stray) completion time is present, an open case does not use it.
        var c2 = c
        c2.completedAt = Fx.at("2026-03-09 12:00")
        check(rules.deadline(of: c2), day: "2026-03-05", instant: "2026-03-06T00:00:00+08:00", suspended: 0)
    }

    func testDeadlineOfAnInReviewCaseWithAResumedSuspension() {
        // Accepted Mon 2026-03-02 10:00, N=3, suspended [Tue 03-03, Wed 03-04) = 1 → Fri 03-06 → 2026-03-07T00:00.
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-03-02 10:00"), promisedDays: 3, status: .inReview,
                               suspensions: [Fx.susp("2026-03-03 09:00", "2026-03-04 09:00")])
        check(rules.deadline(of: c), day: "2026-03-06", instant: "2026-03-07T00:00:00+08:00", suspended: 1)
    }

    // MARK: - Completed late and days over

    func testCompletedLateBoundary() {
        // Deadline 2026-03-06T00:00 (accepted Mon 2026-03-02, N=3).
        let d = deadline("2026-03-02 10:00", 3)
        let end = Fx.at("2026-03-06 00:00")
        XCTAssertFalse(CaseRules.completedLate(completedAt: end - 1, deadline: d))   // Thu 23:59:59
        XCTAssertFalse(CaseRules.completedLate(completedAt: end, deadline: d))       // exactly 24:00
        XCTAssertTrue(CaseRules.completedLate(completedAt: end + 1, deadline: d))    // Fri 00:00:01
        XCTAssertFalse(CaseRules.completedLate(completedAt: Fx.at("2026-03-03 10:00"), deadline: d))
        XCTAssertTrue(CaseRules.completedLate(completedAt: Fx.at("2026-03-09 09:00"), deadline: d))
    }

    func testDaysOver() {
        // Deadline 2026-03-06T00:00 (accepted Mon 2026-03-02, N=3). Calendar days, a started day counts whole.
        let d = deadline("2026-03-02 10:00", 3)
        let end = Fx.at("2026-03-06 00:00")
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: Fx.at("2026-03-03 10:00")), 0)
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: end - 1), 0)
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: end), 0)
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: end + 1), 1)
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: end + 86_400), 1)          // Sat 03-07 00:00
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: end + 86_401), 2)
        // Mon 03-09 09:00 is 3 days 9 hours past → 4.
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: Fx.at("2026-03-09 09:00")), 4)
    }
}

final class LightTests: XCTestCase {
    let cal = Fx.cal2026
    var rules: CaseRules { CaseRules(calendar: cal) }

    private func light(_ status: ServiceCase.Status, accepted: String, n: Int, at: String,
                       suspensions: [ServiceCase.Suspension] = []) -> CaseLight {
        let c = Fx.serviceCase(acceptedAt: Fx.at(accepted), promisedDays: n, status: status,
                               completedAt: status.isOpen ? nil : Fx.at(at), suspensions: suspensions)
        return rules.light(of: c, deadline: rules.deadline(of: c), at: Fx.at(at))
    }

    private func light(deadlineDay: String, at: Int64) -> CaseLight {
        CaseRules.light(deadlineDay: Fx.d(deadlineDay), at: at, calendar: cal)
    }


    private func checkBoundaries(at: Int64, first: Int32, last: Int32, file: StaticString = #filePath, line: UInt = #line) {
        let b = LightBoundaries(at: at, calendar: cal)
        XCTAssertEqual(LocalTime.dayString(b.firstNotOverdueDay), LocalTime.dayString(first), "firstNotOverdueDay", file: file, line: line)
        XCTAssertEqual(LocalTime.dayString(b.lastWarningDay), LocalTime.dayString(last), "lastWarningDay", file: file, line: line)
    }

    // MARK: - The 24:00 boundary

    func testBoundarySecondsAroundTheDeadlinePerCase() {
        // Accepted Mon 2026-03-02 10:00, N=3 → deadline Thu 03-05 24:00 = 2026-03-06T00:00.
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-03-02 10:00"), promisedDays: 3, status: .inReview)
        let d = rules.deadline(of: c)
        XCTAssertEqual(d.instant, Fx.at("2026-03-06 00:00"))
        // deadline − 1 s (Thu 23:59:59): on the deadline's date → yellow.
        XCTAssertEqual(rules.light(of: c, deadline: d, at: d.instant - 1), .yellow)
        // deadline exactly (24:00): not yet past → still yellow.
        XCTAssertEqual(rules.light(of: c, deadline: d, at: d.instant), .yellow)
        // deadline + 1 s → red.
        XCTAssertEqual(rules.light(of: c, deadline: d, at: d.instant + 1), .red)
    }

    func testBoundarySecondsAroundTheDeadlineStatic() {
        let end = Fx.at("2026-03-06 00:00") // 24:00 of Thu 2026-03-05
        XCTAssertEqual(light(deadlineDay: "2026-03-05", at: end - 1), .yellow)
        XCTAssertEqual(light(deadlineDay: "2026-03-05", at: end), .yellow)
        XCTAssertEqual(light(deadlineDay: "2026-03-05", at: end + 1), .red)
        XCTAssertEqual(light(deadlineDay: "2026-03-05", at: end + 86_400 * 30), .red)
    }

    func testLightBoundariesAroundTheDeadline() {
        let end = Fx.at("2026-03-06 00:00") // 24:00 of Thu 2026-03-05
        // at = Thu 23:59:59: not overdue from Thu on; warning up to the next working day, Fri 03-06.
        checkBoundaries(at: end - 1, first: Fx.d("2026-03-05"), last: Fx.d("2026-03-06"))
        // at = Fri 00:00:00 (= 24:00 Thu): Thursday deadlines are not yet overdue; warning up to Mon 03-09.
        checkBoundaries(at: end, first: Fx.d("2026-03-05"), last: Fx.d("2026-03-09"))
        // at = Fri 00:00:01: Thursday deadlines are overdue.
        checkBoundaries(at: end + 1, first: Fx.d("2026-03-06"), last: Fx.d("2026-03-09"))
    }

    func testLightBoundariesBeforeHolidays() {
        // Thu 2026-09-24 10:00: the next working day is Mon 09-28 (Fri 25 中秋, Sat 26, Sun 27 holiday).
        checkBoundaries(at: Fx.at("2026-09-24 10:00"), first: Fx.d("2026-09-24"), last: Fx.d("2026-09-28"))
        // Wed 2026-09-30 16:00: next working day Thu 10-08.
        checkBoundaries(at: Fx.at("2026-09-30 16:00"), first: Fx.d("2026-09-30"), last: Fx.d("2026-10-08"))
        // Fri 2026-02-13 16:00: next working day is the 调休 Saturday 02-14.
        checkBoundaries(at: Fx.at("2026-02-13 16:00"), first: Fx.d("2026-02-13"), last: Fx.d("2026-02-14"))
    }

    // MARK: - Green / yellow / red

    func testGreenYellowRedThroughACase() {
        // Accepted Mon 2026-03-02 10:00, N=3 → deadline Thu 03-05 24:00.
        // Mon 10:00: next working day Tue < Thu → green.
        XCTAssertEqual(light(.accepted, accepted: "2026-03-02 10:00", n: 3, at: "2026-03-02 10:00"), .green)
        // Tue 23:59:59: next working day Wed < Thu → green.
        XCTAssertEqual(light(.accepted, accepted: "2026-03-02 10:00", n: 3, at: "2026-03-03 23:59:59"), .green)
        // Wed 00:00:00: next working day Thu = deadline → yellow.
        XCTAssertEqual(light(.accepted, accepted: "2026-03-02 10:00", n: 3, at: "2026-03-04 00:00"), .yellow)
        // Thu 12:00: deadline on at's date → yellow.
        XCTAssertEqual(light(.inReview, accepted: "2026-03-02 10:00", n: 3, at: "2026-03-05 12:00"), .yellow)
        // Mon 03-09 09:00: past → red.
        XCTAssertEqual(light(.inReview, accepted: "2026-03-02 10:00", n: 3, at: "2026-03-09 09:00"), .red)
    }

    func testYellowOnFridayForTheFirstWorkingDayAfterQingming() {
        // at Fri 2026-04-03 15:00; Sat 4, Sun 5, Mon 6 清明 → next working day Tue 04-07.
        // Accepted Tue 2026-03-31 09:00, N=4: Wed 04-01 (1), Thu 2 (2), Fri 3 (3), Tue 7 (4) → deadline Tue 04-07: yellow.
        XCTAssertEqual(light(.inReview, accepted: "2026-03-31 09:00", n: 4, at: "2026-04-03 15:00"), .yellow)
        // N=5 → Wed 04-08: beyond the next working day → green.
        XCTAssertEqual(light(.inReview, accepted: "2026-03-31 09:00", n: 5, at: "2026-04-03 15:00"), .green)
        // On Tue 04-07 09:00 the Wednesday deadline is the next working day → yellow.
        XCTAssertEqual(light(.inReview, accepted: "2026-03-31 09:00", n: 5, at: "2026-04-07 09:00"), .yellow)
    }

    func testYellowBeforeNationalDay() {
        // Accepted Mon 2026-09-28 09:00, N=3: Tue 29 (1), Wed 30 (2), Oct 1–7 holiday, Thu 10-08 (3).
        // at Wed 09-30 16:00: next working day is Thu 10-08 → yellow although 8 calendar days away.
        XCTAssertEqual(light(.accepted, accepted: "2026-09-28 09:00", n: 3, at: "2026-09-30 16:00"), .yellow)
        // N=4 → Fri 10-09 → green on Wed 09-30.
        XCTAssertEqual(light(.accepted, accepted: "2026-09-28 09:00", n: 4, at: "2026-09-30 16:00"), .green)
        // In the middle of the holiday (Sun 10-04) the Thursday deadline is still yellow, the Friday one green.
        XCTAssertEqual(light(.accepted, accepted: "2026-09-28 09:00", n: 3, at: "2026-10-04 12:00"), .yellow)
        XCTAssertEqual(light(.accepted, accepted: "2026-09-28 09:00", n: 4, at: "2026-10-04 12:00"), .green)
    }

    func testYellowOnTheAdjustedSaturdayBeforeSpringFestival() {
        // Accepted Thu 2026-02-12 09:00, N=3 → Tue 02-24 (Sat 14 调休 counted, 15–23 holiday).
        // at Fri 02-13 16:00: next working day Sat 02-14 < Tue 24 → green.
        XCTAssertEqual(light(.accepted, accepted: "2026-02-12 09:00", n: 3, at: "2026-02-13 16:00"), .green)
        // at Sat 02-14 10:00 (working): next working day Tue 02-24 → yellow.
        XCTAssertEqual(light(.accepted, accepted: "2026-02-12 09:00", n: 3, at: "2026-02-14 10:00"), .yellow)
        // N=4 → Wed 02-25 → green on Sat 14.
        XCTAssertEqual(light(.accepted, accepted: "2026-02-12 09:00", n: 4, at: "2026-02-14 10:00"), .green)
    }

    func testYellowOnAWeekendForMonday() {
        // Deadline Mon 03-09 (accepted Wed 2026-03-04, N=3: Thu 5, Fri 6, Mon 9); at Sat 03-07 → next working day Mon.
        XCTAssertEqual(light(.accepted, accepted: "2026-03-04 09:00", n: 3, at: "2026-03-07 10:00"), .yellow)
        // Deadline Tue 03-10 (N=4) → green on Saturday.
        XCTAssertEqual(light(.accepted, accepted: "2026-03-04 09:00", n: 4, at: "2026-03-07 10:00"), .green)
    }

    func testRedAcrossAHoliday() {
        // Accepted Mon 2026-09-21 09:00, N=3 → Thu 09-24; at Mon 09-28 09:00 → red, 3 d 9 h over → daysOver 4.
        XCTAssertEqual(light(.inReview, accepted: "2026-09-21 09:00", n: 3, at: "2026-09-28 09:00"), .red)
        let d = rules.deadline(acceptedAt: Fx.at("2026-09-21 09:00"), promisedDays: 3, suspensions: [])
        XCTAssertEqual(CaseRules.daysOver(deadline: d, at: Fx.at("2026-09-28 09:00")), 4)
    }

    func testZeroDayCaseLight() {
        // N=0 accepted Sun 2026-03-08 09:00 → deadline Sun 24:00: yellow that day, red from Mon 00:00:01.
        XCTAssertEqual(light(.accepted, accepted: "2026-03-08 09:00", n: 0, at: "2026-03-08 18:00"), .yellow)
        XCTAssertEqual(light(.accepted, accepted: "2026-03-08 09:00", n: 0, at: "2026-03-09 00:00"), .yellow)
        XCTAssertEqual(light(.accepted, accepted: "2026-03-08 09:00", n: 0, at: "2026-03-09 00:00:01"), .red)
    }

    // MARK: - Grey and closed

    func testSuspendedIsGreyEvenWhenOverdue() {
        let s = [Fx.susp("2026-03-03 09:00", nil)]
        XCTAssertEqual(light(.suspended, accepted: "2026-03-02 10:00", n: 3, at: "2026-03-04 10:00", suspensions: s), .grey)
        // Far past the deadline (the open suspension is not counted): still grey, not red.
        XCTAssertEqual(light(.suspended, accepted: "2026-03-02 10:00", n: 3, at: "2026-04-30 10:00", suspensions: s), .grey)
    }

    func testClosedCasesHaveNoLight() {
        for status in [ServiceCase.Status.completed, .rejected, .withdrawn] {
            // Even long after the deadline.
            XCTAssertEqual(light(status, accepted: "2026-03-02 10:00", n: 3, at: "2026-04-30 10:00"), .closed, status.rawValue)
        }
    }

    func testOpenStatuses() {
        XCTAssertEqual(ServiceCase.Status.allCases.filter(\.isOpen), [.accepted, .inReview, .suspended])
        XCTAssertEqual(ServiceCase.Status.inReview.rawValue, "in_review")
        XCTAssertEqual(ServiceCase.Status(rawValue: "in_review"), .inReview)
    }

    // MARK: - Outside the calendar

    func testLightOutsideTheCalendarUsesTheWeekdayRuleWithoutCrashing() {
        // Accepted Mon 2027-03-01 10:00, N=3 → Thu 2027-03-04 (weekday rule), flagged.
        let c = Fx.serviceCase(acceptedAt: Fx.at("2027-03-01 10:00"), promisedDays: 3, status: .accepted)
        let d = rules.deadline(of: c)
        XCTAssertTrue(d.outsideCalendar)
        XCTAssertEqual(d.day, Fx.d("2027-03-04"))
        // Tue 2027-03-02 12:00: next working day Wed < Thu → green; Wed 12:00 → yellow; Fri 00:00:01 → red.
        XCTAssertEqual(rules.light(of: c, deadline: d, at: Fx.at("2027-03-02 12:00")), .green)
        XCTAssertEqual(rules.light(of: c, deadline: d, at: Fx.at("2027-03-03 12:00")), .yellow)
        XCTAssertEqual(rules.light(of: c, deadline: d, at: Fx.at("2027-03-05 00:00:01")), .red)
        // Fri 2027-03-05 12:00: next working day by the weekday rule is Mon 03-08.
        XCTAssertEqual(LightBoundaries(at: Fx.at("2027-03-05 12:00"), calendar: cal).lastWarningDay, Fx.d("2027-03-08"))
    }

    // MARK: - Agreement between the per-case light, the static light and the instant rule

    func testStaticLightMatchesTheRuleForManyMoments() {
        // For deadline days over Sep–Oct 2026 and moments every 5 h 7 min plus the seconds around each midnight:
        // red ⇔ at > 24:00 of the deadline day; otherwise yellow ⇔ the deadline day ≤ the next working day after
        // at's date (computed here by a plain walk over the fixture lists); otherwise green.
        let holidays = Set(Fx.holidays2026.map(Fx.d)), workdays = Set(Fx.workdays2026.map(Fx.d))
        func working(_ d: Int32) -> Bool {
            if workdays.contains(d) { return true }
            if holidays.contains(d) { return false }
            let wd = Fx.utc8.component(.weekday, from: Date(timeIntervalSince1970: TimeInterval(Int64(d) * 86_400 - 28_800 + 43_200)))
            return wd != 1 && wd != 7
        }
        func nextWorking(_ d: Int32) -> Int32 { var x = d + 1; while !working(x) { x += 1 }; return x }

        var moments: [Int64] = []
        var t = Fx.at("2026-09-15 00:00")
        while t < Fx.at("2026-10-20 00:00") { moments.append(t); t += 5 * 3600 + 7 * 60 }
        for day in Fx.d("2026-09-15")...Fx.d("2026-10-20") {
            let m = Int64(day) * 86_400 - 28_800
            moments += [m - 1, m, m + 1]
        }
        var seen: [CaseLight: Int] = [:]
        for dl in Fx.d("2026-09-18")...Fx.d("2026-10-15") {
            let end = Int64(dl + 1) * 86_400 - 28_800
            for at in moments {
                let atDay = Int32((at + 28_800) / 86_400)
                let expected: CaseLight = at > end ? .red : (dl <= nextWorking(atDay) ? .yellow : .green)
                let got = CaseRules.light(deadlineDay: dl, at: at, calendar: cal)
                seen[got, default: 0] += 1
                if got != expected {
                    return XCTFail("deadline day \(LocalTime.dayString(dl)), at \(LocalTime.iso(at)): \(got), expected \(expected)")
                }
            }
        }
        XCTAssertGreaterThan(seen[.red] ?? 0, 0)
        XCTAssertGreaterThan(seen[.yellow] ?? 0, 0)
        XCTAssertGreaterThan(seen[.green] ?? 0, 0)
    }

    func testPerCaseLightEqualsStaticLightForRunningCases() {
        for n in [0, 1, 3, 5, 10] {
            for status in [ServiceCase.Status.accepted, .inReview] {
                let c = Fx.serviceCase(acceptedAt: Fx.at("2026-09-21 09:00"), promisedDays: n, status: status)
                let d = rules.deadline(of: c)
                var at = Fx.at("2026-09-21 09:00")
                while at < Fx.at("2026-10-20 00:00") {
                    XCTAssertEqual(rules.light(of: c, deadline: d, at: at),
                                   CaseRules.light(deadlineDay: d.day, at: at, calendar: cal), "N=\(n) at \(LocalTime.iso(at))")
                    at += 7 * 3600 + 13
                }
            }
        }
    }
}

final class SuspensionListTests: XCTestCase {
    func testParseList() throws {
        let list = try ServiceCase.Suspension.parseList("2026-03-03T09:00/2026-03-04T09:00;2026-03-10T09:00/").get()
        XCTAssertEqual(list, [Fx.susp("2026-03-03 09:00", "2026-03-04 09:00"), Fx.susp("2026-03-10 09:00", nil)])
    }

    func testParseListWithOffsetsAndEmptyParts() throws {
        // 01:00Z = 09:00 local.
        let list = try ServiceCase.Suspension.parseList(";2026-03-03T01:00:00Z/2026-03-04T09:00:00+08:00;;").get()
        XCTAssertEqual(list, [Fx.susp("2026-03-03 09:00", "2026-03-04 09:00")])
        XCTAssertEqual(try ServiceCase.Suspension.parseList("").get(), [])
        XCTAssertEqual(try ServiceCase.Suspension.parseList(" ; ").get(), [])
    }

    func testParseListErrors() {
        for text in ["2026-03-03T09:00", "x/2026-03-04T09:00", "2026-03-03T09:00/tomorrow",
                     "2026-03-04T09:00/2026-03-03T09:00", "2026-02-30T09:00/"] {
            if case .success(let l) = ServiceCase.Suspension.parseList(text) {
                XCTFail("'\(text)' parsed as \(l)")
            }
        }
        guard case .failure(let e) = ServiceCase.Suspension.parseList("2026-03-04T09:00/2026-03-03T09:00") else {
            return XCTFail("a suspension ending before it starts must be refused")
        }
        XCTAssertTrue(e.message.contains("ends before it starts"), e.message)
    }

    func testZeroLengthSuspensionIsAccepted() throws {
        XCTAssertEqual(try ServiceCase.Suspension.parseList("2026-03-03T09:00/2026-03-03T09:00").get(),
                       [Fx.susp("2026-03-03 09:00", "2026-03-03 09:00")])
    }

    func testParseListToleratesSpacesAroundTheSlash() throws {
        // The end half is trimmed of spaces; the start half must be too.
        let list = try ServiceCase.Suspension.parseList(" 2026-03-03T09:00 / 2026-03-04T09:00 ; 2026-03-10T09:00 / ").get()
        XCTAssertEqual(list, [Fx.susp("2026-03-03 09:00", "2026-03-04 09:00"), Fx.susp("2026-03-10 09:00", nil)])
    }

    func testFormatRoundTrip() throws {
        let list = [Fx.susp("2026-03-03 09:00", "2026-03-04 09:30:15"), Fx.susp("2026-03-10 09:00", nil)]
        let text = ServiceCase.Suspension.format(list)
        XCTAssertEqual(text, "2026-03-03T09:00:00+08:00/2026-03-04T09:30:15+08:00;2026-03-10T09:00:00+08:00/")
        XCTAssertEqual(try ServiceCase.Suspension.parseList(text).get(), list)
        XCTAssertEqual(ServiceCase.Suspension.format([]), "")
    }
}
