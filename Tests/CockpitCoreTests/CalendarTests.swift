import Foundation
import XCTest
@testable import CockpitCore

final class CalendarTests: XCTestCase {
    let cal = Fx.cal2026

    // MARK: - Working days

    func testOrdinaryWeekdaysAndWeekends() {
        // Week of Mon 2026-03-02: Mon–Fri on, Sat 7 / Sun 8 off (no calendar entry involved).
        for s in ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"] {
            XCTAssertTrue(cal.isWorkingDay(Fx.d(s)), s)
        }
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2026-03-07")), "Saturday")
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2026-03-08")), "Sunday")
    }

    func testPublicHolidaysAreOff() {
        // Weekday holidays: 元旦 Thu 01-01, 春节 Mon 02-16 … Mon 02-23, 清明 Mon 04-06, 劳动节 Mon 05-04,
        // 端午 Fri 06-19, 中秋 Fri 09-25, 国庆 Thu 10-01 … Wed 10-07.
        for s in ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-20", "2026-02-23", "2026-04-06",
                  "2026-05-01", "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-01",
                  "2026-10-05", "2026-10-07"] {
            XCTAssertFalse(cal.isWorkingDay(Fx.d(s)), s)
        }
        // A holiday on a weekend stays off.
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2026-10-03")), "Sat 10-03 holiday")
        // The day after Spring Festival and after National Day are ordinary working days.
        XCTAssertTrue(cal.isWorkingDay(Fx.d("2026-02-24")), "Tue 02-24")
        XCTAssertTrue(cal.isWorkingDay(Fx.d("2026-10-08")), "Thu 10-08")
    }

    func testAdjustedWorkingWeekendsAreOn() {
        // 调休上班 weekends: Sun 01-04, Sat 02-14, Sat 02-28, Sat 05-09, Sun 09-20, Sat 10-10.
        for s in Fx.workdays2026 {
            let d = Fx.d(s)
            XCTAssertGreaterThanOrEqual(LocalTime.weekday(d), 5, "\(s) should be a weekend day")
            XCTAssertTrue(cal.isWorkingDay(d), s)
        }
        // Their neighbouring weekend days stay off: Sun 03-01, Sun 10-11, Sat 01-03 (holiday).
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2026-03-01")))
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2026-10-11")))
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2026-01-03")))
    }

    func test2025Calendar() {
        let c = Fx.cal2025
        XCTAssertFalse(c.isWorkingDay(Fx.d("2025-01-01")))   // Wed 元旦
        XCTAssertTrue(c.isWorkingDay(Fx.d("2025-01-26")))    // Sun 调休
        XCTAssertFalse(c.isWorkingDay(Fx.d("2025-01-28")))   // Tue 除夕
        XCTAssertFalse(c.isWorkingDay(Fx.d("2025-02-04")))   // Tue, last day of 春节
        XCTAssertTrue(c.isWorkingDay(Fx.d("2025-02-05")))    // Wed
        XCTAssertTrue(c.isWorkingDay(Fx.d("2025-02-08")))    // Sat 调休
        XCTAssertTrue(c.isWorkingDay(Fx.d("2025-04-27")))    // Sun 调休
        XCTAssertFalse(c.isWorkingDay(Fx.d("2025-06-02")))   // Mon 端午
        XCTAssertTrue(c.isWorkingDay(Fx.d("2025-09-28")))    // Sun 调休
        XCTAssertFalse(c.isWorkingDay(Fx.d("2025-10-08")))   // Wed, last day of 国庆
        XCTAssertTrue(c.isWorkingDay(Fx.d("2025-10-11")))    // Sat 调休
        XCTAssertFalse(c.isWorkingDay(Fx.d("2025-10-12")))   // Sun
    }

    func testLaterEntryForTheSameDayWins() {
        var c = WorkCalendar()
        let sat = Fx.d("2026-03-07")
        c.add(day: sat, kind: .holiday)
        c.add(day: sat, kind: .workday)
        XCTAssertTrue(c.isWorkingDay(sat))
        XCTAssertEqual(c.holidays, [])
        XCTAssertEqual(c.workdays, [sat])
        let mon = Fx.d("2026-03-02")
        c.add(day: mon, kind: .workday)
        c.add(day: mon, kind: .holiday)
        XCTAssertFalse(c.isWorkingDay(mon))
        XCTAssertEqual(c.holidays, [mon])
    }

    // MARK: - Coverage

    func testCoversTheYearsOfItsEntries() {
        XCTAssertEqual(cal.years, [2026])
        XCTAssertTrue(cal.covers(Fx.d("2026-01-01")))
        XCTAssertTrue(cal.covers(Fx.d("2026-12-31")))
        XCTAssertFalse(cal.covers(Fx.d("2025-12-31")))
        XCTAssertFalse(cal.covers(Fx.d("2027-01-01")))
        XCTAssertEqual(Fx.cal2025and2026.years, [2025, 2026])
        XCTAssertFalse(WorkCalendar().covers(Fx.d("2026-03-02")))
    }

    func testCoverYearWithoutEntries() {
        var c = WorkCalendar()
        c.cover(year: 2030)
        XCTAssertTrue(c.covers(Fx.d("2030-06-01")))
        XCTAssertFalse(c.covers(Fx.d("2031-01-01")))
        var outside = false
        // Tue 2030-01-01 + 1 working day → Wed 01-02, covered: no flag.
        XCTAssertEqual(c.workingDay(1, after: Fx.d("2030-01-01"), outside: &outside), Fx.d("2030-01-02"))
        XCTAssertFalse(outside)
    }

    func testOutsideYearsUseTheWeekdayRule() {
        // 2027 is not in the 2026 calendar: Fri 2027-01-01 (a real holiday) is answered by the weekday rule.
        XCTAssertTrue(cal.isWorkingDay(Fx.d("2027-01-01")))
        XCTAssertFalse(cal.isWorkingDay(Fx.d("2027-01-02"))) // Saturday
        // 2025's National Day is not known to a 2026-only calendar either.
        XCTAssertTrue(cal.isWorkingDay(Fx.d("2025-10-08")))  // Wednesday
    }

    // MARK: - Walking

    func testWorkingDayZeroIsTheDayItself() {
        var outside = false
        XCTAssertEqual(cal.workingDay(0, after: Fx.d("2026-03-08"), outside: &outside), Fx.d("2026-03-08")) // a Sunday
        XCTAssertEqual(cal.workingDay(0, after: Fx.d("2026-10-01"), outside: &outside), Fx.d("2026-10-01")) // a holiday
        XCTAssertFalse(outside)
        XCTAssertEqual(cal.workingDay(0, after: Fx.d("2027-03-01"), outside: &outside), Fx.d("2027-03-01"))
        XCTAssertTrue(outside, "the day itself lies outside the calendar")
    }

    func testWorkingDayAcrossSpringFestival() {
        var outside = false
        let fri = Fx.d("2026-02-13")
        // Fri 02-13: Sat 02-14 is a 调休 working day (1); Sun 15 … Mon 23 holiday; Tue 24 (2); Wed 25 (3).
        XCTAssertEqual(cal.workingDay(1, after: fri, outside: &outside), Fx.d("2026-02-14"))
        XCTAssertEqual(cal.workingDay(2, after: fri, outside: &outside), Fx.d("2026-02-24"))
        XCTAssertEqual(cal.workingDay(3, after: fri, outside: &outside), Fx.d("2026-02-25"))
        XCTAssertFalse(outside)
    }

    func testWorkingDayAcrossNationalDay() {
        var outside = false
        // Wed 09-30 + 1: Oct 1–7 holiday → Thu 10-08; + 3: Fri 9 (2), Sat 10 调休 (3); + 4: Sun 11 off → Mon 12.
        let wed = Fx.d("2026-09-30")
        XCTAssertEqual(cal.workingDay(1, after: wed, outside: &outside), Fx.d("2026-10-08"))
        XCTAssertEqual(cal.workingDay(3, after: wed, outside: &outside), Fx.d("2026-10-10"))
        XCTAssertEqual(cal.workingDay(4, after: wed, outside: &outside), Fx.d("2026-10-12"))
        XCTAssertFalse(outside)
    }

    func testWorkingDayIntoAnUncoveredYearSetsOutside() {
        var outside = false
        // Wed 2026-12-30 + 2: Thu 31 (1), Fri 2027-01-01 (2, weekday rule) → flagged.
        XCTAssertEqual(cal.workingDay(2, after: Fx.d("2026-12-30"), outside: &outside), Fx.d("2027-01-01"))
        XCTAssertTrue(outside)
        var outside2 = false
        // + 1 stays in 2026 → not flagged.
        XCTAssertEqual(cal.workingDay(1, after: Fx.d("2026-12-30"), outside: &outside2), Fx.d("2026-12-31"))
        XCTAssertFalse(outside2)
    }

    func testWorkingDaysInHalfOpenRange() {
        var outside = false
        // [Mon 09-28, Mon 10-12): Mon 28, Tue 29, Wed 30 (3); Oct 1–7 off; Thu 8, Fri 9 (5); Sat 10 调休 (6); Sun 11 off.
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-09-28"), to: Fx.d("2026-10-12"), outside: &outside), 6)
        // [Mon 03-02, Mon 03-09): five ordinary weekdays.
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-03-02"), to: Fx.d("2026-03-09"), outside: &outside), 5)
        // The end is exclusive: [Mon, Tue) = 1, [Mon, Mon) = 0.
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-03-02"), to: Fx.d("2026-03-03"), outside: &outside), 1)
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-03-02"), to: Fx.d("2026-03-02"), outside: &outside), 0)
        // A reversed range counts nothing.
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-03-09"), to: Fx.d("2026-03-02"), outside: &outside), 0)
        // Spring Festival [Sat 02-14, Wed 02-25): Sat 14 调休 (1), 15–23 off, Tue 24 (2).
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-02-14"), to: Fx.d("2026-02-25"), outside: &outside), 2)
        XCTAssertFalse(outside)
    }

    func testWorkingDaysOutsideSetsFlag() {
        var outside = false
        // [Mon 2026-12-28, Tue 2027-01-05): Mon–Thu 28–31 (4), Fri 01-01 (5, weekday rule), Mon 01-04 (6).
        XCTAssertEqual(cal.workingDays(from: Fx.d("2026-12-28"), to: Fx.d("2027-01-05"), outside: &outside), 6)
        XCTAssertTrue(outside)
    }

    func testNextWorkingDay() {
        // Thu 09-24 → Fri 25 holiday, Sat 26, Sun 27 holiday → Mon 09-28.
        XCTAssertEqual(cal.nextWorkingDay(after: Fx.d("2026-09-24")), Fx.d("2026-09-28"))
        // Fri 03-06 → Mon 03-09.
        XCTAssertEqual(cal.nextWorkingDay(after: Fx.d("2026-03-06")), Fx.d("2026-03-09"))
        // Fri 02-13 → Sat 02-14 (调休).
        XCTAssertEqual(cal.nextWorkingDay(after: Fx.d("2026-02-13")), Fx.d("2026-02-14"))
        // Sat 02-14 → Tue 02-24 (Spring Festival in between).
        XCTAssertEqual(cal.nextWorkingDay(after: Fx.d("2026-02-14")), Fx.d("2026-02-24"))
        // Sat 10-03 (holiday) → Thu 10-08.
        XCTAssertEqual(cal.nextWorkingDay(after: Fx.d("2026-10-03")), Fx.d("2026-10-08"))
        // Mon → Tue.
        XCTAssertEqual(cal.nextWorkingDay(after: Fx.d("2026-03-02")), Fx.d("2026-03-03"))
    }

    // MARK: - The shipped calendar files (the one test that reads files)

    func testLoadingSampleCalendarsThroughCSVReader() throws {
        let sample = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleData")
        var loaded = WorkCalendar()
        var count = 0
        for year in [2025, 2026] {
            let reader = try CSVReader(path: sample.appendingPathComponent("calendar-\(year).csv").path)
            defer { reader.close() }
            var header: [String]? = nil
            try reader.forEachRow { row in
                XCTAssertNil(row.error, "line \(row.line)")
                guard header != nil else { header = row.fields; return true }
                guard row.fields.count == 2,
                      let day = LocalTime.parseDay(row.fields[0]),
                      let kind = WorkCalendar.Kind(rawValue: row.fields[1]) else {
                    XCTFail("calendar-\(year).csv line \(row.line): \(row.raw)")
                    return true
                }
                XCTAssertEqual(LocalTime.civil(day).year, year, "line \(row.line)")
                loaded.add(day: day, kind: kind)
                count += 1
                return true
            }
            XCTAssertEqual(header, ["date", "kind"])
        }
        // 2025: 28 holidays + 5 workdays; 2026: 33 holidays + 6 workdays.
        XCTAssertEqual(count, 33 + 39)
        XCTAssertEqual(loaded.years, [2025, 2026])
        // The files say exactly what the in-code fixtures say.
        XCTAssertEqual(loaded, Fx.cal2025and2026)
        // A few known days.
        XCTAssertFalse(loaded.isWorkingDay(Fx.d("2026-02-17")))  // Tue, 春节
        XCTAssertTrue(loaded.isWorkingDay(Fx.d("2026-02-14")))   // Sat, 调休上班
        XCTAssertTrue(loaded.isWorkingDay(Fx.d("2026-01-04")))   // Sun, 调休上班
        XCTAssertFalse(loaded.isWorkingDay(Fx.d("2026-10-07")))  // Wed, 国庆
        XCTAssertTrue(loaded.isWorkingDay(Fx.d("2026-10-10")))   // Sat, 调休上班
        XCTAssertFalse(loaded.isWorkingDay(Fx.d("2025-01-31")))  // Fri, 春节
        XCTAssertTrue(loaded.isWorkingDay(Fx.d("2025-02-08")))   // Sat, 调休上班
        XCTAssertFalse(loaded.isWorkingDay(Fx.d("2025-10-08")))  // Wed, 国庆
        XCTAssertTrue(loaded.isWorkingDay(Fx.d("2025-03-05")))   // ordinary Wednesday
    }
}
