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
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(file: String, line: Int, column: Int, offset: Int) {
        self.init(path: SourcePath(file), line: line, column: column, offset: offset)
    }

    public init(path: SourcePath, line: Int, column: Int, offset: Int) {
        self.path = path
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The file's path as text.
    public var file: String {
        get { path.string }
        set { path = SourcePath(newValue) }
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.path == rhs.path ? lhs.offset < rhs.offset : lhs.path < rhs.path
    }
}

/// A half-open span of source bytes, `start ..< end`.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// An empty range at one location.
    public init(at location: SourceLocation) {
        self.init(start: location, end: location)
    }

    public var file: String { start.file }
    public var path: SourcePath { start.path }
    public var byteCount: Int { max(0, end.offset - start.offset) }
    public var description: String { start.description }

    /// The smallest range that covers both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }
}
