import Foundation

/// `nbrun buld .` would otherwise run the note `buld` and say no such file;
/// a first word that is no file and is one or two letters away from a
/// command is a typo of that command.
enum CommandSuggestion {
    /// The command `word` was probably meant to be, or nil.
    static func command(meantBy word: String, commands: [String]) -> String? {
        guard !word.isEmpty, !word.hasPrefix("-"), !word.contains("/"), !word.contains("."), word != "help",
              !commands.contains(word), !FileManager.default.fileExists(atPath: word) else { return nil }
        let scored = commands.map { (name: $0, distance: distance(word.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= min(2, best.name.count / 2) else { return nil }
        return best.name
    }

    /// Levenshtein distance (insertions, deletions, substitutions), for short words.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
