import Foundation

/// Why a note could not be read at all (as opposed to problems inside it).
public enum SourceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case isDirectory(String)
    /// A pipe, socket or device: reading one could wait forever.
    case notRegularFile(String)
    case unreadable(String, reason: String)
    case tooLarge(String, bytes: Int, limit: Int)

    public var path: String {
        switch self {
        case .notFound(let path), .isDirectory(let path), .notRegularFile(let path), .unreadable(let path, _), .tooLarge(let path, _, _): path
        }
    }

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): error: no such file"
        case .isDirectory(let path): "\(path): error: is a directory, not a note (use `nbrun check \(path)` or `nbrun build \(path) -o OUT`)"
        case .notRegularFile(let path): "\(path): error: is not a regular file (a pipe, socket or device); a note is a regular file"
        case .unreadable(let path, let reason): "\(path): error: cannot read: \(reason)"
        case .tooLarge(let path, let bytes, let limit):
            "\(path): error: " + Limits.exceeded("the note is \(bytes) bytes, over the limit of \(limit) bytes", .maxNoteBytes)
        }
    }
}

extension SourceFile {
    /// The default largest note nbrun reads: 64 MiB.
    public static let defaultSizeLimit = 64 << 20

    /// Reads a note from disk. Never modifies it. Only a regular file is read, and only
    /// when its size is within `sizeLimit`: both are known before a byte is read.
    public static func read(path: String, sizeLimit: Int = defaultSizeLimit) throws(SourceFileError) -> SourceFile {
        // O_NONBLOCK: opening a pipe with no writer would otherwise wait forever.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { throw .isDirectory(path) }
            if reason == ENOENT || reason == ENOTDIR { throw .notFound(path) }
            throw .unreadable(path, reason: String(cString: strerror(reason)))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path, reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .isDirectory(path)
        default: throw .notRegularFile(path)
        }
        if Int(info.st_size) > sizeLimit { throw .tooLarge(path, bytes: Int(info.st_size), limit: sizeLimit) }
        let data: Data
        do {
            data = try handle.read(upToCount: sizeLimit + 1) ?? Data()
        } catch {
            throw .unreadable(path, reason: error.localizedDescription)
        }
        // A file that grew after the check is still cut off here.
        if data.count > sizeLimit { throw .tooLarge(path, bytes: data.count, limit: sizeLimit) }
        return SourceFile(path: path, bytes: [UInt8](data))
    }
}
