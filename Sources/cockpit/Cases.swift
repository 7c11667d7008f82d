import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation

/// `cockpit cases`: the cases behind a figure, so every number on screen can be explained.
struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the open cases behind a figure: red (overdue), yellow (due soon), green or grey (suspended).",
        discussion: "Most overdue first. The counts agree with `report` and the screens: the same rules, the same store."
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var unit: UnitOption

    @Option(help: "red, yellow, green or grey.")
    var light: String = "red"

    @Option(help: "At most this many cases.")
    var limit: Int = 1000

    @Option(help: "text or json.")
    var format: String = "text"

    func run() throws {
        guard let l = CaseLight(rawValue: light), l != .closed else {
            throw ValidationError("--light must be red, yellow, green or grey")
        }
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        let cockpitStore = try store.openStore(quiet: true)
        let tree = try cockpitStore.tree()
        let u = unit.resolve(in: tree)
        let at = try store.window().at
        let list = try cockpitStore.cases(under: u.id, tree: tree, light: l, at: at, limit: max(1, limit))
        if format == "json" {
            let rows = list.map { c in
                "{\"id\":\(JSON.string(c.id)),\"unit\":\(JSON.string(c.unit)),\"department\":\(JSON.string(c.department)),"
                    + "\"item_code\":\(JSON.string(c.itemCode)),\"item_name\":\(JSON.string(c.itemName)),"
                    + "\"accepted_at\":\(JSON.string(LocalTime.iso(c.acceptedAt))),\"deadline\":\(JSON.string(LocalTime.iso(c.deadline))),"
                    + "\"status\":\(JSON.string(c.status)),\"days_over\":\(c.daysOver)}"
            }
            print("[" + rows.joined(separator: ",\n ") + "]")
            return
        }
        let names = Dictionary(uniqueKeysWithValues: tree.units.map { ($0.id, $0.name) })
        let unitW = max(8, list.map { Text.width(names[$0.unit] ?? $0.unit) }.max() ?? 8)
        print(Text.pad("case", 18) + Text.pad("unit", unitW + 2) + Text.pad("item", 30) + Text.pad("department", 16)
              + Text.pad("deadline", 18) + Text.pad("days over", 10, align: .right))
        for c in list {
            print(Text.pad(c.id, 18) + Text.pad(names[c.unit] ?? c.unit, unitW + 2) + Text.pad(c.itemName, 30)
                  + Text.pad(c.department, 16) + Text.pad(LocalTime.short(c.deadline - 1), 18)
                  + Text.pad(String(c.daysOver), 10, align: .right))
        }
        FileHandle.standardError.write(Data("\(list.count) \(l.rawValue) case\(list.count == 1 ? "" : "s") under \(u.name) as of \(LocalTime.iso(at))\n".utf8))
    }
}
