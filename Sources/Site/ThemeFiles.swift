import Foundation
import Mustache
import Render

/// The site's theme: the default theme folder (`site/` of nbrun) with a
/// project's own `site/` folder laid over it, file by file — a project can
/// replace one template or the stylesheet and keep the rest.
///
/// ```swift
/// let theme = try ThemeFiles(base: "/usr/share/nbrun/site", project: "notebooks/site", cacheDirectory: cache)
/// let html = theme.render("index", ["siteTitle": "Notes"])
/// ```
public struct ThemeFiles: Sendable {
    /// The folder inside a notes folder that overrides the default theme.
    public static let projectFolder = "site"

    /// The merged theme as a folder `Render.Theme` can read: the base folder
    /// itself when the project overrides neither `page.mustache` nor `nbrun.css`.
    public let pageThemeDirectory: String
    /// `assets/` files by name, absolute paths, project files winning.
    public let assets: [String: String]
    /// SHA-256 over every template and asset: part of every page's cache key.
    public let fingerprint: String
    /// Project theme files left out because their real path is outside the notes folder.
    public let refused: [String]
    private let library: MustacheLibrary

    public init(base: String, project: String?, cacheDirectory: String) throws(SiteError) {
        var templateFiles = Self.files(in: base + "/templates")
        var assetFiles = Self.files(in: base + "/assets")
        var overridesPage = false
        var refused: [String] = []
        if let project {
            // A project's theme is the notes' own: its files (symbolic links resolved) must stay in the notes folder.
            let inside = (LinkResolver.canonical(project) as NSString).deletingLastPathComponent
            for (name, path) in Self.files(in: project + "/templates", inside: inside, refused: &refused) {
                templateFiles[name] = path
                if name == "page.mustache" { overridesPage = true }
            }
            for (name, path) in Self.files(in: project + "/assets", inside: inside, refused: &refused) {
                assetFiles[name] = path
                if name == "nbrun.css" { overridesPage = true }
            }
        }
        var library = MustacheLibrary()
        var hashed: [UInt8] = []
        for name in templateFiles.keys.sorted() where name.hasSuffix(".mustache") {
            guard let path = templateFiles[name], let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            do {
                library.register(try MustacheTemplate(string: text), named: String(name.dropLast(".mustache".count)))
            } catch {
                throw .theme("\(path) is not a valid Mustache template: \(error)")
            }
            hashed += Array(name.utf8) + [0] + Array(data) + [0]
        }
        for name in assetFiles.keys.sorted() {
            guard let path = assetFiles[name], let data = FileManager.default.contents(atPath: path) else { continue }
            hashed += Array(name.utf8) + [0] + Array(data) + [0]
        }
        for required in ["page", "index", "tag", "404"] where library.getTemplate(named: required) == nil {
            throw .theme("the theme \(base) has no templates/\(required).mustache")
        }
        let fingerprint = ContentHash.hex(of: hashed)
        var pageDirectory = base
        if overridesPage {
            pageDirectory = cacheDirectory + "/themes/" + fingerprint
            if !FileManager.default.fileExists(atPath: pageDirectory + "/templates/page.mustache") {
                do {
                    for (folder, entries) in [("templates", templateFiles), ("assets", assetFiles)] {
                        try FileManager.default.createDirectory(atPath: pageDirectory + "/" + folder, withIntermediateDirectories: true)
                        for (name, path) in entries {
                            guard let data = FileManager.default.contents(atPath: path) else { continue }
                            try AtomicFile.write(data, to: pageDirectory + "/" + folder + "/" + name)
                        }
                    }
                } catch {
                    throw .theme("cannot prepare the merged theme in \(pageDirectory): \(error)")
                }
            }
        }
        self.pageThemeDirectory = pageDirectory
        self.assets = assetFiles
        self.fingerprint = fingerprint
        self.refused = refused.sorted()
        self.library = library
    }

    /// Renders one of the theme's templates (`index`, `tag`, `404`, a partial).
    public func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    public func has(_ template: String) -> Bool {
        library.getTemplate(named: template) != nil
    }

    /// The files of a folder by name; with `inside`, only those whose real path is in that folder.
    private static func files(in folder: String) -> [String: String] {
        var refused: [String] = []
        return files(in: folder, inside: nil, refused: &refused)
    }

    private static func files(in folder: String, inside: String?, refused: inout [String]) -> [String: String] {
        var out: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !name.hasPrefix(".") {
            if let inside, !LinkResolver.canonical(folder + "/" + name).hasPrefix(inside + "/") {
                refused.append(folder + "/" + name)
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = folder + "/" + name
            }
        }
        return out
    }
}
