import FlyingSocks
import Foundation

/// The HTTP that `nbrun serve` speaks, on FlyingSocks' non-blocking sockets: one
/// request per connection (every answer says `Connection: close`), GET and HEAD.
///
/// nbrun reads each request's head itself, and stops reading at the first bound
/// crossed: a request line over `RequestHead.maxRequestLine` bytes is answered 414,
/// a head over `RequestHead.maxHeadBytes` 431, and a head not complete within
/// `headTimeout` 408 — the connection is then closed and the rest never read.
/// FlyingFox 0.27's HTTP layer, which this replaces, collected a request line byte
/// by byte with no bound and no hook to set one: a client sending a 2 MB line kept
/// a core busy for tens of seconds after it left.
///
/// ```swift
/// let server = try PreviewServer(port: 0)      // bound and listening on 127.0.0.1
/// try await server.run { head in PreviewResponse(status: 200, body: Data("hi".utf8)) }
/// ```
struct PreviewServer: Sendable {
    let socket: Socket
    /// The port listened on (the one the kernel chose for port 0).
    let port: UInt16
    /// How long a client has to send its whole head (a slow sender holds a connection no longer).
    var headTimeout: Duration = .seconds(10)

    /// Binds 127.0.0.1:`port` and listens; throws at once when the port is taken.
    init(port: UInt16) throws {
        let socket = try Socket(domain: AF_INET, type: .stream)
        do {
            try socket.setValue(true, for: .localAddressReuse)
            try socket.bind(to: .inet(ip4: "127.0.0.1", port: port))
            try socket.listen()
            guard case .ip4(_, let bound) = try socket.sockname() else { throw SocketError.unsupportedAddress }
            self.port = bound
        } catch {
            try? socket.close()
            throw error
        }
        self.socket = socket
    }

    /// Accepts connections and answers each with `respond` until cancelled; throws when it
    /// cannot accept any more (file descriptors run out).
    func run(_ respond: @escaping @Sendable (RequestHead) async -> PreviewResponse) async throws {
        let pool: some AsyncSocketPool = .make()
        try await pool.prepare()
        let listening = try AsyncSocket(socket: socket, pool: pool)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.run() }
                group.addTask {
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await client in listening.sockets {
                            connections.addTask { await answer(client, respond) }
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            return
        }
    }

    func close() {
        try? socket.close()
    }

    private func answer(_ client: AsyncSocket, _ respond: @Sendable (RequestHead) async -> PreviewResponse) async {
        defer { try? client.close() }
        let response: PreviewResponse
        var headOnly = false
        let reading = await Self.within(headTimeout) { () async throws -> RequestHead.Reading? in
            var buffer: [UInt8] = []
            while true {
                let reading = RequestHead.read(buffer)
                guard reading == .incomplete else { return reading }
                // At most 4 KB a read: the bounds are checked every 4 KB, never far past them.
                let chunk = try await client.read(atMost: 4096)
                guard !chunk.isEmpty else { return nil }
                buffer += chunk
            }
        }
        switch reading {
        case .head(let head)??:
            headOnly = head.method == "HEAD"
            response = await respond(head)
        case .refused(let status)??:
            response = PreviewResponse(status: status, body: Data((PreviewResponse.reason(for: status) + "\n").utf8))
        case .incomplete??, nil:
            response = PreviewResponse(status: 408, body: Data("Request Timeout\n".utf8))
        case .some(nil):
            return
        }
        try? await client.write(response.encoded(headOnly: headOnly))
        if case .head?? = reading { return }
        // Closing with the rest of the request unread would reset the connection, and the client
        // could lose the answer: the answer is ended (FIN), and a little more is read and dropped.
        shutdown(client.socket.file.rawValue, Int32(SHUT_WR))
        _ = await Self.within(.seconds(1)) {
            var drained = 0
            while drained < 65_536 {
                let chunk = try await client.read(atMost: 4096)
                if chunk.isEmpty { break }
                drained += chunk.count
            }
        }
    }

    /// What `body` returns, or nil when `limit` passes first or it throws (the client left).
    private static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async -> T? {
        try? await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// The method, target and headers of one request, read under fixed bounds.
struct RequestHead: Sendable, Equatable {
    /// A browser's request line is a few hundred bytes; Apache allows 8,190.
    static let maxRequestLine = 8_192
    /// The request line and every header together (browsers send one to two KB).
    static let maxHeadBytes = 32_768

    var method: String
    /// As sent: percent-encoded, with its query.
    var target: String
    /// Names lower-cased.
    var headers: [String: String]

    /// The target without its query.
    var path: String { String(target.prefix { $0 != "?" && $0 != "#" }) }

    /// The first value of query parameter `name`, as sent.
    func query(_ name: String) -> String? {
        guard let start = target.firstIndex(of: "?") else { return nil }
        for pair in target[target.index(after: start)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }

    enum Reading: Sendable, Equatable {
        case head(RequestHead)
        /// More bytes are needed (or, from the reader, they did not come in time).
        case incomplete
        /// The status to answer with: 400, 414 or 431.
        case refused(Int)
    }

    /// Reads a head from the bytes received so far; looks at no more than the bounds allow.
    static func read(_ bytes: [UInt8]) -> Reading {
        let lineFeed = UInt8(ascii: "\n")
        guard let firstLineEnd = bytes.prefix(maxRequestLine + 2).firstIndex(of: lineFeed) else {
            return bytes.count > maxRequestLine + 1 ? .refused(414) : .incomplete
        }
        guard firstLineEnd <= maxRequestLine + 1 else { return .refused(414) }
        // The head ends at the first empty line (CRLF CRLF, or LF LF from a lenient client).
        var end: Int?
        var lineStart = firstLineEnd + 1
        while lineStart < min(bytes.count, maxHeadBytes), let lineEnd = bytes[lineStart..<min(bytes.count, maxHeadBytes)].firstIndex(of: lineFeed) {
            if lineEnd == lineStart || (lineEnd == lineStart + 1 && bytes[lineStart] == UInt8(ascii: "\r")) {
                end = lineStart
                break
            }
            lineStart = lineEnd + 1
        }
        guard let end else { return bytes.count >= maxHeadBytes ? .refused(431) : .incomplete }
        // Split as bytes: a String holds CR LF as one Character.
        let lines = bytes[..<end].split(separator: lineFeed)
            .map { String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self) }
            .filter { !$0.isEmpty }
        let parts = lines.first?.split(separator: " ", omittingEmptySubsequences: true) ?? []
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return .refused(400) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return .refused(400) }
            let name = line[..<colon].lowercased()
            guard headers[name] == nil else {
                // Two Host headers could name two servers: refused, as RFC 9112 §3.2 says.
                if name == "host" { return .refused(400) }
                continue
            }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return .head(RequestHead(method: String(parts[0]), target: String(parts[1]), headers: headers))
    }
}

/// One answer, written whole with its length; the connection closes after it.
struct PreviewResponse: Sendable {
    var status: Int
    var contentType = "text/plain; charset=utf-8"
    var cacheControl: String?
    var body: Data

    func encoded(headOnly: Bool) -> Data {
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        head += "Content-Type: \(contentType)\r\n"
        if let cacheControl { head += "Cache-Control: \(cacheControl)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Data(head.utf8) + (headOnly ? Data() : body)
    }

    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        default: "Error"
        }
    }
}
