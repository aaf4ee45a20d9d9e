import Notebook

/// A note's date as Jekyll gives it: `date:` in the front matter
/// (`2024-06-10`, `2024-06-10 09:00:00 +0200`), else the `YYYY-MM-DD-` that
/// starts a post's file name. Shown readably, sorted by its ISO form.
///
/// ```swift
/// NoteDate("2024-06-10 09:00:00 +0200")?.readable   // "10 June 2024"
/// NoteDate(fileName: "2024-06-10-first-steps.md")?.iso   // "2024-06-10"
/// ```
public struct NoteDate: Sendable, Equatable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// `HH:MM:SS` when written, else empty.
    public var time: String

    /// Reads `YYYY-MM-DD`, optionally followed by a time (and a zone, which is kept out of sorting).
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        let digits = Array(trimmed.utf8)
        guard digits.count >= 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
              let year = Int(String(decoding: digits[0..<4], as: UTF8.self)),
              let month = Int(String(decoding: digits[5..<7], as: UTF8.self)),
              let day = Int(String(decoding: digits[8..<10], as: UTF8.self)),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        let rest = String(decoding: digits[10...], as: UTF8.self).trimmingSpaces.drop { $0 == "T" }
        let clock = rest.prefix { $0.isNumber || $0 == ":" }
        time = clock.count >= 5 ? String(clock) : ""
        guard rest.isEmpty || !clock.isEmpty else { return nil }
    }

    /// The date that starts a Jekyll post's file name (`2024-06-10-title.md`).
    public init?(fileName: String) {
        let name = fileName.split(separator: "/").last.map(String.init) ?? fileName
        guard name.utf8.count > 11, Array(name.utf8)[10] == UInt8(ascii: "-") else { return nil }
        self.init(String(name.prefix(10)))
    }

    /// A note's date: its front matter's `date:`, else its file name's.
    public init?(frontMatter date: String?, path: String) {
        if let date, let parsed = NoteDate(date) { self = parsed; return }
        self.init(fileName: path)
    }

    /// `2024-06-10`, or `2024-06-10T09:00:00` (for `<time datetime>` and sorting).
    public var iso: String {
        let date = "\(year)".leftPadded(4) + "-" + "\(month)".leftPadded(2) + "-" + "\(day)".leftPadded(2)
        return time.isEmpty ? date : date + "T" + (time.count == 5 ? time + ":00" : time)
    }

    /// `10 June 2024`.
    public var readable: String {
        "\(day) \(Self.months[month - 1]) \(year)"
    }

    public static func < (lhs: NoteDate, rhs: NoteDate) -> Bool { lhs.iso < rhs.iso }

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }

    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
