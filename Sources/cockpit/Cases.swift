import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation

/// `cockpit cases`: the cases behind a figure, so every number on screen can be explained.
struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the cases behind a figure: red (overdue), yellow (due soon), green, grey (suspended), abnormal or flagged.",
        discussion: """
            Most overdue first. The counts agree with `report` and the screens: the same rules, the same store.
            `--light abnormal` lists the cases behind cases.abnormal with each finding's code and reason,
            `--light flagged` those behind cases.flagged. `--id ID` (or `cockpit case ID`) shows one case:
            every push and every finding, with the source line that proves it.
            """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var unit: UnitOption

    @Option(help: "red, yellow, green, grey, abnormal or flagged.")
    var light: String = "red"

    @Option(help: "Show this one case: its pushes and findings.")
    var id: String?

    @Option(help: "Reasons in zh or en.")
    var lang: String = "zh"

    @Option(help: "At most this many cases.")
    var limit: Int = 1000

    @Option(help: "text or json.")
    var format: String = "text"

    func run() throws {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        guard lang == "zh" || lang == "en" else { throw ValidationError("--lang must be zh or en") }
        if let id {
            return try showCase(id: id, store: store, format: format, lang: lang)
        }
        if light == "abnormal" || light == "flagged" {
            let cockpitStore = try store.openStore(quiet: true)
            let tree = try cockpitStore.tree()
            let u = unit.resolve(in: tree)
            let at = try store.window().at
            let list = try cockpitStore.abnormalCases(under: u.id, tree: tree, at: at, flagged: light == "flagged", limit: max(1, limit))
            printAbnormal(list, tree: tree, flagged: light == "flagged", format: format, lang: lang)
            FileHandle.standardError.write(Data("\(list.count) \(light) case\(list.count == 1 ? "" : "s") under \(u.name) as of \(LocalTime.iso(at))\n".utf8))
            return
        }
        guard let l = CaseLight(rawValue: light), l != .closed else {
            throw ValidationError("--light must be red, yellow, green, grey, abnormal or flagged")
        }
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

/// `cockpit case ID`: one case, its pushes and its findings.
struct Case: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one case: every push (source and line) and every abnormal finding with its proof.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The case id.")
    var id: String

    @Option(help: "text or json.")
    var format: String = "text"

    @Option(help: "Reasons in zh or en.")
    var lang: String = "zh"

    func run() throws {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        guard lang == "zh" || lang == "en" else { throw ValidationError("--lang must be zh or en") }
        try showCase(id: id, store: store, format: format, lang: lang)
    }
}

private func reason(_ f: CaseFinding, _ lang: String) -> String { lang == "en" ? f.code.reasonEn : f.code.reasonZh }

private func findingJSON(_ f: CaseFinding, _ lang: String) -> String {
    "{\"code\":\(JSON.string(f.code.rawValue)),\"level\":\(JSON.string(f.level.rawValue)),\"reason\":\(JSON.string(reason(f, lang))),"
        + "\"field\":\(JSON.string(f.field)),\"source\":\(JSON.string(f.source)),\"line\":\(f.line),"
        + "\"pushed_at\":\(JSON.string(LocalTime.iso(f.pushedAt))),\"detail\":\(JSON.string(f.detail))}"
}

