import CockpitCore
import CockpitStore
import Foundation
import Logging

/// What one poll of a source brings: records (of one or more kinds) and the checkpoint to store
/// with them. The engine commits both in one transaction, so a restart resumes exactly there.
public struct Batch: Sendable {
    public var groups: [RecordGroup]
    /// Where to resume after these records (opaque to the engine; nil: from the start).
    public var checkpoint: String?
    /// The source is read again from its start (a one-shot file replaced by a fixed one): its
    /// earlier rejects are dropped in the same transaction.
    public var replaceRejects: Bool
    /// More is ready now: poll again without waiting for the interval.
    public var more: Bool
    /// Things to log that reject nothing (unknown columns, a rotated file).
    public var notes: [String]

    public init(groups: [RecordGroup] = [], checkpoint: String?, replaceRejects: Bool = false, more: Bool = false, notes: [String] = []) {
        self.groups = groups; self.checkpoint = checkpoint; self.replaceRejects = replaceRejects
        self.more = more; self.notes = notes
    }

    public var recordCount: Int { groups.reduce(0) { $0 + $1.records.count } }
}

/// A source of records. Adapters are driven by one engine thread; they keep open files or
/// connections between polls but take their position from the checkpoint they are given, so a
/// failed commit (or a restart) simply polls again from the last committed checkpoint.
public protocol Adapter: AnyObject {
    var name: String { get }
    /// Reads what is new after `checkpoint` (nil: from the start), about `limit` records at most.
    /// Throws when the source cannot be read: the engine logs it, backs off and marks it stale.
    func poll(from checkpoint: String?, limit: Int) throws -> Batch
    /// Releases files, connections and children.
    func close()
}

public struct AdapterError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Checkpoints are small JSON objects: readable in `sqlite3`, and safe to extend.
enum CheckpointCoding {
    static func encode<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: (try? enc.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
