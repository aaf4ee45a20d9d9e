/// A position in a source file: 1-based line, 1-based column counted in UTF-8
/// bytes (as cmark counts them), and the 0-based byte offset it stands for.
///
/// ```swift
/// let start = SourceLocation(file: "notes/a.md", line: 42, column: 7, offset: 913)
/// print(start)   // notes/a.md:42:7
/// ```
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file, as a number: cheap to copy and compare (see `SourcePath`).
    public var path: SourcePath
    // Stored in 32 bits each, so a location takes 16 bytes and a range 32: every node of
    // a parsed equation carries a range, and copying them is much of the parser's work.
    // Notes are read only up to `Limits.maxNoteBytes` (2 MB by default); past 4 GiB a
    // value saturates.
    @usableFromInline var storedLine: UInt32
    @usableFromInline var storedColumn: UInt32
    @usableFromInline var storedOffset: UInt32

    @inlinable public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }
    @inlinable public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }
    @inlinable public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(clamping: newValue) }
    }

    public init(file: String, line: Int, column: Int, offset: Int) {
        self.init(path: SourcePath(file), line: line, column: column, offset: offset)
    }

    @inlinable public init(path: SourcePath, line: Int, column: Int, offset: Int) {
        self.path = path
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
        storedOffset = UInt32(clamping: offset)
    }

    /// The file's path as text.
    public var file: String {
        get { path.string }
        set { path = SourcePath(newValue) }
    }

    public var description: String { "\(file):\(line):\(column)" }

    @inlinable public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.path == rhs.path ? lhs.offset < rhs.offset : lhs.path < rhs.path
    }
}

/// A half-open span of source bytes, `start ..< end`.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    @inlinable public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// An empty range at one location.
    @inlinable public init(at location: SourceLocation) {
        self.init(start: location, end: location)
    }

    public var file: String { start.file }
    public var path: SourcePath { start.path }
    public var byteCount: Int { max(0, end.offset - start.offset) }
    public var description: String { start.description }

    /// The smallest range that covers both.
    @inlinable public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }
}
