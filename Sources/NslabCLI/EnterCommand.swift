import ArgumentParser
import NamespaceKit

/// `nslab enter PID`: a command inside a running process's namespaces, as `nsenter -a -t PID` does.
struct EnterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enter",
        abstract: "Run a command inside a running process's namespaces (as nsenter -a -t PID).",
        usage: "nslab enter <pid> [--uts] [--ipc] [--pid] [--mount] [--net] [--user] [--cgroup] [--time] [--all] "
            + "[-- command ...]",
        discussion: """
            Without kind flags every namespace of the target that differs from nslab's is joined; --all asks \
            for every kind, and kinds it shares with nslab are left alone (there is nothing to join). With its \
            mount namespace the command gets the target's root and working directory; in its user namespace it \
            becomes that namespace's root. COMMAND is found as nsenter finds it, inside the target's root, along \
            your PATH (without one, the target's). It defaults to $SHELL when the target's root has it, else \
            /bin/sh; nslab exits with its status.

            Examples:
              nslab enter 4242
              nslab enter 4242 --uts --net -- ip addr
            """
    )

    // The words are read by hand: the pid first (so "-5" is judged as a number, not as an option), then kind
    // flags, then the command after --, as the usage line says.
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            "The pid, kind flags (--uts ... --time, --all), then -- and the command.", valueName: "words"))
    var words: [String] = []

    /// The words, read: the pid, the kinds asked for (empty: the differing ones), the command.
    func parsed() throws -> (pid: Int32, kinds: [KindFlag], command: [String]) {
        guard let text = words.first else { throw ValidationError("say which process to enter: nslab enter PID") }
        guard let pid = InspectCommand.pid(text) else {
            throw ValidationError("a pid is a positive number (nslab ps lists them); \(text.quoted) is not one")
        }
        var kinds: [KindFlag] = []
        var rest = words.dropFirst()
        while let word = rest.first, word != "--" {
            guard let flag = KindFlag.allCases.first(where: { $0.longNames.map { "--" + $0 }.contains(word) }) else {
                throw ValidationError(
                    "\(word.quoted) is not a kind flag (--uts --ipc --pid --mount --net --user --cgroup --time --all); "
                        + "the command goes after --")
            }
            kinds.append(flag)
            rest = rest.dropFirst()
        }
        return (pid, kinds, Array(rest.dropFirst()))
    }

    /// The target's pid; valid after `validate()`.
    var pid: Int32 { (try? parsed().pid) ?? 0 }

    func validate() throws {
        _ = try parsed()
    }

    func run() throws {
        let target = try joinTarget()
        var options = RunOptions(command: try parsed().command)
        options.joining = target.kinds.isEmpty ? nil : target
        try options.execute()
    }

    /// The kinds to join: those asked for (all with --all, the differing ones without flags), minus the ones
    /// the target shares with nslab. A process that cannot be entered is a one-line error.
    func joinTarget() throws -> JoinTarget {
        try Self.joinTarget(pid: pid, kindFlags: try parsed().kinds)
    }

    /// The join of `pid` for `kindFlags` (empty: every kind that differs from nslab's); shared with
    /// `nslab run --inside`.
    static func joinTarget(pid: Int32, kindFlags: [KindFlag]) throws -> JoinTarget {
        let scanner = try openProc()
        guard let target = scanner.readProcess(pid) else {
            throw CommandFailure("no process with pid \(pid): it has exited or never existed (nslab ps lists them)")
        }
        if target.state == "Z" {
            throw CommandFailure("pid \(pid) is a zombie: it has exited and keeps no namespaces to enter")
        }
        if target.ppid == 2 || target.pid == 2 {
            throw CommandFailure(
                "pid \(pid) (\(target.comm.escapingControls)) is a kernel thread: it runs in the host's namespaces, "
                    + "so there is nothing to enter")
        }
        guard let own = scanner.readProcess(SystemCall.processID) else {
            throw CommandFailure("cannot read nslab's own /proc entry")
        }
        let asked = kindFlags.isEmpty ? Set(NamespaceKind.allCases) : Set(kindFlags.flatMap(\.kinds))
        var kinds = Set<NamespaceKind>()
        for kind in NamespaceKind.allCases where asked.contains(kind) {
            let theirs = target.namespaces[kind]
            let mine = own.namespaces[kind]
            if theirs == .unavailable { continue }  // the kernel lacks the kind
            // Unknown ids are tried: setns() says whether they can be joined. Equal ones are nothing to join.
            if let a = theirs.value, let b = mine.value, a == b { continue }
            kinds.insert(kind)
        }
        if kinds.isEmpty {
            // Not an error: the command simply runs where nslab is, as nsenter would.
            StandardError.note(
                "pid \(pid) shares " + (kindFlags.isEmpty ? "every namespace" : "those namespaces")
                    + " with nslab: nothing to join, the command runs in nslab's own")
        }
        return JoinTarget(pid: pid, kinds: kinds)
    }
}

/// Notes on stderr that are not errors.
enum StandardError {
    /// Prints "nslab: TEXT" on stderr.
    static func note(_ text: String) {
        SystemCall.writeAll(.standardError, "nslab: " + text + "\n")
    }
}
