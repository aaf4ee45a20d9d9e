import Testing
@testable import Diagnostics

@Suite("Limits: one value, overridable by name")
struct LimitsTests {
    @Test(arguments: [
        ("timePerNote=10s", Limits.Key.timePerNote, 10),
        ("timePerNote=7", .timePerNote, 7),
        ("maxSumTerms=1000", .maxSumTerms, 1000),
        (" maxParameters = 5 ", .maxParameters, 5),
        ("maxPageBytes=4096", .maxPageBytes, 4096),
    ])
    func settingsParse(_ text: String, _ key: Limits.Key, _ value: Int) throws {
        let setting = try Limits.Setting(parsing: text)
        #expect(setting == Limits.Setting(key: key, value: value))
    }

    @Test(arguments: [
        ("maxSumTerms", LimitError.malformed("maxSumTerms")),
        ("maxSums=3", .unknown("maxSums")),
        ("maxSumTerms=0", .notPositive("maxSumTerms", "0")),
        ("maxSumTerms=-4", .notPositive("maxSumTerms", "-4")),
        ("timePerNote=ten", .notPositive("timePerNote", "ten")),
    ])
    func badSettingsAreRefused(_ text: String, _ expected: LimitError) {
        #expect(throws: expected) { try Limits.Setting(parsing: text) }
    }

    @Test func laterSettingsWinAndOthersKeepTheirDefaults() throws {
        let limits = Limits().applying([
            try Limits.Setting(parsing: "maxSumTerms=10"), try Limits.Setting(parsing: "maxSumTerms=20"),
            try Limits.Setting(parsing: "timePerNote=3s"),
        ])
        #expect(limits.maxSumTerms == 20)
        #expect(limits.timePerNote == .seconds(3))
        #expect(limits.maxDefinitionDepth == 400)
        #expect(limits.value(of: .timePerNote) == "3s")
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let defaults = Limits.Key.allCases.map { "\($0.rawValue)=\(Limits().value(of: $0))" }
        #expect(defaults == [
            "timePerNote=30s", "maxDefinitionDepth=400", "maxSumTerms=100000", "maxArrayElements=16777216",
            "maxParameters=10000000", "maxMathBytes=100000", "maxPageMathBytes=200000", "maxMathNesting=200", "maxPageBytes=20000000",
            "maxNotes=20000", "maxNoteBytes=2000000", "maxAssetBytes=50000000",
        ])
    }

    @Test func everyMessageNamesItsLimitAndHowToRaiseIt() {
        #expect(Limits.exceeded("too many", .maxSumTerms)
            == "too many (limit maxSumTerms; raise it with --limit maxSumTerms=N or under limits: in site.yml)")
    }
}
