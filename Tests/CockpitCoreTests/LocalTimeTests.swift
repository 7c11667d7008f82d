import XCTest
@testable import CockpitCore

final class LocalTimeTests: XCTestCase {

    // MARK: - Day numbers and instants (absolute facts)

    func testKnownDayNumbers() {
        // Days since 1970-01-01 (computed with Python's datetime.date arithmetic).
        XCTAssertEqual(LocalTime.dayNumber(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(LocalTime.dayNumber(year: 1969, month: 12, day: 31), -1)
        XCTAssertEqual(LocalTime.dayNumber(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertEqual(LocalTime.dayNumber(year: 2026, month: 1, day: 1), 20_454) // 56·365 + 14 leap days
        XCTAssertEqual(LocalTime.dayNumber(year: 2026, month: 10, day: 1), 20_727)
        XCTAssertEqual(LocalTime.dayNumber(year: 1900, month: 1, day: 1), -25_567)
        XCTAssertEqual(LocalTime.dayNumber(year: 2100, month: 12, day: 31), 47_846)
    }

    func testStartOfDayIsLocalMidnight() {
        // `date -d 2026-01-01T00:00:00+08:00 +%s` = 1767196800 = 20454·86400 − 8·3600.
        XCTAssertEqual(LocalTime.startOf(day: 20_454), 1_767_196_800)
        XCTAssertEqual(LocalTime.startOf(day: 0), -28_800)          // 1970-01-01 00:00+08:00 = 1969-12-31 16:00Z
        XCTAssertEqual(LocalTime.startOf(day: -1), -28_800 - 86_400)
    }

    func testDayOfInstantAroundMidnight() {
        let midnight = Fx.at("2026-03-02 00:00")                    // Mon 2026-03-02 00:00+08:00
        XCTAssertEqual(LocalTime.day(of: midnight), Fx.d("2026-03-02"))
        XCTAssertEqual(LocalTime.day(of: midnight - 1), Fx.d("2026-03-01")) // 23:59:59 the day before
        XCTAssertEqual(LocalTime.day(of: midnight + 86_399), Fx.d("2026-03-02"))
        XCTAssertEqual(LocalTime.day(of: midnight + 86_400), Fx.d("2026-03-03"))
        // 16:00Z is already the next local day: 2026-03-01T16:00Z = 2026-03-02T00:00+08:00.
        XCTAssertEqual(LocalTime.day(of: midnight - 1), LocalTime.day(of: midnight) - 1)
    }

    func testDayOfNegativeInstants() {
        // t = 0 is 1970-01-01 08:00 local → day 0; t = −28800 is 00:00 local → day 0;
        // one second earlier is 1969-12-31 23:59:59 local → day −1.
        XCTAssertEqual(LocalTime.day(of: 0), 0)
        XCTAssertEqual(LocalTime.day(of: -28_800), 0)
        XCTAssertEqual(LocalTime.day(of: -28_801), -1)
        XCTAssertEqual(LocalTime.day(of: -28_800 - 86_400), -1)   // 1969-12-31 00:00 local
        XCTAssertEqual(LocalTime.day(of: -28_801 - 86_400), -2)   // 1969-12-30 23:59:59 local
    }

    func testCivilRoundTripAndContinuity1900To2100() {
        var expected = LocalTime.dayNumber(year: 1900, month: 1, day: 1)
        for year in 1900...2100 {
            for month in 1...12 {
                for day in 1...LocalTime.daysIn(month: month, year: year) {
                    let n = LocalTime.dayNumber(year: year, month: month, day: day)
                    guard n == expected else {
                        return XCTFail("\(year)-\(month)-\(day) is day \(n), expected \(expected) (one after the previous date)")
                    }
                    let c = LocalTime.civil(n)
                    guard c.year == year, c.month == month, c.day == day else {
                        return XCTFail("civil(\(n)) = \(c), expected \(year)-\(month)-\(day)")
                    }
                    expected += 1
                }
            }
        }
        // 1900-01-01 … 2100-12-31 inclusive: 201 years, 49 leap years (1904…2096 every 4th; 2000 yes, 1900/2100 no).
        XCTAssertEqual(expected - LocalTime.dayNumber(year: 1900, month: 1, day: 1), 201 * 365 + 49)
    }

    func testDayNumbersAgreeWithFoundation() {
        for s in ["2025-01-28", "2025-10-08", "2026-02-14", "2026-12-31", "2000-02-29", "1969-07-20"] {
            let p = s.split(separator: "-").map { Int($0)! }
            XCTAssertEqual(LocalTime.dayNumber(year: p[0], month: p[1], day: p[2]), Fx.d(s), s)
        }
    }

    func testDaysInMonth() {
        XCTAssertEqual(LocalTime.daysIn(month: 2, year: 2026), 28)
        XCTAssertEqual(LocalTime.daysIn(month: 2, year: 2024), 29)
        XCTAssertEqual(LocalTime.daysIn(month: 2, year: 2000), 29) // divisible by 400
        XCTAssertEqual(LocalTime.daysIn(month: 2, year: 1900), 28) // divisible by 100 only
        XCTAssertEqual(LocalTime.daysIn(month: 2, year: 2100), 28)
        XCTAssertEqual(LocalTime.daysIn(month: 4, year: 2026), 30)
        XCTAssertEqual(LocalTime.daysIn(month: 9, year: 2026), 30)
        XCTAssertEqual(LocalTime.daysIn(month: 12, year: 2026), 31)
        XCTAssertEqual(LocalTime.daysIn(month: 1, year: 2026), 31)
    }

    // MARK: - Weekday

    func testWeekdayOfKnownDates() {
        // 0 = Monday … 6 = Sunday.
        XCTAssertEqual(LocalTime.weekday(0), 3)                        // 1970-01-01 Thursday
        XCTAssertEqual(LocalTime.weekday(-1), 2)                       // 1969-12-31 Wednesday
        XCTAssertEqual(LocalTime.weekday(-7), 3)                       // 1969-12-25 Thursday
        XCTAssertEqual(LocalTime.weekday(Fx.d("2025-01-01")), 2)       // Wednesday
        XCTAssertEqual(LocalTime.weekday(Fx.d("2025-01-26")), 6)       // Sunday (调休上班)
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-01-01")), 3)       // Thursday
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-01-04")), 6)       // Sunday (调休上班)
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-02-14")), 5)       // Saturday (调休上班)
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-02-17")), 1)       // Tuesday, 春节 day 1
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-03-02")), 0)       // Monday
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-09-25")), 4)       // Friday, 中秋
        XCTAssertEqual(LocalTime.weekday(Fx.d("2026-10-01")), 3)       // Thursday, 国庆
        XCTAssertEqual(LocalTime.weekday(Fx.d("2000-02-29")), 1)       // Tuesday
    }

    func testWeekdayAgreesWithFoundationForAYear() {
        for n in Fx.d("2026-01-01")...Fx.d("2026-12-31") {
            let date = Date(timeIntervalSince1970: TimeInterval(Int64(n) * 86_400 - 28_800 + 43_200)) // local noon
            let foundation = Fx.utc8.component(.weekday, from: date) // 1 = Sunday … 7 = Saturday
            XCTAssertEqual(LocalTime.weekday(n), (foundation + 5) % 7, LocalTime.dayString(n))
        }
    }

    // MARK: - Formatting

    func testDayString() {
        XCTAssertEqual(LocalTime.dayString(Fx.d("2026-03-02")), "2026-03-02")
        XCTAssertEqual(LocalTime.dayString(0), "1970-01-01")
        XCTAssertEqual(LocalTime.dayString(-1), "1969-12-31")
        XCTAssertEqual(LocalTime.dayString(Fx.d("2026-12-31")), "2026-12-31")
        XCTAssertEqual(LocalTime.dayString(Fx.d("2000-02-29")), "2000-02-29")
    }

    func testIsoAndShort() {
        let t = Fx.at("2026-03-02 10:00:05")
        XCTAssertEqual(LocalTime.iso(t), "2026-03-02T10:00:05+08:00")
        XCTAssertEqual(LocalTime.short(t), "2026-03-02 10:00")                   // seconds dropped
        XCTAssertEqual(LocalTime.iso(Fx.at("2026-03-02 00:00")), "2026-03-02T00:00:00+08:00")
        XCTAssertEqual(LocalTime.iso(Fx.at("2026-03-02 00:00") - 1), "2026-03-01T23:59:59+08:00")
        XCTAssertEqual(LocalTime.short(Fx.at("2026-12-31 23:59:59")), "2026-12-31 23:59")
        XCTAssertEqual(LocalTime.iso(0), "1970-01-01T08:00:00+08:00")
        XCTAssertEqual(LocalTime.iso(-28_801), "1969-12-31T23:59:59+08:00")
        XCTAssertEqual(LocalTime.iso(1_767_196_800), "2026-01-01T00:00:00+08:00")
    }

    func testIsoParseRoundTrip() {
        // Odd strides so every hour, minute and second value is visited over the years.
        var t = Fx.at("1999-12-31 23:59:59") - 40_000_000
        while t < Fx.at("2030-01-01 00:00") {
            XCTAssertEqual(LocalTime.parse(LocalTime.iso(t)), t, "\(t) → \(LocalTime.iso(t))")
            t += 86_400 * 3 + 3_677
        }
        for t: Int64 in [-28_801, -1, 0, 1, 1_767_196_799, 1_767_196_800] {
            XCTAssertEqual(LocalTime.parse(LocalTime.iso(t)), t, "\(t)")
        }
    }

    func testShortParseRoundTripDropsSeconds() {
        let t = Fx.at("2026-09-24 10:07:59")
        XCTAssertEqual(LocalTime.parse(LocalTime.short(t)), Fx.at("2026-09-24 10:07"))
    }

    func testDayStringParseDayRoundTrip() {
        for n in stride(from: Fx.d("2024-01-01"), through: Fx.d("2027-12-31"), by: 1) {
            XCTAssertEqual(LocalTime.parseDay(LocalTime.dayString(n)), n)
        }
    }

    // MARK: - Parsing

    func testParseWithZ() {
        // 02:00Z = 10:00 at UTC+8.
        XCTAssertEqual(LocalTime.parse("2026-03-02T02:00:00Z"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T02:00:00z"), Fx.at("2026-03-02 10:00"))
        // 16:00Z is already the next local day.
        XCTAssertEqual(LocalTime.parse("2026-03-01T16:00Z"), Fx.at("2026-03-02 00:00"))
    }

    func testParseWithColonOffsets() {
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00:00+08:00"), Fx.at("2026-03-02 10:00"))
        // 07:30+05:30 = 02:00Z = 10:00 local.
        XCTAssertEqual(LocalTime.parse("2026-03-02T07:30+05:30"), Fx.at("2026-03-02 10:00"))
        // 00:00+00:00 = 08:00 local.
        XCTAssertEqual(LocalTime.parse("2026-03-02T00:00:00+00:00"), Fx.at("2026-03-02 08:00"))
        // 21:00−05:00 on Mar 1 = 02:00Z Mar 2 = 10:00 local Mar 2.
        XCTAssertEqual(LocalTime.parse("2026-03-01T21:00:00-05:00"), Fx.at("2026-03-02 10:00"))
    }

    func testParseWithCompactOffsets() {
        // 21:00−0500 on Mar 1 = 02:00Z = 10:00 local Mar 2.
        XCTAssertEqual(LocalTime.parse("2026-03-01T21:00:00-0500"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00+0800"), Fx.at("2026-03-02 10:00"))
        // 23:00+14:00 = 09:00Z the same day = 17:00 local.
        XCTAssertEqual(LocalTime.parse("2026-03-02T23:00+1400"), Fx.at("2026-03-02 17:00"))
    }

    func testParseWithoutOffsetIsLocal() {
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00:00"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T23:59:59"), Fx.at("2026-03-02 23:59:59"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T00:00:00"), Fx.at("2026-03-02 00:00"))
    }

    func testParseFractionsAreDropped() {
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00:00.123"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00:07.999999+08:00"), Fx.at("2026-03-02 10:00:07")) // truncated, not rounded
        XCTAssertEqual(LocalTime.parse("2026-03-02T02:00:00,5Z"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T10:00:00.1-0500"), Fx.at("2026-03-02 23:00")) // 15:00Z
    }

    func testParseSpaceAndLowercaseSeparator() {
        XCTAssertEqual(LocalTime.parse("2026-03-02 10:00:00"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02 10:00"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02 02:00:00Z"), Fx.at("2026-03-02 10:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02t10:00"), Fx.at("2026-03-02 10:00"))
    }

    func testParseDateOnlyIsLocalMidnight() {
        XCTAssertEqual(LocalTime.parse("2026-03-02"), Fx.at("2026-03-02 00:00"))
        XCTAssertEqual(LocalTime.parse("2026-01-01"), 1_767_196_800)
        XCTAssertEqual(LocalTime.parse("2024-02-29"), Fx.at("2024-02-29 00:00"))
        XCTAssertEqual(LocalTime.parse("2000-02-29"), Fx.at("2000-02-29 00:00"))
        XCTAssertEqual(LocalTime.parse("1970-01-01"), -28_800)
    }

    func testParse2400IsNextMidnight() {
        XCTAssertEqual(LocalTime.parse("2026-03-02T24:00"), Fx.at("2026-03-03 00:00"))
        XCTAssertEqual(LocalTime.parse("2026-03-02T24:00:00"), Fx.at("2026-03-03 00:00"))
        XCTAssertEqual(LocalTime.parse("2026-02-28T24:00"), Fx.at("2026-03-01 00:00"))
        XCTAssertEqual(LocalTime.parse("2026-12-31T24:00:00+08:00"), Fx.at("2027-01-01 00:00"))
    }

    func testParseLeapSecondIsClampedTo59() {
        XCTAssertEqual(LocalTime.parse("2026-03-02T23:59:60"), Fx.at("2026-03-02 23:59:59"))
    }

    func testParseRejectsImpossibleDates() {
        for s in ["2026-02-29", "2026-02-30", "2026-04-31", "2026-06-31", "2026-13-01", "2026-00-10",
                  "2026-01-00", "2026-01-32", "1900-02-29", "2100-02-29", "2026-02-29T10:00:00+08:00"] {
            XCTAssertNil(LocalTime.parse(s), s)
        }
    }

    func testParseRejectsImpossibleTimes() {
        for s in ["2026-03-02T24:01", "2026-03-02T24:00:01", "2026-03-02T25:00", "2026-03-02T10:60",
                  "2026-03-02T10:00:61", "2026-03-02T99:99"] {
            XCTAssertNil(LocalTime.parse(s), s)
        }
    }

    func testParseRejectsMalformedText() {
        for s in ["", " ", "2026", "2026-03", "2026-3-2", "2026-03-2", "2026/03/02", "20260302", "abcd-ef-gh",
                  "2026-03-02x", "2026-03-02 ", " 2026-03-02", "2026-03-02T", "2026-03-02T10", "2026-03-02T1:00",
                  "2026-03-02T10:0", "2026-03-02T10:00:0", "2026-03-02T10:00:00.", "2026-03-02T10:00.5",
                  "2026-03-02T10:00:00x", "2026-03-02T10:00:00 +08:00", "2026-03-02T10:00:00+08:00 ",
                  "2026-03-02T10:00:00+08:00Z", "2026-03-02T10:00:00ZZ", "2026-03-02T10:00+08",
                  "2026-03-02T10:00+8:00", "2026-03-02T10:00+08:0", "2026-03-02T10:00+15:00",
                  "2026-03-02T10:00+08:60", "2026-03-02Z", "2026-03-02+08:00", "2026-03-02_10:00",
                  "２０２６-03-02"] {
            XCTAssertNil(LocalTime.parse(s), "'\(s)'")
        }
    }

    func testParseUTF8BufferOfASlice() {
        // The buffer entry point is used on slices of a file's bytes: indices start at the slice.
        let bytes = Array("xx2026-03-02T10:00:00+08:00yy".utf8)
        let r = bytes[2..<27].withUnsafeBufferPointer { LocalTime.parse(utf8: $0) }
        XCTAssertEqual(r, Fx.at("2026-03-02 10:00"))
        let bad = bytes[2..<28].withUnsafeBufferPointer { LocalTime.parse(utf8: $0) } // includes "y"
        XCTAssertNil(bad)
    }

    func testParseDay() {
        XCTAssertEqual(LocalTime.parseDay("2026-03-02"), Fx.d("2026-03-02"))
        XCTAssertEqual(LocalTime.parseDay("1969-12-31"), -1)
        XCTAssertNil(LocalTime.parseDay("2026-03-02T10:00"))
        XCTAssertNil(LocalTime.parseDay("2026-03-02 00:00"))
        XCTAssertNil(LocalTime.parseDay("2026-02-29"))
        XCTAssertNil(LocalTime.parseDay("2026-3-02 "))
        XCTAssertNil(LocalTime.parseDay(""))
    }

    // MARK: - Month and day starts

    func testStartOfMonth() {
        XCTAssertEqual(LocalTime.startOfMonth(containing: Fx.at("2026-03-15 12:34:56")), Fx.at("2026-03-01 00:00"))
        XCTAssertEqual(LocalTime.startOfMonth(containing: Fx.at("2026-03-01 00:00")), Fx.at("2026-03-01 00:00"))
        XCTAssertEqual(LocalTime.startOfMonth(containing: Fx.at("2026-03-01 00:00") - 1), Fx.at("2026-02-01 00:00"))
        XCTAssertEqual(LocalTime.startOfMonth(containing: Fx.at("2026-12-31 23:59:59")), Fx.at("2026-12-01 00:00"))
        XCTAssertEqual(LocalTime.startOfMonth(containing: Fx.at("2026-01-01 00:00") - 1), Fx.at("2025-12-01 00:00"))
        // 2026-02-28T16:00Z is already March 1st locally.
        XCTAssertEqual(LocalTime.startOfMonth(containing: LocalTime.parse("2026-02-28T16:00:00Z")!), Fx.at("2026-03-01 00:00"))
        XCTAssertEqual(LocalTime.startOfMonth(containing: LocalTime.parse("2026-02-28T15:59:59Z")!), Fx.at("2026-02-01 00:00"))
        XCTAssertEqual(LocalTime.startOfMonth(containing: Fx.at("2024-02-29 12:00")), Fx.at("2024-02-01 00:00"))
    }

    func testStartOfDay() {
        XCTAssertEqual(LocalTime.startOfDay(containing: Fx.at("2026-03-02 23:59:59")), Fx.at("2026-03-02 00:00"))
        XCTAssertEqual(LocalTime.startOfDay(containing: Fx.at("2026-03-02 00:00")), Fx.at("2026-03-02 00:00"))
        XCTAssertEqual(LocalTime.startOfDay(containing: 0), -28_800)
    }
}
