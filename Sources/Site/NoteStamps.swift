import Foundation
import Render

/// What the last build saw of each note's file (size, times, inode) and the
/// hash of its bytes then, kept in the site cache, so that a rebuild reads and
/// hashes only the notes whose file changed. A note modified less than two
/// seconds before it was looked at gets no stamp: file times are coarse (a
/// few milliseconds), and a write in the same tick as the read could keep them.
///
/// ```swift
/// let stamp = NoteStamps.Stamp(path: "/abs/notes/a.md")
/// previous.notes["a.md"] == stamp   // unchanged: reuse its hash
/// ```
struct NoteStamps: Sendable, Codable, Equatable {
    struct Stamp: Sendable, Codable, Equatable {
        var size: Int
        var modified: Int
        var changed: Int
        var inode: UInt64
        var device: UInt64
        /// Set when the stamp is stored; not part of the comparison.
        var sourceHash = ""

        /// The file's stamp now, following symbolic links; nil when it cannot be read or
        /// was modified less than two seconds before `now`.
        init?(path: String, trustedBefore now: Date = Date()) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            size = Int(info.st_size)
            modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
            changed = Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)
            inode = UInt64(info.st_ino)
            device = UInt64(info.st_dev)
            let threshold = Int((now.timeIntervalSince1970 - 2) * 1_000_000_000)
            guard modified < threshold, changed < threshold else { return nil }
        }

        func matches(_ other: Stamp) -> Bool {
            size == other.size && modified == other.modified && changed == other.changed
                && inode == other.inode && device == other.device
        }
    }

    /// Note path relative to the notes folder → its stamp.
    var notes: [String: Stamp] = [:]

    /// The cache key of a site's stamps: one set per notes folder, site folder and nbrun.
    static func key(version: String, root: String, displayRoot: String, site: String) -> String {
        ContentHash.hex(of: ["stamps", version, root, displayRoot, site].joined(separator: "\u{0}"))
    }
}
