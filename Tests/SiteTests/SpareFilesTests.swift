import Foundation
import Testing
@testable import Site

/// A page a build replaces is kept (`SpareFiles`) and the next build writes its staged
/// page over it, so that a re-render makes and frees no file for its pages.
@Suite("nbrun build: replaced pages are written over by the next build, not freed")
struct SpareFilesTests {
    private let root = NSTemporaryDirectory() + "nbrun-spares-" + UUID().uuidString
    private var site: String { root + "/site" }
    private var spareFolder: String { root + "/cache/" + SpareFiles.folderName }

    private func inode(_ path: String) -> UInt64? {
        var status = stat()
        return stat(path, &status) == 0 ? UInt64(status.st_ino) : nil
    }

    private func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    private func spares() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spareFolder)) ?? []).map { spareFolder + "/" + $0 }
    }

    /// One build's staging: write these files, then move them into place.
    private func build(_ files: [String: String]) throws {
        let spares = SpareFiles(folder: spareFolder, site: site)
        #expect(spares != nil)
        let staging = try SiteStaging(site: site, spares: spares)
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) { try staging.write(Data(contents.utf8), to: path) }
        try staging.commit()
    }

    @Test func aReplacedPageIsTheNextBuildsStagedPage() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: site + "/a", withIntermediateDirectories: true)
        try Data("the first page, longer than the next".utf8).write(to: URL(fileURLWithPath: site + "/a/p.html"))
        let first = try #require(inode(site + "/a/p.html"))

        try build(["a/p.html": "second"])
        #expect(text(site + "/a/p.html") == "second")
        // The page replaced is among the spares, not freed.
        #expect(spares().map(inode) == [first])
        let second = try #require(inode(site + "/a/p.html"))

        try build(["a/p.html": "third", "b/q.html": "new"])
        // The staged page was the spare, written over whole (it was longer), then moved into place.
        #expect(text(site + "/a/p.html") == "third")
        #expect(inode(site + "/a/p.html") == first)
        #expect(text(site + "/b/q.html") == "new")
        #expect(spares().map(inode) == [second])
        #expect(!FileManager.default.fileExists(atPath: site + "/" + SiteStaging.folderName))
    }

    @Test func aSpareWithAnotherNameElsewhereIsNeverWrittenOver() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: spareFolder, withIntermediateDirectories: true)
        // A deploy copy made with hard links (`cp -al`) shares the file of a page later replaced.
        try Data("deployed".utf8).write(to: URL(fileURLWithPath: spareFolder + "/kept"))
        #expect(link(spareFolder + "/kept", root + "/deployed.html") == 0)

        try build(["p.html": "page"])
        #expect(text(root + "/deployed.html") == "deployed")
        #expect(text(site + "/p.html") == "page")
        #expect(inode(site + "/p.html") != inode(root + "/deployed.html"))
    }

    @Test func noSparesAcrossFileSystems() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        let elsewhere = "/dev/shm/nbrun-spares-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        #expect(SpareFiles(folder: elsewhere, site: site) == nil)
        #expect(SpareFiles(folder: spareFolder, site: site) != nil)
    }

    @Test func aRebuiltPageTakesTheFilesOfItsOldPageAndCacheEntry() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        func count(_ folder: String) -> Int {
            FileManager.default.enumerator(atPath: fixture.cache + "/" + folder)?.allObjects.count { item in
                (item as? String).map { !$0.hasSuffix(".tmp") && ($0.contains("/") || folder == SpareFiles.folderName) } ?? false
            } ?? 0
        }
        _ = try fixture.build()
        var totals: [Int] = []
        for words in ["One.", "Two.", "Three."] {
            try fixture.write("intro.md", "# Introduction\n\(words)\n")
            let report = try fixture.build()
            #expect(report.rendered == 1)
            #expect(fixture.read("intro.html").contains(words))
            totals.append(count(SiteCache.format + "/pages") + count(SpareFiles.folderName))
        }
        // After the first edit, a rebuild makes no file in the cache: its page entry and its staged
        // page are the previous ones' files (the spares).
        #expect(totals[1] == totals[0] && totals[2] == totals[0])
        // The entries written over spares are whole: a site built again from nothing takes every page from them.
        try FileManager.default.removeItem(atPath: fixture.directory + "/site")
        let again = try fixture.build()
        #expect(again.rendered == 0 && again.fromCache == again.pages)
        #expect(fixture.read("intro.html").contains("Three."))
    }
}
