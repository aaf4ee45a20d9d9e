import Testing
import Diagnostics
@testable import MathSyntax

/// The parser never crashes or hangs, whatever it is given.
struct RobustnessTests {
    @Test(arguments: KaTeXCorpus.screenshotter + KaTeXCorpus.spec)
    func readsPublicTestStringsWithoutCrashing(_ tex: String) {
        let math = MathParser.parse(tex)
        // Whatever was not understood is marked, with a reason and a range inside the tex.
        for diagnostic in math.diagnostics {
            #expect(diagnostic.range.start.offset >= 0 && diagnostic.range.end.offset <= tex.utf8.count)
        }
        for statement in math.statements {
            _ = PlainPrinter.print(statement)
            _ = LaTeXPrinter.print(statement)
            _ = statement.resolved()
        }
    }

    @Test func mostOfTheKaTeXCorpusIsReadOrMarked() {
        // A coarse regression guard: every string yields statements or diagnostics, never silence.
        for tex in KaTeXCorpus.screenshotter + KaTeXCorpus.spec {
            let math = MathParser.parse(tex)
            let silent = math.statements.isEmpty && math.diagnostics.isEmpty
            let blank = tex.allSatisfy { $0 == " " || $0 == "\n" || $0 == "\t" } || tex.hasPrefix("%")
            #expect(!silent || blank || isOnlyLayout(tex), "\(tex)")
        }
    }

    private func isOnlyLayout(_ tex: String) -> Bool {
        MathParser.parse(tex).statements.isEmpty
    }

    @Test(arguments: ["{", "(", "[", #"\sqrt{"#, #"\left("#, "x^{", "-", "a+", "a ", #"a\cdot "#, "-(", #"\frac{d}{dx}"#])
    func deepNestingGivesADepthErrorNotAStackOverflow(_ opener: String) throws {
        let tex = String(repeating: opener, count: 100_000) + "x"
        let math = MathParser.parse(tex)
        let depthError = try #require(math.diagnostics.first { $0.severity == .error }, "\(opener)")
        #expect(depthError.id == "math.too-deep")
        #expect(depthError.message.contains("200"))
        #expect(!math.isFullyInterpreted)
    }

    @Test(arguments: [#"\frac{"#, "|", #"\begin{bmatrix}"#, "}", ")", "=", "_", "^"])
    func longRunsOfBrokenMarkupAreMarked(_ opener: String) throws {
        let math = MathParser.parse(String(repeating: opener, count: 100_000) + "x")
        #expect(!math.diagnostics.isEmpty)
    }

    @Test func anUnclosedSumSubscriptAtTheEndIsMarked() throws {
        // Found by the `math` fuzz target (Fuzz/Crashes/math/unclosed-sum-subscript): the
        // empty range marked as not understood used to index past the last token.
        let tex = #"y_i = \sum_{"#
        let math = MathParser.parse(tex)
        let marked = try #require(math.diagnostics.first { $0.id == "math.cannot-interpret" && $0.message.hasSuffix(MathSyntaxMessages.summationRange) })
        #expect(marked.range.start.offset == 10 && marked.range.end.offset == tex.utf8.count)
        #expect(!math.isFullyInterpreted)
    }

    @Test func balancedDeepBracesAreReportedOnce() throws {
        let tex = String(repeating: "{", count: 100_000) + "x" + String(repeating: "}", count: 100_000) + " = 1"
        let math = MathParser.parse(tex)
        #expect(math.diagnostics.filter { $0.severity == .error }.count == 1)
        #expect(math.diagnostics.first?.description.hasPrefix("<math>:1:") == true)
    }

    @Test func moderateNestingIsFine() throws {
        let tex = String(repeating: "(", count: 40) + "x" + String(repeating: ")", count: 40)
        #expect(MathParser.parse(tex).diagnostics.isEmpty)
    }

    /// Random token soups and mutations of real equations, from a fixed seed, for a bounded time.
    @Test func fuzzedInputNeverCrashes() {
        var generator = SplitMix64(seed: 0x6E62_7275_6E)
        let pieces = [
            "x", "y_", "^", "_", "{", "}", "(", ")", "[", "]", #"\{"#, #"\}"#, #"\left("#, #"\right)"#, #"\left."#,
            #"\right|"#, "|", #"\|"#, "&", #"\\"#, "=", ":=", "+", "-", #"\cdot"#, "/", "*", "'", ",", ".", "...",
            #"\frac"#, #"\partial"#, #"\delta"#, "d", #"\sum"#, #"\prod"#, #"\nabla"#, #"\sqrt"#, "[3]", #"\tanh"#,
            #"\exp"#, #"\log"#, #"\mathcal"#, #"\hat"#, #"\mathbf"#, #"\text{a b}"#, #"\text"#, #"\operatorname"#,
            #"\begin{bmatrix}"#, #"\end{bmatrix}"#, #"\begin{align}"#, #"\end{align}"#, #"\begin{foo}"#, #"\end"#,
            #"\label{x}"#, #"\tag"#, "% nb: x\n", "%", #"\because"#, #"\quad"#, #"\;"#, #"\vdots"#, "1", "22", "3.5",
            "θ", "∂", "−", "é", "\u{0}", "\\", #"\left"#, #"\right"#, #"\bigl("#, "^T", #"^\top"#, "^{(l)}",
            #"\stackrel{def}{=}"#, #"\not"#, #"\approx"#, "<", #"\int"#, #"\lim_{x\to0}"#, " ", "\n",
        ]
        let seeds = SeedNote.displays + RoundTripTests.equations
        let deadline = ContinuousClock.now + .seconds(3)
        var runs = 0
        while ContinuousClock.now < deadline {
            var tex: String
            if generator.next() % 2 == 0 {
                let count = Int(generator.next() % 40)
                tex = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            } else {
                var bytes = Array(seeds[Int(generator.next() % UInt64(seeds.count))].utf8)
                for _ in 0..<(1 + Int(generator.next() % 4)) where !bytes.isEmpty {
                    let at = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(Array(pieces[Int(generator.next() % UInt64(pieces.count))].utf8)[0], at: at)
                    default: bytes.swapAt(at, Int(generator.next() % UInt64(bytes.count)))
                    }
                }
                tex = String(decoding: bytes, as: UTF8.self)
            }
            let math = MathParser.parse(tex)
            for statement in math.statements {
                _ = PlainPrinter.print(statement)
                _ = statement.resolved().operands.map(\.latex)
            }
            runs += 1
        }
        #expect(runs > 100)
    }
}

/// A small seeded generator so that fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
