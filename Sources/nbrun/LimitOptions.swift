import ArgumentParser
import Diagnostics
import Foundation
import Site

/// `--limit NAME=VALUE`, shared by every subcommand: overrides a limit of
/// `site.yml` (or the default) for this run.
package struct LimitOptions: ParsableArguments {
    @Option(
        name: .customLong("limit"),
        parsing: .singleValue,
        help: ArgumentHelp(
            "Override a resource limit, e.g. --limit timePerNote=10s or --limit maxSumTerms=1000 (repeatable).",
            discussion: "Limits: " + Limits.Key.allCases.map { "\($0.rawValue) (\($0.summary); default \(Limits().value(of: $0)))" }.joined(separator: ", ")
                + ". See docs/security.md.",
            valueName: "name=value"
        ),
        transform: { text in
            do {
                return try Limits.Setting(parsing: text)
            } catch {
                throw ValidationError(String(describing: error))
            }
        }
    )
    package var settings: [Limits.Setting] = []

    package init() {}
}
