import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Render
import Testing
import TestSupport
@testable import Preview
@testable import Site

@Suite("nbrun serve")
struct SitePreviewTests {
    /// Talks to 127.0.0.1 only; every loop is bounded and the server stops by itself.
    @Test("serves the site on 127.0.0.1, never a file outside it, and reports a rebuild after a change", .timeLimit(.minutes(1)))
    func serve() async throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        var options = fixture.options(output: "preview")
        options.baseURL = "/"
        var preview = SitePreview(builder: SiteBuilder(options: options, katex: try KaTeXInstallation.locate()), port: 0)
        preview.pollInterval = .milliseconds(100)
        preview.waitLimit = .seconds(5)
        let listening = Box()
        let server = Task { [preview] in
            // Long enough for a loaded machine; the test cancels the server when it is done.
            try await preview.serve(stopAfter: .seconds(45)) { event in
                if case .listening(let url) = event { listening.set(url) }
            }
        }
        var base: String?
        for _ in 0..<100 where base == nil {
            base = listening.value
            if base == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let url = try #require(base)
        #expect(url.hasPrefix("http://127.0.0.1:"))

        let (index, indexStatus) = try await get(url + "index.html")
        #expect(indexStatus == 200)
        #expect(index.contains("<h1>Backprop notes</h1>"))
        #expect(index.contains("<script src=\"/__nbrun/live.js\" data-generation=\"1\"></script>\n</body>"))
        let (_, outside) = try await get(url + "%2e%2e/notes/intro.md")
        #expect(outside == 404)
        let (_, hidden) = try await get(url + ".nbrun-site.json")
        #expect(hidden == 404)
        let (script, _) = try await get(url + "__nbrun/live.js")
        #expect(script.contains("/__nbrun/wait?since="))
        // The site on disk has no live-reload script: only responses get it.
        #expect(!fixture.read("index.html", output: "preview").contains("live.js"))

        // DNS rebinding: a request naming another host is refused, one naming this server answered.
        let port = try #require(URLComponents(string: url)?.port)
        #expect(try await Self.statusLine(port: port, host: "evil.example:\(port)") == "HTTP/1.1 403 Forbidden")
        #expect(try await Self.statusLine(port: port, host: nil) == "HTTP/1.1 403 Forbidden")
        #expect(try await Self.statusLine(port: port, host: "localhost:\(port)") == "HTTP/1.1 200 OK")

        // Request heads past their bounds: answered at once, and the server serves on.
        let host = "Host: 127.0.0.1:\(port)\r\n"
        let longLine = try await Self.exchange(port: port, Array(("GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\n" + host + "\r\n").utf8))
        #expect(longLine.reply.hasPrefix("HTTP/1.1 414 URI Too Long\r\n"), "\(longLine.reply.prefix(100))")
        let manyHeaders = try await Self.exchange(port: port, Array(("GET / HTTP/1.1\r\n" + host + String(repeating: "X-Padding: " + String(repeating: "b", count: 1000) + "\r\n", count: 40) + "\r\n").utf8))
        #expect(manyHeaders.reply.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(manyHeaders.reply.prefix(100))")
        // 2 MB with no line end: the server reads 12 KB of it, answers or closes, and is done
        // (FlyingFox's HTTP layer read it all, for tens of seconds).
        let huge = try await Self.exchange(port: port, Array(("GET /" + String(repeating: "a", count: 2 << 20)).utf8))
        #expect(huge.seconds < 3, "the connection stayed open \(huge.seconds) s")
        #expect(huge.reply.isEmpty || huge.reply.hasPrefix("HTTP/1.1 414 "), "\(huge.reply.prefix(100))")
        #expect(try await Self.statusLine(port: port, host: "localhost:\(port)") == "HTTP/1.1 200 OK")

        try fixture.write("intro.md", "---\ntitle: Introduction\n---\nA changed note with a link to [[missing-note]].\n")
        let (status, _) = try await get(url + "__nbrun/wait?since=1")
        #expect(status.contains("\"generation\":2"))
        #expect(status.contains("\"where\":\"\(fixture.notes)/intro.md:4:31\""))
        let (page, _) = try await get(url + "intro.html")
        #expect(page.contains("A changed note"))
        server.cancel()
        _ = try? await server.value
    }

