/// What the checker (the Verify stage) said about a note, shown beside it in
/// the index, on tag pages and on the note's page. The caller supplies it;
/// a note without one shows none.
public enum NoteStatus: String, Sendable, Equatable, Codable, CaseIterable {
    case verified
    case failed
    case unchecked

    /// The words a reader sees.
    public var label: String {
        switch self {
        case .verified: "verified"
        case .failed: "check failed"
        case .unchecked: "not checked"
        }
    }
}
