import Testing
@testable import Render

@Test(arguments: [
    (12.345, "12.3"), (3.0, "3"), (-0.04, "0"), (-0.06, "-0.1"), (0.95, "1"), (-123.25, "-123.3"),
    (Double.nan, "0"), (Double.infinity, "0"), (1e20, "1e14"),
])
func coordinatesHaveOneDecimalAndNoNegativeZero(_ value: Double, _ text: String) {
    #expect(NumberFormat.coordinate(value) == text)
}

@Test func fixedPlacesUseTheMinusSignButNeverOnZero() {
    #expect(NumberFormat.fixed(-0.5, places: 2) == "−0.50")
    #expect(NumberFormat.fixed(-0.001, places: 1) == "0.0")
    #expect(NumberFormat.fixed(2.5, places: 0) == "3")
    #expect(NumberFormat.fixed(0.1 + 0.2, places: 1) == "0.3")
    #expect(NumberFormat.fixed(1.2500, places: 4, trimmed: true) == "1.25")
    #expect(NumberFormat.fixed(.nan, places: 2) == "NaN")
}

@Test(arguments: [
    (0.000123456789, "0.000123457"), (1234567.0, "1.23457e6"), (-2.5e-7, "−2.5e−7"), (9.9999996, "10"),
    (0.0123456789, "0.0123457"), (0.0, "0"), (-Double.infinity, "−∞"), (42.0, "42"), (999999.7, "1e6"),
])
func significantDigitsLikePrintfG(_ value: Double, _ text: String) {
    #expect(NumberFormat.significant(value) == text)
}
