import Foundation
import Render

/// The files one build writes, put aside in `OUT/.nbrun-staging/` and moved into
/// place together once every page has been made. A build that stops before
/// that — an error, a full disk, a killed process — leaves the previous site as
/// it was; what it had staged is removed then, or by the next build.
///
/// ```swift
/// let staging = try SiteStaging(site: output)
/// try staging.write(pageBytes, to: "a/b.html")
/// try staging.commit()          // every staged file now in place
/// ```
final class SiteStaging: @unchecked Sendable {
    static let folderName = ".nbrun-staging"

    let site: String
    let folder: String
    private let lock = NSLock()
    private var staged: [String] = []

    /// Starts a staging area, clearing what an interrupted build left behind.
    init(site: String) throws(SiteError) {
        self.site = site
        folder = site + "/" + Self.folderName
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.createFolder(folder)
    }

    /// Writes a site file (given relative to the site) aside; safe from several threads.
    func write(_ data: Data, to relative: String) throws(SiteError) {
        let path = folder + "/" + relative
        do {
            try FileManager.createFolder((path as NSString).deletingLastPathComponent)
            try AtomicFile.write(data, to: path)
        } catch {
            throw .cannotWrite(path: site + "/" + relative, reason: "\(error)")
        }
        lock.withLock { staged.append(relative) }
    }

    /// Moves every staged file to its place (each move is a rename: a reader sees
    /// the old file or the new one), then removes the staging folder.
    func commit() throws(SiteError) {
        let files = lock.withLock { staged.sorted() }
        // What would stop a move half-way (a folder where a page goes) stops the build before the first.
        for relative in files {
            var isDirectory: ObjCBool = false
            let target = site + "/" + relative
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
                throw .cannotWrite(path: target, reason: "a folder is in the way")
            }
        }
        for relative in files {
            let target = site + "/" + relative
            try FileManager.createFolder((target as NSString).deletingLastPathComponent)
            guard rename(folder + "/" + relative, target) == 0 else {
                throw .cannotWrite(path: target, reason: String(cString: strerror(errno)))
            }
        }
        lock.withLock { staged.removeAll() }
        discard()
    }

    /// Forgets what was staged.
    func discard() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
