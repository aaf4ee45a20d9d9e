/// nbrun's version: shown by `--version`, written in every page's footer, and
/// part of every cache key (a new version renders every page again).
public enum Version {
    public static let nbrun = "0.1.0"
}
