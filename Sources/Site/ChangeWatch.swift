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
        let files = FileManager.default
        for folder in folders {
            guard let walker = files.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                let path = folder + "/" + relative
                if name.hasPrefix(".") || name == "node_modules" || URL(fileURLWithPath: path).standardizedFileURL.path.hasPrefix(skipped) {
                    walker.skipDescendants()
                    continue
                }
                guard let attributes = walker.fileAttributes, attributes[.type] as? FileAttributeType != .typeDirectory else { continue }
                let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                out[path] = "\(size):\(modified)"
            }
        }
        return out
    }
}
