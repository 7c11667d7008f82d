import GRDB

extension Schema {
    /// The case list's index covers open cases only. Lists by light (red, yellow, green, grey) read
    /// open cases, about 5 % of the rows of a year's file, so a bulk load no longer inserts an index
    /// entry for every completed or closed case. Measured (C, the store's pragmas, 300k rows of the
    /// benchmark file, two runs each): 2.09–2.34 s with the full index, 1.71–2.06 s with this one.
    /// A query must say `k_class IN (0, 1)` for SQLite to use it (it then uses the whole key).
    static func registerCaseOpenIndex(_ m: inout DatabaseMigrator) {
        m.registerMigration("case list index on open cases only") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS cases_by_key")
            try CaseIndexes.create(db)
        }
    }
}
