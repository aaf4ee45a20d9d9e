import Diagnostics
import Foundation

/// Notices changes to folders by polling: a fingerprint of every file's path,
/// size and modification time (portable; no inotify needed).
///
/// ```swift
/// let before = ChangeWatch.fingerprint(of: ["notebooks"], skipping: "/abs/_site")
/// ```
public enum ChangeWatch {
    public static func fingerprint(of folders: [String], skipping skipped: String) -> [String: String] {
        var out: [String: String] = [:]
        for folder in folders {
            let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            FolderWalk.walk(base) { entry in
                let path = base + "/" + entry.path
                if entry.name.hasPrefix(".") || entry.name == "node_modules" || URL(fileURLWithPath: path).standardizedFileURL.path.hasPrefix(skipped) {
                    return false
                }
                if entry.kind == .folder { return true }
                // One stat per file: its size and modification time, through a symbolic link.
                var info = stat()
                guard stat(path, &info) == 0 else { return false }
                out[path] = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
                return false
            }
        }
        return out
    }
}
