import ArgumentParser
import NamespaceKit

/// `nslab ls`: the namespaces on the system, like `lsns`, optionally as the owner/parent hierarchy.
struct LsCommand: ParsableCommand {
    /// Name and abstract.
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List namespaces with their processes, parents and owners."
    )

    @Flag(name: .long, help: "Show namespaces under the user namespace that owns them, nested by parent.")
    var tree = false

    @Flag(name: .long, help: "Print JSON (schema in docs/json.md).")
    var json = false

    /// Scans /proc with namespace relations and prints the chosen view.
    func run() throws {
        let scanner = try openProc()
        scanner.findsHeldNamespaces = true
        let snapshot = scanner.refresh(relations: true)
        if json {
            var writer = JSONWriter(capacity: 64 * 1024)
            writer.writeNamespaces(snapshot)
            writer.newline()
            StandardOutput.write(writer.bytes)
        } else if tree {
            StandardOutput.write(fitted(treeText(snapshot), to: terminalColumns()))
        } else {
            StandardOutput.write(fitted(table(snapshot), to: terminalColumns()))
        }
    }

    private func table(_ snapshot: Snapshot) -> String {
        let users = UserNames()
        let containers = ContainerDirectory(for: snapshot.root)
        var text =
            pad("NS", 11, right: true) + " TYPE   " + pad("NPROCS", 6, right: true) + " "
            + pad("PID", 7, right: true) + " " + pad("OWNER-NS", 11, right: true) + " USER     COMMAND\n"
        for namespace in Self.all(snapshot) {
            text += line(namespace, snapshot, users, containers) + "\n"
        }
        return text
    }

    /// Namespaces with processes and those held without, in kind then id order.
    static func all(_ snapshot: Snapshot) -> [Namespace] {
        (snapshot.namespaces + snapshot.heldNamespaces).sorted { $0.key < $1.key }
    }

    private func line(
        _ namespace: Namespace, _ snapshot: Snapshot, _ users: UserNames, _ containers: ContainerDirectory
    ) -> String {
        let held = namespace.members.isEmpty
        let process = held ? nil : snapshot.process(namespace.representative)
        let owner = namespace.ownerUserNamespace.map(String.init) ?? "?"
        let user = held ? "-" : process?.uid.value.map { users.name($0.real) } ?? "?"
        let command =
            held
            ? Self.holding(namespace)
            : Self.container(process, containers) + singleLine(process?.commandLine ?? "") + Self.names(namespace)
        return pad(String(namespace.inode), 11, right: true) + " " + pad(namespace.kind.procName, 6) + " "
            + pad(String(namespace.members.count), 6, right: true) + " "
            + pad(held ? "-" : String(namespace.representative), 7, right: true) + " " + pad(owner, 11, right: true)
            + " " + pad(user, 8) + " " + command
    }

    /// How a namespace without processes is held, e.g. `(bind mount /run/netns/lab, netns lab)`.
    static func holding(_ namespace: Namespace) -> String {
        let ways = namespace.holders.map { holder -> String in
            switch holder.how {
            case .bindMount: "bind mount " + singleLine(holder.path ?? "?")
            case .fd: "fd " + (holder.path ?? "?")
            case .owner: "owner of namespaces"
            }
        }
        return "(held by " + ways.joined(separator: ", ") + ")" + names(namespace)
    }

    /// `{runc:ID} ` for a process in a container, as the dashboard's tree and `nslab ps` show it; empty otherwise.
    static func container(_ process: ProcessRecord?, _ containers: ContainerDirectory) -> String {
        process.flatMap(containers.label).map { "{" + singleLine($0.text) + "} " } ?? ""
    }

    /// `  [netns lab]` for a net namespace with `ip netns` names.
    static func names(_ namespace: Namespace) -> String {
        let names = namespace.netnsNames
        return names.isEmpty ? "" : "  [netns " + names.map(singleLine).joined(separator: ", ") + "]"
    }

    /// User namespaces nest by parent; under each, the namespaces it owns (pid ones nested by parent).
    private func treeText(_ snapshot: Snapshot) -> String {
        var owned: [UInt64: [Namespace]] = [:]
        var childUsers: [UInt64: [Namespace]] = [:]
        var topUsers: [Namespace] = []
        var orphans: [Namespace] = []
        let everything = Self.all(snapshot)
        let userIDs = Set(everything.filter { $0.kind == .user }.map(\.inode))
        for namespace in everything {
            if namespace.kind == .user {
                if let parent = namespace.parent, userIDs.contains(parent) {
                    childUsers[parent, default: []].append(namespace)
                } else {
                    topUsers.append(namespace)
                }
            } else if let owner = namespace.ownerUserNamespace, userIDs.contains(owner) {
                owned[owner, default: []].append(namespace)
            } else {
                orphans.append(namespace)
            }
        }
        let containers = ContainerDirectory(for: snapshot.root)
        var text = ""
        func describe(_ namespace: Namespace) -> String {
            let count = namespace.members.count
            var words = "\(namespace.kind.procName):[\(namespace.inode)] \(count) process\(count == 1 ? "" : "es")"
            if count == 0 {
                words += " " + Self.holding(namespace)
            } else {
                words += ", pid \(namespace.representative)"
            }
            if let uid = namespace.ownerUID { words += ", owner uid \(uid)" }
            if namespace.kind == .pid, let parent = namespace.parent { words += ", parent pid:[\(parent)]" }
            guard count > 0 else { return words }
            let process = snapshot.process(namespace.representative)
            let command = process?.commandLine ?? ""
            return words + "  " + Self.container(process, containers) + singleLine(String(command.prefix(60)))
                + Self.names(namespace)
        }
        func walk(_ user: Namespace, _ prefix: String, _ branch: String) {
            text += prefix + branch + describe(user) + "\n"
            let childPrefix = prefix + (branch == "├─ " ? "│  " : branch.isEmpty ? "" : "   ")
            let items =
                (owned[user.inode] ?? []).map { (namespace: $0, isUser: false) }
                + (childUsers[user.inode] ?? []).map { (namespace: $0, isUser: true) }
            for (index, item) in items.enumerated() {
                let itemBranch = index == items.count - 1 ? "└─ " : "├─ "
                if item.isUser {
                    walk(item.namespace, childPrefix, itemBranch)
                } else {
                    text += childPrefix + itemBranch + describe(item.namespace) + "\n"
                }
            }
        }
        for user in topUsers { walk(user, "", "") }
        if !orphans.isEmpty {
            text += "owner not visible:\n"
            for namespace in orphans { text += "   " + describe(namespace) + "\n" }
        }
        return text
    }
}

/// Replaces control characters (newlines in command lines) so a table row stays one line.
func singleLine(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : $0 }))
}
