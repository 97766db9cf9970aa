import Glibc
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
            if access(path, F_OK) == 0 { return try loadFile(path) }
        }
        if name == "default" { return .builtinDefault }
        if name == "mono" { return .builtinMono }
        throw ThemeError(
            "theme '\(name)' not found: looked for \(name).toml in \(searchPath.joined(separator: ", ")); "
                + "give a path or set NSLAB_THEME_PATH.")
    }

    /// Loads a theme file.
    public func loadFile(_ path: String) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try ProcessEnvironment.readRegularFile(path)
        } catch {
            let reason = error.isRefusal ? error.message : "cannot be read (\(error.message))."
            throw ThemeError("theme file \(path): " + reason)
        }
        return try ThemeParser.parse(text, file: path)
    }
}

/// Small wrappers over the process's environment and files, kept free of Foundation for start-up time.
enum ProcessEnvironment {
    /// A failed system call, as readable text.
    struct SystemError: Error {
        let message: String
        /// True when the file was readable but refused (not regular, too large); the message is then a sentence.
        var isRefusal = false
        init(errno code: Int32) { message = String(cString: strerror(code)) }
        init(refusal: String) {
            message = refusal
            isRefusal = true
        }
    }

    /// Every environment variable.
    static func all() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// The folder of the running binary, from /proc/self/exe.
    static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Largest theme file read: the shipped themes are about 1 KiB, and a bound keeps a wrong path cheap.
    static let themeSizeLimit = 256 * 1024

    /// The whole file as UTF-8 text (small /proc files; a theme goes through `readRegularFile`).
    static func readFile(_ path: String) throws(SystemError) -> String {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError(errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { read(fd, buffer.baseAddress, buffer.count) }
            }
            if n < 0 { throw SystemError(errno: errno) }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A regular file of at most `limit` bytes as UTF-8 text. Opened without blocking and checked with fstat
    /// before anything is read, so `/dev/zero` cannot be read without end nor a FIFO wait for a writer.
    static func readRegularFile(_ path: String, limit: Int = themeSizeLimit) throws(SystemError) -> String {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
        guard fd >= 0 else { throw SystemError(errno: errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw SystemError(errno: errno) }
        let rule = "a theme is read only from a regular file of at most \(limit / 1024) KiB."
        guard status.st_mode & S_IFMT == S_IFREG else { throw SystemError(refusal: "not a regular file; " + rule) }
        guard status.st_size <= limit else { throw SystemError(refusal: "\(status.st_size) bytes; " + rule) }
        // One byte more than the limit, in case the file grew since fstat.
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { read(fd, buffer.baseAddress! + count, buffer.count - count) }
            }
            if n < 0 { throw SystemError(errno: errno) }
            if n == 0 { break }
            count += n
        }
        guard count <= limit else { throw SystemError(refusal: "more than \(limit) bytes; " + rule) }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
