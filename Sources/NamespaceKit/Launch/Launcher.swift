import CNamespaces
import Glibc

/// Launches children into new namespaces through the C spawn core.
public enum Launcher {
    /// Validates `spec`, resolves its command and launches it. Call from the thread that lives as
    /// long as nslab (the main thread): the child's death signal fires when that thread exits.
    public static func launch(_ spec: LaunchSpec) throws -> Child {
        // Maps of a user namespace on top of a joined one are ids of the joined namespace, where the child is
        // root: the kernel, not nslab, judges them.
        try spec.validate(privileged: LaunchSpec.mayMapAnyIDs(joiningUser: spec.joining?.kinds.contains(.user) == true))
        let path = try resolveCommand(spec.command[0], searchPath: environmentValue("PATH"))

        let environment = spec.environment ?? currentEnvironment()
        let argv = CStringArray(spec.command)
        let envp = CStringArray(environment)
        let pathC = strdup(path)!
        let hostname = spec.hostname.map { strdup($0)! }
        let user = spec.kinds.contains(.user)
        // Nested (joining): without maps given, the C child maps root to its own ids in the joined namespace.
        // A lesson may ask for no maps at all (`writeMaps`), to show a user namespace before they are written.
        let nested = spec.joining.map { !$0.kinds.isEmpty } ?? false
        let uidMap =
            user && spec.writeMaps
            ? (nested ? spec.uidMap : spec.effectiveUIDMap).map { strdup(IDMap.text($0))! } : nil
        let gidMap =
            user && spec.writeMaps
            ? (nested ? spec.gidMap : spec.effectiveGIDMap).map { strdup(IDMap.text($0))! } : nil
        defer {
            free(pathC)
            free(hostname)
            free(uidMap)
            free(gidMap)
        }

        var flags: Int32 = 0
        for kind in spec.kinds where kind != .time { flags |= kind.cloneFlag }
        let monotonic = splitSeconds(spec.monotonicOffset ?? 0)
        let boottime = splitSeconds(spec.boottimeOffset ?? 0)

        // Joining goes through a pidfd (one setns() for every kind, Linux 5.8) and, with the mount namespace,
        // the target's root and working directory, opened now, from this side.
        var join: JoinHandles?
        if let target = spec.joining { join = try JoinHandles(target) }
        var joinFlags: Int32 = 0
        for kind in spec.joining?.kinds ?? [] { joinFlags |= kind.cloneFlag }

        var result = nsl_spawn_result()
        let rc = argv.withPointers { argvPointer in
            envp.withPointers { envpPointer in
                var cSpec = nsl_spawn_spec(
                    clone_flags: flags,
                    new_time: spec.kinds.contains(.time) ? 1 : 0,
                    monotonic_sec: monotonic.seconds,
                    monotonic_nsec: monotonic.nanoseconds,
                    boottime_sec: boottime.seconds,
                    boottime_nsec: boottime.nanoseconds,
                    hostname: UnsafePointer(hostname),
                    uid_map: UnsafePointer(uidMap),
                    gid_map: UnsafePointer(gidMap),
                    // Unprivileged callers must deny setgroups before the kernel accepts their gid_map.
                    deny_setgroups: user && SystemCall.effectiveUserID != 0 ? 1 : 0,
                    mount_proc: spec.mountProc ? 1 : 0,
                    loopback_up: spec.loopbackUp ? 1 : 0,
                    use_pty: spec.terminalSize == nil ? 0 : 1,
                    rows: spec.terminalSize?.rows ?? 0,
                    cols: spec.terminalSize?.columns ?? 0,
                    join_pidfd: join?.pidfd.rawValue ?? -1,
                    join_flags: joinFlags,
                    join_root_fd: join?.root?.rawValue ?? -1,
                    join_cwd_fd: join?.cwd?.rawValue ?? -1,
                    path: UnsafePointer(pathC),
                    argv: argvPointer,
                    envp: envpPointer)
                return nsl_spawn(&cSpec, &result)
            }
        }
        guard rc == 0 else {
            let step = LaunchStep(rawValue: result.failed_step) ?? .clone
            throw LaunchError.step(step, Errno(result.error), kinds: spec.kinds, command: spec.command[0])
        }
        return Child(
            pid: result.command_pid, leaderPID: result.pid, pidfd: FileDescriptor(rawValue: result.pidfd),
            terminalFD: result.pty_master >= 0 ? FileDescriptor(rawValue: result.pty_master) : nil, spec: spec)
    }

    /// Finds `name` the way a shell would: as given when it has a slash, else in `searchPath`. A path must
    /// name an executable regular file: root passes access(X_OK) on any directory, which execve() refuses.
    public static func resolveCommand(_ name: String, searchPath: String?) throws(LaunchError) -> String {
        if name.contains("/") {
            let info: stat
            switch SystemCall.fileStatus(name) {
            case .success(let found): info = found
            case .failure(let error):
                if error == .noSuchFile || error == Errno(ENOTDIR) { throw .commandNotFound(name) }
                throw .notExecutable(name, error)
            }
            if info.st_mode & S_IFMT == S_IFDIR { throw .notExecutable(name, Errno(EISDIR)) }
            if info.st_mode & S_IFMT != S_IFREG { throw .notExecutable(name, .accessDenied) }
            if SystemCall.isAccessible(name, X_OK) { return name }
            throw .notExecutable(name, Errno.current)
        }
        let directories = (searchPath ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .split(separator: ":", omittingEmptySubsequences: false)
        for directory in directories {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            if case .success(let info) = SystemCall.fileStatus(candidate), info.st_mode & S_IFMT == S_IFREG,
                SystemCall.isAccessible(candidate, X_OK)
            {
                return candidate
            }
        }
        throw .commandNotFound(name)
    }

    /// Splits seconds into whole seconds and a non-negative nanosecond part, as timens_offsets wants.
    static func splitSeconds(_ value: Double) -> (seconds: Int64, nanoseconds: Int64) {
        let whole = value.rounded(.down)
        var nanoseconds = Int64(((value - whole) * 1e9).rounded())
        var seconds = Int64(whole)
        if nanoseconds >= 1_000_000_000 {
            seconds += 1
            nanoseconds -= 1_000_000_000
        }
        return (seconds, nanoseconds)
    }
}

/// Reads one variable of nslab's environment.
func environmentValue(_ name: String) -> String? {
    SystemCall.environmentValue(name)
}

/// nslab's own environment, as "NAME=value" strings.
public func currentEnvironment() -> [String] {
    SystemCall.environment()
}

/// The fds a join needs, closed when the value goes (after the launch, success or not).
final class JoinHandles {
    let pidfd: FileDescriptor
    let root: FileDescriptor?
    let cwd: FileDescriptor?

    /// Opens `target`'s pidfd and, when its mount namespace is joined, its root and working directory.
    init(_ target: JoinTarget) throws(LaunchError) {
        switch SystemCall.openPIDFD(target.pid) {
        case .success(let fd): pidfd = fd
        case .failure(let error): throw .targetGone(target.pid, error)
        }
        let mount = target.kinds.contains(.mount)
        func openDirectory(_ name: String) -> FileDescriptor? {
            guard mount else { return nil }
            return try? SystemCall.open("/proc/\(target.pid)/\(name)", nsl_o_path | O_DIRECTORY).get()
        }
        root = openDirectory("root")
        cwd = openDirectory("cwd")
    }

    deinit {
        for fd in [pidfd, root, cwd] { fd?.close() }
    }
}

/// A NULL-terminated array of C strings that lives as long as the value.
final class CStringArray {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }

    func withPointers<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
