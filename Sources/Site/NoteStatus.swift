import Verify

/// What the checker (the Verify stage) said about a note, shown beside it in
/// the index, on tag pages and in the note's page header: a mark and words,
/// never colour alone (`✓ verified`, `✗ 2 failed`, `⚠ 1 error`, `◐ partly checked: 3 of 7`,
/// `– not checked`). It tells the truth: `✓ verified` only when every checked step held,
/// none was left unchecked and nothing errored.
///
/// ```swift
/// let status = NoteStatus(Verifier(seed: 7).check(notebook))
/// status.label   // "2 failed"
/// ```
public enum NoteStatus: Sendable, Equatable, Codable {
    /// Every checked step holds, none is left unchecked, and nothing errored.
    case verified
    /// Steps that do not hold or could not run (`failed` and `error`).
    case failed(steps: Int)
    /// No step fails, but the page has errors: math KaTeX cannot typeset, a malformed cell.
    case errors(Int)
    /// Some steps hold and the others were left unchecked: `checked` of `total`.
    case partlyChecked(checked: Int, total: Int)
    /// Nothing was checked: no relation in the math, or every one left unchecked.
    case unchecked

    /// - Parameter pageErrors: errors of the note outside its steps (reading, typesetting, cells),
    ///   as `file:line:col` diagnostics the command line prints too.
    public init(_ report: Report, pageErrors: Int = 0) {
        let failures = report.failures.count
        let checked = report.count(.verified) + report.count(.expectedFailure)
        let unchecked = report.steps.count { $0.status == .unchecked && !$0.isSkipped }
        let errors = pageErrors + report.diagnostics.count { $0.severity == .error }
        if failures > 0 {
            self = .failed(steps: failures)
        } else if errors > 0 {
            self = .errors(errors)
        } else if report.count(.verified) > 0, unchecked > 0 {
            self = .partlyChecked(checked: checked, total: checked + unchecked)
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
        case .failed, .errors: "failed"
        case .partlyChecked: "partly-checked"
        case .unchecked: "unchecked"
        }
    }

    /// A mark that carries the meaning without colour.
    public var mark: String {
        switch self {
        case .verified: "✓"
        case .failed: "✗"
        case .errors: "⚠"
        case .partlyChecked: "◐"
        case .unchecked: "–"
        }
    }

    /// The words a reader sees after the mark.
    public var label: String {
        switch self {
        case .verified: "verified"
        case .failed(let steps): "\(steps) failed"
        case .errors(let count): count == 1 ? "1 error" : "\(count) errors"
        case .partlyChecked(let checked, let total): "partly checked: \(checked) of \(total)"
        case .unchecked: "not checked"
        }
    }

    /// The template values of a status (`hasStatus`, `status`, `statusMark`, `statusLabel`).
    var context: [String: Any] {
        ["hasStatus": true, "status": kind, "statusMark": mark, "statusLabel": label]
    }
}
