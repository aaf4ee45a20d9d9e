import Verify

/// What the checker (the Verify stage) said about a note, shown beside it in
/// the index, on tag pages and in the note's page header: a mark and words,
/// never colour alone (`✓ verified`, `✗ 2 failed`, `– not checked`).
///
/// ```swift
/// let status = NoteStatus(Verifier(seed: 7).check(notebook))
/// status.label   // "2 failed"
/// ```
public enum NoteStatus: Sendable, Equatable, Codable {
    /// At least one step holds and none fails.
    case verified
    /// Steps that do not hold or could not run (`failed` and `error`).
    case failed(steps: Int)
    /// Nothing was checked: no relation in the math, or every one left unchecked.
    case unchecked

    public init(_ report: Report) {
        let failures = report.failures.count
        if failures > 0 {
            self = .failed(steps: failures)
        } else if report.count(.verified) > 0 {
            self = .verified
        } else {
            self = .unchecked
        }
    }

    /// The class name in HTML: `verified`, `failed`, `unchecked`.
    public var kind: String {
        switch self {
        case .verified: "verified"
        case .failed: "failed"
        case .unchecked: "unchecked"
        }
    }

    /// A mark that carries the meaning without colour.
    public var mark: String {
        switch self {
        case .verified: "✓"
        case .failed: "✗"
        case .unchecked: "–"
        }
    }

    /// The words a reader sees after the mark.
    public var label: String {
        switch self {
        case .verified: "verified"
        case .failed(let steps): "\(steps) failed"
        case .unchecked: "not checked"
        }
    }

    /// The template values of a status (`hasStatus`, `status`, `statusMark`, `statusLabel`).
    var context: [String: Any] {
        ["hasStatus": true, "status": kind, "statusMark": mark, "statusLabel": label]
    }
}
