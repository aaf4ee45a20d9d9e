#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry met while walking a folder.
public struct FolderEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file, folder, symbolicLink, other
    }

    /// The path below the walked folder, with `/` separators: `img/plot.png`.
    public var path: String
    public var kind: Kind

    /// The last component of `path`.
    public var name: Substring {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path[...] }
        return path[path.index(after: slash)...]
    }
}

/// Lists a folder's tree with `readdir`, taking each entry's kind from the
/// directory itself (one `lstat` only where the file system does not say), so a
/// folder of thousands of notes is listed in a few system calls per folder.
/// Entries come folder by folder in name order, so every machine walks the same
/// tree in the same order; symbolic links are reported, never followed.
///
/// ```swift
/// FolderWalk.walk("notebooks") { entry in
///     if entry.kind == .file { print(entry.path) }   // "hidden-layers.md", "img/plot.png", …
///     return !entry.name.hasPrefix(".")               // false: leave this folder out
/// }
/// ```
public enum FolderWalk {
    /// Calls `visit` for every entry below `root`; a folder is entered only when
    /// `visit` returns true for it. Stops after `limit` entries. An unreadable
    /// folder is passed over.
    public static func walk(_ root: String, limit: Int = .max, _ visit: (FolderEntry) -> Bool) {
        var budget = limit
        let base = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        walk(folder: base, prefix: "", budget: &budget, visit)
    }

    private static func walk(folder: String, prefix: String, budget: inout Int, _ visit: (FolderEntry) -> Bool) {
        for (name, kind) in entries(of: folder) {
            guard budget > 0 else { return }
            budget -= 1
            let entry = FolderEntry(path: prefix + name, kind: kind)
            if visit(entry), kind == .folder {
                walk(folder: folder + "/" + name, prefix: entry.path + "/", budget: &budget, visit)
            }
        }
    }

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19

    /// The names in one folder (without `.` and `..`), sorted by their bytes.
    private static func entries(of folder: String) -> [(String, FolderEntry.Kind)] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var found: [(String, FolderEntry.Kind)] = []
        while let pointer = readdir(directory) {
            // The name is read where it lies: a record is only as long as its name, so copying
            // `d_name` whole (256 bytes) reads past the last record of readdir's buffer.
            let name = String(cString: UnsafeRawPointer(pointer).advanced(by: Self.nameOffset).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            let kind: FolderEntry.Kind
            switch Int32(pointer.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .folder
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = statKind(folder + "/" + name)
            default: kind = .other
            }
            found.append((name, kind))
        }
        found.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return found
    }

    private static func statKind(_ path: String) -> FolderEntry.Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }
}
