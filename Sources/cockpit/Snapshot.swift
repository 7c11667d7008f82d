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

    @OptionGroup var layouts: LayoutsOption

    func run() throws {
        let (w, h) = try parseSize(size)
        let catalog = layouts.catalog()
        guard let language = Strings.Language(rawValue: lang) else { throw ValidationError("--lang must be zh or en") }
        let cockpitStore = try store.openStore(quiet: true)
        let tree = try cockpitStore.tree()
        let u = unit.resolve(in: tree)
        let options = RenderOptions(strings: Strings(language), ascii: ascii)
        let data = try ScreenLoader(store: cockpitStore, tree: tree, strings: options.strings, layouts: catalog).load(unitID: u.id, window: try store.window())
        let canvas = CockpitScreen(options: options, layouts: catalog).render(model: CockpitModel(unitID: u.id), data: data, width: w, height: h)
        print(canvas.text)
    }
}
