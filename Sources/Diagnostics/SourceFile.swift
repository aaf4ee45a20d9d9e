/// The bytes of one source file with a table of line starts, so that byte
/// offsets turn into `file:line:column` in O(log lines).
///
/// ```swift
/// let source = SourceFile(path: "a.md", text: "x\n$$y$$\n")
/// source.location(ofOffset: 4)   // a.md:2:3
/// ```
public struct SourceFile: Sendable {
    public let path: String
    /// `path`, as every location in this file carries it.
    public let sourcePath: SourcePath
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.sourcePath = SourcePath(path)
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        appendLineStarts(of: bytes, to: &starts)
        self.lineStarts = starts
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public var lineCount: Int { lineStarts.count }

    /// The location of a byte offset; offsets past the end clamp to the end.
    public func location(ofOffset offset: Int) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(path: sourcePath, line: low + 1, column: clamped - lineStarts[low] + 1, offset: clamped)
    }

    /// The byte offset of a 1-based line and byte column, clamped to the file.
    public func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return bytes.count }
        return min(bytes.count, lineStarts[line - 1] + max(0, column - 1))
    }

    public func range(from start: Int, to end: Int) -> SourceRange {
        SourceRange(start: location(ofOffset: start), end: location(ofOffset: end))
    }

    /// The text of a 1-based line without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text of a byte range.
    public func text(from start: Int, to end: Int) -> String {
        let low = min(max(0, start), bytes.count)
        let high = min(max(low, end), bytes.count)
        return String(decoding: bytes[low..<high], as: UTF8.self)
    }
}
