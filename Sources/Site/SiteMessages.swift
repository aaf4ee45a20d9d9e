import Diagnostics
import Render

/// Every message the Site stage reports, in one place, each with its code (docs/diagnostics.md).
enum SiteMessages {
    private static let brokenPrefix = "broken link: "

    static func brokenLink(_ target: String, outside: Bool) -> Message {
        outside
            ? Message("site.link-outside", brokenPrefix + "'\(target)' is outside the notes folder")
            : Message("site.broken-link", brokenPrefix + "'\(target)' is not a note or file in the notes folder")
    }

    static func unknownLabel(_ label: String) -> Message {
        Message("site.unknown-label", brokenPrefix + "no note has an equation labelled '\(label)'")
    }

    static func tooManyNotes(_ count: Int, limit: Int) -> Message {
        Message("site.too-many-notes", Limits.exceeded("the folder has \(count) notes, more than \(limit); the rest are left out", .maxNotes))
    }

    static func noteTooLarge(_ bytes: Int, limit: Int) -> Message {
        Message("site.note-too-large", Limits.exceeded("this note has \(bytes) bytes, more than \(limit); it is left out", .maxNoteBytes))
    }

    static func assetTooLarge(_ path: String, _ bytes: Int, limit: Int) -> Message {
        Message("site.asset-too-large", Limits.exceeded("\(path) has \(bytes) bytes, more than \(limit); it is not copied", .maxAssetBytes))
    }

    static let themeFileOutside = Message("site.theme-file-outside", "this theme file leads outside the notes folder (a symbolic link); it is not used")

    static func reservedPath(_ page: String) -> Message {
        Message("site.reserved-path", "this note's page would be \(page), which the site itself uses; rename the note")
    }

    static func unknownNavigationEntry(_ entry: String, folder: String) -> Message {
        Message("site.unknown-navigation-entry", "navigation names '\(entry)', which is not a note in \(folder)")
    }

    static let unreadableNote = Message("site.unreadable-note", "cannot read this note")

    // site.yml
    static func invalidYAML(_ problem: String) -> Message { Message("site.invalid-yaml", "site.yml is not valid YAML: \(problem)") }
    static let configurationNotMapping = Message("site.configuration-not-mapping", "site.yml must be a mapping of keys to values")
    static func unknownKey(_ key: String, known: [String]) -> Message {
        Message("site.unknown-key", "unknown key '\(key)' in site.yml (known: \(known.joined(separator: ", ")))")
    }
    static func wrongKind(_ key: String, _ kind: String) -> Message { Message("site.wrong-kind", "'\(key)' in site.yml should be \(kind)") }
    static func configurationTooLarge(_ problem: String) -> Message { Message("site.configuration-too-large", "site.yml is refused: \(problem)") }
    static func badBaseURL(_ key: String) -> Message {
        Message("site.bad-base-url", "'\(key)' in site.yml must be http(s)://host/path or a path starting with one /; it is not used")
    }
    static func nulInValue(_ key: String) -> Message {
        Message("site.nul-in-value", "'\(key)' in site.yml holds a NUL character; it is shown as \u{FFFD}")
    }
    static let badNavigationEntry = Message("site.bad-navigation-entry", "a 'navigation' entry should be a note path or a group with title and notes")

    /// The site's own reports of links and references that lead nowhere.
    static let brokenLinkIDs: Set<MessageID> = ["site.broken-link", "site.link-outside", "site.unknown-label"]

    static func reservedAsset(_ path: String) -> Message {
        Message("site.reserved-asset", "this file would be published as \(path), which the site itself uses; it is not copied (rename it)")
    }

    /// The renderer's own warnings about the same links (see Render's messages).
    static func isRendererLinkWarning(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.id.map(RenderMessages.brokenLinkIDs.contains) ?? false
    }
}
