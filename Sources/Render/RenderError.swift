/// Problems of the environment rather than of a note: a missing program,
/// a file that cannot be written. The command line maps these to exit code 2.
public enum RenderError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingTool(String, install: String)
    case toolFailed(String)
    case cannotWrite(path: String, reason: String)
    case themeNotFound(String)

    public var description: String {
        switch self {
        case .missingTool(let tool, let install):
            "\(tool) is not installed; install it with: \(install)"
        case .toolFailed(let message):
            message
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .themeNotFound(let message):
            message
        }
    }
}
