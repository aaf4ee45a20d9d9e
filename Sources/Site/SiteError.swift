/// Problems of the environment rather than of a note — an unreadable folder,
/// a theme that does not load, a site folder that cannot be written. The
/// command line maps these to exit code 2.
public enum SiteError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAFolder(String)
    case invalidConfiguration(String)
    case theme(String)
    case cannotWrite(path: String, reason: String)
    case render(String)
    case invalidShard(String)
    case merge(String)
    case server(String)
    /// Another build is writing the same site folder.
    case busy(String)

    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path): not a folder of notes"
        case .invalidConfiguration(let message): message
        case .theme(let message): message
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .render(let message): message
        case .invalidShard(let message): message
        case .merge(let message): message
        case .server(let message): message
        case .busy(let site): "another nbrun build is writing \(site); run this one when it ends"
        }
    }
}
