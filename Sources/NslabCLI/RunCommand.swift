import ArgumentParser
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
              nslab run --pid --mount --mount-proc ps ax
              nslab run --user id
              nslab run --inside 4242 --pid --mount --mount-proc ps ax
              nslab run --net --wire-to 4242 -- ping -c 3 10.77.0.1

            As with unshare, the first argument that is not an option starts the command; after --, \
            every argument belongs to the command.
            """
    )

    // One property for all nine kind flags: ArgumentParser reflects over every property on each
    // parse, and nine Bool flags cost about 1.5 ms of start-up where one array of cases costs little.
    @Flag var kindFlags: [KindFlag] = []

    @Option(help: ArgumentHelp("Hostname inside the new UTS namespace (needs --uts).", valueName: "NAME"))
    var hostname: String?

    @Flag(help: "Map root inside to your uid and gid outside; the default with --user.") var mapRoot = false

    // A map's value is taken as it comes, so "-0 0 1" is refused for what it is, not as a missing value.
    @Option(
        name: .customLong("uid-map"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("A uid map line 'INSIDE OUTSIDE COUNT' (needs --user; repeatable).", valueName: "M"))
    var uidMap: [String] = []

    @Option(
        name: .customLong("gid-map"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("A gid map line 'INSIDE OUTSIDE COUNT' (needs --user; repeatable).", valueName: "M"))
    var gidMap: [String] = []

    @Flag(help: "Mount a fresh /proc, so ps shows only the child's processes (needs --pid and --mount).")
    var mountProc = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("CLOCK_MONOTONIC offset inside, in seconds (needs --time).", valueName: "SECONDS"))
    var monotonic: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("CLOCK_BOOTTIME and uptime offset inside, in seconds (needs --time).", valueName: "SECONDS"))
    var boottime: Double?

    @Flag(help: "Leave lo down in a new network namespace.") var noLoopback = false

    @Option(
        help: ArgumentHelp(
            "Start inside every namespace of this process; the kinds asked for are created anew on top of its.",
            valueName: "PID"))
    var inside: String?

    @Option(
        name: .customLong("wire-to"),
        help: ArgumentHelp(
            "Wire the child (needs --net) to this process's network namespace by a veth pair (10.77.0.0/16); it "
                + "must be one a running nslab created.",
            valueName: "PID"))
    var wireTo: String?

    // Everything from the first argument that is not one of the options above: the command, as unshare takes
    // it. It starts with "--" when the command line had one there, and with "-" for an unknown option.
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp("The command and its arguments, after -- or the options.", valueName: "command"))
    var commandWords: [String] = []

    /// The command without the `--` that may come before it.
    var command: [String] { commandWords.first == "--" ? Array(commandWords.dropFirst()) : commandWords }

    /// The options as a plain value, shared with the quick reader of RunQuickParse.swift.
    var options: RunOptions {
        RunOptions(
            kindFlags: kindFlags, hostname: hostname, mapRoot: mapRoot, uidMap: uidMap, gidMap: gidMap,
            mountProc: mountProc, monotonic: monotonic, boottime: boottime, noLoopback: noLoopback,
            command: command)
    }

    func validate() throws {
        // ArgumentParser hands every option it does not see as its own over as the command's first word: help
        // and --version (which it would otherwise answer itself), and unknown options, which are mistakes.
        switch commandWords.first {
        case "-h", "--help": throw CleanExit.helpRequest(RunCommand.self)
        case "--version": throw CleanExit.message(nslabVersion)
        default: break
        }
        if let first = commandWords.first, first != "--", first.count > 1, first.hasPrefix("-") {
            throw ValidationError("Unknown option \(first.quoted); a command that starts with - goes after --")
        }
        if let inside, InspectCommand.pid(inside) == nil {
            throw ValidationError(
                "--inside takes a pid, a positive number (nslab ps lists them); \(inside.quoted) is not one")
        }
        if let wireTo {
            guard InspectCommand.pid(wireTo) != nil else {
                throw ValidationError(
                    "--wire-to takes a pid, a positive number (nslab net lists them); \(wireTo.quoted) is not one")
            }
            guard kindFlags.contains(.net) || kindFlags.contains(.all) else {
                throw ValidationError("--wire-to needs --net: the child's own network namespace is what gets wired")
            }
        }
        try options.validate()
    }

    func run() throws {
        var options = options
        if let inside, let pid = InspectCommand.pid(inside) {
            let target = try EnterCommand.joinTarget(pid: pid, kindFlags: [])
            options.joining = target.kinds.isEmpty ? nil : target
        }
        if let wireTo, let pid = InspectCommand.pid(wireTo) {
            // Checked before anything is created: only a namespace a running nslab made may be changed.
            switch WireTarget.check(pid: pid) {
            case .success(let namespace): options.wireTo = WireParty(namespace: namespace, pid: pid, label: "pid \(pid)")
            case .failure(let failure): throw CommandFailure(failure.description)
            }
        }
        try options.execute()
    }
}

/// The flags that ask for kinds of namespace: `--uts` ... `--time`, and `--all`.
enum KindFlag: String, EnumerableFlag {
    case uts, ipc, pid, mount, net, user, cgroup, time, all

    /// The kinds this flag asks for.
    var kinds: [NamespaceKind] {
        self == .all ? NamespaceKind.allCases : [NamespaceKind(rawValue: rawValue)!]
    }

    /// The long option names of this flag: the raw value, and `mnt` as well for `mount`.
    var longNames: [String] { NamespaceKind(rawValue: rawValue)?.argumentNames ?? [rawValue] }

    static func name(for value: KindFlag) -> NameSpecification {
        NameSpecification(value.longNames.map { .customLong($0) })
    }

    static func help(for value: KindFlag) -> ArgumentHelp? {
        switch value {
        case .uts: "A new UTS namespace (hostname, domain name)."
        case .ipc: "A new IPC namespace (System V IPC, POSIX message queues)."
        case .pid: "A new PID namespace: the command is PID 1."
        case .mount: "A new mount namespace (all mounts made private first)."
        case .net: "A new network namespace (only lo, brought up)."
        case .user: "A new user namespace (root inside is you outside, unless maps are given)."
        case .cgroup: "A new cgroup namespace (the current cgroup becomes /)."
        case .time: "A new time namespace (see --monotonic, --boottime)."
        case .all: "All eight kinds."
        }
    }
}

/// The shell to run when no command is given: $SHELL, else /bin/sh.
func defaultShell() -> String {
    if let shell = SystemCall.environmentValue("SHELL"), !shell.isEmpty { return shell }
    return "/bin/sh"
}

/// An error that has already been phrased for the user: printed as one line; exit status 1 unless told.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    /// The status nslab exits with (127 and 126 for a command not found or not executable, as shells do).
    let status: Int32
    init(_ description: String, status: Int32 = 1) {
        self.description = description
        self.status = status
    }
}
