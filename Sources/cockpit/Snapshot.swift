import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import CockpitUI
import Foundation

/// `cockpit snapshot`: the screen the TUI would draw, as plain text, from the same code.
struct Snapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the screen the cockpit would draw for a unit, as plain text.",
        discussion: "How screens are tested and shared: no terminal needed, no escape codes."
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var unit: UnitOption

    @Option(help: "Screen size as WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Option(help: "Language: zh or en.")
    var lang: String = "zh"

    @Flag(help: "ASCII lines instead of Unicode box drawing.")
    var ascii = false

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 1000, parts[1] <= 1000 else {
            throw ValidationError("--size must be WIDTHxHEIGHT, e.g. 120x40")
        }
        guard let language = Strings.Language(rawValue: lang) else { throw ValidationError("--lang must be zh or en") }
        let cockpitStore = try store.openStore(quiet: true)
        let tree = try cockpitStore.tree()
        let u = unit.resolve(in: tree)
        let options = RenderOptions(strings: Strings(language), ascii: ascii)
        let data = try ScreenLoader(store: cockpitStore, tree: tree, strings: options.strings).load(unitID: u.id, window: try store.window())
        let canvas = CockpitScreen(options: options).render(model: CockpitModel(unitID: u.id), data: data, width: parts[0], height: parts[1])
        print(canvas.text)
    }
}
