import Foundation
import Render

/// Pages that a build replaced, kept in a folder of the cache instead of deleted, so that
/// a later build writes its staged pages over them instead of making new files.
///
/// Why: making a file allocates an inode, and ext4 without a journal passes over every
/// inode freed in the last minute or more, reading the inode table for each
/// (`recently_deleted`); a re-render that freed the 200 pages it replaced and made 400
/// files (staged pages and cache entries) spent a tenth of its time there (perf, short
/// notes, 2026-12-07; docs/performance.md). With spares, a replaced page is renamed
/// into this folder and a staged page is a spare renamed into the staging folder and
/// written over: nothing is freed, and half as many files are made.
///
/// Only on the site's own file system (a rename cannot cross one), at most `limit`
/// files, and never a file with another name elsewhere (`st_nlink` > 1: a deploy copy
/// made with hard links), which writing over would change.
///
/// ```swift
/// let spares = SpareFiles(folder: cache + "/" + SpareFiles.folderName, site: output)
/// let spare = spares?.take()        // a path to rename into the staging folder
/// let aside = spares?.keep(oldPage)     // where a replaced page went
/// ```
final class SpareFiles: @unchecked Sendable {
    static let folderName = "spare-pages"
    /// Bounds the folder: past it, replaced pages are deleted as before.
    static let limit = 20_000

    let folder: String
    private let lock = NSLock()
    private var names: [String]
    private var count: Int

    /// Nil when the folder cannot be made or is on another file system than the site.
    init?(folder: String, site: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var folderStatus = stat()
        var siteStatus = stat()
        guard stat(folder, &folderStatus) == 0, stat(site, &siteStatus) == 0, folderStatus.st_dev == siteStatus.st_dev else { return nil }
        self.folder = folder
        names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        count = names.count
    }

    /// A spare file's path, no longer offered to anyone in this process; nil when none is left.
    /// Another build sharing the cache may take the same one first: a rename from it then fails.
    func take() -> String? {
        lock.withLock {
            guard let name = names.popLast() else { return nil }
            count -= 1
            return folder + "/" + name
        }
    }

    /// Moves a file being replaced into the folder and returns where it now is; nil, with
    /// the file where it was, when there is none, the folder is full or the rename fails.
    func keep(_ path: String) -> String? {
        let place: String? = lock.withLock {
            guard count < Self.limit else { return nil }
            count += 1
            return folder + "/" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        }
        guard let place else { return nil }
        guard rename(path, place) == 0 else {
            lock.withLock { count -= 1 }
            return nil
        }
        return place
    }

    /// Moves a spare to `path` and writes `data` over it. False, with nothing at `path`, when
    /// the spare is gone or has another name elsewhere: then the caller makes a new file.
    static func write(_ data: Data, over spare: String, at path: String) throws(SiteError) -> Bool {
        if rename(spare, path) != 0 {
            // The staging folder may lack the page's folders still.
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard rename(spare, path) == 0 else { return false }
        }
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        var status = stat()
        guard descriptor >= 0, fstat(descriptor, &status) == 0, status.st_nlink == 1, (status.st_mode & S_IFMT) == S_IFREG else {
            if descriptor >= 0 { close(descriptor) }
            unlink(path)   // our name only: a file with another link lives on there
            return false
        }
        let complete = ftruncate(descriptor, 0) == 0 && AtomicFile.writeWhole(data, to: descriptor)
        let reason = String(cString: strerror(errno))
        if close(descriptor) != 0 || !complete {
            unlink(path)
            throw .cannotWrite(path: path, reason: complete ? "cannot close the file" : reason)
        }
        return true
    }
}
