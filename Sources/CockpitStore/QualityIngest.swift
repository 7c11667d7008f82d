import CockpitCore
import GRDB

/// Data quality issues (谁提供谁负责: each counts against its provider). Without a due time the
/// provider has 5 working days: due at 24:00 of the 5th working day after the day it was opened.
final class QualityConsumer: BatchConsumer {
    static let kinds = ["missing", "wrong", "stale", "inconsistent", "format"]
    static let workingDaysToAnswer = 5
    let calendar: WorkCalendar

    init(file: String, source: String, calendar: WorkCalendar) {
        self.calendar = calendar
        super.init(file: file, source: source, kind: .quality)
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let id = try f.required("id", "issue id").get()
            let dataset = try f.required("dataset", "dataset").get()
            let provider = try f.required("provider", "provider department").get()
            let kind = try f.oneOf("kind", Self.kinds).get()
            let opened = try f.time("opened_at").get()
            let due = try f.optionalTime("due_at").get()
                ?? workingDeadline(after: opened, days: Self.workingDaysToAnswer, calendar: calendar)
            if due < opened { throw FieldError(field: "due_at", reason: "due before it was opened") }
            let resolved = try f.optionalTime("resolved_at").get()
            if let r = resolved, r < opened { throw FieldError(field: "resolved_at", reason: "resolved before it was opened") }
            try db.cachedStatement(sql: """
                INSERT INTO quality (id, dataset, provider, kind, opened_at, due_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET dataset = excluded.dataset, provider = excluded.provider, kind = excluded.kind,
                    opened_at = excluded.opened_at, due_at = excluded.due_at, resolved_at = excluded.resolved_at
                """).execute(arguments: [id, dataset, provider, kind, opened, due, resolved])
        }
    }
}
