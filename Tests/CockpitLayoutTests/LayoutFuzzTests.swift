import CockpitLayout
import CockpitUI
import XCTest

/// Random and mutated YAML into the loader: it may refuse, it must never crash or hang, and every
/// refusal names a place in the file.
final class LayoutFuzzTests: XCTestCase {
    struct RNG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 1 ^ state << 7
        }
    }

    func check(_ yaml: String) {
        do {
            let l = try Widgets.loader.load(yaml: yaml, file: "f.yaml", name: "f")
            // Whatever loads must also lay out and draw without trouble.
            for (w, h) in [(80, 24), (7, 3)] {
                _ = Arranger.arrange(l, in: Rect(x: 0, y: 0, width: w, height: h), minSize: Widgets.minSize)
            }
        } catch let e as LayoutErrors {
            XCTAssertFalse(e.errors.isEmpty, yaml)
            for err in e.errors { XCTAssertTrue(err.description.hasPrefix("f.yaml:"), err.description) }
        } catch {
            XCTFail("unexpected \(error) for \(yaml)")
        }
    }

    func testMutatedBundledLayoutsNeverCrash() throws {
        let dir = try XCTUnwrap(LayoutCatalog.bundledDirectory())
        let sources = try LayoutCatalog.files(in: dir).values.sorted().map { try String(contentsOfFile: $0, encoding: .utf8) }
        var rng = RNG(state: 20261120)
        let pieces = ["{", "}", "[", "]", ":", "- ", "\n", "  ", "\"", "'", "&a ", "*a", "!!str ", "#", "widget: kpi", "size: 0fr",
                      "rows:", "columns:", "metric: x", "\t", "\u{0}", "街道", "{unit.name", "priority: 1e400", "%YAML 1.1\n", "---\n"]
        for i in 0..<600 {
            var chars = Array(sources[i % sources.count])
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard !chars.isEmpty else { break }
                let at = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: chars.remove(at: at)
                case 1: chars.insert(contentsOf: Array(pieces.randomElement(using: &rng)!), at: at)
                case 2: chars.removeSubrange(at..<min(chars.count, at + Int.random(in: 1...40, using: &rng)))
                default:
                    let from = Int.random(in: 0..<chars.count, using: &rng)
                    chars.insert(contentsOf: chars[from..<min(chars.count, from + 30)], at: at)
                }
            }
            check(String(chars))
        }
    }

    func testRandomTextNeverCrashes() {
        var rng = RNG(state: 7)
        let alphabet = Array("abc:-[]{}\n #'\"&*!|>%@.,0123456789 街道\t")
        for _ in 0..<400 {
            let n = Int.random(in: 0..<200, using: &rng)
            check(String((0..<n).map { _ in alphabet.randomElement(using: &rng)! }))
        }
    }

    func testDeepNestingIsFine() {
        var yaml = "rows:\n"
        var indent = "  "
        for _ in 0..<40 {
            yaml += indent + "- columns:\n"
            indent += "    "
        }
        yaml += indent + "- widget: cases\n"
        check(yaml)
    }
}
