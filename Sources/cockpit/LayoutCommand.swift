import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitLayout
import CockpitStore
import CockpitUI
import Foundation

/// `--layouts DIR`, for every command that draws a screen.
struct LayoutsOption: ParsableArguments {
    @Option(help: "A directory of layout files (NAME.yaml); each overrides the bundled layout of the same name.")
    var layouts: String?

    /// The bundled layouts with the overrides, every file checked. A bad one stops the command
    /// here, before any screen is drawn: errors on stderr, exit status 2.
    func catalog() -> LayoutCatalog {
        let bundled = LayoutCatalog.bundledDirectory()
        if bundled == nil, layouts == nil {
            fail("the bundled layouts were not found: set COCKPIT_LAYOUTS to the Layouts/ directory, or pass --layouts DIR")
        }
        do {
            let catalog = try LayoutCatalog.load(loader: Widgets.loader, bundled: bundled, overrides: layouts)
            // Every tier needs its screen; a directory without them (a wrong COCKPIT_LAYOUTS) is named.
            let missing = OrgUnit.Tier.allCases.map(\.rawValue).filter { catalog[$0] == nil }
            if !missing.isEmpty {
                fail("no layout for \(missing.joined(separator: ", ")) in \([bundled, layouts].compactMap { $0 }.joined(separator: " or "))"
                     + " (COCKPIT_LAYOUTS or --layouts must name a directory holding them)")
            }
            return catalog
        } catch let e as LayoutErrors {
            printErr(e.description)
            fail("\(e.errors.count) problem\(e.errors.count == 1 ? "" : "s") in the layouts; nothing was drawn (check them with: cockpit layout check)")
        } catch {
            fail("\(error)")
        }
    }
}

/// `cockpit layout check|list|show`: the layout files, checked, listed and drawn.
struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Check, list and preview the layout files that screens are drawn from.",
        subcommands: [Check.self, List.self, Show.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check layout files: every problem as FILE:LINE:COL with what was expected and the nearest valid name.",
            discussion: "Without FILEs: the bundled layouts and those in --layouts. Exit status 1 when any file has a problem."
        )
        @Argument(help: "Layout files to check.")
        var files: [String] = []

        @OptionGroup var layouts: LayoutsOption

        func run() throws {
            var paths = files
            if paths.isEmpty {
                var all: [String: String] = [:]
                if let b = LayoutCatalog.bundledDirectory() { all = LayoutCatalog.files(in: b) }
                if let o = layouts.layouts { all.merge(LayoutCatalog.files(in: o)) { _, new in new } }
                paths = all.keys.sorted().map { all[$0]! }
            }
            guard !paths.isEmpty else { fail("no layout files found") }
            var problems = 0
            for path in paths {
                do {
                    let l = try LayoutCatalog.loadFile(path, loader: Widgets.loader)
                    print("ok  \(path): \(l.panels.count) panels")
                } catch let e as LayoutErrors {
                    problems += e.errors.count
                    print(e.description)
                }
            }
            if problems > 0 {
                printErr("\(problems) problem\(problems == 1 ? "" : "s")")
                throw ExitCode(1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the layouts, where each is read from and its panels.")
        @OptionGroup var layouts: LayoutsOption

        func run() throws {
            let catalog = layouts.catalog()
            for name in catalog.names {
                let l = catalog[name]!
                let widgets = l.panels.map(\.widget)
                var counts: [String: Int] = [:]
                for w in widgets { counts[w, default: 0] += 1 }
                let summary = counts.sorted { $0.key < $1.key }.map { $0.value > 1 ? "\($0.value) \($0.key)" : $0.key }.joined(separator: ", ")
                print("\(Text.pad(name, 10)) \(catalog.sources[name] ?? "")")
                print("           \(l.panels.count) panels: \(summary)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a layout for a unit as text (a snapshot), e.g. cockpit layout show wall --unit wulin --size 120x40."
        )
        @Argument(help: "The layout's name (cockpit layout list).")
        var name: String

        @OptionGroup var store: StoreOptions
        @OptionGroup var unit: UnitOption
        @OptionGroup var layouts: LayoutsOption
        @OptionGroup var text: SnapshotText

        func run() throws {
            let catalog = layouts.catalog()
            guard catalog[name] != nil else {
                fail("no layout '\(name)'" + (Nearest.name(name, in: catalog.names).map { "; did you mean '\($0)'?" } ?? "")
                     + " (layouts: \(catalog.names.joined(separator: ", ")))")
            }
            try text.print(store: store, unit: unit, catalog: catalog, layoutName: name)
        }
    }
}

func parseSize(_ size: String) throws -> (Int, Int) {
    let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 1000, parts[1] <= 1000 else {
        throw ValidationError("--size must be WIDTHxHEIGHT, e.g. 120x40")
    }
    return (parts[0], parts[1])
}
