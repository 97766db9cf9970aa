import NamespaceKit
import TerminalKit

/// Starting, reaping and stopping the panes' children.
extension PaneSet {
    /// Launches a child for `request` on a new pty of the pane's size; the pane is adopted under a tab id once
    /// the model has given it one. The failure is the status bar's sentence.
    /// A pane inside another process's namespaces (`e`, Shift-F5) runs the shell where it will run: nslab's shell
    /// when the target's root has it, else `/bin/sh`; the pane's `shellNote` says which.
    func launch(_ request: LaunchRequest, openTabs: Int, system: DashboardSystem) -> Result<Pane, LaunchFailure> {
        var shell = system.shell
        var note: String?
        var shellFile: String?
        if let target = request.joining {
            do {
                let chosen = try system.launcher.shell(system.shell, inside: target)
                shell = chosen.path
                shellFile = chosen.file
                note = chosen.fellBack ? "\(chosen.path) (no \(system.shell) inside)" : chosen.path
            } catch {
                return .failure(Self.failure(error, system: system))
            }
        }
        let result = start(openTabs: openTabs, system: system, shellFile: shellFile) {
            try request.spec(shell: shell, size: size, environment: system.environment)
        }
        if case .success(let pane) = result { pane.shellNote = note }
        return result
    }

    /// Launches the split's host shell: `$SHELL` through the same launcher, but in no new namespace and with
    /// none of the child's options (no hostname, maps, /proc, loopback or clock offsets), on its own pty.
    func launchHost(openTabs: Int, system: DashboardSystem) -> Result<Pane, LaunchFailure> {
        start(openTabs: openTabs, system: system) {
            var spec = try Self.hostRequest.spec(shell: system.shell, size: size, environment: system.environment)
            spec.loopbackUp = false
            return spec
        }
    }

    /// What the host shell's tab records: no kinds, the default options (none of which applies without kinds).
    static let hostRequest = LaunchRequest(kinds: [], options: NamespaceOptions())

    /// Starts the child `makeSpec` describes on a new pty of the panes' size. `shellFile` is the file its shell
    /// leads to where it runs, when that is another root than nslab's.
    private func start(
        openTabs: Int, system: DashboardSystem, shellFile: String? = nil, _ makeSpec: () throws -> LaunchSpec
    ) -> Result<Pane, LaunchFailure> {
        guard openTabs < Self.maximumTabs else {
            return .failure(LaunchFailure("At most \(Self.maximumTabs) child panes; close one with F8 first."))
        }
        do {
            var spec = try makeSpec()
            // Only here, for a pane: the spec the request makes (what `nslab export` and `y` show) stays the
            // user's launch, and the shell's wrapper is nslab's own business.
            let marks = ShellIntegration.addPromptMarks(
                to: &spec, files: system.shellStartupFiles, shellFile: shellFile)
            let started = try system.launcher.start(spec)
            if let fd = started.terminalFD { SystemCall.setNonBlocking(fd) }
            let terminal = Terminal(rows: Int(size.rows), cols: Int(size.columns), scrollback: system.scrollback)
            let pane = Pane(
                pid: started.pid, terminal: terminal, fd: started.terminalFD, process: started.process)
            pane.promptMarks = marks
            return .success(pane)
        } catch {
            return .failure(Self.failure(error, system: system))
        }
    }

    /// A launch's error as the status bar says it.
    private static func failure(_ error: any Error, system: DashboardSystem) -> LaunchFailure {
        switch error {
        case let error as LaunchError:
            let diagnose: ((Set<NamespaceKind>, LaunchStep) -> DoctorFinding?)? =
                system.probesKinds ? { Doctor.launchFinding(for: $0, step: $1) } : nil
            return LaunchFailure(error.message(for: .dashboard, diagnose: diagnose))
        case let error as LaunchSpecError: return LaunchFailure(error.description)
        case let error as IDMapError: return LaunchFailure(error.description)
        default: return LaunchFailure("launch failed: \(error)")
        }
    }

    /// Keeps `pane` as tab `id`'s.
    func adopt(_ pane: Pane, as id: ChildTab.ID) {
        panes[id] = pane
    }

    /// Reaps the children of `running` tabs that ended; each ended pane shows how, below its last output.
    func reap(running: [ChildTab.ID]) -> [(id: ChildTab.ID, status: ExitStatus)] {
        var ended: [(ChildTab.ID, ExitStatus)] = []
        for id in running {
            guard let pane = panes[id], let process = pane.process, let status = process.poll() else { continue }
            if pane.fd != nil { drain(pane, budget: Int.max) }
            pane.terminal.feed("\r\n\u{1b}[0m[\(status)] Enter relaunches, F8 closes\r\n")
            ended.append((id, status))
        }
        return ended
    }

    /// Kills tab `id`'s child and everything left in its session, also when the child itself already ended (it
    /// is reaped at the next SIGCHLD).
    func kill(_ id: ChildTab.ID) {
        panes[id]?.process?.kill()
    }

    /// Forgets tab `id`'s pane (the model dropped the tab: reaped, pty closed).
    func discard(_ id: ChildTab.ID) {
        guard let pane = panes.removeValue(forKey: id) else { return }
        pane.fd?.close()
    }

    /// Kills every child and what is left of its session (an ended shell's background jobs too), reaps them
    /// all, and closes their ptys: on every way out.
    public func shutdown() {
        for pane in panes.values { pane.process?.kill() }
        for pane in panes.values {
            _ = pane.process?.wait()
            pane.fd?.close()
            pane.fd = nil
        }
    }
}

/// Why a launch from the dashboard failed, as the status bar says it.
struct LaunchFailure: Error, Equatable {
    /// One sentence the user can act on.
    let message: String

    init(_ message: String) { self.message = message }
}
