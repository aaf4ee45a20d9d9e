import Foundation

/// A file's path, kept once per process: a location carries this four-byte
/// name instead of a `String`, so copying one (every node of every expression
/// tree and every inline of a note carries two) costs no reference counting.
/// Two `SourcePath`s are equal exactly when their paths are.
///
/// ```swift
/// let path = SourcePath("notes/a.md")
/// path == SourcePath("notes/a.md")   // true
/// path.string                        // "notes/a.md"
/// ```
public struct SourcePath: Sendable, Hashable, Comparable, CustomStringConvertible {
    @usableFromInline let number: UInt32

    @inlinable public static func == (lhs: SourcePath, rhs: SourcePath) -> Bool { lhs.number == rhs.number }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(number) }

    public init(_ path: String) {
        number = SourcePathTable.shared.number(for: path)
    }

    public var string: String { SourcePathTable.shared.path(number) }
    public var description: String { string }

    /// In the order of the paths' text.
    public static func < (lhs: SourcePath, rhs: SourcePath) -> Bool {
        lhs != rhs && lhs.string < rhs.string
    }
}

/// Every path a `SourcePath` was made from, numbered in order of arrival.
private final class SourcePathTable: @unchecked Sendable {
    static let shared = SourcePathTable()
    private let lock = NSLock()
    private var numbers: [String: UInt32] = [:]
    private var paths: [String] = []

    func number(for path: String) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        if let known = numbers[path] { return known }
        let number = UInt32(truncatingIfNeeded: paths.count)
        paths.append(path)
        numbers[path] = number
        return number
    }

    func path(_ number: UInt32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return paths[Int(number)]
    }
}
