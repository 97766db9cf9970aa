import Glibc
import NamespaceKit

/// nslab's wrapper start-up files for the shells of its panes (`ShellScripts`), written once per dashboard into
/// a fresh directory of its own and removed when the dashboard ends.
///
/// The directory is made under /tmp with mkdtemp (no other process can have put anything in it) and opened to
/// everyone for reading: a child may run as another uid (a mapped root inside a user namespace, uid 65534
/// under unwritten maps), which reads a file of nslab's only through its "other" bits, and /tmp is where
/// every such child can reach it. $XDG_RUNTIME_DIR is no place for it: it is private to its owner (0700). A
/// child in a new mount namespace still sees it (its mounts start as a copy of nslab's); a child that joins
/// another mount namespace does not, and `ShellIntegration` gives that one its marks without files.
public final class ShellStartupFiles {
    /// The directory, e.g. `/tmp/nslab-shell.Ab12Cd`.
    public let directory: String

    /// bash's `--rcfile`.
    public var bashRC: String { directory + "/bashrc" }
    /// zsh's ZDOTDIR.
    public var zshDirectory: String { directory + "/zsh" }
    /// dash's ENV file.
    public var dashENV: String { directory + "/dash.sh" }
    /// busybox sh's ENV file.
    public var ashENV: String { directory + "/ash.sh" }

    private var removed = false

    private init(directory: String) { self.directory = directory }

    /// Writes the files into a new directory under `parent`; nil when that fails (the panes' shells then get
    /// only the marks that need no file).
    public static func create(in parent: String = "/tmp") -> ShellStartupFiles? {
        var template = Array((parent + "/nslab-shell.XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { return nil }
        let files = ShellStartupFiles(directory: String(cString: template))
        let contents: [(String, String)] = [
            (files.bashRC, ShellScripts.bashRC),
            (files.zshDirectory + "/.zshenv", ShellScripts.zshEnv),
            (files.zshDirectory + "/.zprofile", ShellScripts.zshProfile),
            (files.zshDirectory + "/.zshrc", ShellScripts.zshRC),
            (files.dashENV, ShellScripts.dashENV),
            (files.ashENV, ShellScripts.ashENV),
        ]
        // mkdtemp makes the directory 0700 and the umask may narrow modes: both are set exactly.
        guard chmod(files.directory, 0o755) == 0, mkdir(files.zshDirectory, 0o755) == 0,
            chmod(files.zshDirectory, 0o755) == 0,
            contents.allSatisfy({ write($0.1, to: $0.0) })
        else {
            files.remove()
            return nil
        }
        return files
    }

    /// Writes `text` into a new file at `path`, readable by everyone.
    private static func write(_ text: String, to path: String) -> Bool {
        guard case .success(let fd) = SystemCall.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o644)
        else { return false }
        defer { SystemCall.close(fd) }
        return SystemCall.changeMode(fd, 0o644) == nil && SystemCall.writeAll(fd, text) == nil
    }

    /// Removes the files and the directory (once; a shell still running keeps what it already read).
    public func remove() {
        guard !removed else { return }
        removed = true
        for name in [".zshenv", ".zprofile", ".zshrc"] { unlink(zshDirectory + "/" + name) }
        rmdir(zshDirectory)
        for path in [bashRC, dashENV, ashENV] { unlink(path) }
        rmdir(directory)
    }

    deinit { remove() }
}
