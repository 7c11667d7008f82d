import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitLayout
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

    @OptionGroup var text: SnapshotText

    @OptionGroup var layouts: LayoutsOption

    func run() throws {
        try text.print(store: store, unit: unit, catalog: layouts.catalog(), layoutName: nil)
    }
}

/// How a screen is printed as text: `snapshot` and `layout show` draw it the same way.
struct SnapshotText: ParsableArguments {
    @Option(help: "Screen size as WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Option(help: "Language: zh or en.")
    var lang: String = "zh"

    @Flag(help: "ASCII lines instead of Unicode box drawing.")
    var ascii = false

    /// Draws `unit`'s screen (with `layoutName`, or the tier's own layout) and prints its text.
    func print(store: StoreOptions, unit: UnitOption, catalog: LayoutCatalog, layoutName: String?) throws {
        let (w, h) = try parseSize(size)
        guard let language = Strings.Language(rawValue: lang) else { throw ValidationError("--lang must be zh or en") }
        let cockpitStore = try store.openStore(quiet: true)
        let tree = try cockpitStore.tree()
        let u = unit.resolve(in: tree)
        let options = RenderOptions(strings: Strings(language), ascii: ascii)
        let data = try ScreenLoader(store: cockpitStore, tree: tree, strings: options.strings, layouts: catalog).load(unitID: u.id, window: try store.window())
        var model = CockpitModel(unitID: u.id)
        model.layoutName = layoutName
        Swift.print(CockpitScreen(options: options, layouts: catalog).render(model: model, data: data, width: w, height: h).text)
    }
}
