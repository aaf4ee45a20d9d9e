import Diagnostics

/// Every message the Site stage reports, in one place.
enum SiteMessages {
    static let brokenPrefix = "broken link: "

    static func brokenLink(_ target: String, outside: Bool) -> String {
        outside
            ? brokenPrefix + "'\(target)' is outside the notes folder"
            : brokenPrefix + "'\(target)' is not a note or file in the notes folder"
    }

    static func unknownLabel(_ label: String) -> String {
        brokenPrefix + "no note has an equation labelled '\(label)'"
    }

    static func tooManyNotes(_ count: Int, limit: Int) -> String {
        Limits.exceeded("the folder has \(count) notes, more than \(limit); the rest are left out", .maxNotes)
    }

    static func noteTooLarge(_ bytes: Int, limit: Int) -> String {
        Limits.exceeded("this note has \(bytes) bytes, more than \(limit); it is left out", .maxNoteBytes)
    }

    static func assetTooLarge(_ path: String, _ bytes: Int, limit: Int) -> String {
        Limits.exceeded("\(path) has \(bytes) bytes, more than \(limit); it is not copied", .maxAssetBytes)
    }

    static let themeFileOutside = "this theme file leads outside the notes folder (a symbolic link); it is not used"

    static func reservedPath(_ page: String) -> String {
        "this note's page would be \(page), which the site itself uses; rename the note"
    }

    static func reservedAsset(_ path: String) -> String {
        "this file would be published as \(path), which the site itself uses; it is not copied (rename it)"
    }

    /// The renderer's own warnings about the same links (see Render's messages).
    static func isRendererLinkWarning(_ message: String) -> Bool {
        message.hasPrefix("link target '") || message.hasPrefix("embedded file '") || message.hasPrefix("no equation has the label '")
    }
}