    @Test("a request head is read within its bounds", arguments: [
        ("GET /a?since=3 HTTP/1.1\r\nHost: localhost:8000\r\nAccept: */*\r\n\r\n", "GET /a?since=3 host=localhost:8000"),
        ("GET / HTTP/1.1\nHost: x\n\n", "GET / host=x"),
        ("GET / HTTP/1.1\r\nHost: x\r\n", "incomplete"),
        ("GET /" + String(repeating: "a", count: 8_200), "414"),
        ("GET /" + String(repeating: "a", count: 9_000) + " HTTP/1.1\r\n\r\n", "414"),
        ("GET / HTTP/1.1\r\n" + String(repeating: "X: " + String(repeating: "b", count: 100) + "\r\n", count: 400), "431"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"),
        ("HELLO\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nno colon\r\n\r\n", "400"),
    ])
    func requestHead(_ bytes: String, _ expected: String) {
        let shown = switch RequestHead.read(Array(bytes.utf8)) {
        case .head(let head): "\(head.method) \(head.target) host=\(head.headers["host"] ?? "-")"
        case .incomplete: "incomplete"
        case .refused(let status): "\(status)"
        }
        #expect(shown == expected)
    }

    @Test func requestQuery() {
        let head = RequestHead(method: "GET", target: "/__nbrun/wait?x=1&since=12", headers: [:])
        #expect(head.path == "/__nbrun/wait")
        #expect(head.query("since") == "12")
        #expect(head.query("y") == nil)
    }

    @Test("only requests for localhost, 127.0.0.1 or [::1] on the server's port are answered", arguments: [
        ("localhost:8000", true), ("127.0.0.1:8000", true), ("[::1]:8000", true), ("LOCALHOST:8000", true),
        ("evil.example:8000", false), ("localhost:8001", false), ("localhost", false), ("127.0.0.1.evil.example:8000", false), ("", false),
    ])
    func hostHeader(_ host: String, _ answered: Bool) {
        #expect(SitePreview.namesThisServer(host: host, port: 8000) == answered)
    }

    /// The status line of `GET /index.html` sent by hand, so that the Host header is what the test says.
    static func statusLine(port: Int, host: String?) async throws -> String {
        let request = "GET /index.html HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n"
        return try await exchange(port: port, Array(request.utf8)).reply.components(separatedBy: "\r\n").first ?? ""
    }

    /// `blockingExchange` on a thread of its own: blocking one of the few threads async tasks run on
    /// would starve the server under test, in this process, while the whole suite runs.
    static func exchange(port: Int, _ request: [UInt8]) async throws -> (reply: String, seconds: Double) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingExchange(port: port, request) })
            }
        }
    }

    /// Sends `request` (from another thread, so a server that stops reading cannot block the test)
    /// and reads until the server closes: what came back, and how long the connection lasted.
    static func blockingExchange(port: Int, _ request: [UInt8]) throws -> (reply: String, seconds: Double) {
        let socket = try LoopbackSocket.connect(port: port).get()
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let start = ContinuousClock.now
        let sent = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            request.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let count = send(socket, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                    if count <= 0 { break }
                    offset += count
                }
            }
            sent.signal()
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply += buffer.prefix(count)
        }
        let elapsed = ContinuousClock.now - start
        shutdown(socket, Int32(SHUT_RDWR))
        sent.wait()
        close(socket)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (String(decoding: reply, as: UTF8.self), seconds)
    }

    private func get(_ url: String) async throws -> (String, Int) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        return (String(decoding: data, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode ?? 0)
    }
}

private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    var value: String? { lock.withLock { stored } }
    func set(_ value: String) { lock.withLock { stored = value } }
}

extension SitePreviewTests {
    @Test("a port in use fails at once, before the site is built", .timeLimit(.minutes(1)))
    func portInUse() async throws {
        // Hold a port with a plain listening socket.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, length) == 0 && listen(holder, 1) == 0
                && getsockname(holder, $0, &length) == 0 }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        var options = fixture.options(output: "preview")
        options.baseURL = "/"
        let preview = SitePreview(builder: SiteBuilder(options: options, katex: try KaTeXInstallation.locate()), port: port)
        await #expect(throws: SiteError.self) {
            try await preview.serve(stopAfter: .seconds(2)) { _ in }
        }
        #expect(fixture.read("index.html", output: "preview").isEmpty)
    }
}
