/// Data types shared by the store (which fills them) and the widgets (which draw them), so that
/// the aggregation, the engine, the alerts and the layouts can grow apart behind one interface.

/// A hall's live queue board (排队叫号): per zone, its windows and what waits.
public struct HallBoard: Sendable, Equatable {
    public enum Zone: String, Sendable, CaseIterable { case intake, approval, delivery }

    public struct Window: Sendable, Equatable {
        public var id: String
        /// The ticket being served now ("A023"), nil when the window is idle.
        public var ticket: String?
        public var service: String?
        /// When the current ticket was called.
        public var since: Int64?
        public init(id: String, ticket: String? = nil, service: String? = nil, since: Int64? = nil) {
            self.id = id; self.ticket = ticket; self.service = service; self.since = since
        }
    }

    public struct ZoneBoard: Sendable, Equatable {
        public var zone: Zone
        public var waiting: Int
        public var longestWaitS: Int?
        /// Estimated wait of a ticket issued now.
        public var estimatedWaitS: Int?
        public var windows: [Window]
        public init(zone: Zone, waiting: Int, longestWaitS: Int?, estimatedWaitS: Int?, windows: [Window]) {
            self.zone = zone; self.waiting = waiting; self.longestWaitS = longestWaitS
            self.estimatedWaitS = estimatedWaitS; self.windows = windows
        }
    }

    /// The hall's unit id.
    public var hall: String
    public var zones: [ZoneBoard]
    public init(hall: String, zones: [ZoneBoard]) { self.hall = hall; self.zones = zones }
}

/// An alert as the alert list and the incident screen show it.
public struct AlertItem: Sendable, Equatable {
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case yellow, red
        public static func < (a: Level, b: Level) -> Bool { a == .yellow && b == .red }
    }
    public enum State: String, Sendable, CaseIterable { case open, acknowledged, resolved, closed }

    public var id: Int64
    public var rule: String
    public var unit: String
    public var metric: String
    public var level: Level
    public var state: State
    public var value: Double?
    public var openedAt: Int64
    public var acknowledgedBy: String?
    public var assignedTo: String?
    public var note: String?
    public init(id: Int64, rule: String, unit: String, metric: String, level: Level, state: State, value: Double?,
                openedAt: Int64, acknowledgedBy: String? = nil, assignedTo: String? = nil, note: String? = nil) {
        self.id = id; self.rule = rule; self.unit = unit; self.metric = metric; self.level = level; self.state = state
        self.value = value; self.openedAt = openedAt; self.acknowledgedBy = acknowledgedBy
        self.assignedTo = assignedTo; self.note = note
    }
}

/// How current one data source is: what the title bar and `cockpit sources` show.
public struct SourceStatus: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var lastSuccess: Int64?
    public var lastError: String?
    public var lastErrorAt: Int64?
    public var recordsIn: Int
    public var rejected: Int
    /// A source is stale when it has not succeeded within its expected interval.
    public var staleSince: Int64?
    /// Seconds since the source last had nothing left to read (nil: never caught up yet).
    public var lagS: Int64? = nil
    /// The interval within which the source is expected to succeed.
    public var expectedIntervalS: Int64? = nil
    public init(name: String, kind: String, lastSuccess: Int64?, lastError: String?, lastErrorAt: Int64?,
                recordsIn: Int, rejected: Int, staleSince: Int64?) {
        self.name = name; self.kind = kind; self.lastSuccess = lastSuccess; self.lastError = lastError
        self.lastErrorAt = lastErrorAt; self.recordsIn = recordsIn; self.rejected = rejected; self.staleSince = staleSince
    }
    public var isStale: Bool { staleSince != nil }
}
