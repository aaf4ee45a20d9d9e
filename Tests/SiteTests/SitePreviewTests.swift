import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Render
import Testing
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
        #expect(try Self.statusLine(port: port, host: "evil.example:\(port)") == "HTTP/1.1 403 Forbidden")
        #expect(try Self.statusLine(port: port, host: nil) == "HTTP/1.1 403 Forbidden")
        #expect(try Self.statusLine(port: port, host: "localhost:\(port)") == "HTTP/1.1 200 OK")

        try fixture.write("intro.md", "---\ntitle: Introduction\n---\nA changed note with a link to [[missing-note]].\n")
        let (status, _) = try await get(url + "__nbrun/wait?since=1")
        #expect(status.contains("\"generation\":2"))
        #expect(status.contains("\"where\":\"\(fixture.notes)/intro.md:4:31\""))
        let (page, _) = try await get(url + "intro.html")
        #expect(page.contains("A changed note"))
        server.cancel()
        _ = try? await server.value
    }

    @Test("only requests for localhost, 127.0.0.1 or [::1] on the server's port are answered", arguments: [
        ("localhost:8000", true), ("127.0.0.1:8000", true), ("[::1]:8000", true), ("LOCALHOST:8000", true),
        ("evil.example:8000", false), ("localhost:8001", false), ("localhost", false), ("127.0.0.1.evil.example:8000", false), ("", false),
    ])
    func hostHeader(_ host: String, _ answered: Bool) {
        #expect(SitePreview.namesThisServer(host: host, port: 8000) == answered)
    }

    /// The status line of `GET /index.html` sent by hand, so that the Host header is what the test says.
    static func statusLine(port: Int, host: String?) throws -> String {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "connect: \(String(cString: strerror(errno)))")
        let request = "GET /index.html HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(socket, &buffer, buffer.count, 0)
        let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        return text.components(separatedBy: "\r\n").first ?? ""
    }

    private func get(_ url: String) async throws -> (String, Int) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.timeoutInterval = 10
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
