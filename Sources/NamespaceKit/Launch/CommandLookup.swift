import CNamespaces
import Glibc

/// Where a launch finds its command, as a shell (and nsenter, which execs with execvp after joining) would in the
/// place the command runs: in nslab's own root for a plain launch; for one that joins a mount namespace, in the
/// target's root, seen from here as `/proc/PID/root` and resolved with openat2(RESOLVE_IN_ROOT), so that an
/// absolute symbolic link (Alpine's `/bin/sh -> /bin/busybox`) or ".." stays inside it and no host file is ever
/// taken for the target's.
public struct CommandLookup {
    /// The root the command runs under, open (O_PATH); nil for nslab's own.
    let root: FileDescriptor?
    /// The process whose root `root` is, for messages.
    let rootPID: Int32?
    /// The command's working directory as a path inside `root`, where relative names start.
    let workingDirectory: String
    /// The directories a name without a slash is searched in, colon-separated.
    public let searchPath: String
    /// Whether the lookup is for a join: its errors then name the root and the PATH searched.
    let joined: Bool

    /// The PATH used when neither the command's environment nor the target has one: what nslab has always used.
    public static let defaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// A lookup in nslab's own root along `searchPath`, else the default PATH.
    public init(searchPath: String?) {
        root = nil
        rootPID = nil
        workingDirectory = "."
        self.searchPath = searchPath ?? Self.defaultSearchPath
        joined = false
    }

    /// The lookup for a join of `target`: in `root` (the target's `/proc/PID/root`, open, when its mount
    /// namespace is joined; nil keeps nslab's), starting relative names at `workingDirectory` (the target's, a path
    /// inside that root), along `searchPath` (the command's PATH), else the target's own, else the default.
    init(joining target: JoinTarget, root: FileDescriptor?, workingDirectory: String, searchPath: String?) {
        self.root = root
        rootPID = root == nil ? nil : target.pid
        self.workingDirectory = workingDirectory
        self.searchPath = searchPath ?? Self.processPATH(target.pid) ?? Self.defaultSearchPath
        joined = true
    }

    /// The path to hand to execve() for `name`: `name` itself when it has a slash, else the first `DIR/name` along
    /// the search path that is an executable regular file. execve() runs after the join (and chroot), so the path is
    /// one inside the root. Fails with `commandNotFound` or `notExecutable`, which name the root and PATH of a join.
    public func resolve(_ name: String) throws(LaunchError) -> String {
        if name.contains("/") {
            switch check(name) {
            case .success: return name
            case .failure(let error) where Self.isMissing(error):
                throw .commandNotFound(name, rootPID: rootPID, searchPath: nil)
            case .failure(let error):
                throw .notExecutable(name, error, rootPID: rootPID)
            }
        }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // An empty entry is the working directory, as in execvp(3).
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            if case .success = check(candidate) { return candidate }
        }
        throw .commandNotFound(name, rootPID: rootPID, searchPath: joined ? searchPath : nil)
    }

    /// Whether `path` is an executable regular file where the command runs: success, or why not.
    /// In nslab's own root the caller's access(X_OK) decides (root passes it on any directory, which execve()
    /// refuses, hence the regular-file test). In a target's root the command runs as whoever the join makes it
    /// (root of a joined user namespace), so an exec bit is what is asked; execve() has the last word.
    func check(_ path: String) -> Result<Void, Errno> {
        guard let root else {
            let info: stat
            switch SystemCall.fileStatus(path) {
            case .success(let found): info = found
            case .failure(let error): return .failure(error)
            }
            if let error = Self.notRunnable(info) { return .failure(error) }
            return SystemCall.isAccessible(path, X_OK) ? .success(()) : .failure(.current)
        }
        let inside = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        let fd: FileDescriptor
        switch SystemCall.openInRoot(root, inside, nsl_o_path) {
        case .success(let opened): fd = opened
        case .failure(let error): return .failure(error)
        }
        defer { fd.close() }
        let info: stat
        switch SystemCall.fileStatus(fd) {
        case .success(let found): info = found
        case .failure(let error): return .failure(error)
        }
        if let error = Self.notRunnable(info) { return .failure(error) }
        return info.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH) != 0 ? .success(()) : .failure(.accessDenied)
    }

    /// The file `path` leads to where the command runs, every link followed inside the root: its path as nslab
    /// sees it (the kernel's name for the open file); nil when it cannot be opened.
    public func realFile(_ path: String) -> String? {
        let inside = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        let opened = root.map { SystemCall.openInRoot($0, inside, nsl_o_path) } ?? SystemCall.open(path, nsl_o_path)
        guard case .success(let fd) = opened else { return nil }
        defer { fd.close() }
        return SystemCall.readLink("/proc/self/fd/\(fd.rawValue)")
    }

    /// EISDIR for a directory, EACCES for anything else that is no regular file, nil for a regular file.
    private static func notRunnable(_ info: stat) -> Errno? {
        switch info.st_mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: Errno(EISDIR)
        default: .accessDenied
        }
    }

    /// Whether `error` means there is nothing at the path (a shell's "not found") rather than something unusable.
    private static func isMissing(_ error: Errno) -> Bool {
        error == .noSuchFile || error == Errno(ENOTDIR)
    }

    /// The PATH in `pid`'s environment (its /proc/PID/environ, as it started); nil when unset or unreadable.
    static func processPATH(_ pid: Int32) -> String? {
        guard case .success(let bytes) = SystemCall.readRegularFile("/proc/\(pid)/environ", limit: 1 << 20) else {
            return nil
        }
        for entry in bytes.split(separator: 0) where entry.starts(with: Array("PATH=".utf8)) {
            return String(decoding: entry.dropFirst(5), as: UTF8.self)
        }
        return nil
    }

    /// The working directory of `pid` as a path inside its root: both links read from here, the root's path taken
    /// off the front. "/" when either is unreadable, or when the directory lies outside the root (a chroot without
    /// chdir), where no path inside the root names it: relative names are then looked up from the root.
    static func workingDirectory(of pid: Int32) -> String {
        guard let cwd = SystemCall.readLink("/proc/\(pid)/cwd"), let root = SystemCall.readLink("/proc/\(pid)/root")
        else { return "/" }
        if root == "/" { return cwd }
        if cwd == root { return "/" }
        if cwd.hasPrefix(root + "/") { return String(cwd.dropFirst(root.count)) }
        return "/"
    }

    /// The value of `name` in `environment` ("NAME=value" strings, the last one counts).
    static func value(of name: String, in environment: [String]) -> String? {
        let prefix = name + "="
        return environment.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}
