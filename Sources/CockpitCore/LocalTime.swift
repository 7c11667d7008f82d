/// Times in the cockpit are Unix seconds (`Int64`); days are local day numbers
/// (days since 1970-01-01 in Asia/Shanghai, UTC+8, which has no DST).
/// Hand-rolled rather than Foundation's Calendar: ingest parses millions of times.
public enum LocalTime {
    public static let offsetSeconds: Int64 = 8 * 3600
    public static let secondsPerDay: Int64 = 86_400

    /// The local day that contains the instant `t`.
    @inlinable public static func day(of t: Int64) -> Int32 {
        let local = t + offsetSeconds
        return Int32(local >= 0 ? local / secondsPerDay : (local - secondsPerDay + 1) / secondsPerDay)
    }

    /// The instant at 00:00 local of `day`.
    @inlinable public static func startOf(day: Int32) -> Int64 {
        Int64(day) * secondsPerDay - offsetSeconds
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    public static func civil(_ dayNumber: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// 0 = Monday … 6 = Sunday.
    @inlinable public static func weekday(_ dayNumber: Int32) -> Int {
        // 1970-01-01 was a Thursday (3).
        let r = (Int(dayNumber) + 3) % 7
        return r < 0 ? r + 7 : r
    }

    public static func dayString(_ dayNumber: Int32) -> String {
        let (y, m, d) = civil(dayNumber)
        return "\(y)-\(pad2(m))-\(pad2(d))"
    }

    /// ISO 8601 in local time with the +08:00 offset, e.g. 2026-03-02T10:00:00+08:00.
    public static func iso(_ t: Int64) -> String {
        let day = day(of: t)
        let secs = Int(t - startOf(day: day))
        return "\(dayString(day))T\(pad2(secs / 3600)):\(pad2(secs / 60 % 60)):\(pad2(secs % 60))+08:00"
    }

    /// "2026-03-02 10:00" for screens.
    public static func short(_ t: Int64) -> String {
        let day = day(of: t)
        let secs = Int(t - startOf(day: day))
        return "\(dayString(day)) \(pad2(secs / 3600)):\(pad2(secs / 60 % 60))"
    }

    @inlinable static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` (a space may replace `T`) with an
    /// optional `Z` or `±HH:MM` / `±HHMM` offset; without an offset the time is local (UTC+8).
    /// Returns nil for anything else, including impossible dates such as 2026-02-30.
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    public static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let n = b.count
        @inline(__always) func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += count
            return v
        }
        @inline(__always) func expect(_ ch: UInt8) -> Bool {
            guard i < n, b[i] == ch else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let dayOfMonth = digits(2) else { return nil }
        guard (1...12).contains(month), dayOfMonth >= 1, dayOfMonth <= daysIn(month: month, year: year) else { return nil }
        var seconds = 0
        var offset = Int(offsetSeconds)
        if i < n {
            guard b[i] == 84 || b[i] == 32 || b[i] == 116 else { return nil } // T, space, t
            i += 1
            guard let hh = digits(2), expect(58), let mm = digits(2) else { return nil }
            var ss = 0
            if i < n, b[i] == 58 {
                i += 1
                guard let s = digits(2) else { return nil }
                ss = s
                if i < n, b[i] == 46 || b[i] == 44 { // fraction: dropped
                    i += 1
                    let start = i
                    while i < n, b[i] >= 48, b[i] <= 57 { i += 1 }
                    guard i > start else { return nil }
                }
            }
            guard hh <= 24, mm <= 59, ss <= 60, !(hh == 24 && (mm > 0 || ss > 0)) else { return nil }
            seconds = hh * 3600 + mm * 60 + min(ss, 59)
            if i < n {
                if b[i] == 90 || b[i] == 122 { // Z
                    i += 1
                    offset = 0
                } else if b[i] == 43 || b[i] == 45 { // + or -
                    let sign = b[i] == 45 ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    _ = expect(58)
                    guard let om = digits(2), oh <= 14, om <= 59 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == n else { return nil }
        let dn = Int64(dayNumber(year: year, month: month, day: dayOfMonth))
        return dn * secondsPerDay + Int64(seconds) - Int64(offset)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DD` only.
    public static func parseDay(_ text: String) -> Int32? {
        guard text.utf8.count == 10, let t = parse(text) else { return nil }
        return day(of: t)
    }

    /// The first instant of the month containing `t`.
    public static func startOfMonth(containing t: Int64) -> Int64 {
        let (y, m, _) = civil(day(of: t))
        return startOf(day: dayNumber(year: y, month: m, day: 1))
    }

    public static func startOfDay(containing t: Int64) -> Int64 { startOf(day: day(of: t)) }
}
