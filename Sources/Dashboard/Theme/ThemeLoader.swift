import NamespaceKit

/// Finds and loads themes for `--theme NAME|PATH`.
///
/// A value containing "/" or ending in ".toml" is a file path. Anything else is a name, looked up as
/// `NAME.toml` in these folders, first match wins:
/// 1. every folder in `$NSLAB_THEME_PATH` (colon-separated);
/// 2. `$XDG_CONFIG_HOME/nslab/themes`, else `~/.config/nslab/themes`;
/// 3. `themes/` next to the nslab binary, then `../share/nslab/themes` relative to it;
/// 4. `/usr/local/share/nslab/themes`, then `/usr/share/nslab/themes`.
/// The names "default" and "mono" fall back to the built-in themes when no file is found.
/// `NO_COLOR` (set and not empty) turns any theme into the built-in mono one.
public struct ThemeLoader: Sendable {
    /// The environment consulted (injectable for tests).
    public var environment: [String: String]
    /// The folder holding the nslab binary, if known.
    public var executableDirectory: String?

    /// Makes a loader over an environment and the binary's folder.
    public init(environment: [String: String], executableDirectory: String?) {
        self.environment = environment
        self.executableDirectory = executableDirectory
    }

    /// A loader over the process's real environment and `/proc/self/exe`.
    public static func current() -> ThemeLoader {
        ThemeLoader(
            environment: ProcessEnvironment.all(), executableDirectory: ProcessEnvironment.executableDirectory())
    }

    /// The folders searched for a theme name, in order.
    public var searchPath: [String] {
        var folders: [String] = []
        if let list = environment["NSLAB_THEME_PATH"] {
            folders += list.split(separator: ":").map(String.init)
        }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            folders.append(xdg + "/nslab/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(home + "/.config/nslab/themes")
        }
        if let dir = executableDirectory {
            folders.append(dir + "/themes")
            folders.append(dir + "/../share/nslab/themes")
        }
        folders += ["/usr/local/share/nslab/themes", "/usr/share/nslab/themes"]
        return folders
    }

    /// True when the user asked for no colour (https://no-color.org: set and not empty).
    public var noColor: Bool { !(environment["NO_COLOR"] ?? "").isEmpty }

    /// Loads the theme `--theme` names (nil: the default), honouring NO_COLOR. A theme that is
    /// missing or malformed is an error even under NO_COLOR, so a typo never goes unnoticed.
    public func load(_ nameOrPath: String?) throws(ThemeError) -> Theme {
        let theme: Theme
        if let nameOrPath, !nameOrPath.isEmpty {
            let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
            theme = isPath ? try loadFile(nameOrPath) : try loadName(nameOrPath)
        } else {
            theme = try loadName("default")
        }
        return noColor ? .builtinMono : theme
    }

    /// Loads a theme by name from the search path.
    func loadName(_ name: String) throws(ThemeError) -> Theme {
        for folder in searchPath {
            let path = folder + "/" + name + ".toml"
            if SystemCall.fileExists(path) { return try loadFile(path) }
        }
        if name == "default" { return .builtinDefault }
        if name == "mono" { return .builtinMono }
        throw ThemeError(
            "theme \(name.quoted) not found: looked for \(name.escapingControls).toml in \(searchPath.joined(separator: ", ")); "
                + "give a path or set NSLAB_THEME_PATH.")
    }

    /// Loads a theme file.
    public func loadFile(_ path: String) throws(ThemeError) -> Theme {
        try ThemeParser.parse(try ProcessEnvironment.readTheme(path), file: path)
    }
}

/// The process's environment and the theme file, read through NamespaceKit's `SystemCall`.
enum ProcessEnvironment {
    /// Every environment variable, by name.
    static func all() -> [String: String] {
        var result: [String: String] = [:]
        for entry in SystemCall.environment() {
            if let equals = entry.firstIndex(of: "=") {
                result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            }
        }
        return result
    }

    /// The folder of the running binary.
    static func executableDirectory() -> String? {
        guard let path = SystemCall.executablePath(), let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Largest theme file read: the shipped themes are about 1 KiB, and a bound keeps a wrong path cheap.
    static let themeSizeLimit = 256 * 1024

    /// A theme file as UTF-8 text. Only a regular file of at most `limit` bytes is read (opened without
    /// blocking), so `/dev/zero` is no endless read and a FIFO no hang; the error says which rule was hit.
    static func readTheme(_ path: String, limit: Int = themeSizeLimit) throws(ThemeError) -> String {
        let rule = "a theme is read only from a regular file of at most \(limit / 1024) KiB."
        let reason: String
        switch SystemCall.readRegularFile(path, limit: limit) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(.notRegular): reason = "not a regular file; " + rule
        case .failure(.tooLarge(let size, _)): reason = "\(size) bytes; " + rule
        case .failure(.system(let error)): reason = "cannot be read (\(error))."
        }
        throw ThemeError("theme file \(path): " + reason)
    }
}
