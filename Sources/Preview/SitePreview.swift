import Diagnostics
import FlyingSocks
import Site
import Foundation

/// `nbrun serve`: builds a site, serves its folder on 127.0.0.1 (`PreviewServer`),
/// rebuilds when the notes folder or the theme changes, and has the open page
/// reload itself. Problems of the last build show as an overlay on
/// the page, each with `file:line`. Only files inside the built site are
/// served: no `..`, no hidden files, no symbolic link out of it.
///
/// ```swift
/// let preview = SitePreview(builder: builder, port: 8000)
/// try preview.run(stopAfter: nil) { event in print(event) }
/// ```
public struct SitePreview: Sendable {
    public enum Event: Sendable {
        case listening(String)
        /// A build finished: what it did, and how long it took.
        case built(SiteBuildReport, Duration)
        case failed(String)
    }

    public let builder: SiteBuilder
    public let port: UInt16
    /// How often the notes folder is looked at for changes.
    public var pollInterval: Duration = .milliseconds(250)
    /// How long a page's request for the next build waits before answering "no change".
    public var waitLimit: Duration = .seconds(20)

    public init(builder: SiteBuilder, port: UInt16) {
        self.builder = builder
        self.port = port
    }

    /// Serves until `stopAfter` has passed (forever when nil); blocks the caller.
    public func run(stopAfter: Duration?, events: @escaping @Sendable (Event) -> Void) throws(SiteError) {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await serve(stopAfter: stopAfter, events: events)
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw (error as? SiteError) ?? .server("\(error)") }
    }

    public func serve(stopAfter: Duration?, events: @escaping @Sendable (Event) -> Void) async throws {
        let state = PreviewState()
        let site = LinkResolver_canonical(builder.options.output)
        let server: PreviewServer
        do {
            server = try PreviewServer(port: port)
        } catch {
            let reason = if case SocketError.failed(_, _, let message) = error { message } else { "\(error)" }
            throw SiteError.server("cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        defer { server.close() }
        await state.listening(on: server.port)
        let waitLimit = waitLimit
        let failure = ServerFailure()
        let serving = Task {
            do {
                try await server.run { request in await Self.respond(to: request, site: site, state: state, waitLimit: waitLimit) }
            } catch {
                await failure.record(error)
            }
        }
        // The port is ours before the first build (a port in use fails at once, not after building
        // the whole site); the address is announced once there is a site to see.
        await rebuild(state: state, events: events)
        events(.listening("http://127.0.0.1:\(server.port)/"))
        let watcher = Task {
            var last = ChangeWatch.fingerprint(of: [builder.options.notes, builder.options.theme], skipping: site)
            while !Task.isCancelled {
                try await Task.sleep(for: pollInterval)
                let now = ChangeWatch.fingerprint(of: [builder.options.notes, builder.options.theme], skipping: site)
                if now != last {
                    last = now
                    await rebuild(state: state, events: events)
                }
            }
        }
        if let stopAfter {
            try? await Task.sleep(for: stopAfter)
        } else {
            _ = try? await serving.value
        }
        watcher.cancel()
        serving.cancel()
        _ = await serving.result
        // The server ends by itself only when it cannot go on (no file descriptors left to accept with).
        if stopAfter == nil, let error = await failure.error { throw SiteError.server("the server stopped: \(error)") }
    }

    /// The answer to one request: 403 unless it names this server, then the live-reload
    /// script, the next build's news (held until it comes or `waitLimit` passes), or a file.
    static func respond(to request: RequestHead, site: String, state: PreviewState, waitLimit: Duration) async -> PreviewResponse {
        // A page from another site can point its own name at 127.0.0.1 (DNS rebinding):
        // only requests that name this server are answered.
        guard namesThisServer(host: request.headers["host"], port: await state.port) else {
            return PreviewResponse(status: 403, body: Data("nbrun serve answers only requests for localhost, 127.0.0.1 or [::1] on its port\n".utf8))
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return PreviewResponse(status: 405, body: Data("nbrun serve answers GET and HEAD only\n".utf8))
        }
        switch request.path {
        case "/__nbrun/live.js":
            return PreviewResponse(status: 200, contentType: "text/javascript; charset=utf-8", cacheControl: "no-store",
                                   body: Data(PreviewScript.source.utf8))
        case "/__nbrun/wait":
            let since = Int(request.query("since") ?? "") ?? -1
            let deadline = ContinuousClock.now + waitLimit
            while await state.generation <= since, ContinuousClock.now < deadline {
                do { try await Task.sleep(for: .milliseconds(100)) } catch { break }
            }
            return PreviewResponse(status: 200, contentType: "application/json", cacheControl: "no-store", body: await state.statusJSON())
        default:
            return file(for: request.path, in: site, generation: await state.generation)
        }
    }

    /// `localhost:PORT`, `127.0.0.1:PORT` or `[::1]:PORT` (the port may be left out only when it is 80).
    static func namesThisServer(host: String?, port: UInt16) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return ["localhost", "127.0.0.1", "[::1]"].contains { name in host == "\(name):\(port)" || (port == 80 && host == name) }
    }

    private func rebuild(state: PreviewState, events: @Sendable (Event) -> Void) async {
        let start = ContinuousClock.now
        do {
            let report = try builder.build()
            await state.finished(report.diagnostics, failure: nil)
            events(.built(report, ContinuousClock.now - start))
        } catch {
            await state.finished([], failure: "\(error)")
            events(.failed("\(error)"))
        }
    }

    /// A file of the site, or the site's 404 page; HTML pages get the live-reload script.
    static func file(for rawPath: String, in site: String, generation: Int) -> PreviewResponse {
        guard let path = ServedPath.resolve(rawPath, in: site), let data = FileManager.default.contents(atPath: path) else {
            let page = FileManager.default.contents(atPath: site + "/" + SiteLayout.notFoundPage) ?? Data("Not found".utf8)
            return PreviewResponse(status: 404, contentType: "text/html; charset=utf-8", cacheControl: "no-store",
                                   body: inject(page, generation: generation))
        }
        let type = ServedPath.contentType(of: path)
        let body = type.hasPrefix("text/html") ? inject(data, generation: generation) : data
        return PreviewResponse(status: 200, contentType: type, cacheControl: "no-store", body: body)
    }

    private static func inject(_ html: Data, generation: Int) -> Data {
        let tag = "<script src=\"/__nbrun/live.js\" data-generation=\"\(generation)\"></script>\n"
        let text = String(decoding: html, as: UTF8.self)
        guard let end = text.range(of: "</body>", options: .backwards) else { return Data((text + tag).utf8) }
        return Data((text[..<end.lowerBound] + tag + text[end.lowerBound...]).utf8)
    }
}

