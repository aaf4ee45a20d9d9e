import Foundation

/// Writes a file whole or not at all: a temporary file in the same folder,
/// then a rename over the target, so a reader or an interrupted run never
/// sees half a page. Plain POSIX calls: Foundation's `createFile` writes its
/// own temporary file, renames and syncs it to disk before ours is renamed,
/// which costs a build one sync per file and protects against nothing more
/// than an interrupted process (power loss aside, which pages can be rebuilt from).
package enum AtomicFile {
    /// `makingFolders`: the folders are made when the file cannot be opened for want of them —
    /// only then, so that writing into a folder that exists (nearly always, for caches and
    /// pages) costs no look at it (making sure of every folder first was a tenth of a re-render).
    package static func write(_ data: Data, to path: String, makingFolders: Bool = false) throws(RenderError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        var descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if descriptor < 0, errno == ENOENT, makingFolders, !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        guard descriptor >= 0 else {
            throw RenderError.cannotWrite(path: path, reason: "the folder is missing or not writable (\(String(cString: strerror(errno))))")
        }
        let complete = writeWhole(data, to: descriptor)
        let reason = complete ? "" : String(cString: strerror(errno))
        if close(descriptor) != 0 || !complete {
            unlink(temporary)
            throw RenderError.cannotWrite(path: path, reason: complete ? "cannot close the file" : reason)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RenderError.cannotWrite(path: path, reason: reason)
        }
    }

    /// Writes all of `data` to an open file, going on after interrupted calls; false on an error (in `errno`).
    package static func writeWhole(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
    }

    package static func write(_ text: String, to path: String) throws(RenderError) {
        try write(Data(text.utf8), to: path)
    }
}
