import Foundation
import Testing
@testable import Site

/// A build that fails half-way, and a cache whose entries were torn or altered:
/// neither may leave a broken site behind or be trusted.
@Suite("nbrun build: interrupted builds and corrupt caches", .serialized)
struct SiteRobustnessTests {
    @Test("a build that fails leaves the previous site as it was, byte for byte, with nothing staged left over; the next build repairs")
    func interruptedBuild() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let before = fixture.contents()
        let manifest = fixture.read(SiteManifest.fileName)
        // Every note changes; one page cannot be written (a folder stands where the file goes).
        try fixture.write("intro.md", "# Introduction\nNew words.\n")
        try fixture.write("derivation/hidden-layers.md", "# Hidden layers\nNew words too.\n")
        let blocked = fixture.directory + "/site/derivation/hidden-layers.html"
        try FileManager.default.removeItem(atPath: blocked)
        try FileManager.default.createDirectory(atPath: blocked + "/occupied", withIntermediateDirectories: true)
        #expect(throws: SiteError.self) { try fixture.build() }
        let after = fixture.contents()
        // Nothing an earlier build wrote was removed, the manifest is the earlier one, no temporary file is left.
        #expect(Set(before.keys).subtracting(["derivation/hidden-layers.html"]).isSubset(of: Set(after.keys)))
        #expect(fixture.read(SiteManifest.fileName) == manifest)
        #expect(!fixture.files().contains { ($0 as NSString).lastPathComponent.hasPrefix(".") && $0.hasSuffix(".tmp") })
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/site/" + SiteStaging.folderName))
        // Not one page of the failed build went into place: the site is the previous one.
        for (path, bytes) in before where path != "derivation/hidden-layers.html" {
            #expect(after[path] == bytes, "\(path) changed")
        }
        #expect(!fixture.read("intro.html").contains("New words."))
        // Each page is one build's whole page: the old one or the new one, never a mix.
        for (path, bytes) in after where path.hasSuffix(".html") {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasSuffix("</html>\n"), "\(path) is cut short")
        }
        try FileManager.default.removeItem(atPath: blocked)
        let repaired = try fixture.build()
        #expect(repaired.errorCount == 0)
        #expect(fixture.read("derivation/hidden-layers.html").contains("New words too."))
    }

    @Test("a move that fails half-way (an output folder on another disk) puts back the files moved before it; a file where a folder goes stops it before the first")
    func failedMovesAreUndone() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        // `derivation/` of the site now lives on another file system: a rename into it fails (EXDEV).
        let elsewhere = "/dev/shm/nbrun-moves-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.moveItem(atPath: fixture.directory + "/site/derivation", toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: fixture.directory + "/site/derivation", withDestinationPath: elsewhere)
        let before = fixture.contents()
        try fixture.write("intro.md", "# Introduction\nNew words.\n")
        try fixture.write("derivation/hidden-layers.md", "# Hidden layers\nNew words too.\n")
        #expect(throws: SiteError.self) { try fixture.build() }
        // The search index (moved before derivation/) and every other file are the previous build's.
        #expect(fixture.contents() == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/site/" + SiteStaging.folderName))

        try FileManager.default.removeItem(atPath: fixture.directory + "/site/derivation")
        try "x".write(toFile: fixture.directory + "/site/derivation", atomically: true, encoding: .utf8)
        let blocked = fixture.contents()
        #expect(throws: SiteError.self) { try fixture.build() }
        #expect(fixture.contents() == blocked)
    }

    @Test("two cache entries swapped, each with a valid hash, are not trusted: each page stays its own note's", arguments: ["pages", "summaries"])
    func swappedCacheEntries(_ kind: String) throws {
        let fixture = try SiteFixture(["one.md": "# One\n\nFirst.\n", "two.md": "# Two\n\nSecond.\n"])
        defer { fixture.remove() }
        _ = try fixture.build()
        let folder = fixture.cache + "/" + SiteCache.format + "/" + kind
        let entries = (FileManager.default.subpaths(atPath: folder) ?? []).filter { $0.contains("/") }.map { folder + "/" + $0 }
        try #require(entries.count == 2)
        let first = try Data(contentsOf: URL(fileURLWithPath: entries[0]))
        try Data(contentsOf: URL(fileURLWithPath: entries[1])).write(to: URL(fileURLWithPath: entries[0]))
        try first.write(to: URL(fileURLWithPath: entries[1]))
        _ = try fixture.build(output: "again")
        #expect(fixture.read("one.html", output: "again").contains("First."))
        #expect(!fixture.read("one.html", output: "again").contains("Second."))
        #expect(fixture.read("two.html", output: "again").contains("Second."))
        // The summaries give the titles the index lists.
        #expect(fixture.read("index.html", output: "again").contains("<a href=\"one.html\">One</a>"))
    }

    @Test("a second build into a folder another build is writing stops with busy and leaves it alone")
    func oneBuildAtATime() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let before = fixture.contents()
        try fixture.write("intro.md", "# Introduction\nNew words.\n")
        // Another build holds the site folder (as SiteStaging does while it stages and moves).
        let other = open(fixture.directory + "/site", O_RDONLY | O_DIRECTORY)
        #expect(flock(other, LOCK_EX | LOCK_NB) == 0)
        #expect(throws: SiteError.busy(fixture.directory + "/site")) { try fixture.build() }
        #expect(fixture.contents() == before)
        close(other)
        #expect(try fixture.build().errorCount == 0)
        #expect(fixture.read("intro.html").contains("New words."))
    }

    /// Every entry of one kind in the site cache, altered the way a torn write or a bad disk would.
    static func corrupt(_ kind: String, in cache: String, how: (inout [UInt8]) -> Void) throws -> Int {
        let folder = cache + "/" + SiteCache.format + "/" + kind
        var count = 0
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return 0 }
        for case let relative as String in walker {
            let path = folder + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            how(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            count += 1
        }
        return count
    }

    @Test("altered, truncated or emptied cache entries fail their hash and are rebuilt", arguments: ["flip", "truncate", "empty"])
    func corruptSiteCache(_ how: String) throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build(output: "first")
        let damage: (inout [UInt8]) -> Void = { bytes in
            switch how {
            case "flip": if let index = bytes.lastIndex(of: UInt8(ascii: "e")) { bytes[index] = UInt8(ascii: "E") }
            case "truncate": bytes = Array(bytes.prefix(bytes.count / 2))
            default: bytes = []
            }
        }
        #expect(try Self.corrupt("pages", in: fixture.cache, how: damage) == 3)
        #expect(try Self.corrupt("summaries", in: fixture.cache, how: damage) == 3)
        let second = try fixture.build(output: "second")
        #expect(second.fromCache == 0)
        #expect(second.rendered == 3)
        #expect(fixture.contents(output: "first") == fixture.contents(output: "second"))
        // The rebuilt entries are whole again: a third build takes every page from the cache.
        let third = try fixture.build(output: "third")
        #expect(third.fromCache == 3)
    }
}
