import Foundation
import Testing
@testable import Render

/// A notes folder with a note in a subfolder, an image, a symbolic link that
/// stays inside and one that leads out, and a file beside the folder.
private struct LinkFolder {
    let base = NSTemporaryDirectory() + "nbrun-links-" + UUID().uuidString
    var root: String { base + "/notes" }

    init() throws {
        let files = FileManager.default
        try files.createDirectory(atPath: root + "/derivation", withIntermediateDirectories: true)
        for (path, text) in ["notes/a.md": "# A\n", "notes/derivation/b.md": "# B\n", "notes/derivation/plot.png": "PNG", "secret.md": "no"] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: base + "/" + path))
        }
        try files.createSymbolicLink(atPath: root + "/alias.md", withDestinationPath: root + "/derivation/b.md")
        try files.createSymbolicLink(atPath: root + "/escape.md", withDestinationPath: base + "/secret.md")
    }

    func resolver(files: NoteFiles?) -> LinkResolver {
        LinkResolver(root: root, notePath: root + "/derivation/b.md", pageDirectory: root + "/derivation", files: files)
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

@Suite("Links resolved from the folder's file list")
struct NoteFilesTests {
    @Test("the scan lists files inside the folder, a symbolic link with its target, nothing that leads out")
    func scan() throws {
        let folder = try LinkFolder()
        defer { folder.remove() }
        let files = NoteFiles.scan(root: folder.root)
        #expect(files.count == 4)
        #expect(files.target(of: "derivation/plot.png") == "derivation/plot.png")
        #expect(files.target(of: "alias.md") == "derivation/b.md")
        #expect(files.target(of: "escape.md") == nil)
        #expect(files.named("b") == ["derivation/b.md"])
    }

    @Test("every kind of link resolves the same from a given list as from a scan, and never outside the folder",
          arguments: [
              ("link", "../a", "../a.html"),
              ("link", "plot.png#x", "plot.png#x"),
              ("link", "/derivation/b.md", "b.html"),
              ("link", "../alias.md", "b.html"),
              ("link", "../escape.md", nil),
              ("link", "../../secret.md", nil),
              ("link", "../nowhere", nil),
              ("wiki", "a", "../a.html"),
              ("wiki", "plot.png", "plot.png"),
              ("wiki", "derivation/b", "b.html"),
              ("wiki", "escape", nil),
          ])
    func sameAsScan(_ kind: String, _ target: String, _ expected: String?) throws {
        let folder = try LinkFolder()
        defer { folder.remove() }
        func resolve(_ resolver: LinkResolver) -> LinkResolver.Resolution {
            kind == "link" ? resolver.resolve(link: target) : resolver.resolve(wikiTarget: target, heading: nil)
        }
        let listed = folder.resolver(files: NoteFiles(root: LinkResolver.canonical(folder.root),
                                                      files: ["a.md", "alias.md", "derivation/b.md", "derivation/plot.png"],
                                                      links: ["alias.md": "derivation/b.md"]))
        let scanned = folder.resolver(files: nil)
        #expect(resolve(listed) == resolve(scanned))
        if let expected {
            #expect(resolve(listed) == .url(expected))
        } else {
            #expect(resolve(listed) != .url(target))
            if case .url = resolve(listed) { Issue.record("\(target) resolved") }
        }
    }

    @Test("a listed file resolves without looking at the disk")
    func listIsTrusted() throws {
        let folder = try LinkFolder()
        defer { folder.remove() }
        let resolver = folder.resolver(files: NoteFiles(root: LinkResolver.canonical(folder.root), files: ["derivation/ghost.md"]))
        #expect(resolver.resolve(link: "ghost") == .url("ghost.html"))
        #expect(resolver.resolve(wikiTarget: "Ghost", heading: "Part two") == .url("ghost.html#part-two"))
    }
}
