import Notebook

/// How an Obsidian callout type looks: the family that gives its colour and
/// icon (`hint` looks like `tip`, as in Obsidian), and its default title.
/// Types nbrun does not know look like `note`, as Obsidian shows them.
///
/// ```swift
/// CalloutStyle(kind: "caution").family   // "warning"
/// ```
struct CalloutStyle {
    let family: String

    init(kind: String) {
        family = Self.aliases[kind] ?? (Self.icons[kind] != nil ? kind : "note")
    }

    /// The title shown when the note writes none: the type as a word (`my-type` → `My type`).
    static func defaultTitle(kind: String) -> String {
        let words = kind.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A small line icon (our own drawing, 24-unit grid), coloured by the text colour.
    var icon: String {
        "<svg class=\"callout-icon\" aria-hidden=\"true\" viewBox=\"0 0 24 24\" width=\"18\" height=\"18\" fill=\"none\" stroke=\"currentColor\" "
            + "stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\(Self.icons[family] ?? "")</svg>"
    }

    private static let aliases: [String: String] = [
        "summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip", "check": "success", "done": "success",
        "help": "question", "faq": "question", "caution": "warning", "attention": "warning", "fail": "failure",
        "missing": "failure", "error": "danger", "cite": "quote",
    ]

    private static let icons: [String: String] = [
        "note": "<path d=\"M4 20h4L19 9l-4-4L4 16z\"/><path d=\"M13 7l4 4\"/>",
        "abstract": "<rect x=\"6\" y=\"4\" width=\"12\" height=\"17\" rx=\"2\"/><path d=\"M9 9h6M9 13h6M9 17h4\"/>",
        "info": "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 16v-5M12 8h.01\"/>",
        "todo": "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M8 12l3 3 5-6\"/>",
        "tip": "<path d=\"M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.8.8 1 1.5 1 2.5h6c0-1 .2-1.7 1-2.5A6 6 0 0 0 12 3z\"/>",
        "success": "<path d=\"M5 12l5 5L20 7\"/>",
        "question": "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M9.5 9a2.5 2.5 0 0 1 5 0c0 2-2.5 2-2.5 4M12 17h.01\"/>",
        "warning": "<path d=\"M12 3L2 21h20z\"/><path d=\"M12 10v5M12 18h.01\"/>",
        "failure": "<path d=\"M6 6l12 12M18 6L6 18\"/>",
        "danger": "<path d=\"M13 2L4 14h7l-1 8 9-12h-7z\"/>",
        "bug": "<rect x=\"8\" y=\"6\" width=\"8\" height=\"14\" rx=\"4\"/><path d=\"M4 10h4M16 10h4M4 16h4M16 16h4M10 3l2 3 2-3\"/>",
        "example": "<path d=\"M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01\"/>",
        "quote": "<path d=\"M7 7h4v4c0 3-2 5-4 6M15 7h4v4c0 3-2 5-4 6\"/>",
    ]
}
