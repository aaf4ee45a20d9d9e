import Foundation

/// The ticks of one plot axis and the range they span: "nice" values
/// (1, 2 or 5 × 10ᵏ) that cover the data, labelled compactly — fixed
/// decimals as the step needs them, exponents for very large or small
/// numbers, and powers of ten (`10⁻³`) on a logarithmic axis.
///
/// ```swift
/// let ticks = AxisTicks.linear(from: 0.003, to: 0.97)
/// ticks.values  // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// ticks.labels  // ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
/// ```
package struct AxisTicks: Sendable, Equatable {
    /// The range of the axis: the first and last tick.
    package var lower: Double
    package var upper: Double
    package var values: [Double]
    package var labels: [String]
    package var isLogarithmic: Bool

    /// About `target` ticks at a step of 1, 2 or 5 × 10ᵏ, the range widened to whole steps.
    package static func linear(from low: Double, to high: Double, target: Int = 6) -> AxisTicks {
        var low = low.isFinite ? low : 0, high = high.isFinite ? high : 1
        if high < low { swap(&low, &high) }
        if high == low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let span = high - low
        guard span.isFinite, span > 0 else {
            return AxisTicks(lower: low, upper: high, values: [low, high], labels: [low, high].map { NumberFormat.significant($0, digits: 3) }, isLogarithmic: false)
        }
        let raw = span / Double(max(1, target - 1))
        var exponent = log10(raw).rounded(.down)
        let residual = raw / pow(10, exponent)
        let nice: Double
        switch residual {
        case ...1.0001: nice = 1
        case ...2.0001: nice = 2
        case ...5.0001: nice = 5
        default: nice = 1; exponent += 1
        }
        let step = nice * pow(10, exponent)
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        let count = min(60, Int(last - first) + 1)
        var values: [Double] = []
        values.reserveCapacity(count)
        for i in 0..<count {
            var value = (first + Double(i)) * step
            if abs(value) < step * 1e-9 { value = 0 }
            values.append(value)
        }
        let biggest = max(abs(values.first ?? 0), abs(values.last ?? 0))
        let places = max(0, -Int(exponent))
        let labels: [String]
        if biggest >= 1e6 || step < 1e-4 {
            labels = values.map { NumberFormat.significant($0, digits: 3) }
        } else {
            labels = values.map { NumberFormat.fixed($0, places: places) }
        }
        return AxisTicks(lower: values.first ?? low, upper: values.last ?? high, values: values, labels: labels, isLogarithmic: false)
    }

    /// Powers of ten covering `low...high` (both > 0; anything else falls
    /// back to 1...10), with 2 and 5 between when the data span two decades
    /// or less, and only every second or third power when they span many.
    package static func logarithmic(from low: Double, to high: Double) -> AxisTicks {
        var low = low, high = high
        if !(low > 0 && low.isFinite) { low = high > 0 && high.isFinite ? high / 10 : 1 }
        if !(high > 0 && high.isFinite) { high = low * 10 }
        if high < low { swap(&low, &high) }
        var lowExponent = Int(log10(low).rounded(.down))
        var highExponent = Int(log10(high).rounded(.up))
        if pow(10, Double(lowExponent)) > low { lowExponent -= 1 } // rounding error in log10
        if highExponent <= lowExponent { highExponent = lowExponent + 1 }
        let decades = highExponent - lowExponent
        var values: [Double] = []
        if decades <= 2 {
            for exponent in lowExponent...highExponent {
                for mantissa in [1.0, 2.0, 5.0] {
                    let value = mantissa * pow(10, Double(exponent))
                    if exponent == highExponent && mantissa > 1 { break }
                    values.append(value)
                }
            }
        } else {
            let stride = (decades + 7) / 8
            var exponent = lowExponent
            while true {
                values.append(pow(10, Double(exponent)))
                if exponent >= highExponent { break }
                exponent += stride
            }
        }
        let plain = values.allSatisfy { $0 >= 1e-3 && $0 < 1e5 }
        let labels = values.map { value -> String in
            if plain { return NumberFormat.significant(value, digits: 3) }
            let exponent = Int(log10(value).rounded(.down))
            let mantissa = (value / pow(10, Double(exponent))).rounded()
            let power = "10" + superscript(exponent)
            return mantissa == 1 ? power : NumberFormat.significant(mantissa, digits: 1) + "×" + power
        }
        return AxisTicks(lower: values.first ?? 1, upper: values.last ?? 10, values: values, labels: labels, isLogarithmic: true)
    }

    /// `fraction` as a function with the axis constants worked out once, for many points.
    package var fractionFunction: @Sendable (Double) -> Double? {
        if isLogarithmic {
            guard lower > 0 else { return { _ in nil } }
            let logLower = log10(lower), span = log10(upper) - log10(lower)
            return { value in
                guard value > 0, value.isFinite else { return nil }
                return span > 0 ? (log10(value) - logLower) / span : 0.5
            }
        }
        let lower = self.lower, span = upper - lower
        let valid = span > 0 && span.isFinite
        return { value in value.isFinite ? (valid ? (value - lower) / span : 0.5) : nil }
    }

    /// Where `value` falls along the axis, 0 at `lower` and 1 at `upper` (nil if it cannot be shown).
    package func fraction(_ value: Double) -> Double? {
        if isLogarithmic {
            guard value > 0, value.isFinite, lower > 0 else { return nil }
            let span = log10(upper) - log10(lower)
            return span > 0 ? (log10(value) - log10(lower)) / span : 0.5
        }
        guard value.isFinite else { return nil }
        let span = upper - lower
        return span > 0 && span.isFinite ? (value - lower) / span : 0.5
    }

    private static func superscript(_ number: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var out = number < 0 ? "⁻" : ""
        for character in String(abs(number)) {
            if let digit = character.wholeNumberValue { out.append(digits[digit]) }
        }
        return out
    }
}
