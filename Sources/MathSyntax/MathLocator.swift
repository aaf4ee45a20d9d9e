import Diagnostics

/// Turns byte offsets into the tex into locations in the original file.
///
/// The tex is a copy of file bytes `[base, base + count)`; its own line
/// breaks are counted here so no search of the whole file is needed per node.
struct MathLocator: Sendable {
    let file: SourcePath
    let baseOffset: Int
    let baseLine: Int
    let baseColumn: Int
    /// Offsets into the tex just after each `\n`.
    let lineStarts: [Int]
    let count: Int

    init(source: SourceFile, offset: Int, bytes: [UInt8]) {
        let base = source.location(ofOffset: offset)
        file = source.sourcePath
        baseOffset = offset
        baseLine = base.line
        baseColumn = base.column
        var starts: [Int] = []
        appendLineStarts(of: bytes, to: &starts)
        lineStarts = starts
        count = bytes.count
    }

    func location(_ local: Int) -> SourceLocation {
        let clamped = min(max(0, local), count)
        if lineStarts.isEmpty || clamped < lineStarts[0] {
            return SourceLocation(path: file, line: baseLine, column: baseColumn + clamped, offset: baseOffset + clamped)
        }
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(path: file, line: baseLine + low + 1, column: clamped - lineStarts[low] + 1,
                              offset: baseOffset + clamped)
    }

    func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(start: location(start), end: location(max(start, end)))
    }
}
