/// A service case (办件) as pushed by the case system. Times are Unix seconds.
public struct ServiceCase: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case accepted, inReview = "in_review", suspended, completed, rejected, withdrawn

        public var isOpen: Bool { self == .accepted || self == .inReview || self == .suspended }
    }

    public enum Channel: String, Sendable, CaseIterable { case hall, online, mobile }

    /// A stretch with the clock stopped (挂起): 补正 or 特别程序. `to` is nil while it lasts.
    public struct Suspension: Sendable, Equatable {
        public var from: Int64
        public var to: Int64?
        public init(from: Int64, to: Int64?) { self.from = from; self.to = to }
    }

    public var id: String
    public var unit: String
    public var department: String
    public var itemCode: String
    public var itemName: String
    public var channel: Channel
    public var acceptedAt: Int64
    public var promisedDays: Int
    public var status: Status
    public var completedAt: Int64?
    public var suspensions: [Suspension]

    public init(id: String, unit: String, department: String, itemCode: String, itemName: String,
                channel: Channel, acceptedAt: Int64, promisedDays: Int, status: Status,
                completedAt: Int64?, suspensions: [Suspension]) {
        self.id = id; self.unit = unit; self.department = department; self.itemCode = itemCode
        self.itemName = itemName; self.channel = channel; self.acceptedAt = acceptedAt
        self.promisedDays = promisedDays; self.status = status; self.completedAt = completedAt
        self.suspensions = suspensions
    }
}

extension ServiceCase.Suspension {
    /// `FROM/TO;FROM/TO`, an open suspension has an empty TO. Empty text = no suspensions.
    public static func parseList(_ text: String) -> Result<[ServiceCase.Suspension], FieldError> {
        var out: [ServiceCase.Suspension] = []
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            let trimmed = part.trimmingSpaces
            if trimmed.isEmpty { continue }
            let halves = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard halves.count == 2 else {
                return .failure(FieldError("suspension '\(trimmed)' is not FROM/TO"))
            }
            let fromText = halves[0].trimmingSpaces
            guard let from = LocalTime.parse(fromText) else {
                return .failure(FieldError("suspension start '\(fromText)' is not an ISO 8601 time"))
            }
            let toText = halves[1].trimmingSpaces
            var to: Int64? = nil
            if !toText.isEmpty {
                guard let t = LocalTime.parse(toText) else {
                    return .failure(FieldError("suspension end '\(toText)' is not an ISO 8601 time"))
                }
                guard t >= from else { return .failure(FieldError("suspension ends before it starts: '\(trimmed)'")) }
                to = t
            }
            out.append(.init(from: from, to: to))
        }
        return .success(out)
    }

    public static func format(_ list: [ServiceCase.Suspension]) -> String {
        list.map { "\(LocalTime.iso($0.from))/\($0.to.map(LocalTime.iso) ?? "")" }.joined(separator: ";")
    }
}

/// Why a field was refused; the ingest adds file, line and field name.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Substring {
    var trimmingSpaces: String {
        // Most fields have nothing to trim: no new string then.
        if let f = utf8.first, f != 32, f != 9, let l = utf8.last, l != 32, l != 9 { return String(self) }
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    public var trimmingSpaces: String {
        if let f = utf8.first, f != 32, f != 9, let l = utf8.last, l != 32, l != 9 { return self }
        return self[...].trimmingSpaces
    }
}

/// A case behind a figure, for lists on screen and `cockpit cases`.
public struct CaseListItem: Sendable, Equatable {
    public var id: String
    public var unit: String
    public var department: String
    public var itemCode: String
    public var itemName: String
    public var acceptedAt: Int64
    public var deadline: Int64
    public var status: String
    /// Whole days past the deadline as of `at` (0 when not past).
    public var daysOver: Int

    public init(id: String, unit: String, department: String, itemCode: String, itemName: String,
                acceptedAt: Int64, deadline: Int64, status: String, daysOver: Int) {
        self.id = id; self.unit = unit; self.department = department; self.itemCode = itemCode
        self.itemName = itemName; self.acceptedAt = acceptedAt; self.deadline = deadline
        self.status = status; self.daysOver = daysOver
    }
}
