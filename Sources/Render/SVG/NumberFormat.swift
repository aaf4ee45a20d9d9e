import Foundation

/// Numbers as short text that is the same on every machine and every run:
/// coordinates at one decimal, tick labels at a fixed number of places,
/// values at a number of significant digits. No locale, no `printf`.
///
/// ```swift
/// NumberFormat.coordinate(12.345)          // "12.3"
/// NumberFormat.fixed(-0.5, places: 2)      // "−0.50"
/// NumberFormat.significant(0.000123456789) // "0.000123457"
/// ```
package enum NumberFormat {
    /// The minus sign of labels meant for reading (U+2212); coordinates use "-".
    package static let minus = "\u{2212}"

    /// Appends `value` rounded to one decimal, trailing zero and "-0" dropped.
    /// Non-finite values become `0` so that a bad number never breaks the SVG.
    @inline(__always)
    package static func appendCoordinate(_ value: Double, to out: inout String) {
        guard value.isFinite else { out += "0"; return }
        let scaled = (value * 10).rounded()
        guard abs(scaled) < 1e15 else { out += value < 0 ? "-1e14" : "1e14"; return }
        var tenths = Int(scaled)
        // Digits written into a small buffer, then appended once: no String per number.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var end = 24
            let negative = tenths < 0
            if negative { tenths = -tenths }
            let fraction = tenths % 10
            if fraction != 0 {
                end -= 1; buffer[end] = UInt8(48 + fraction)
                end -= 1; buffer[end] = UInt8(ascii: ".")
            }
            var whole = tenths / 10
            repeat {
                end -= 1; buffer[end] = UInt8(48 + whole % 10)
                whole /= 10
            } while whole > 0
            if negative { end -= 1; buffer[end] = UInt8(ascii: "-") }
            out += String(decoding: UnsafeBufferPointer(rebasing: buffer[end..<24]), as: UTF8.self)
        }
    }

    /// `value` rounded to one decimal, as `appendCoordinate` writes it.
    package static func coordinate(_ value: Double) -> String {
        var out = ""
        appendCoordinate(value, to: &out)
        return out
    }

    /// `value` with exactly `places` decimals (0...9), or with trailing zeros
    /// dropped when `trimmed`; the minus sign is `minus`.
    package static func fixed(_ value: Double, places: Int, trimmed: Bool = false, minus: String = NumberFormat.minus) -> String {
        guard value.isFinite else { return nonFinite(value, minus: minus) }
        let places = min(max(places, 0), 9)
        var power = 1
        for _ in 0..<places { power *= 10 }
        let scaled = (abs(value) * Double(power)).rounded()
        guard scaled < 9e15 else { return significant(value, digits: 6, minus: minus) }
        let units = Int(scaled)
        var text = units == 0 || value > 0 ? "" : minus
        text += String(units / power)
        if places > 0 {
            var digits = String(units % power)
            digits = String(repeating: "0", count: places - digits.count) + digits
            if trimmed {
                while digits.last == "0" { digits.removeLast() }
            }
            if !digits.isEmpty { text += "." + digits }
        }
        return text
    }

    /// `value` with at most `digits` significant digits, like C's `%g` but
    /// with trailing zeros dropped and a plain exponent: `1.5e-7`, `2.5e8`.
    package static func significant(_ value: Double, digits: Int = 6, minus: String = NumberFormat.minus) -> String {
        guard value.isFinite else { return nonFinite(value, minus: minus) }
        if value == 0 { return "0" }
        let digits = min(max(digits, 1), 15)
        var exponent = Int(log10(abs(value)).rounded(.down))
        // Rounding to `digits` may carry into the next power of ten (9.9999996 → 10).
        let rounded = (abs(value) / pow(10, Double(exponent - digits + 1))).rounded()
        if rounded >= pow(10, Double(digits)) { exponent += 1 }
        if exponent >= -5 && exponent < digits {
            return fixed(value, places: digits - 1 - exponent, trimmed: true, minus: minus)
        }
        let mantissa = value / pow(10, Double(exponent))
        let sign = exponent < 0 ? minus : ""
        return fixed(mantissa, places: digits - 1, trimmed: true, minus: minus) + "e" + sign + String(abs(exponent))
    }

    private static func nonFinite(_ value: Double, minus: String) -> String {
        value.isNaN ? "NaN" : (value < 0 ? minus + "∞" : "∞")
    }
}
