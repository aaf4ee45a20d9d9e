import Foundation

/// A TCP connection to 127.0.0.1, made with the C socket calls so that a test controls every
/// byte (URLSession would refuse or rewrite the malformed requests servers must survive).
/// Shared by the Site and nbrun tests (the TestSupport target).
package enum LoopbackSocket {
    /// A socket connected to `port`, or the `errno` of the failed connect (the socket closed).
    package static func connect(port: Int) -> Result<Int32, POSIXError> {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            close(socket)
            return .failure(error)
        }
        return .success(socket)
    }
}
