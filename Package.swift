// swift-tools-version:6.0
import PackageDescription

/// The modules of the ingest hot path (CSV reading, checks, roll-up counting) skip the dynamic
/// exclusivity checks in release builds: measured, they were ~23 % of the parsing thread's time
/// (every access to a class's stored property registers in a thread-local access set). Debug
/// builds, and so the tests, keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "cockpit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cockpit", targets: ["cockpit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // ncursesw through a tiny C shim: macros (getmaxyx, A_*, COLS…) become functions,
        // and the signal flag lives in C so the handler is async-signal-safe.
        .target(
            name: "CNCurses",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        .target(name: "CockpitCore", swiftSettings: hotPath),
        // Alert rules (YAML, validated with file:line:col) and their pure evaluator.
        .target(
            name: "CockpitAlerts",
            dependencies: ["CockpitCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "CockpitStore",
            dependencies: [
                "CockpitCore", "CockpitAlerts",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw C API for the bulk-insert hot path (binding without boxing).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: hotPath
        ),
        // Layout files → a validated layout tree, every error with file:line:col.
        .target(
            name: "CockpitLayout",
            dependencies: ["CockpitCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "CockpitUI",
            dependencies: ["CockpitCore", "CockpitLayout"],
            exclude: ["gen-width-table.py", "gen-pinyin-initials.py"]
        ),
        .target(
            name: "CockpitTerminal",
            dependencies: ["CNCurses", "CockpitUI"]
        ),
        // Glue between the store and the screens, shared by the commands and the tests.
        .target(
            name: "CockpitApp",
            dependencies: ["CockpitCore", "CockpitStore", "CockpitUI", "CockpitLayout", "CockpitAlerts"]
        ),
        // Sources (file, sqlite, exec, simulator), the sources file and the engine that runs them.
        .target(
            name: "CockpitAdapters",
            dependencies: [
                "CockpitCore", "CockpitStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cockpit",
            dependencies: [
                "CockpitCore", "CockpitStore", "CockpitUI", "CockpitTerminal", "CockpitApp", "CockpitLayout", "CockpitAlerts", "CockpitAdapters",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release binary is the one deployed to wall hosts (issue 6: ≤ 25 MB resident).
            // lld packs the relative relocations (RELR), so that the loader does not read 2 MB of
            // them at start, and the symbols stay unexported, as nothing looks them up. Still a
            // position-independent executable (ASLR kept). Deploy it built with
            // `--static-swift-stdlib` as well (README, "Walls over SSH").
            linkerSettings: [
                .unsafeFlags([
                    "-use-ld=lld",
                    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                    "-Xlinker", "--no-export-dynamic",
                ], .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // The aggregation benchmark (issue 3): roll-ups vs plain GROUP BY on generated stores.
        .executableTarget(
            name: "cockpit-bench",
            dependencies: ["CockpitCore", "CockpitStore"],
            path: "Benchmarks/cockpit-bench"
        ),
        .testTarget(name: "CockpitCoreTests", dependencies: ["CockpitCore"]),
        .testTarget(name: "CockpitStoreTests", dependencies: ["CockpitStore"]),
        .testTarget(name: "CockpitAlertsTests", dependencies: ["CockpitAlerts", "CockpitStore", "CockpitCore",
                                                          .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CockpitUITests", dependencies: ["CockpitUI"]),
        .testTarget(name: "CockpitLayoutTests", dependencies: ["CockpitCore", "CockpitLayout", "CockpitUI"]),
        .testTarget(
            name: "CockpitAdaptersTests",
            dependencies: ["CockpitAdapters", "CockpitStore", "CockpitCore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["BadInputs"]
        ),
        .testTarget(
            name: "CockpitAppTests",
            dependencies: ["CockpitApp", "CockpitStore", "CockpitUI", "CockpitTerminal", "CockpitLayout", "CockpitAlerts"],
            exclude: ["Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
