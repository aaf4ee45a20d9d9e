#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// Whether `text` occurs in this string, compared byte for byte.
    ///
    /// For the quick tests on hot paths ("does this equation mention `\label` at
    /// all?"): with Foundation imported, `contains(_:)` on two strings goes through
    /// `NSString`, which costs microseconds per call.
    ///
    /// ```swift
    /// "a_1 \\label{x}".containsBytes("\\label")   // true
    /// ```
    public func containsBytes(_ text: String) -> Bool {
        var needle = text
        return needle.withUTF8 { needle in
            guard !needle.isEmpty else { return true }
            let found = utf8.withContiguousStorageIfAvailable { haystack -> Bool in
                guard haystack.count >= needle.count, let base = haystack.baseAddress, let first = needle.baseAddress else { return false }
                // memchr to each candidate first byte, then memcmp for the rest.
                let last = haystack.count - needle.count
                var start = 0
                while start <= last {
                    guard let hit = memchr(base + start, Int32(first.pointee), last - start + 1) else { return false }
                    let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + offset, first, needle.count) == 0 { return true }
                    start = offset + 1
                }
                return false
            }
            if let found { return found }
            return String(self).containsBytes(text)
        }
    }
}

/// Appends to `starts` the offset just after each `\n` in `bytes`: where each line
/// after the first begins. `memchr` skips the runs between line breaks, which are most
/// of the bytes (and all of them in one-line math).
///
/// ```swift
/// var starts = [0]
/// appendLineStarts(of: Array("a\nbc\n".utf8), to: &starts)   // [0, 2, 5]
/// ```
public func appendLineStarts(of bytes: [UInt8], to starts: inout [Int]) {
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        var from = 0
        while from < buffer.count, let hit = memchr(base + from, Int32(UInt8(ascii: "\n")), buffer.count - from) {
            from = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            starts.append(from)
        }
    }
}
