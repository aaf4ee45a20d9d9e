// Locations, ranges and diagnostics as JSON, for caches and manifests that keep
// what a stage reported (`{"file": "a.md", "line": 3, "column": 7, "offset": 41}`).

extension SourceLocation: Codable {
    private enum CodingKeys: String, CodingKey { case file, line, column, offset }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try values.decode(String.self, forKey: .file), line: try values.decode(Int.self, forKey: .line),
                  column: try values.decode(Int.self, forKey: .column), offset: try values.decode(Int.self, forKey: .offset))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(file, forKey: .file)
        try values.encode(line, forKey: .line)
        try values.encode(column, forKey: .column)
        try values.encode(offset, forKey: .offset)
    }
}

extension SourceRange: Codable {
    private enum CodingKeys: String, CodingKey { case start, end }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(start: try values.decode(SourceLocation.self, forKey: .start), end: try values.decode(SourceLocation.self, forKey: .end))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(start, forKey: .start)
        try values.encode(end, forKey: .end)
    }
}

extension Diagnostic.Severity: Codable {}

extension Diagnostic: Codable {
    private enum CodingKeys: String, CodingKey { case severity, message, range, notes, id }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try values.decode(Severity.self, forKey: .severity), try values.decode(String.self, forKey: .message),
                  at: try values.decode(SourceRange.self, forKey: .range), notes: try values.decode([String].self, forKey: .notes),
                  id: try values.decodeIfPresent(MessageID.self, forKey: .id))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(severity, forKey: .severity)
        try values.encode(message, forKey: .message)
        try values.encode(range, forKey: .range)
        try values.encode(notes, forKey: .notes)
        try values.encodeIfPresent(id, forKey: .id)
    }
}
