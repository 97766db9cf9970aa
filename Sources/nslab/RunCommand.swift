import ArgumentParser
import Glibc
import NamespaceKit

/// `nslab run`: launch a command in new namespaces with stdio inherited, like `unshare --fork`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command in new namespaces, with stdin, stdout and stderr inherited.",
        discussion: """
            COMMAND defaults to $SHELL, else /bin/sh. nslab exits with the command's status, or 128+N \
            when a signal N killed it. SIGINT, SIGTERM and SIGHUP sent to nslab are passed on.
            Examples:
              nslab run --uts --hostname myhost -- hostname
              nslab run --pid --mount --mount-proc -- ps ax
              nslab run --user -- id
            """
    )

    @Flag(help: "A new UTS namespace (hostname, domain name).") var uts = false
    @Flag(help: "A new IPC namespace (System V IPC, POSIX queues).") var ipc = false
    @Flag(help: "A new PID namespace: the command is PID 1.") var pid = false
    @Flag(name: [.customLong("mount"), .customLong("mnt")], help: "A new mount namespace.") var mount = false
    @Flag(help: "A new network namespace (only lo, brought up).") var net = false
    @Flag(help: "A new user namespace (root inside maps to you outside, unless maps are given).") var user = false
    @Flag(help: "A new cgroup namespace (the current cgroup becomes /).") var cgroup = false
    @Flag(help: "A new time namespace (see --monotonic, --boottime).") var time = false
    @Flag(help: "All eight kinds.") var all = false

    @Option(help: ArgumentHelp("Hostname inside the new UTS namespace (needs --uts).", valueName: "NAME"))
    var hostname: String?

    @Flag(help: "Map root inside to your uid and gid outside; the default with --user.") var mapRoot = false

    @Option(
        name: .customLong("uid-map"),
        help: ArgumentHelp("A uid map line 'INSIDE OUTSIDE COUNT' (needs --user; repeatable).", valueName: "M"))
    var uidMap: [String] = []

    @Option(
        name: .customLong("gid-map"),
        help: ArgumentHelp("A gid map line 'INSIDE OUTSIDE COUNT' (needs --user; repeatable).", valueName: "M"))
    var gidMap: [String] = []

    @Flag(help: "Mount a fresh /proc, so ps shows only the child's processes (needs --pid and --mount).")
    var mountProc = false

    @Option(parsing: .unconditional, help: ArgumentHelp("CLOCK_MONOTONIC offset inside, in seconds (needs --time).", valueName: "SECONDS"))
    var monotonic: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("CLOCK_BOOTTIME and uptime offset inside, in seconds (needs --time).", valueName: "SECONDS"))
    var boottime: Double?

    @Flag(help: "Leave lo down in a new network namespace.") var noLoopback = false

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    /// The launch these flags describe.
    func makeSpec() throws -> LaunchSpec {
        var kinds = Set<NamespaceKind>()
        let flags: [(Bool, NamespaceKind)] = [
            (uts, .uts), (ipc, .ipc), (pid, .pid), (mount, .mount), (net, .net), (user, .user),
            (cgroup, .cgroup), (time, .time),
        ]
        for (on, kind) in flags where on || all { kinds.insert(kind) }
        if mapRoot {
            guard uidMap.isEmpty, gidMap.isEmpty else {
                throw ValidationError("--map-root cannot be combined with --uid-map or --gid-map")
            }
            kinds.insert(.user)
        }
        var spec = LaunchSpec(kinds: kinds, command: command.isEmpty ? [defaultShell()] : command)
        spec.hostname = hostname
        spec.mountProc = mountProc
        spec.loopbackUp = !noLoopback
        spec.monotonicOffset = monotonic
        spec.boottimeOffset = boottime
        do {
            if !uidMap.isEmpty { spec.uidMap = try uidMap.map(IDMapEntry.init(parsing:)) }
            if !gidMap.isEmpty { spec.gidMap = try gidMap.map(IDMapEntry.init(parsing:)) }
        } catch {
            throw ValidationError(error.description)
        }
        return spec
    }

    func validate() throws {
        do {
            try makeSpec().validate()
        } catch let error as LaunchSpecError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let spec = try makeSpec()
        // Block the signals we pass on before the child exists, so none is lost in between; they
        // are then taken one by one with sigwaitinfo. The child starts with a clean mask.
        var forwarded = sigset_t()
        sigemptyset(&forwarded)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&forwarded, signal) }
        sigprocmask(SIG_BLOCK, &forwarded, nil)

        let child: Child
        do {
            child = try Launcher.launch(spec)
        } catch let error as LaunchError {
            throw CommandFailure(error.message(for: .commandLine))
        }
        while true {
            if let status = child.poll() { throw ExitCode(status.shellStatus) }
            var info = siginfo_t()
            let signal = sigwaitinfo(&forwarded, &info)
            guard signal > 0, signal != SIGCHLD else { continue }
            // A signal the terminal raised has already reached the child, which shares our process
            // group; passing it on would deliver it twice.
            if info.si_code == SI_KERNEL { continue }
            child.signal(signal)
        }
    }
}

/// The shell to run when no command is given: $SHELL, else /bin/sh.
func defaultShell() -> String {
    if let shell = getenv("SHELL"), shell.pointee != 0 { return String(cString: shell) }
    return "/bin/sh"
}

/// An error that has already been phrased for the user: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
