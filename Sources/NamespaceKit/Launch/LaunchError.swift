import CNamespaces
import Glibc

/// The step of a launch, as the C side reports it.
public enum LaunchStep: Int32, Sendable {
    case pipe = 1
    case pty, stack, clone, uidMap, setgroups, gidMap
    case sync, deathSignal, unshareTime, timeOffsets, fork
    case setsid, controllingTerminal, stdio
    case mountPrivate, mountProc, hostname, loopback, signals, closeFDs, exec
    case join, joinCredentials, joinRoot
    case unshareUser, mapper, unshare
    case beforeStart

    /// The call that failed, in the words of the man pages.
    public var call: String {
        switch self {
        case .pipe: "pipe2"
        case .pty: "posix_openpt"
        case .stack: "mmap (child stack)"
        case .clone: "clone"
        case .uidMap: "writing uid_map"
        case .setgroups: "writing setgroups"
        case .gidMap: "writing gid_map"
        case .sync: "waiting for the parent"
        case .deathSignal: "prctl(PR_SET_PDEATHSIG)"
        case .unshareTime: "unshare(CLONE_NEWTIME)"
        case .timeOffsets: "writing timens_offsets"
        case .fork: "fork (time namespace)"
        case .setsid: "setsid"
        case .controllingTerminal: "ioctl(TIOCSCTTY)"
        case .stdio: "dup2 (pty to stdio)"
        case .mountPrivate: "mount(/, MS_REC|MS_PRIVATE)"
        case .mountProc: "mount(proc, /proc)"
        case .hostname: "sethostname"
        case .loopback: "bringing lo up"
        case .signals: "sigprocmask"
        case .closeFDs: "close_range"
        case .exec: "execve"
        case .join: "setns"
        case .joinCredentials: "setresuid/setresgid (joined user namespace)"
        case .joinRoot: "chroot (the target's root)"
        case .unshareUser: "unshare(CLONE_NEWUSER) (on top of the joined namespaces)"
        case .mapper: "the helper that writes the nested maps"
        case .unshare: "unshare (the new kinds on top of the joined namespaces)"
        case .beforeStart: "preparing the child before it starts (wiring its network namespace)"
        }
    }
}

/// Where a user meets an error: it changes only how a fix is phrased (a flag or a checkbox).
public enum Audience: Sendable {
    case commandLine, dashboard
}

/// A launch that failed: before anything started (the command is not found), or at one step.
public enum LaunchError: Error, Equatable, Sendable {
    /// Nothing runnable by that name; `rootPID` and `searchPath` say where a join looked (the target's root, the
    /// PATH searched there), nil for nslab's own root and a path given with a slash.
    case commandNotFound(String, rootPID: Int32? = nil, searchPath: String? = nil)
    /// Found, but no executable regular file; `rootPID` names the target whose root it is in.
    case notExecutable(String, Errno, rootPID: Int32? = nil)
    /// The root of a process whose mount namespace is joined could not be opened to look the command up in.
    case rootUnreadable(Int32, Errno)
    case step(LaunchStep, Errno, kinds: Set<NamespaceKind>, command: String)
    /// The process to enter could not be opened (it exited, or never was).
    case targetGone(Int32, Errno)

    /// One sentence: the failed call, the likely cause, and the fix. With `diagnose` (`Doctor.launchFinding`, or
    /// the dashboard's probe made at start), a refused namespace names the rule the doctor's probe finds here
    /// instead of advice that may not work here (under a seccomp filter, --user fails the same way).
    public func message(
        for audience: Audience = .commandLine, diagnose: ((Set<NamespaceKind>, LaunchStep) -> DoctorFinding?)? = nil
    ) -> String {
        if case .step(let step, let error, let kinds, _) = self, let diagnose, Self.diagnosable(step, error),
            let finding = diagnose(kinds, step)
        {
            return "\(step.call): \(error): \(finding.line(for: audience))"
        }
        return plainMessage(for: audience)
    }

    /// Whether the doctor's probe can explain `error` at `step`: the kernel's refusals of a new namespace.
    static func diagnosable(_ step: LaunchStep, _ error: Errno) -> Bool {
        let refusals: Set<Errno> = [.notPermitted, .accessDenied, .noSpace, .invalidArgument, .tooManyUsers]
        if [.uidMap, .gidMap, .setgroups].contains(step) { return error == .notPermitted }
        if step == .pty { return true }
        return [.clone, .unshareTime, .unshare, .unshareUser, .join].contains(step) && refusals.contains(error)
    }

