import CockpitCore
import GRDB

/// Sharing directory entries (数据共享目录): one row per provider department, dataset and interface.
/// The same provider, dataset and interface pushed again replaces the entry.
final class DirectoryConsumer: BatchConsumer {
    static let shareTypes = ["unconditional", "conditional", "not_shared"]
    static let interfaces = ["query", "verify", "batch"]

    init(file: String, source: String) { super.init(file: file, source: source, kind: .directory) }

    override func accept(_ row: CSVRow, header: [String: Int], db: Database) throws -> Rejection? {
        let f = RowFields(row: row, header: header)
        return try checked {
            let provider = try f.required("provider", "provider department").get()
            let dataset = try f.required("dataset", "dataset").get()
            let interface = try f.oneOf("interface", Self.interfaces).get()
            let shareType = try f.oneOf("share_type", Self.shareTypes).get()
            try db.cachedStatement(sql: """
                INSERT INTO directory (provider, dataset, interface, share_type, name) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(provider, dataset, interface) DO UPDATE SET share_type = excluded.share_type, name = excluded.name
                """).execute(arguments: [provider, dataset, interface, shareType, f["name"]])
        }
    }
}
