import Foundation

/// When a live screen should load again: at most once a second it asks the store whether another
/// connection committed (`PRAGMA data_version`, no table read), and it notes a new minute, because
/// lights change with the clock.
struct StoreWatch {
    private var version: Int
    private var lastCheck = Date()
    private var minute = Int64(Date().timeIntervalSince1970) / 60
    /// False for a screen at a fixed `--at`, whose figures do not move with the clock.
    let followsClock: Bool

    init(version: Int, followsClock: Bool) {
        self.version = version
        self.followsClock = followsClock
    }

    /// nil until a second has passed since the last look; then whether to load again.
    mutating func poll(_ currentVersion: () -> Int?) -> Bool? {
        guard Date().timeIntervalSince(lastCheck) >= 1 else { return nil }
        lastCheck = Date()
        let v = currentVersion() ?? version
        let m = Int64(Date().timeIntervalSince1970) / 60
        let due = v != version || (followsClock && m != minute)
        if due { version = v; minute = m }
        return due
    }

    /// The screen's own write: already shown, so not a reason to load again.
    mutating func saw(_ currentVersion: Int?) {
        if let currentVersion { version = currentVersion }
    }
}
