import Testing
@testable import Render

private func close(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
}

@Test func linearTicksAreNiceStepsCoveringTheData() {
    let unit = AxisTicks.linear(from: 0.003, to: 0.97)
    #expect(close(unit.values, [0, 0.2, 0.4, 0.6, 0.8, 1]))
    #expect(unit.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(unit.lower == 0 && unit.upper == 1)

    let symmetric = AxisTicks.linear(from: -6, to: 6, target: 7)
    #expect(symmetric.labels == ["−6", "−4", "−2", "0", "2", "4", "6"])

    let steps = AxisTicks.linear(from: 0, to: 999, target: 7)
    #expect(steps.labels == ["0", "200", "400", "600", "800", "1000"])

    let quarter = AxisTicks.linear(from: 0.0025, to: 0.25)
    #expect(quarter.labels == ["0.00", "0.05", "0.10", "0.15", "0.20", "0.25"])
}

@Test func extremeMagnitudesUseExponents() {
    #expect(AxisTicks.linear(from: 1e-7, to: 5e-7).labels == ["1e−7", "2e−7", "3e−7", "4e−7", "5e−7"])
    #expect(AxisTicks.linear(from: 0, to: 4e6).labels == ["0", "1e6", "2e6", "3e6", "4e6"])
}

@Test(arguments: [(5.0, 5.0), (0.0, 0.0), (Double.nan, Double.infinity), (3.0, -3.0), (-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude)])
func degenerateRangesStillGiveTicks(_ low: Double, _ high: Double) {
    let ticks = AxisTicks.linear(from: low, to: high)
    #expect(ticks.values.count >= 2 && ticks.values.count <= 60)
    #expect(ticks.lower < ticks.upper)
    #expect(ticks.values.count == ticks.labels.count)
}

@Test func logarithmicTicksArePowersOfTen() {
    let loss = AxisTicks.logarithmic(from: 0.0042, to: 2.3)
    #expect(close(loss.values, [0.001, 0.01, 0.1, 1, 10]))
    #expect(loss.labels == ["0.001", "0.01", "0.1", "1", "10"])

    let narrow = AxisTicks.logarithmic(from: 0.2, to: 0.9)
    #expect(narrow.labels == ["0.1", "0.2", "0.5", "1"])

    let wide = AxisTicks.logarithmic(from: 1e-9, to: 1)
    #expect(wide.labels == ["10⁻⁹", "10⁻⁷", "10⁻⁵", "10⁻³", "10⁻¹", "10¹"])

    let fallback = AxisTicks.logarithmic(from: -1, to: 0)
    #expect(fallback.lower > 0 && fallback.upper > fallback.lower)
}

@Test func fractionsPlaceValuesAlongTheAxis() {
    let linear = AxisTicks.linear(from: 0, to: 1)
    #expect(linear.fraction(0.5) == 0.5)
    #expect(linear.fraction(.nan) == nil)
    let log = AxisTicks.logarithmic(from: 0.0042, to: 2.3)
    #expect(abs((log.fraction(0.1) ?? 0) - 0.5) < 1e-12)
    #expect(log.fraction(0) == nil && log.fraction(-1) == nil)
}
