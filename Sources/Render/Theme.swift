import Foundation
import Mustache

/// The look of rendered pages: Mustache templates and static assets in a
/// folder (the repository's `site/`, or a project's own copy of it).
///
/// ```swift
/// let theme = try Theme.locate(explicit: nil)
/// let html = theme.renderPage(["title": "Hidden layers", "body": body])
/// ```
public struct Theme: Sendable {
    public let directory: String
    private let templates: MustacheLibrary

    public init(directory: String) throws(RenderError) {
        let page = directory + "/templates/page.mustache"
        guard let data = FileManager.default.contents(atPath: page) else {
            throw RenderError.themeNotFound("the theme folder \(directory) has no templates/page.mustache")
        }
        do {
            let template = try MustacheTemplate(string: String(decoding: data, as: UTF8.self))
            var library = MustacheLibrary()
            library.register(template, named: "page")
            self.templates = library
        } catch {
            throw RenderError.themeNotFound("\(page) is not a valid Mustache template: \(error)")
        }
        self.directory = directory
    }

    /// `--theme`, else `$NBRUN_THEME`, else the `site/` folder of the checkout
    /// that built this executable (found by walking up from it), else
    /// `share/nbrun/site` beside the executable's `bin/`.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(RenderError) -> Theme {
        if let explicit { return try Theme(directory: explicit) }
        if let fromEnvironment = environment["NBRUN_THEME"], !fromEnvironment.isEmpty {
            return try Theme(directory: fromEnvironment)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<8 {
            for candidate in ["site", "share/nbrun/site"] {
                let path = folder.appendingPathComponent(candidate).path
                if FileManager.default.fileExists(atPath: path + "/templates/page.mustache") {
                    return try Theme(directory: path)
                }
            }
            folder = folder.deletingLastPathComponent()
        }
        throw RenderError.themeNotFound("cannot find the nbrun theme (site/templates/page.mustache); pass --theme DIR or set NBRUN_THEME")
    }

    func renderPage(_ context: [String: Any]) -> String {
        templates.render(context, withTemplate: "page") ?? ""
    }

    var stylesheetPath: String { directory + "/assets/nbrun.css" }
}
