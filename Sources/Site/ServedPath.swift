import Foundation

/// Maps a request path to a file of the site, or to nothing: percent-decoding
/// once, refusing `..`, hidden names and NUL, and checking that the file —
/// symbolic links resolved — is inside the site folder.
///
/// ```swift
/// ServedPath.resolve("/derivation/", in: "/tmp/site")   // "/tmp/site/derivation/index.html" if it exists
/// ServedPath.resolve("/../etc/passwd", in: "/tmp/site") // nil
/// ```
public enum ServedPath {
    public static func resolve(_ rawPath: String, in site: String) -> String? {
        var path = rawPath
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        guard let decoded = path.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else { return nil }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.allSatisfy({ !$0.hasPrefix(".") }) else { return nil }
        var candidate = parts.isEmpty ? site : site + "/" + parts.joined(separator: "/")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { candidate += "/index.html" }
        let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(site + "/"), FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory),
              !isDirectory.boolValue else { return nil }
        return resolved
    }

    public static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "ttf": "font/ttf"
        case "txt", "md": "text/plain; charset=utf-8"
        case "csv": "text/csv; charset=utf-8"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }
}
