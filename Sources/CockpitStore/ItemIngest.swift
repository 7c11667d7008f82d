import CockpitCore
import GRDB

/// Internal 最多跑一次 items per department: whether each is realised and whether it can be done
/// online. The same department and item code pushed again replaces the item.
final class ItemsConsumer: BatchConsumer {
    init(file: String, source: String) { super.init(file: file, source: source, kind: .items) }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let department = try f.required("department", "department").get()
            let code = try f.required("item_code", "item code").get()
            let name = try f.required("item_name", "item name").get()
            let realised = try f.flag("realised").get()
            let online = try f.flag("online").get()
            try db.cachedStatement(sql: """
                INSERT INTO items (department, item_code, item_name, realised, online) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(department, item_code) DO UPDATE SET item_name = excluded.item_name,
                    realised = excluded.realised, online = excluded.online
                """).execute(arguments: [department, code, name, realised ? 1 : 0, online ? 1 : 0])
        }
    }
}
