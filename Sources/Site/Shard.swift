/// One of N deterministic parts of a site (`--shard 2/4`): the notes at
/// positions 1, 1+N, 1+2N… of the sorted list go to part 1, and so on, so
/// the parts are the same on every machine and differ in size by at most one.
///
/// ```swift
/// let shard = try Shard(parsing: "2/4")
/// shard.contains(position: 5)   // true (positions count from 0)
/// ```
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(SiteError) {
        guard count >= 1, index >= 1, index <= count else {
            throw .invalidShard("--shard wants I/N with 1 ≤ I ≤ N (got \(index)/\(count))")
        }
        self.index = index
        self.count = count
    }

    public init(parsing text: String) throws(SiteError) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .invalidShard("--shard wants I/N, such as 1/4 (got '\(text)')")
        }
        try self.init(index: index, count: count)
    }

    public func contains(position: Int) -> Bool {
        position % count == index - 1
    }

    public var description: String { "\(index)/\(count)" }
}
