import CockpitCore
import Foundation

/// The layouts a cockpit can show: the bundled ones, each overridden by a file of the same name in
/// `--layouts DIR`. Loaded and checked once at start, so that a bad file stops the program before
/// any screen is drawn.
public struct LayoutCatalog: Sendable {
    public var layouts: [String: Layout]
    /// Where each layout was read from.
    public var sources: [String: String]

    public init(layouts: [String: Layout], sources: [String: String] = [:]) { self.layouts = layouts; self.sources = sources }

    public subscript(name: String) -> Layout? { layouts[name] }
    public var names: [String] { layouts.keys.sorted() }

    /// The layout for a unit of `tier`: `district`, `street`, `community` or `park`.
    public func layout(for tier: OrgUnit.Tier) -> Layout? { layouts[tier.rawValue] }

    /// The bundled layouts, searched in this order: `$COCKPIT_LAYOUTS`; `Layouts/` beside the
    /// executable or in `share/cockpit/Layouts` next to its `bin/`; `Layouts/` in a directory above
    /// the executable (a build inside the repository); the repository this was compiled from.
    /// The executable is found by its real path (/proc/self/exe), so a `cockpit` run from PATH or
    /// through a symlink still finds what was installed beside it.
    public static func bundledDirectory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        executable: String? = Bundle.main.executablePath ?? CommandLine.arguments.first) -> String? {
        var candidates: [String] = []
        if let env = environment["COCKPIT_LAYOUTS"], !env.isEmpty { return env }
        if let exe = executable {
            let resolved = URL(fileURLWithPath: exe).resolvingSymlinksInPath()
            var dir = resolved.deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("Layouts").path)
            candidates.append(dir.deletingLastPathComponent().appendingPathComponent("share/cockpit/Layouts").path)
            for _ in 0..<6 {
                dir = dir.deletingLastPathComponent()
                candidates.append(dir.appendingPathComponent("Layouts").path)
                if dir.path == "/" { break }
            }
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Layouts").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/district.yaml") }
    }

    /// The `.yaml` files of a directory by layout name.
    public static func files(in dir: String) -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var out: [String: String] = [:]
        for f in names where f.hasSuffix(".yaml") || f.hasSuffix(".yml") {
            out[String(f.prefix(upTo: f.lastIndex(of: ".")!))] = dir + "/" + f
        }
        return out
    }

    /// Loads the bundled layouts and the overrides; throws every problem of every file.
    public static func load(loader: LayoutLoader, bundled: String?, overrides: String? = nil) throws -> LayoutCatalog {
        var files: [String: String] = [:]
        if let bundled { files = Self.files(in: bundled) }
        if let overrides {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: overrides, isDirectory: &isDir), isDir.boolValue else {
                throw LayoutErrors(errors: [LayoutError(kind: .missingKey, mark: SourceMark(file: overrides, line: 1, column: 1),
                                                        message: "no such directory", expected: "a directory of .yaml layouts")])
            }
            files.merge(Self.files(in: overrides)) { _, new in new }
        }
        var layouts: [String: Layout] = [:]
        var errors: [LayoutError] = []
        for (name, path) in files.sorted(by: { $0.key < $1.key }) {
            do { layouts[name] = try loadFile(path, name: name, loader: loader) } catch let e as LayoutErrors { errors += e.errors }
        }
        if !errors.isEmpty { throw LayoutErrors(errors: errors) }
        return LayoutCatalog(layouts: layouts, sources: files)
    }

    public static func loadFile(_ path: String, name: String? = nil, loader: LayoutLoader) throws -> Layout {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LayoutErrors(errors: [LayoutError(kind: .syntax, mark: SourceMark(file: path, line: 1, column: 1), message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LayoutErrors(errors: [LayoutError(kind: .syntax, mark: SourceMark(file: path, line: 1, column: 1), message: "not UTF-8 text")])
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try loader.load(yaml: text, file: path, name: name ?? base)
    }
}
