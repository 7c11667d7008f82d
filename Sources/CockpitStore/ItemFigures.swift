import CockpitCore
import GRDB

/// 最多跑一次 items: realisation and online rates per department (`providerFigures`) and for the
/// district (the root unit), over all items stored.
extension CockpitStore {
    struct ItemSums {
        var items = 0, realised = 0, online = 0
        func write(into f: inout Figures) {
            f[Metric.itemsCount] = Double(items)
            f[Metric.itemsRealisedRate] = ratio(Double(realised), Double(items))
            f[Metric.itemsOnlineRate] = ratio(Double(online), Double(items))
        }
    }

    static func itemSums(_ db: Database) throws -> [String: ItemSums] {
        var out: [String: ItemSums] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT department, count(*), sum(realised), sum(online) FROM items GROUP BY department") {
            out[r[0]] = ItemSums(items: r[1], realised: r[2], online: r[3])
        }
        return out
    }

    static func itemFigures(_ db: Database, tree: OrgTree, into out: inout [String: Figures]) throws {
        var all = ItemSums()
        for s in try itemSums(db).values { all.items += s.items; all.realised += s.realised; all.online += s.online }
        all.write(into: &out[tree.root.id, default: Figures()])
    }
}
