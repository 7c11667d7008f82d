import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation

/// `cockpit report`: a unit's figures and its direct children's (or every unit's), as text, JSON,
/// CSV or Prometheus text.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a unit's figures, rolled up over its descendants, and each direct child's."
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var unit: UnitOption

    @Option(help: "text, json, csv (one row per unit and figure) or prometheus (text exposition format).")
    var format: String = "text"

    @Flag(help: "Every unit of the tree, not just the unit and its direct children.")
    var all = false

    func run() throws {
        guard ["json", "text", "csv", "prometheus"].contains(format) else {
            throw ValidationError("--format must be text, json, csv or prometheus, not '\(format)'")
        }
        let cockpitStore = try store.openStore(quiet: true)
        let tree = try cockpitStore.tree()
        let u = unit.resolve(in: tree)
        let window = try store.window()
        let all = try cockpitStore.figures(tree: tree, window: window)
        let children = tree.children(of: u.id)
        let names = Metric.reported + (try cockpitStore.seriesNames()).flatMap(Metric.seriesFigures)
        let providers = try cockpitStore.providerFigures(window: window)
        let listed = self.all ? tree.units : [u] + children
        switch format {
        case "csv":
            print(ReportFormats.csv(units: listed, figures: all, window: window), terminator: "")
        case "prometheus":
            print(ReportFormats.prometheus(units: listed, figures: all, window: window), terminator: "")
        case "json" where self.all:
            // The usual shape, plus "units": every unit of the tree with its figures.
            let every = tree.units.map { x in
                "{\"unit\":{\"id\":\(JSON.string(x.id)),\"name\":\(JSON.string(x.name)),\"tier\":\(JSON.string(x.tier.rawValue))},\"metrics\":{"
                    + names.map { "\(JSON.string($0)):\(JSON.number(all[x.id]?[$0]))" }.joined(separator: ",") + "}}"
            }
            print(json(u, all: all, children: children, window: window, names: names, providers: providers).dropLast()
                  + ",\"units\":[\(every.joined(separator: ","))]}")
        case "json":
            print(json(u, all: all, children: children, window: window, names: names, providers: providers))
        default:
            print(text(u, all: all, children: self.all ? tree.units.filter { $0.id != u.id } : children, window: window,
                       names: names, providers: providers))
        }
    }

    func json(_ u: OrgUnit, all: [String: Figures], children: [OrgUnit], window: FigureWindow, names: [String],
              providers: [String: Figures]) -> String {
        func unitJSON(_ u: OrgUnit) -> String {
            "{\"id\":\(JSON.string(u.id)),\"name\":\(JSON.string(u.name)),\"tier\":\(JSON.string(u.tier.rawValue))}"
        }
        func metrics(_ f: Figures?) -> String {
            "{" + names.map { "\(JSON.string($0)):\(JSON.number(f?[$0]))" }.joined(separator: ",") + "}"
        }
        let kids = children.map { "{\"unit\":\(unitJSON($0)),\"metrics\":\(metrics(all[$0.id]))}" }.joined(separator: ",")
        // Provider departments (谁提供谁负责), by name.
        let provs = providers.keys.sorted().map { p in
            "{\"provider\":\(JSON.string(p)),\"metrics\":{"
                + Metric.providerFigures.map { "\(JSON.string($0)):\(JSON.number(providers[p]?[$0]))" }.joined(separator: ",") + "}}"
        }.joined(separator: ",")
        return "{\"unit\":\(unitJSON(u)),\"at\":\(JSON.string(LocalTime.iso(window.at))),\"since\":\(JSON.string(LocalTime.iso(window.since))),"
            + "\"day_since\":\(JSON.string(LocalTime.iso(window.daySince))),"
            + "\"metrics\":\(metrics(all[u.id])),\"children\":[\(kids)],\"providers\":[\(provs)]}"
    }

    func text(_ u: OrgUnit, all: [String: Figures], children: [OrgUnit], window: FigureWindow, names: [String],
              providers: [String: Figures]) -> String {
        let nameW = max(12, ([u] + children).map { Text.width($0.name) + Text.width($0.id) + 3 }.max() ?? 12)
        let colW = names.map { max(10, $0.count + 2) }
        var lines = ["\(u.name) (\(u.id), \(u.tier.rawValue))  at \(LocalTime.iso(window.at))  since \(LocalTime.iso(window.since))", ""]
        lines.append(Text.pad("unit", nameW) + zip(names, colW).map { Text.pad($0.0, $0.1, align: .right) }.joined())
        func row(_ x: OrgUnit) -> String {
            let f = all[x.id]
            return Text.pad("\(x.name) (\(x.id))", nameW) + zip(names, colW).map { name, w in
                Text.pad(name.hasSuffix("rate") ? Format.percent(f?[name]) : Format.count(f?[name]), w, align: .right)
            }.joined()
        }
        lines.append(row(u))
        if !children.isEmpty { lines.append("") }
        lines += children.map(row)
        if !providers.isEmpty {
            let pNames = Metric.providerFigures
            let pW = max(12, providers.keys.map { Text.width($0) + 2 }.max() ?? 12)
            let pColW = pNames.map { max(10, $0.count + 2) }
            lines += ["", Text.pad("provider", pW) + zip(pNames, pColW).map { Text.pad($0.0, $0.1, align: .right) }.joined()]
            for p in providers.keys.sorted() {
                lines.append(Text.pad(p, pW) + zip(pNames, pColW).map { name, w in
                    Text.pad(name.hasSuffix("rate") ? Format.percent(providers[p]?[name]) : Format.count(providers[p]?[name]), w, align: .right)
                }.joined())
            }
        }
        return lines.joined(separator: "\n")
    }
}

enum JSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    /// Whole numbers without decimals; nil (e.g. a rate of an empty window) as null.
    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
