import Foundation
@testable import CockpitCore

/// Test fixtures computed independently of `LocalTime` (Foundation's Gregorian calendar at a
/// fixed UTC+8 offset), so the tests do not check the code under test against itself.
enum Fx {
    static let utc8: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return c
    }()

    /// Unix seconds of the local (UTC+8) wall-clock time y-m-d h:mi:s.
    static func t(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
        let date = utc8.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: mi, second: s))!
        return Int64(date.timeIntervalSince1970.rounded())
    }

    /// "2026-09-24 10:00" or "2026-09-24 10:00:05" (local time) → Unix seconds.
    static func at(_ s: String) -> Int64 {
        let parts = s.split(separator: " ")
        let ymd = parts[0].split(separator: "-").map { Int($0)! }
        var hms = [0, 0, 0]
        if parts.count > 1 {
            for (i, v) in parts[1].split(separator: ":").enumerated() { hms[i] = Int(v)! }
        }
        return t(ymd[0], ymd[1], ymd[2], hms[0], hms[1], hms[2])
    }

    /// Local day number (days since 1970-01-01 at UTC+8) of "YYYY-MM-DD".
    static func d(_ s: String) -> Int32 {
        // 00:00 local is an exact multiple of a day after the offset is added.
        Int32((at(s) + 8 * 3600) / 86_400)
    }

    /// The deadline instant "24:00 of YYYY-MM-DD" written as 00:00 of the next day.
    static func midnightAfter(_ s: String) -> Int64 { at(s) + 86_400 }

    static func susp(_ from: String, _ to: String?) -> ServiceCase.Suspension {
        .init(from: at(from), to: to.map(at))
    }

    // MARK: Calendars (the official State Council schedules; also in SampleData/calendar-*.csv)

    static let holidays2026: [String] = expand([
        ("2026-01", 1...3), ("2026-02", 15...23), ("2026-04", 4...6), ("2026-05", 1...5),
        ("2026-06", 19...21), ("2026-09", 25...27), ("2026-10", 1...7),
    ])
    /// 调休上班: 2026-01-04 Sun, 02-14 Sat, 02-28 Sat, 05-09 Sat, 09-20 Sun, 10-10 Sat.
    static let workdays2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]

    static let holidays2025: [String] = expand([
        ("2025-01", 1...1), ("2025-01", 28...31), ("2025-02", 1...4), ("2025-04", 4...6),
        ("2025-05", 1...5), ("2025-05", 31...31), ("2025-06", 1...2), ("2025-10", 1...8),
    ])
    /// 调休上班: 2025-01-26 Sun, 02-08 Sat, 04-27 Sun, 09-28 Sun, 10-11 Sat.
    static let workdays2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]

    static let cal2026 = calendar(holidays: holidays2026, workdays: workdays2026)
    static let cal2025 = calendar(holidays: holidays2025, workdays: workdays2025)
    static let cal2025and2026 = calendar(holidays: holidays2025 + holidays2026, workdays: workdays2025 + workdays2026)

    static func calendar(holidays: [String], workdays: [String]) -> WorkCalendar {
        WorkCalendar(entries: holidays.map { (d($0), .holiday) } + workdays.map { (d($0), .workday) })
    }

    private static func expand(_ ranges: [(String, ClosedRange<Int>)]) -> [String] {
        ranges.flatMap { month, days in days.map { "\(month)-\($0 < 10 ? "0" : "")\($0)" } }
    }

    /// A case with only the fields the rules look at.
    static func serviceCase(acceptedAt: Int64, promisedDays: Int, status: ServiceCase.Status,
                            completedAt: Int64? = nil, suspensions: [ServiceCase.Suspension] = []) -> ServiceCase {
        ServiceCase(id: "C1", unit: "wulin", department: "市场监管", itemCode: "330103-001", itemName: "食品经营许可",
                    channel: .hall, acceptedAt: acceptedAt, promisedDays: promisedDays, status: status,
                    completedAt: completedAt, suspensions: suspensions)
    }
}
