import ArgumentParser
import Glibc
import NamespaceKit

/// What `nslab run` was asked for, whichever parser read the command line: ArgumentParser's `RunCommand`
/// or the quick reader in RunQuickParse.swift.
struct RunOptions: Equatable {
    var kindFlags: [KindFlag] = []
    var hostname: String?
    var mapRoot = false
    var uidMap: [String] = []
    var gidMap: [String] = []
    var mountProc = false
    var monotonic: Double?
    var boottime: Double?
    var noLoopback = false
    var command: [String] = []
    /// A running process whose namespaces the command joins first (`nslab enter`); nil for `nslab run`.
    var joining: JoinTarget?
    /// `--wire-to`: the checked namespace the child is wired to once launched; nil for none.
    var wireTo: WireParty?

    /// The launch these options describe.
    func makeSpec() throws -> LaunchSpec {
        var kinds = Set<NamespaceKind>()
        for flag in kindFlags { kinds.formUnion(flag.kinds) }
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
        spec.joining = joining
        do {
            if !uidMap.isEmpty { spec.uidMap = try uidMap.map(IDMapEntry.init(parsing:)) }
            if !gidMap.isEmpty { spec.gidMap = try gidMap.map(IDMapEntry.init(parsing:)) }
        } catch {
            throw ValidationError(error.description)
        }
        return spec
    }

    /// Checks the options without launching anything; every problem is a `ValidationError`.
    func validate() throws {
        do {
            try makeSpec().validate()
        } catch let error as LaunchSpecError {
            throw ValidationError(error.description)
        }
    }

    /// Launches the command and waits for it, passing on SIGINT, SIGTERM and SIGHUP. Ends the process
    /// with the command's shell status, or throws `CommandFailure` when the launch failed.
    func execute() throws -> Never {
        var spec = try makeSpec()
        if command.isEmpty, let target = joining {
            // The default shell is looked for where it will run: $SHELL when the target's root has it, else
            // /bin/sh (an image often has no bash). A failure is left to the launch, which words it.
            let preferred = spec.command[0]
            if let choice = try? Launcher.shell(preferred, inside: target) {
                if choice.fellBack {
                    StandardError.note(
                        "\(preferred.escapingControls) is not in pid \(target.pid)'s root: starting /bin/sh instead")
                }
                spec.command = [choice.path]
            }
        }
        // Block the signals we pass on before the child exists, so none is lost in between; they
        // are then taken one by one with sigwaitinfo. The child starts with a clean mask.
        var forwarded = sigset_t()
        sigemptyset(&forwarded)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&forwarded, signal) }
        sigprocmask(SIG_BLOCK, &forwarded, nil)

        // --wire-to: the link is made while the child waits to start, so its command never runs without it. With
        // --inside the new network namespace is made by the child itself after that point: it is wired once running.
        var wired: Result<String, WiringFailure>?
        let wireFirst = wireTo != nil && joining == nil
        let child: Child
        do {
            child = try Launcher.launch(spec, beforeStart: wireFirst ? { pid in
                wired = Self.wire(pid, to: wireTo!)
                if case .failure(let failure) = wired { return failure.errno ?? .ioError }
                return nil
            } : nil)
        } catch let error as LaunchError {
            if case .failure(let failure)? = wired { throw CommandFailure("--wire-to: " + failure.explained(isRoot: SystemCall.effectiveUserID == 0)) }
            throw CommandFailure(
                error.message(for: .commandLine, diagnose: Doctor.launchFinding), status: error.exitStatus)
        }
        if let target = wireTo, !wireFirst { wired = Self.wire(child.pid, to: target) }
        switch wired {
        case .success(let message)?:
            StandardError.note(message)
        case .failure(let failure)?:
            StandardError.note("--wire-to: " + failure.explained(isRoot: SystemCall.effectiveUserID == 0))
            child.kill()
            _ = child.wait()
            Glibc.exit(1)
        case nil:
            break
        }
        while true {
            // Exit here rather than throw ExitCode up to main: the error box, its witness table and the
            // casts in the catch are runtime work on pages nothing else touches, about 0.1 ms of every run
            // in benchmarks/run-bench.sh.
            if let status = child.poll() { Glibc.exit(status.shellStatus) }
            guard let (signal, info) = SystemCall.takeSignal(of: forwarded), signal != SIGCHLD else { continue }
            // A signal the terminal raised has already reached the child, which shares our process
            // group; passing it on would deliver it twice.
            if info.si_code == SI_KERNEL { continue }
            child.signal(signal)
        }
    }

    /// `--wire-to`: the namespace of `pid` (the child) wired to `target`'s; the sentence of what was wired.
    private static func wire(_ pid: pid_t, to target: WireParty) -> Result<String, WiringFailure> {
        guard case .success(let status) = SystemCall.fileStatus("/proc/\(pid)/ns/net") else {
            return .failure(WiringFailure("the child ended before it could be wired"))
        }
        let party = WireParty(namespace: UInt64(status.st_ino), pid: pid, label: "pid \(pid)")
        return NetworkWiring.wirePair(party, to: target)
    }
}
