import Foundation

/// Why a note could not be read at all (as opposed to problems inside it).
public enum SourceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case isDirectory(String)
    case unreadable(String, reason: String)
    case tooLarge(String, bytes: Int, limit: Int)

    public var path: String {
        switch self {
        case .notFound(let path), .isDirectory(let path), .unreadable(let path, _), .tooLarge(let path, _, _): path
        }
    }

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): error: no such file"
        case .isDirectory(let path): "\(path): error: is a directory, not a note (use `nbrun check \(path)` or `nbrun build \(path) -o OUT`)"
        case .unreadable(let path, let reason): "\(path): error: cannot read: \(reason)"
        case .tooLarge(let path, let bytes, let limit): "\(path): error: the note is \(bytes) bytes, over the limit of \(limit) bytes"
        }
    }
}

extension SourceFile {
    /// The default largest note nbrun reads: 64 MiB.
    public static let defaultSizeLimit = 64 << 20

    /// Reads a note from disk. Never modifies it.
    public static func read(path: String, sizeLimit: Int = defaultSizeLimit) throws(SourceFileError) -> SourceFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .notFound(path)
        }
        if isDirectory.boolValue { throw .isDirectory(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: sizeLimit + 1) ?? Data()
        } catch {
            throw .unreadable(path, reason: error.localizedDescription)
        }
        if data.count > sizeLimit { throw .tooLarge(path, bytes: data.count, limit: sizeLimit) }
        return SourceFile(path: path, bytes: [UInt8](data))
    }
}
