import ArgumentParser
import NamespaceKit

/// `nslab ps`: the process tree with namespace marks, a flat table of ids, or JSON.
struct PsCommand: ParsableCommand {
    /// Name, abstract and the legend of the marks.
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "Show the process tree with namespace ids.",
        discussion: """
            The VS-NSLAB column marks, per process, the namespace kinds in which it differs from nslab's own \
            namespaces (the host's, when nslab runs on the host), as the dashboard does: U=UTS I=IPC P=PID \
            M=mount N=net u=user C=cgroup T=time; . the same; ? could not be read (run as root to see it); \
            - the kernel lacks the kind.
            """
    )

    @Flag(name: .long, help: "Print a flat table with every namespace id instead of a tree.")
    var flat = false

    @Flag(name: .long, help: "Print JSON with every field (schema in docs/json.md).")
    var json = false

    /// Scans /proc once (no namespace ioctls) and prints the chosen view.
    func run() throws {
        let scanner = try openProc()
        let snapshot = scanner.refresh(relations: false)
        if json {
            var writer = JSONWriter(capacity: snapshot.processes.count * 900)
            writer.writeProcesses(
                snapshot, reference: snapshot.process(SystemCall.processID)?.namespaces,
                ownFiles: scanner.ownFilesOfUnlinkedProcesses(snapshot))
            writer.newline()
            StandardOutput.write(writer.bytes)
        } else if flat {
            StandardOutput.write(fitted(flatTable(snapshot), to: terminalColumns()))
        } else {
            StandardOutput.write(fitted(treeText(snapshot), to: terminalColumns()))
        }
    }

    private func treeText(_ snapshot: Snapshot) -> String {
        let users = UserNames()
        let own = snapshot.process(SystemCall.processID)?.namespaces
        let netnsNames = NetnsNames.byNamespace()
        let containers = ContainerDirectory(for: snapshot.root)
        var text = "    PID  INSIDE USER      VS-NSLAB  COMMAND\n"
        for row in snapshot.tree.rows {
            guard let process = snapshot.process(row.pid) else { continue }
            var prefix = ""
            for (level, more) in row.continues.enumerated() {
                if level == row.continues.count - 1 {
                    prefix += more ? "├─ " : "└─ "
                } else {
                    prefix += more ? "│  " : "   "
                }
            }
            let marks = String(NamespaceKind.allCases.map { Self.mark($0, process.namespaces, own) })
            // Nested more than one deep: every level inside (`146/1`), as the dashboard's tree shows it.
            let levels = process.nspid.value ?? []
            let inside =
                levels.count > 2
                ? levels.dropFirst().map(String.init).joined(separator: "/") : process.pidInside.map(String.init) ?? "?"
            let user = process.uid.value.map { users.name($0.real) } ?? "?"
            // An `ip netns` name of its net namespace, as `ip netns identify` would say it.
            let names = process.namespaces[.net].value.flatMap { netnsNames[$0] } ?? []
            let netns = names.isEmpty ? "" : "  [netns " + names.joined(separator: ", ") + "]"
            // The container it is in, `{runc:ID} ` before the command, as the dashboard's tree shows it.
            let container = containers.label(for: process).map { "{" + singleLine($0.text) + "} " } ?? ""
            text +=
                pad(String(process.pid), 7, right: true) + " " + pad(inside, 7, right: true) + " "
                + pad(user, 9) + " " + marks + "  " + prefix + container + singleLine(process.commandLine) + netns
                + "\n"
        }
        return text
    }

    /// One kind's letter in VS-NSLAB: the letter where the ids differ, `.` where they are the same, `?` where
    /// either could not be read (unknown is never shown as the same), `-` where the kernel lacks the kind.
    static func mark(_ kind: NamespaceKind, _ ids: NamespaceSet, _ own: NamespaceSet?) -> Character {
        switch (ids[kind], own?[kind] ?? .unknown) {
        case (.known(let id), .known(let ownID)): id == ownID ? "." : kind.letter
        case (.unavailable, _), (_, .unavailable): "-"
        default: "?"
        }
    }

    private func flatTable(_ snapshot: Snapshot) -> String {
        let users = UserNames()
        var text = "    PID    PPID  INSIDE USER     S"
        for kind in NamespaceKind.allCases { text += " " + pad(kind.procName.uppercased(), 10, right: true) }
        text += " COMMAND\n"
        for process in snapshot.processes {
            text +=
                pad(String(process.pid), 7, right: true) + " " + pad(String(process.ppid), 7, right: true) + " "
                + pad(process.pidInside.map(String.init) ?? "?", 7, right: true) + " "
                + pad(process.uid.value.map { users.name($0.real) } ?? "?", 8) + " " + String(process.state)
            for kind in NamespaceKind.allCases {
                let id: String
                switch process.namespaces[kind] {
                case .known(let value): id = String(value)
                case .unknown: id = "?"
                case .unavailable: id = "-"
                }
                text += " " + pad(id, 10, right: true)
            }
            text += " " + singleLine(process.commandLine) + "\n"
        }
        return text
    }
}

/// Pads or truncates to a column width (by characters, which is enough for names and numbers).
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    if text.count >= width { return right ? text : String(text.prefix(width)) }
    let fill = String(repeating: " ", count: width - text.count)
    return right ? fill + text : text + fill
}

/// The width of the terminal on stdout, or nil when stdout is not a terminal (then lines are not cut).
func terminalColumns() -> Int? {
    guard SystemCall.isTerminal(.standardOutput), let size = SystemCall.windowSize(.standardOutput), size.columns > 0
    else { return nil }
    return Int(size.columns)
}

/// Cuts each line of `text` to `columns` characters, like `ps` and `pstree` do on a terminal.
func fitted(_ text: String, to columns: Int?) -> String {
    guard let columns else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        result += line.count > columns ? String(line.prefix(columns)) : String(line)
        result += "\n"
    }
    return String(result.dropLast())
}
