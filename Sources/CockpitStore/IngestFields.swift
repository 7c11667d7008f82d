import CockpitCore

/// One CSV row's fields by column name, with the parsing every kind shares. Each parser returns
/// the value or a Rejection naming the field, so consumers read as a list of checks.
struct RowFields {
    let row: CSVRow
    let header: [String: Int]

    subscript(_ name: String) -> String { header[name].map { row.fields[$0].trimmingSpaces } ?? "" }

    func required(_ name: String, _ what: String) -> Result<String, FieldError> {
        let v = self[name]
        return v.isEmpty ? .failure(FieldError(field: name, reason: "missing \(what)")) : .success(v)
    }

    func time(_ name: String) -> Result<Int64, FieldError> {
        let v = self[name]
        if v.isEmpty { return .failure(FieldError(field: name, reason: "missing time")) }
        guard let t = LocalTime.parse(v) else { return .failure(FieldError(field: name, reason: "'\(v)' is not an ISO 8601 time")) }
        return .success(t)
    }

    func optionalTime(_ name: String) -> Result<Int64?, FieldError> {
        let v = self[name]
        if v.isEmpty { return .success(nil) }
        guard let t = LocalTime.parse(v) else { return .failure(FieldError(field: name, reason: "'\(v)' is not an ISO 8601 time")) }
        return .success(t)
    }

    func oneOf(_ name: String, _ allowed: [String]) -> Result<String, FieldError> {
        let v = self[name].lowercased()
        guard allowed.contains(v) else {
            return .failure(FieldError(field: name, reason: "unknown \(name) '\(self[name])' (\(allowed.joined(separator: ", ")))"))
        }
        return .success(v)
    }

    /// 1/0, yes/no, true/false, 是/否.
    func flag(_ name: String) -> Result<Bool, FieldError> {
        switch self[name].lowercased() {
        case "1", "yes", "true", "y", "是": return .success(true)
        case "0", "no", "false", "n", "否": return .success(false)
        default: return .failure(FieldError(field: name, reason: "'\(self[name])' is not a yes/no value (1 or 0)"))
        }
    }

    func unit(_ name: String, in tree: OrgTree) -> Result<String, FieldError> {
        let v = self[name]
        guard tree.contains(v) else {
            let near = tree.nearest(to: v, limit: 1).first.map { " (nearest: '\($0)')" } ?? ""
            return .failure(FieldError(field: name, reason: v.isEmpty ? "missing unit" : "unknown unit '\(v)'\(near)"))
        }
        return .success(v)
    }
}

/// A field's check that failed: thrown by `.get()` and turned into the row's Rejection by `checked`.
struct FieldError: Error {
    var field: String?
    var reason: String
}

extension BatchConsumer {
    /// Runs the checks of one row; a FieldError thrown by a check becomes the row's rejection.
    func checked(_ body: () throws -> Void) throws -> Rejection? {
        do { try body(); return nil } catch let e as FieldError { return Rejection(field: e.field, reason: e.reason) }
    }
}

/// 24:00 of the n-th working day after the day of `t` (that day itself not counted).
func workingDeadline(after t: Int64, days: Int, calendar: WorkCalendar) -> Int64 {
    var outside = false
    let day = calendar.workingDay(days, after: LocalTime.day(of: t), outside: &outside)
    return LocalTime.startOf(day: day + 1)
}
