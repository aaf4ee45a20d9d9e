import Foundation
import Render

/// The files one build writes, put aside in `OUT/.nbrun-staging/` and moved into
/// place together once every page has been made. A build that stops before
/// that — an error, a full disk, Ctrl-C or SIGTERM — leaves the previous site as
/// it was and removes what it had staged; only a process killed outright
/// (SIGKILL, a power cut) leaves the folder, which the next build clears.
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

    /// The site folder, open and locked (`flock`) while this build stages and moves its files:
    /// two builds into one folder would clear each other's staging and mix their pages.
    private let lockDescriptor: Int32
    /// Writes and moves under way; an interruption waits for them, then removes the folder.
    private let gate = WriteGate()
    private var interruption: Interruption.Token?
    /// Files earlier builds replaced, written over instead of new ones made (`SpareFiles`);
    /// the site cache's page entries draw on them too.
    let spares: SpareFiles?

    /// Starts a staging area, clearing what an interrupted build left behind; throws `busy`
    /// when another build holds the site folder (the kernel lets go of a killed one's lock).
    init(site: String, spares: SpareFiles? = nil) throws(SiteError) {
        self.site = site
        self.spares = spares
        lockDescriptor = open(site, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lockDescriptor >= 0 else { throw .cannotWrite(path: site, reason: String(cString: strerror(errno))) }
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(lockDescriptor)
            throw .busy(site)
        }
        folder = site + "/" + Self.folderName
        try? FileManager.default.removeItem(atPath: folder)
        do {
            try FileManager.createFolder(folder)
        } catch {
            close(lockDescriptor)
            throw error
        }
        // Ctrl-C or SIGTERM mid-build: no file is half-written when the folder goes (the gate waits
        // for those under way and holds back any later one until the process has ended).
        interruption = Interruption.onSignal { [gate, folder] in
            gate.closeForever()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    deinit {
        if let interruption { Interruption.cancel(interruption) }
        close(lockDescriptor)
    }

    /// Writes a site file (given relative to the site) aside; safe from several threads.
    func write(_ data: Data, to relative: String) throws(SiteError) {
        gate.enter()
        defer { gate.leave() }
        let path = folder + "/" + relative
        // No reader sees the staging folder, so a spare is written over in place (the commit's
        // rename is what a reader of the site sees change).
        if let spare = spares?.take(), try SpareFiles.write(data, over: spare, at: path) {
            lock.withLock { staged.append(relative) }
            return
        }
        do {
            try AtomicFile.write(data, to: path, makingFolders: true)
        } catch {
            throw .cannotWrite(path: site + "/" + relative, reason: "\(error)")
        }
        lock.withLock { staged.append(relative) }
    }

    /// Moves every staged file to its place (each move is a rename: a reader sees
    /// the old file or the new one), then removes the staging folder. All or none:
    /// a move that fails puts back the files moved before it, so the site is the
    /// previous one; only a process killed during the moves (milliseconds) leaves
    /// a mix, which the next build completes.
    func commit() throws(SiteError) {
        gate.enter()
        defer { gate.leave() }
        let files = lock.withLock { staged.sorted() }
        // What would stop a move half-way (a folder where a page goes, a file where a folder
        // goes) stops the build before the first.
        var folders = Set<String>()
        for relative in files {
            var isDirectory: ObjCBool = false
            let target = site + "/" + relative
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
                throw .cannotWrite(path: target, reason: "a folder is in the way")
            }
            var folder = (target as NSString).deletingLastPathComponent
            while folder.count > site.count, folders.insert(folder).inserted {
                if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
                    throw .cannotWrite(path: target, reason: "\(folder) is a file, not a folder")
                }
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        // The files replaced wait among the spares (kept for the next build) or in `previous/`
        // (deleted with the staging folder) until every move is done.
        let previous = folder + "/" + Self.previousFolder
        var moved: [(relative: String, replacedAt: String?)] = []
        // Each folder is made once, not once per file in it (a look at every level each time).
        var made = Set<String>()
        func makeFolder(_ path: String) throws(SiteError) {
            guard !made.contains(path) else { return }
            try FileManager.createFolder(path)
            made.insert(path)
        }
        for relative in files {
            let target = site + "/" + relative
            do {
                try makeFolder((target as NSString).deletingLastPathComponent)
                var replacedAt: String?
                if let kept = spares?.keep(target) {
                    replacedAt = kept
                } else if FileManager.default.fileExists(atPath: target) {
                    let aside = previous + "/" + relative
                    try makeFolder((aside as NSString).deletingLastPathComponent)
                    guard rename(target, aside) == 0 else { throw SiteError.cannotWrite(path: target, reason: String(cString: strerror(errno))) }
                    replacedAt = aside
                }
                guard rename(folder + "/" + relative, target) == 0 else {
                    let reason = String(cString: strerror(errno))
                    if let replacedAt { rename(replacedAt, target) }
                    throw SiteError.cannotWrite(path: target, reason: reason)
                }
                moved.append((relative, replacedAt))
            } catch {
                for (done, replacedAt) in moved.reversed() {
                    let target = site + "/" + done
                    if let replacedAt { rename(replacedAt, target) } else { unlink(target) }
                }
                throw (error as? SiteError) ?? .cannotWrite(path: target, reason: "\(error)")
            }
        }
        lock.withLock { staged.removeAll() }
        discard()
    }

    static let previousFolder = ".previous"

    /// Forgets what was staged.
    func discard() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Lets any number of writers in at once until it is closed; closing waits for those
/// inside, and a writer that comes after waits for good (the process is about to end
/// by its signal: an error from the writer would race it to another exit status).
private final class WriteGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var inside = 0
    private var closed = false

    func enter() {
        condition.lock()
        while closed { condition.wait() }
        inside += 1
        condition.unlock()
    }

    func leave() {
        condition.lock()
        inside -= 1
        if inside == 0 { condition.broadcast() }
        condition.unlock()
    }

    func closeForever() {
        condition.lock()
        closed = true
        while inside > 0 { condition.wait() }
        condition.unlock()
    }
}
