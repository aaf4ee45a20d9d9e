import Diagnostics
import Render
import Site

extension NotePipeline {
    /// The one note pipeline, with KaTeX, node and the theme found the way every
    /// command finds them; a missing one is an environment error (exit 2).
    static func located(theme: String?, settings: NoteSettings) throws(RenderError) -> (pipeline: NotePipeline, katex: KaTeXInstallation) {
        let katex = try KaTeXInstallation.locate()
        let theme = try Theme.locate(explicit: theme)
        let typesetter = MathTypesetter(katex: katex, cacheDirectory: MathTypesetter.defaultCacheDirectory())
        return (NotePipeline(settings: settings, theme: theme, typesetter: typesetter), katex)
    }
}
