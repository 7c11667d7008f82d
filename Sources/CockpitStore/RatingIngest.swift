import CockpitCore
import GRDB

/// Evaluations (好差评). A rating counts for its case's unit, looked up in `cases`: a rating of a
/// case the store does not know is rejected (ingest the cases first, then push the rating again).
/// The same case rated again replaces the earlier rating.
final class RatingsConsumer: BatchConsumer {
    static let rectifyWorkingDays = 15
    static let channels = ["hall", "online", "mobile", "phone", "sms"]
    let calendar: WorkCalendar
    private var rollup = RatingRollup()

    init(file: String, source: String, calendar: WorkCalendar) {
        self.calendar = calendar
        super.init(file: file, source: source, kind: .ratings)
    }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let caseID = try f.required("case", "case id").get()
            let levelText = f["level"]
            guard let level = Int(levelText), (1...5).contains(level) else {
                throw FieldError(field: "level", reason: "'\(levelText)' is not a level from 1 (非常不满意) to 5 (非常满意)")
            }
            let channel = try f.oneOf("channel", Self.channels).get()
            let rated = try f.time("rated_at").get()
            let rectified = try f.optionalTime("rectified_at").get()
            if let r = rectified, r < rated { throw FieldError(field: "rectified_at", reason: "rectified before it was rated") }
            guard let unit = try String.fetchOne(db.cachedStatement(sql: "SELECT unit FROM cases WHERE id = ?"), arguments: [caseID]) else {
                throw FieldError(field: "case", reason: "unknown case '\(caseID)' (ingest its case first)")
            }
            let due = workingDeadline(after: rated, days: Self.rectifyWorkingDays, calendar: calendar)
            if let old = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT unit, level, rated_at, rectified_at, rectify_due FROM ratings WHERE case_id = ?
                """), arguments: [caseID]) {
                rollup.count(RatingFacts(unit: old[0], level: old[1], ratedAt: old[2], rectifiedAt: old[3], rectifyDue: old[4]), sign: -1)
            }
            rollup.count(RatingFacts(unit: unit, level: level, ratedAt: rated, rectifiedAt: rectified, rectifyDue: due), sign: 1)
            try db.cachedStatement(sql: """
                INSERT INTO ratings (case_id, unit, level, channel, rated_at, rectified_at, rectify_due) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(case_id) DO UPDATE SET unit = excluded.unit, level = excluded.level, channel = excluded.channel,
                    rated_at = excluded.rated_at, rectified_at = excluded.rectified_at, rectify_due = excluded.rectify_due
                """).execute(arguments: [caseID, unit, level, channel, rated, rectified, due])
        }
    }

    override func endBatch(db: Database) throws { try rollup.flush(db) }
}
