import Foundation
import Testing
import Render
@testable import Site

@Suite("nbrun build: incremental, deterministic, sharded")
struct SiteIncrementalTests {
    @Test("two builds of the same input are byte-identical, with and without the cache")
    func deterministic() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build(output: "one", cache: false)
        _ = try fixture.build(output: "two", cache: true)
        _ = try fixture.build(output: "three", cache: true)
        let one = fixture.contents(output: "one")
        #expect(one.count == 19)
        #expect(one == fixture.contents(output: "two"))
        #expect(one == fixture.contents(output: "three"))
    }

    @Test("a rebuild with nothing changed renders and writes nothing")
    func nothingChanged() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let before = fixture.contents()
        let again = try fixture.build()
        #expect(again.rendered == 0)
        #expect(again.fromCache == 0)
        #expect(again.written == [])
        #expect(again.removed == [])
        #expect(again.brokenLinks.count == 1)
        #expect(fixture.contents() == before)
    }

    @Test("changing one note's prose re-renders that page only")
    func oneNoteChanged() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        try fixture.write("derivation/hidden-layers.md", "# Hidden layers\n## Chain rule\nThe chain rule carries the error backwards, layer by layer. ![plot](plot.png)\n")
        let report = try fixture.build()
        #expect(report.rendered == 1)
        #expect(report.written == ["_assets/search-index.js", "derivation/hidden-layers.html"])
        #expect(fixture.read("derivation/hidden-layers.html").contains("layer by layer"))
    }

    @Test("an unchanged note is not read again; a change that keeps size and modification time is still seen")
    func stamps() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        var options = fixture.options()
        options.stampTrustDelay = -60
        _ = try fixture.build(options)
        let key = NoteStamps.key(version: options.version, root: LinkResolver.canonical(fixture.notes), displayRoot: fixture.notes,
                                 site: LinkResolver.canonical(options.output))
        let stored: NoteStamps = try #require(SiteCache(directory: fixture.cache).lookup(kind: "stamps", key: key))
        #expect(stored.notes.keys.sorted() == ["derivation/hidden-layers.md", "derivation/output-layer.md", "intro.md"])

        let path = fixture.notes + "/derivation/hidden-layers.md"
        let modified = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        let text = try #require(sampleNotes["derivation/hidden-layers.md"]).replacingOccurrences(of: "carries", with: "CARRIES")
        try fixture.write("derivation/hidden-layers.md", text)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let report = try fixture.build(options)
        #expect(report.rendered == 1)
        #expect(fixture.read("derivation/hidden-layers.html").contains("The chain rule CARRIES the error backwards."))

        let again = try fixture.build(options)
        #expect(again.rendered == 0)
        #expect(again.written == [])
    }

    @Test("a fresh site folder is filled from the cache without rendering")
    func fromCache() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build(output: "first")
        let second = try fixture.build(output: "second")
        #expect(second.rendered == 0)
        #expect(second.fromCache == 3)
        #expect(fixture.contents(output: "first") == fixture.contents(output: "second"))
    }

    @Test("a removed note's page is removed; files nbrun did not write stay")
    func prune() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        try Data("mine".utf8).write(to: URL(fileURLWithPath: fixture.directory + "/site/CNAME"))
        try FileManager.default.removeItem(atPath: fixture.notes + "/intro.md")
        let report = try fixture.build()
        // intro.md was the one dated note: with it goes the feed of dated notes.
        #expect(report.removed == ["feed.xml", "intro.html", "tags/basics.html"] || report.removed == ["feed.xml", "intro.html"])
        #expect(!fixture.files().contains("intro.html"))
        #expect(fixture.files().contains("CNAME"))
    }

    @Test("shards 1/2 and 2/2 merged give the same site as one build")
    func shards() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build(output: "whole", cache: false)
        for index in 1...2 {
            var options = fixture.options(output: "part\(index)", cache: false)
            options.shard = try Shard(parsing: "\(index)/2")
            let report = try fixture.build(options)
            #expect(report.pages == (index == 1 ? 2 : 1))
        }
        #expect(fixture.files(output: "part2") == [".nbrun-site.json", "derivation/output-layer.html"])
        #expect(fixture.files(output: "part1") == [".nbrun-site.json", "derivation/hidden-layers.html", "derivation/plot.png", "intro.html"])
        var merge = fixture.options(output: "merged", cache: false)
        merge.mergeParts = [fixture.directory + "/part1", fixture.directory + "/part2"]
        let merged = try fixture.build(merge)
        #expect(merged.rendered == 0)
        #expect(fixture.contents(output: "merged") == fixture.contents(output: "whole"))

        var incomplete = fixture.options(output: "incomplete", cache: false)
        incomplete.mergeParts = [fixture.directory + "/part1"]
        #expect(throws: SiteError.self) { try fixture.build(incomplete) }
    }

    @Test("--shard accepts I/N with 1 ≤ I ≤ N and splits round-robin")
    func shardParsing() throws {
        let shard = try Shard(parsing: "2/3")
        #expect([0, 1, 2, 3, 4].filter(shard.contains) == [1, 4])
        #expect(throws: SiteError.self) { try Shard(parsing: "0/3") }
        #expect(throws: SiteError.self) { try Shard(parsing: "4/3") }
        #expect(throws: SiteError.self) { try Shard(parsing: "two") }
    }
}