func showCase(id: String, store: StoreOptions, format: String, lang: String) throws {
    let cockpitStore = try store.openStore(quiet: true)
    let at = try store.window().at
    guard let d = try cockpitStore.caseDetail(id: id, at: at) else { fail("no case '\(id)' in \(cockpitStore.path)", code: 1) }
    let c = d.current
    if format == "json" {
        let pushes = d.pushes.map { p in
            "{\"pushed_at\":\(JSON.string(LocalTime.iso(p.pushedAt))),\"status\":\(JSON.string(p.status.rawValue)),"
                + "\"unit\":\(JSON.string(p.unit)),\"department\":\(JSON.string(p.department)),"
                + "\"source\":\(JSON.string(p.source)),\"line\":\(p.line)}"
        }
        print("{\"id\":\(JSON.string(c.id)),\"unit\":\(JSON.string(c.unit)),\"department\":\(JSON.string(c.department)),"
              + "\"item_name\":\(JSON.string(c.itemName)),\"status\":\(JSON.string(c.status.rawValue)),"
              + "\"accepted_at\":\(JSON.string(LocalTime.iso(c.acceptedAt))),\"deadline\":\(JSON.string(LocalTime.iso(d.item.deadline))),"
              + "\"days_over\":\(d.item.daysOver),\"at\":\(JSON.string(LocalTime.iso(at))),"
              + "\"pushes\":[\(pushes.joined(separator: ","))],\"findings\":[\(d.findings.map { findingJSON($0, lang) }.joined(separator: ","))]}")
        return
    }
    print("\(c.id)  \(c.itemName)  \(c.department)  \(c.unit)")
    print("status \(c.status.rawValue), accepted \(LocalTime.iso(c.acceptedAt)), promised \(c.promisedDays) working days, "
          + "deadline \(LocalTime.short(d.item.deadline - 1))" + (c.completedAt.map { ", completed \(LocalTime.iso($0))" } ?? "")
          + (d.item.daysOver > 0 ? ", \(d.item.daysOver) days over" : ""))
    if !c.suspensions.isEmpty { print("suspensions \(ServiceCase.Suspension.format(c.suspensions))") }
    print("\npushes (\(d.pushes.count)):")
    for p in d.pushes {
        print("  \(LocalTime.iso(p.pushedAt))  " + Text.pad(p.status.rawValue, 10) + Text.pad(p.unit, 28) + Text.pad(p.department, 18) + "  \(p.source):\(p.line)")
    }
    print("\nfindings as of \(LocalTime.iso(at)) (\(d.findings.count)):")
    for f in d.findings {
        print("  \(f.code.rawValue) [\(f.level.rawValue)] \(reason(f, lang))")
        print("      \(f.field): \(f.detail)  (\(f.source):\(f.line))")
    }
}

func printAbnormal(_ list: [CaseDetail], tree: OrgTree, flagged: Bool, format: String, lang: String) {
    func shown(_ d: CaseDetail) -> [CaseFinding] { d.findings.filter { flagged ? $0.level == .flag : $0.level == .error } }
    if format == "json" {
        let rows = list.map { d in
            "{\"id\":\(JSON.string(d.item.id)),\"unit\":\(JSON.string(d.item.unit)),\"item_name\":\(JSON.string(d.item.itemName)),"
                + "\"department\":\(JSON.string(d.item.department)),\"deadline\":\(JSON.string(LocalTime.iso(d.item.deadline))),"
                + "\"days_over\":\(d.item.daysOver),\"findings\":[\(shown(d).map { findingJSON($0, lang) }.joined(separator: ","))]}"
        }
        print("[" + rows.joined(separator: ",\n ") + "]")
        return
    }
    let names = Dictionary(uniqueKeysWithValues: tree.units.map { ($0.id, $0.name) })
    print(Text.pad("case", 18) + Text.pad("unit", 16) + Text.pad("item", 26) + Text.pad("department", 16)
          + Text.pad("deadline", 18) + Text.pad("days over", 10, align: .right) + "  codes and reasons")
    for d in list {
        let why = shown(d).map { "\($0.code.rawValue) \(reason($0, lang))" }.joined(separator: "; ")
        print(Text.pad(d.item.id, 18) + Text.pad(names[d.item.unit] ?? d.item.unit, 16) + Text.pad(d.item.itemName, 26)
              + Text.pad(d.item.department, 16) + Text.pad(LocalTime.short(d.item.deadline - 1), 18)
              + Text.pad(String(d.item.daysOver), 10, align: .right) + "  " + why)
    }
}
