import Foundation

/// Writes a file whole or not at all: a temporary file in the same folder,
/// then a rename over the target, so a reader or an interrupted run never
/// sees half a page.
package enum AtomicFile {
    package static func write(_ data: Data, to path: String) throws(RenderError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw RenderError.cannotWrite(path: path, reason: "the folder is missing or not writable")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RenderError.cannotWrite(path: path, reason: reason)
        }
    }

    package static func write(_ text: String, to path: String) throws(RenderError) {
        try write(Data(text.utf8), to: path)
    }
}
