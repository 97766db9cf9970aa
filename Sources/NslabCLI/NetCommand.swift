import ArgumentParser
import NamespaceKit

/// `nslab net`: every network namespace nslab can find, its interfaces and the veth/bridge links between them.
struct NetCommand: ParsableCommand {
    /// Name and abstract.
    static let configuration = CommandConfiguration(
        commandName: "net",
        abstract: "List network namespaces, their interfaces and the veth and bridge links between them."
    )

    @Flag(name: .long, help: "Print JSON (schema in docs/json.md).")
    var json = false

    /// Scans /proc for namespaces (with processes, bind mounts and fds, as `nslab ls`), reads each over rtnetlink.
    func run() throws {
        let scanner = try openProc()
        scanner.findsHeldNamespaces = true
        let snapshot = scanner.refresh(relations: true)
        let map = NetworkMapReader().read(snapshot, containers: ContainerDirectory(for: snapshot.root))
        if json {
            var writer = JSONWriter(capacity: 64 * 1024)
            writer.writeNetworkMap(map)
            writer.newline()
            StandardOutput.write(writer.bytes)
        } else {
            StandardOutput.write(fitted(Self.text(map), to: terminalColumns()))
        }
    }

    /// The text view: one block per namespace, then the links.
    static func text(_ map: NetworkMap) -> String {
        var text = ""
        for namespace in map.namespaces {
            var marks: [String] = []
            if namespace.isHost == true { marks.append("host") }
            if namespace.isOwn { marks.append("nslab") }
            let pids = namespace.pids.isEmpty ? "no processes" : "\(namespace.pids.count) process\(namespace.pids.count == 1 ? "" : "es")"
            text += "net:[\(namespace.id)] " + singleLine(namespace.title) + "  (" + (marks + [pids]).joined(separator: ", ")
                + ")\n"
            switch namespace.contents {
            case .failure(let failure):
                text += "  ? unknown (" + failure.description + ")\n"
            case .success(let contents):
                for interface in contents.interfaces {
                    text += "  " + line(interface, in: namespace, map) + "\n"
                }
                for route in contents.defaultRoutes {
                    let device = route.interfaceIndex.flatMap { contents.interface($0)?.name }
                    text += "  default" + (route.gateway.map { " via " + $0 } ?? "")
                        + (device.map { " dev " + singleLine($0) } ?? "") + " (" + route.family + ")\n"
                }
                if contents.routes == nil { text += "  routes ?\n" }
            }
        }
        if !map.links.isEmpty {
            text += "links:\n"
            for link in map.links {
                let ends = link.ends.map { end(map, $0) }
                text += "  " + pad(link.kind.rawValue, 11) + " " + ends.joined(separator: link.kind == .veth ? " <-> " : " -> ") + "\n"
            }
        }
        return text
    }

    private static func line(_ interface: NetworkInterface, in namespace: NetworkNamespace, _ map: NetworkMap) -> String {
        var words =
            pad(String(interface.index), 4, right: true) + " " + pad(singleLine(interface.name), 15) + " "
            + pad(interface.kind, 8) + " " + pad(interface.state, 7) + " mtu " + pad(String(interface.mtu), 5)
        if let mac = interface.mac { words += " " + mac }
        if let addresses = interface.addresses {
            for address in addresses { words += " " + address.text }
        } else {
            words += " addresses ?"
        }
        if let master = interface.master {
            let name = namespace.interfaces?.first { $0.index == master }?.name ?? "#\(master)"
            words += " master " + singleLine(name)
        }
        if let peer = interface.peer {
            words += " peer " + end(map, LinkEnd(namespace: peer.netnsid == nil ? namespace.id : peer.namespace, index: peer.index))
        }
        return words
    }

    /// `net:[ID] NAME#INDEX`, or `? #INDEX` for an end in a namespace nslab could not identify.
    private static func end(_ map: NetworkMap, _ end: LinkEnd) -> String {
        guard let id = end.namespace else { return "?#\(end.index) (namespace unknown)" }
        let name = map.namespace(id)?.interfaces?.first { $0.index == end.index }?.name
        return "net:[\(id)] " + (name.map(singleLine) ?? "?") + "#\(end.index)"
    }
}
