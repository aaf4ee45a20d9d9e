import Foundation
import Testing
@testable import Verify

struct ValueFormatTests {
    /// The values shown in pages are printed with C's `vsnprintf`; they must read exactly
    /// as Foundation's `String(format:)` prints them.
    @Test(arguments: [0.0231, -0.2315, 1.0 / 3.0, 123.456, -9_999.5, 0.001, 2.5e-7, -3.14159e9, 1e300, 0.99995])
    func printsAsStringFormatDoes(_ value: Double) {
        for digits in 0...6 {
            #expect(ValueFormat.printed(value, digits: digits, style: "f") == String(format: "%.\(digits)f", value))
        }
        #expect(ValueFormat.printed(value, digits: 3, style: "e") == String(format: "%.3e", value))
    }

    @Test func numbersAsThePageShowsThem() {
        #expect(ValueFormat.number(-0.231_512) == "-0.2315")
        #expect(ValueFormat.number(0.000_012_34) == "1.234e-05")
        #expect(ValueFormat.number(42) == "42")
        #expect(ValueFormat.number(.nan) == "NaN")
    }
}