// Render's LinkResolver.canonical, without importing Render's names into this file's API.
private func LinkResolver_canonical(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
}

/// The last build's outcome, shared by the rebuild loop and the request handlers.
actor PreviewState {
    private(set) var generation = 0
    /// The port the server listens on, once it does.
    private(set) var port: UInt16 = 0

    func listening(on port: UInt16) { self.port = port }
    private var problems: [Diagnostic] = []
    private var failure: String?

    func finished(_ diagnostics: [Diagnostic], failure: String?) {
        problems = diagnostics.filter { $0.severity != .note }
        self.failure = failure
        generation += 1
    }

    /// `{"generation":3,"problems":[{"where":"a.md:3:1","severity":"error","message":"…"}]}`
    func statusJSON() -> Data {
        struct Problem: Encodable { var `where`: String; var severity: String; var message: String }
        struct Status: Encodable { var generation: Int; var failure: String?; var problems: [Problem] }
        let status = Status(generation: generation, failure: failure, problems: problems.map {
            Problem(where: $0.range.start.description, severity: $0.severity.rawValue, message: $0.message)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(status)) ?? Data("{}".utf8)
    }
}

/// The error the server stopped with, if it did.
private actor ServerFailure {
    private(set) var error: (any Error)?
    func record(_ error: any Error) { self.error = error }
}

/// Carries an error out of the server task.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}
