import CNamespaces
import Glibc

/// A launched child. Killing and reaping go through its pidfd and pid; when the value goes away
/// while the child still runs, it is killed and reaped, so no child outlives its owner.
///
/// Not thread-safe: one thread (nslab's main thread) owns a child.
public final class Child: @unchecked Sendable {
    /// The process that runs the command, as nslab's PID namespace sees it.
    public let pid: pid_t
    /// The direct child that nslab waits for. The same as `pid`, except with a new time namespace,
    /// where it is the small C process that keeps the namespace and passes the exit status on.
    public let leaderPID: pid_t
    /// The pty master when the child was attached to one; its owner closes it.
    public let terminalFD: FileDescriptor?
    /// What was launched.
    public let spec: LaunchSpec
    private let pidfd: FileDescriptor
    /// How the child ended, once it has been reaped.
    public private(set) var exitStatus: ExitStatus?
    /// True when the command leads a session of its own (it was attached to a pty: `setsid()` there), whose
    /// other processes (background jobs) `kill()` also stops.
    public let leadsSession: Bool

    init(pid: pid_t, leaderPID: pid_t, pidfd: FileDescriptor, terminalFD: FileDescriptor?, spec: LaunchSpec) {
        self.pid = pid
        self.leaderPID = leaderPID
        self.pidfd = pidfd
        self.terminalFD = terminalFD
        self.spec = spec
        leadsSession = terminalFD != nil
        // Remembered for the crash handler, which cannot run Swift: it kills these sessions from C.
        if leadsSession { _ = nsl_register_session(pid) }
    }

    deinit {
        if exitStatus == nil {
            kill()
            _ = wait()
        } else {
            killSession()
        }
        if leadsSession { nsl_unregister_session(pid) }
        pidfd.close()
    }

    /// For a crash handler: SIGKILLs every process of every live child's session. Async-signal-safe C, so a
    /// handler may call it where no Swift may run.
    public static var killAllSessionsFromSignalHandler: @convention(c) () -> Void { nsl_kill_registered_sessions }

    /// Sends `signal` to the command. SIGKILL also goes to the time-namespace keeper.
    public func signal(_ signal: Int32) {
        guard exitStatus == nil else { return }
        if pid == leaderPID {
            SystemCall.sendSignal(signal, toPIDFD: pidfd)
        } else {
            // The command is the keeper's child: while the keeper is unreaped, the pid cannot be reused
            // by anything but the command.
            SystemCall.sendSignal(signal, to: pid)
            if signal == SIGKILL { SystemCall.sendSignal(signal, toPIDFD: pidfd) }
        }
    }

    /// Kills the child outright, and every other process of its session: a background job (`sleep 7777 &`) of
    /// a shell without a PID namespace would otherwise outlive it, orphaned. A shell that is PID 1 of its
    /// namespace ignores SIGTERM, so SIGKILL is the only reliable stop.
    public func kill() {
        signal(SIGKILL)
        killSession()
    }

    /// SIGKILLs what is left of the child's session (its jobs), also after the command itself ended; the
    /// session's id stays the command's pid for as long as any of them lives, so it cannot name strangers.
    public func killSession() {
        guard leadsSession else { return }
        _ = nsl_kill_session(ProcRoot.system.path, pid)
    }

    /// Reaps the child if it has ended; nil while it runs.
    public func poll() -> ExitStatus? {
        if exitStatus == nil { reap(options: WNOHANG) }
        return exitStatus
    }

    /// Waits for the child to end and reaps it.
    public func wait() -> ExitStatus {
        while exitStatus == nil { reap(options: 0) }
        return exitStatus!
    }

    private func reap(options: Int32) {
        switch SystemCall.wait(for: leaderPID, options: options) {
        case .success(let reaped) where reaped.pid == leaderPID:
            exitStatus = ExitStatus(waitStatus: reaped.status)
        case .success:
            break
        case .failure:
            // ECHILD: someone else reaped it (a SIGCHLD set to SIG_IGN); nothing is left to wait for.
            exitStatus = .signaled(SIGKILL)
        }
    }
}
