import CNamespaces
import Glibc

/// Launches children into new namespaces through the C spawn core.
public enum Launcher {
    /// Validates `spec`, resolves its command and launches it. Call from the thread that lives as
    /// long as nslab (the main thread): the child's death signal fires when that thread exits.
    ///
    /// `beforeStart` runs in nslab once the child's namespaces exist and before the child goes on to its command,
    /// with the child's pid; an errno it returns fails the launch at `LaunchStep.beforeStart` (the child is killed).
    public static func launch(_ spec: LaunchSpec, beforeStart: ((pid_t) -> Errno?)? = nil) throws -> Child {
        // Maps of a user namespace on top of a joined one are ids of the joined namespace, where the child is
        // root: the kernel, not nslab, judges them.
        try spec.validate(privileged: LaunchSpec.mayMapAnyIDs(joiningUser: spec.joining?.kinds.contains(.user) == true))
        // Joining goes through a pidfd (one setns() for every kind, Linux 5.8) and, with the mount namespace,
        // the target's root and working directory, opened now, from this side. The command is looked up where it
        // will run: in that root, when there is one.
        var join: JoinHandles?
        if let target = spec.joining { join = try JoinHandles(target) }
        let path = try lookup(for: spec, join: join).resolve(spec.command[0])

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

        var joinFlags: Int32 = 0
        for kind in spec.joining?.kinds ?? [] { joinFlags |= kind.cloneFlag }

        var result = nsl_spawn_result()
        // The hook goes to C as a function pointer with its closure behind the context pointer.
        let hook = beforeStart.map(BeforeStart.init)
        let context = hook.map { Unmanaged.passUnretained($0).toOpaque() }
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
                    envp: envpPointer,
                    before_start: hook == nil ? nil : BeforeStart.trampoline,
                    before_start_context: context)
                return nsl_spawn(&cSpec, &result)
            }
        }
        withExtendedLifetime(hook) {}
        guard rc == 0 else {
            let step = LaunchStep(rawValue: result.failed_step) ?? .clone
            throw LaunchError.step(step, Errno(result.error), kinds: spec.kinds, command: spec.command[0])
        }
        return Child(
            pid: result.command_pid, leaderPID: result.pid, pidfd: FileDescriptor(rawValue: result.pidfd),
            terminalFD: result.pty_master >= 0 ? FileDescriptor(rawValue: result.pty_master) : nil, spec: spec)
    }

    /// Finds `name` in nslab's own root the way a shell would: as given when it has a slash, else in `searchPath`
    /// (nil: the default PATH). A path must name an executable regular file: root passes access(X_OK) on any
    /// directory, which execve() refuses.
    public static func resolveCommand(_ name: String, searchPath: String?) throws(LaunchError) -> String {
        try CommandLookup(searchPath: searchPath).resolve(name)
    }

    /// Where `spec`'s command is looked up: where it will run (see `CommandLookup`), along the PATH of the
    /// environment it gets.
    static func lookup(for spec: LaunchSpec, join: JoinHandles?) -> CommandLookup {
        let searchPath =
            spec.environment.map { CommandLookup.value(of: "PATH", in: $0) } ?? environmentValue("PATH")
        guard let target = spec.joining, let join else { return CommandLookup(searchPath: searchPath) }
        // Without its mount namespace the command stays in nslab's root and working directory.
        let directory = join.root == nil ? "." : join.cwd == nil ? "/" : CommandLookup.workingDirectory(of: target.pid)
        return CommandLookup(joining: target, root: join.root, workingDirectory: directory, searchPath: searchPath)
    }

    /// The shell for a new shell inside `target` (a pane's `e`, `nslab enter` without a command): `preferred`
    /// when it is there, else `/bin/sh`, which every image with a shell has.
    public static func shell(_ preferred: String, inside target: JoinTarget) throws(LaunchError) -> ShellChoice {
        let join = try JoinHandles(target)
        // The lookup borrows the root's fd, which goes with `join`.
        defer { withExtendedLifetime(join) {} }
        var spec = LaunchSpec(kinds: [], command: [preferred])
        spec.joining = target
        let lookup = lookup(for: spec, join: join)
        var fellBack = false
        let path: String
        if let found = try? lookup.resolve(preferred) {
            path = found
        } else {
            path = try lookup.resolve("/bin/sh")
            fellBack = true
        }
        return ShellChoice(path: path, fellBack: fellBack, file: lookup.realFile(path))
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

/// The shell chosen for a shell inside another process's namespaces.
public struct ShellChoice: Sendable, Equatable {
    /// The path to run, inside the target's root.
    public var path: String
    /// Whether the preferred shell was not there, so `/bin/sh` runs instead.
    public var fellBack: Bool
    /// The file the path leads to once every link is followed inside that root, as nslab sees it (Alpine's
    /// `/bin/sh` is busybox); nil when unknown.
    public var file: String?

    /// A choice.
    public init(path: String, fellBack: Bool, file: String?) {
        self.path = path
        self.fellBack = fellBack
        self.file = file
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
        guard target.kinds.contains(.mount) else {
            root = nil
            cwd = nil
            return
        }
        // The root is needed to find the command in it; a working directory out of reach leaves the command at
        // the root, as nsenter does.
        switch SystemCall.open("/proc/\(target.pid)/root", nsl_o_path | O_DIRECTORY) {
        case .success(let fd): root = fd
        case .failure(let error):
            pidfd.close()
            if error == .noSuchFile || error == .noSuchProcess { throw .targetGone(target.pid, error) }
            throw .rootUnreadable(target.pid, error)
        }
        cwd = try? SystemCall.open("/proc/\(target.pid)/cwd", nsl_o_path | O_DIRECTORY).get()
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

/// `Launcher.launch`'s `beforeStart` as C calls it: the closure, reached through the context pointer.
private final class BeforeStart {
    let body: (pid_t) -> Errno?

    init(_ body: @escaping (pid_t) -> Errno?) { self.body = body }

    /// The C side's `before_start`: 0, or the errno the closure returned.
    static let trampoline: @convention(c) (UnsafeMutableRawPointer?, pid_t) -> Int32 = { context, pid in
        guard let context else { return 0 }
        return Unmanaged<BeforeStart>.fromOpaque(context).takeUnretainedValue().body(pid)?.rawValue ?? 0
    }
}
