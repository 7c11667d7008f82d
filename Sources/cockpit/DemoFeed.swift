import CockpitAdapters
import CockpitAlerts
import CockpitApp
import CockpitStore
import Foundation
import Logging

/// The demo's live feed: the simulator sources of SampleData/sources.yaml, run by an engine on a
/// thread of the demo cockpit itself, so that `cockpit` with no arguments shows panels that move
/// (and keeps the history and the sample alert rules current, as the real engine does).
final class DemoFeed: @unchecked Sendable {
    private let stopSignal = StopSignal()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the feed on the demo store; nil (and the demo stays still) if the sample sources
    /// cannot be found or read, which is not worth refusing the demo for.
    static func start(storePath: String) -> DemoFeed? {
        guard let dir = Demo.sampleDataDirectory(),
              let file = try? SourcesFile.load(path: dir + "/sources.yaml") else { return nil }
        let simulators = file.sources.filter { $0.kind == .simulator }
        guard !simulators.isEmpty, let store = try? CockpitStore(path: storePath, mode: .write) else { return nil }
        // The screen owns the terminal: the feed's log goes nowhere.
        let logger = Logger(label: "cockpit.demo-feed", factory: { _ in SwiftLogNoOpLogHandler() })
        guard let engine = try? Engine(store: store, sources: simulators, logger: logger) else { return nil }
        let derived = DerivedFigures()
        if let rules = try? RuleSet.load(file: dir + "/alerts.yaml") { derived.rules = rules.rules }
        engine.onCommit.append { info in derived.afterCommit(store: store, at: info.at, logger: logger) }
        engine.onMinute.append { at in derived.update(store: store, at: at, logger: logger) }
        let feed = DemoFeed()
        nonisolated(unsafe) let running = engine
        Thread.detachNewThread {
            running.run(stop: feed.stopSignal)
            feed.finished.signal()
        }
        return feed
    }

    /// Lets the batch in hand commit, waiting at most a second.
    func stop() {
        stopSignal.stop()
        _ = finished.wait(timeout: .now() + 1)
    }
}
