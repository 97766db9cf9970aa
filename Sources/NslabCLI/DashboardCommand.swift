import ArgumentParser
import Dashboard
import NamespaceKit

/// `nslab` with no subcommand: the interactive dashboard.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The interactive dashboard (the default command).",
        discussion: """
            Tick kinds with 1-8, launch with F5, leave the child's pane with Ctrl-], help with F1 or ?, \
            quit with q. P turns the presenter layout on and off (--present starts in it); R resets the \
            dashboard between students (y/n first: every tab closed, every child killed, back to the start). \
            W opens the network map: every network namespace a box with its interfaces and addresses, veth pairs \
            and bridge ports lines between them with their live rates; arrows move, Enter shows a namespace's \
            routes and neighbours, Esc closes. In the map, w wires the tab on show to the child under the cursor \
            with a veth pair whose ends are only inside the two children's network namespaces (names nsl0, nsl1, \
            ...; addresses from 10.77.0.0/16, one /24 per link, assigned inside; both ends and lo up); a third \
            child joins through a bridge in a network namespace nslab makes for it (the nslab bridge box), and the \
            first two keep their names and addresses; w again unwires. The host's network namespace and namespaces \
            nslab did not create are never changed; a reset (R), closing the tabs or quitting removes it all. Wiring \
            needs root, or both children in one user namespace (a nested launch with Shift-F5). \
            Every option is checked before the terminal is touched.
            """
    )

    @Option(
        name: .customLong("ns"),
        help: ArgumentHelp(
            "Kinds ticked at start: a comma-separated list of uts, ipc, pid, mount (mnt), net, user, cgroup, "
                + "time, or all.", valueName: "LIST"))
    var namespaces: String?

    @Option(help: ArgumentHelp("Hostname for a new UTS namespace.", valueName: "NAME"))
    var hostname: String?

    // Numbers and maps are taken as they come, so "-1" is refused for what it is, not as a missing value.
    @Option(
        name: .customLong("uid-map"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "A uid map line 'INSIDE OUTSIDE COUNT' for a new user namespace (repeatable).", valueName: "M"))
    var uidMap: [String] = []

    @Option(
        name: .customLong("gid-map"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "A gid map line 'INSIDE OUTSIDE COUNT' for a new user namespace (repeatable).", valueName: "M"))
    var gidMap: [String] = []

    @Flag(help: "Launch a child with the ticked kinds right away.")
    var launch = false

    @Option(
        help: ArgumentHelp(
            "A theme by name (default, light, mono, high-contrast, solarized, projector-light, projector-dark) or a "
                + "TOML file's path.",
            valueName: "NAME|PATH"))
    var theme: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Seconds between refreshes of the live panels (0.1 to 3600).", valueName: "SECONDS"))
    var interval: Double = 1

    @Option(help: ArgumentHelp("The shell launched in children (default $SHELL, else /bin/sh).", valueName: "PATH"))
    var shell: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Lines of scrollback kept per child pane.", valueName: "N"))
    var scrollback: Int = 10_000

    @Option(help: notebookHelp)
    var notebook: String?

    @Flag(help: presentHelp)
    var present = false

    /// `--present`'s help, shared with `nslab lesson`.
    static let presentHelp = ArgumentHelp(
        "Start in the presenter layout, for a projector: the Host vs child panel and the child's pane, large, only "
            + "the kinds that differ, ids whole (from 100x30; P turns it on and off).")

    /// `--notebook`'s help, shared with `nslab lesson`.
    static let notebookHelp = ArgumentHelp(
        "Keep a lab notebook in DIR (made if missing): notebook.md, a Markdown handout of every command, appended "
            + "to, and lab.cast, an asciicast v2 recording of the pane on show. N starts and stops it.",
        valueName: "DIR")

    /// The options as the dashboard takes them; every part is checked here, before the terminal.
    func makeOptions() throws -> DashboardOptions {
        var kinds = Set<NamespaceKind>()
        if let namespaces {
            do {
                kinds = try NamespaceKind.parseList(namespaces)
            } catch {
                throw ValidationError("--ns: \(error)")
            }
        }
        var options = NamespaceOptions()
        if let hostname {
            do {
                try LaunchSpec.validateHostname(hostname)
            } catch {
                throw ValidationError(error.description)
            }
            options.hostname = hostname
        }
        for (kind, lines) in [(IDKind.uid, uidMap), (.gid, gidMap)] where !lines.isEmpty {
            do {
                let entries = try lines.map(IDMapEntry.init(parsing:))
                try IDMap.validate(
                    entries, kind: kind, privileged: SystemCall.effectiveUserID == 0,
                    ownID: kind == .uid ? SystemCall.effectiveUserID : SystemCall.effectiveGroupID)
            } catch {
                throw ValidationError(error.description)
            }
        }
        options.uidMaps = uidMap
        options.gidMaps = gidMap
        guard interval.isFinite, interval >= 0.1, interval <= 3600 else {
            throw ValidationError("--interval \(numberText(interval)) is not between 0.1 and 3600 seconds")
        }
        guard scrollback >= 0, scrollback <= 1_000_000 else {
            throw ValidationError("--scrollback \(scrollback) is not between 0 and 1000000 lines")
        }
        if let theme, theme.allSatisfy({ $0 == " " || $0 == "\t" }) {
            throw ValidationError(
                "--theme needs a theme name (default, light, mono, high-contrast, solarized, projector-light, "
                    + "projector-dark) or a file's path, "
                    + "not \(theme.quoted)")
        }
        do {
            _ = try ThemeLoader.current().load(theme)
        } catch {
            throw ValidationError(error.message)
        }
        if let notebook, notebook.isEmpty {
            throw ValidationError("--notebook needs a directory's path")
        }
        var result = DashboardOptions(
            kinds: kinds, options: options, launchAtStart: launch, theme: theme, interval: interval)
        result.notebook = notebook
        result.present = present
        return result
    }

    /// The shell for children: --shell, else $SHELL, else /bin/sh; it must be an executable file.
    func resolvedShell() throws -> String {
        let path = shell ?? defaultShell()
        do {
            return try Launcher.resolveCommand(path, searchPath: SystemCall.environmentValue("PATH"))
        } catch {
            throw ValidationError("--shell: \(error.message())")
        }
    }

    func validate() throws {
        _ = try makeOptions()
        _ = try resolvedShell()
    }

    func run() throws {
        let system = DashboardSystem.live(shell: try resolvedShell(), scrollback: scrollback, inBackground: true)
        let status = Dashboard.run(options: try makeOptions(), system: system)
        if status != 0 { throw ExitCode(status) }
    }
}

/// A number as a user would have typed it: `-1`, not `-1.0`.
func numberText(_ value: Double) -> String {
    value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}
