import Foundation
import Testing
@testable import Diagnostics

@Suite("Folder walk and byte search")
struct FolderWalkTests {
    /// A temporary tree: notes, a nested folder, a hidden folder, a symbolic link.
    private func makeTree() throws -> String {
        let root = NSTemporaryDirectory() + "nbrun-walk-\(UUID().uuidString)"
        let files = FileManager.default
        try files.createDirectory(atPath: root + "/b/deep", withIntermediateDirectories: true)
        try files.createDirectory(atPath: root + "/.hidden", withIntermediateDirectories: true)
        for path in ["z.md", "a.md", "b/deep/c.md", "b/img.png", ".hidden/x.md"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/" + path))
        }
        try files.createSymbolicLink(atPath: root + "/link.md", withDestinationPath: root + "/a.md")
        return root
    }

    @Test("lists every entry, folder by folder in name order, with its kind")
    func walksInOrder() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var seen: [String] = []
        FolderWalk.walk(root) { entry in
            seen.append("\(entry.path):\(entry.kind)")
            return true
        }
        #expect(seen == [".hidden:folder", ".hidden/x.md:file", "a.md:file", "b:folder", "b/deep:folder", "b/deep/c.md:file",
                         "b/img.png:file", "link.md:symbolicLink", "z.md:file"])
    }

    @Test("enters a folder only when asked, stops at the limit, and passes over a missing folder")
    func skipsAndStops() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var seen: [String] = []
        FolderWalk.walk(root + "/") { entry in
            seen.append(String(entry.name))
            return !entry.name.hasPrefix(".") && entry.name != "deep"
        }
        #expect(seen == [".hidden", "a.md", "b", "deep", "img.png", "link.md", "z.md"])
        var count = 0
        FolderWalk.walk(root, limit: 3) { _ in count += 1; return true }
        #expect(count == 3)
        FolderWalk.walk(root + "/missing") { _ in Issue.record("a missing folder has no entries"); return true }
    }

    @Test("byte search finds a command, misses a near one, and works on substrings")
    func byteSearch() {
        #expect("a_1 \\label{x}".containsBytes("\\label"))
        #expect(!"\\eqref{x}".containsBytes("\\ref"))
        #expect("\\eqref{x}".containsBytes("\\eqref"))
        #expect("λ = 1".containsBytes("λ"))
        #expect(!"ab".containsBytes("abc"))
        #expect("".containsBytes(""))
        let text = "x \\tag{1} y"
        #expect(text.dropFirst(2).containsBytes("\\tag"))
        #expect(!text.dropFirst(3).containsBytes("\\tag"))
    }
}
