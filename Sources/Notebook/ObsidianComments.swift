import Diagnostics

/// Obsidian's private comments, `%% … %%` inline or as a block over many
/// lines, are blanked (to `SpanScanner.hidden`) before anything else reads the note, so no
/// later stage (Markdown, math, search index, page) ever sees their text.
/// Line breaks stay, so every other byte keeps its line and column.
///
/// ```swift
/// var bytes = Array("Seen %%not seen%% seen.\n".utf8)
/// ObsidianComments.blank(&bytes, from: 0, source: source)   // "Seen ␟␟␟…␟ seen.\n", read as "Seen  seen."
/// ```
///
/// `%%` inside fenced code and code spans is code, not a comment. `\%%` is a
/// TeX percent sign followed by a TeX comment, not an opener. An opener that
/// is never closed hides the rest of the note, as in Obsidian, with a warning.
enum ObsidianComments {
    static func blank(_ bytes: inout [UInt8], from bodyStart: Int, source: SourceFile) -> [Diagnostic] {
        let percent = UInt8(ascii: "%")
        // Cheap exit: most notes have no `%%` at all.
        guard bytes.count >= 2, bytes[bodyStart...].contains(percent) else { return [] }
        var diagnostics: [Diagnostic] = []
        var fence: (byte: UInt8, count: Int)?
        var openedAt: Int?
        var lineStart = bodyStart
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            if openedAt == nil {
                let marker = fenceMarker(bytes, lineStart, lineEnd)
                if let open = fence {
                    if marker.byte == open.byte, marker.count >= open.count, marker.onlyFence { fence = nil }
                    continue
                }
                if marker.count >= 3 {
                    fence = (marker.byte, marker.count)
                    continue
                }
            }
            var index = lineStart
            while index < lineEnd {
                let byte = bytes[index]
                if openedAt == nil, byte == UInt8(ascii: "`") {
                    // A code span on this line: skip to its closing run of the same length.
                    var runEnd = index
                    while runEnd < lineEnd, bytes[runEnd] == byte { runEnd += 1 }
                    let length = runEnd - index
                    var probe = runEnd
                    var closed = false
                    while probe < lineEnd {
                        if bytes[probe] == byte {
                            var closeEnd = probe
                            while closeEnd < lineEnd, bytes[closeEnd] == byte { closeEnd += 1 }
                            if closeEnd - probe == length { probe = closeEnd; closed = true; break }
                            probe = closeEnd
                        } else {
                            probe += 1
                        }
                    }
                    index = closed ? probe : runEnd
                    continue
                }
                if byte == UInt8(ascii: "\\"), openedAt == nil {
                    index += 2
                    continue
                }
                if byte == percent, index + 1 < lineEnd, bytes[index + 1] == percent {
                    if let start = openedAt {
                        blankRange(&bytes, start, index + 2)
                        openedAt = nil
                    } else {
                        openedAt = index
                    }
                    index += 2
                    continue
                }
                index += 1
            }
        }
        if let start = openedAt {
            blankRange(&bytes, start, bytes.count)
            diagnostics.append(.warning(NotebookMessages.unclosedComment, at: source.range(from: start, to: start + 2)))
        }
        return diagnostics
    }

    private static func blankRange(_ bytes: inout [UInt8], _ start: Int, _ end: Int) {
        for index in start..<min(end, bytes.count) where bytes[index] != UInt8(ascii: "\n") && bytes[index] != UInt8(ascii: "\r") {
            bytes[index] = SpanScanner.hidden
        }
    }

    /// The run of backticks or tildes that opens the line (after indentation and quote markers).
    private static func fenceMarker(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (byte: UInt8, count: Int, onlyFence: Bool) {
        var index = start
        while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        guard index < end, bytes[index] == UInt8(ascii: "`") || bytes[index] == UInt8(ascii: "~") else { return (0, 0, false) }
        let byte = bytes[index]
        var runEnd = index
        while runEnd < end, bytes[runEnd] == byte { runEnd += 1 }
        let rest = bytes[runEnd..<end]
        return (byte, runEnd - index, rest.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
    }
}