    private func plainMessage(for audience: Audience) -> String {
        func add(_ kind: NamespaceKind) -> String {
            audience == .commandLine ? "add --\(kind.rawValue)" : "tick \(kind.title)"
        }
        switch self {
        case .commandNotFound(let name, let pid, let searchPath):
            let root = pid.map { " inside pid \($0)'s root (/proc/\($0)/root)" } ?? ""
            let path = searchPath.map { (pid == nil ? " in" : ",") + " PATH \($0.escapingControls)" } ?? ""
            return "\(name.escapingControls): command not found" + root + path
        case .notExecutable(let path, let error, let pid):
            return "\(path.escapingControls)" + (pid.map { " (inside pid \($0)'s root)" } ?? "") + ": \(error)"
        case .rootUnreadable(let pid, let error):
            // /proc/PID/root answers to the kernel's ptrace access check, which another user's process fails.
            return "/proc/\(pid)/root: \(error): nslab cannot look into pid \(pid)'s root for the command (the "
                + "kernel's ptrace check), and joining its namespaces needs CAP_SYS_ADMIN over them: run as root, "
                + "or enter a process of your own user namespace"
        case .targetGone(let pid, let error):
            return "pidfd_open(\(pid)): \(error): the process has exited or never existed; pick a running pid "
                + "(nslab ps lists them)"
        case .step(let step, let error, let kinds, let command):
            let prefix = "\(step.call): \(error)"
            let names = NamespaceKind.allCases.filter { kinds.contains($0) && $0 != .user }
            let list = names.map(\.title).joined(separator: ", ")
            switch (step, error) {
            case (.clone, .notPermitted) where !kinds.contains(.user),
                (.unshareTime, .notPermitted) where !kinds.contains(.user):
                // A time namespace is made by unshare() in the child, after clone(); it needs the same privilege.
                return "\(prefix): creating \(list) namespaces needs CAP_SYS_ADMIN; run as root, or "
                    + "\(add(.user)) to create them inside a new user namespace"
            case (.clone, .notPermitted), (.clone, .accessDenied):
                return "\(prefix): the kernel refuses unprivileged user namespaces here; check the sysctls "
                    + "kernel.unprivileged_userns_clone, user.max_user_namespaces and "
                    + "kernel.apparmor_restrict_unprivileged_userns, or run as root"
            case (.clone, .noSpace), (.unshareTime, .noSpace), (.unshare, .noSpace), (.unshareUser, .noSpace):
                let limits = NamespaceKind.allCases.filter { kinds.contains($0) }
                    .map { "/proc/sys/user/max_\($0.limitName)_namespaces" }.joined(separator: ", ")
                return "\(prefix): a limit on the number of namespaces is reached; see \(limits)"
            case (.clone, .tooManyUsers):
                return "\(prefix): user namespaces are nested too deeply (the kernel allows 32 levels)"
            case (.clone, .invalidArgument), (.unshareTime, .invalidArgument):
                return "\(prefix): this kernel lacks one of the kinds asked for (\(list)); "
                    + "it needs the matching CONFIG_*_NS option (time needs Linux 5.6)"
            case (.uidMap, .notPermitted), (.gidMap, .notPermitted):
                let what = step == .uidMap ? "uid" : "gid"
                let own = step == .uidMap ? SystemCall.effectiveUserID : SystemCall.effectiveGroupID
                return "\(prefix): an unprivileged user can map only its own \(what), once, "
                    + "with count 1 (e.g. '0 \(own) 1')"
            case (.mountProc, _):
                return "\(prefix): a fresh /proc needs new PID and mount namespaces, and inside a user "
                    + "namespace the host's /proc must not have locked mounts over it"
            case (.hostname, _) where !kinds.contains(.uts):
                return "\(prefix): nslab sets a hostname only in a new UTS namespace; \(add(.uts))"
            case (.timeOffsets, .invalidArgument):
                return "\(prefix): the offsets are out of the kernel's range (a clock may not go below zero)"
            case (.join, .notPermitted):
                return "\(prefix): joining another process's namespaces needs CAP_SYS_ADMIN over them; run as "
                    + "root, or enter a process of your own user namespace"
            case (.join, .invalidArgument):
                return "\(prefix): the process has gone, or this kernel cannot join namespaces through a pidfd "
                    + "(that needs Linux 5.8)"
            case (.unshareUser, .notPermitted):
                return "\(prefix): a new user namespace cannot be created by a chrooted process, or one that is "
                    + "not root in the namespace joined; enter the target's user namespace too (drop its kind flag)"
            case (.unshareUser, .tooManyUsers), (.unshare, .tooManyUsers):
                return "\(prefix): the joined namespaces are already 32 user namespaces deep, the kernel's limit"
            case (.unshare, .notPermitted):
                return "\(prefix): creating namespaces inside another process's needs CAP_SYS_ADMIN there; add "
                    + "--user, or run as root"
            case (.unshare, .invalidArgument):
                return "\(prefix): this kernel cannot create one of the kinds asked for inside the joined namespaces"
            case (.join, .noSuchProcess):
                return "\(prefix): the process exited before its namespaces could be joined"
            case (.exec, .noSuchFile):
                return "\(command.escapingControls): command not found inside the new namespaces"
            case (.exec, .accessDenied):
                return "\(command.escapingControls): permission denied (not executable, or on a noexec mount)"
            default:
                return prefix
            }
        }
    }
}

extension LaunchError {
    /// The status nslab exits with, as shells and unshare do: 127 when the command is not found, 126 when it
    /// was found but could not be run, 1 for every other failed step.
    public var exitStatus: Int32 {
        switch self {
        case .commandNotFound: 127
        case .notExecutable: 126
        case .step(.exec, let error, _, _): error == .noSuchFile ? 127 : 126
        case .step, .targetGone, .rootUnreadable: 1
        }
    }
}

extension NamespaceKind {
    /// The name in /proc/sys/user/max_*_namespaces.
    var limitName: String { procName }

    /// The CLONE_NEW* flag of this kind.
    var cloneFlag: Int32 {
        switch self {
        case .uts: nsl_clone_newuts
        case .ipc: nsl_clone_newipc
        case .pid: nsl_clone_newpid
        case .mount: nsl_clone_newns
        case .net: nsl_clone_newnet
        case .user: nsl_clone_newuser
        case .cgroup: nsl_clone_newcgroup
        case .time: nsl_clone_newtime
        }
    }
}
