/// Every message about `nb` cells, in one place.
enum CellMessages {
    static func expectedKey(_ line: String) -> String {
        "expected `key: value` or `let name = value`, found '\(line)'"
    }

    static func unknownKey(_ key: String) -> String {
        "unknown cell key '\(key)'; known keys: network, activation, output, loss, init, seed, names, input, target, train, show, and `let`"
    }

    static func unknownValue(_ value: String, for key: String, allowed: [String]) -> String {
        "'\(value)' is not a known \(key); use one of: \(allowed.joined(separator: ", "))"
    }

    static func badNetwork(_ value: String) -> String {
        "expected layer widths such as `3 -> 5 -> 2` (at least two positive widths), found '\(value)'"
    }

    static func tooWide(_ width: Int, limit: Int) -> String {
        "a layer of \(width) neurons is over the limit of \(limit)"
    }

    static func badSeed(_ value: String) -> String {
        "expected a whole number from 0 to 18446744073709551615 as the seed, found '\(value)'"
    }

    static func badName(_ entry: String, roles: [String]) -> String {
        "expected `role TeX` such as `weights W`, found '\(entry)'; roles: \(roles.joined(separator: ", "))"
    }

    static func badNumbers(_ value: String) -> String {
        "expected a number or a list such as `[0.5, -1, 2]`, found '\(value)'"
    }

    static func badAssignment(_ text: String) -> String {
        "expected `let SYMBOL = NUMBER` or `let SYMBOL = [NUMBERS]`, found 'let \(text)'"
    }

    static func badTrain(_ item: String) -> String {
        "expected `key=value` options such as `steps=200 rate=0.1`, found '\(item)'"
    }

    static let emptyShow = "`show:` needs what to show: `table EXPR`, `plot loss`, `plot f, f' from A to B`, `diagram network`, `diagram graph`, `diagram paths SYMBOL`"
}
