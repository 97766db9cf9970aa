/// Every network namespace nslab could find, what is inside each, and the links between them: what `nslab net`
/// prints and the dashboard's map draws.
public struct NetworkMap: Sendable, Hashable {
    /// The namespaces, host first, then by id.
    public var namespaces: [NetworkNamespace]
    /// veth pairs and bridge ports, each once.
    public var links: [NetworkLink]

    /// A map.
    public init(namespaces: [NetworkNamespace], links: [NetworkLink]) {
        self.namespaces = namespaces
        self.links = links
    }

    /// The namespace with this id.
    public func namespace(_ id: UInt64) -> NetworkNamespace? { namespaces.first { $0.id == id } }
}

/// One network namespace: who is in it or holds it, and (when it could be read) its interfaces and routes.
public struct NetworkNamespace: Sendable, Hashable, Identifiable {
    /// The namespace id (inode of its nsfs file).
    public var id: UInt64
    /// True for the host's (PID 1's) network namespace; nil when PID 1's could not be read.
    public var isHost: Bool?
    /// True for the namespace nslab itself runs in.
    public var isOwn: Bool
    /// `ip netns` names (bind mounts under /run/netns).
    public var names: [String]
    /// Member pids, ascending (empty for a namespace held only by a bind mount or an fd).
    public var pids: [Int32]
    /// The representative process's command line (first member), if there is one.
    public var command: String?
    /// The container label of the representative process (`runc:ID`), if any.
    public var container: String?
    /// What was read inside, or why it could not be.
    public var contents: Result<NetworkContents, NetworkReadFailure>

    /// A namespace record.
    public init(
        id: UInt64, isHost: Bool?, isOwn: Bool, names: [String], pids: [Int32], command: String?,
        container: String?, contents: Result<NetworkContents, NetworkReadFailure>
    ) {
        self.id = id
        self.isHost = isHost
        self.isOwn = isOwn
        self.names = names
        self.pids = pids
        self.command = command
        self.container = container
        self.contents = contents
    }

    /// The interfaces when the namespace was read; nil when it is unknown.
    public var interfaces: [NetworkInterface]? { try? contents.get().interfaces }

    /// What a person recognises it by: `netns NAME`, the container, else `pid N COMMAND`, else its id.
    public var title: String {
        if let name = names.first { return "netns " + name }
        if let container { return container }
        if let pid = pids.first {
            let word = command.map { String($0.split(separator: " ").first ?? "") } ?? ""
            return "pid \(pid)" + (word.isEmpty ? "" : " " + word)
        }
        return "net:[\(id)]"
    }
}

/// Why a namespace's contents are unknown: the step and its error, in words a user can act on.
public struct NetworkReadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step that failed: `open` (the namespace's file), `setns` (joining it), `netlink` (the messages).
    public var step: String
    /// The error, e.g. "Operation not permitted".
    public var reason: String
    /// The errno, when the failure has one.
    public var errno: Int32?

    /// A failure.
    public init(step: String, reason: String, errno: Int32?) {
        self.step = step
        self.reason = reason
        self.errno = errno
    }

    /// `setns: Operation not permitted`.
    public var description: String { step + ": " + reason }
}

/// The contents of a namespace that could be read.
public struct NetworkContents: Sendable, Hashable {
    /// Interfaces by ascending index.
    public var interfaces: [NetworkInterface]
    /// Routes of the main table; nil when the route dump failed.
    public var routes: [NetworkRoute]?
    /// Neighbour entries, when asked for (the map's detail); nil otherwise or when the dump failed.
    public var neighbours: [NetworkNeighbour]?
    /// True when the address dump failed (every interface's addresses are then unknown).
    public var addressesUnknown: Bool
    /// True for a reading of counters alone (`NetworkCounterWatch`): the interfaces hold their index and
    /// counters, nothing else that was read; a merge takes only the counters.
    public var countersOnly = false

    /// Contents.
    public init(
        interfaces: [NetworkInterface], routes: [NetworkRoute]?, neighbours: [NetworkNeighbour]?,
        addressesUnknown: Bool
    ) {
        self.interfaces = interfaces
        self.routes = routes
        self.neighbours = neighbours
        self.addressesUnknown = addressesUnknown
    }

    /// The interface with this index.
    public func interface(_ index: Int32) -> NetworkInterface? { interfaces.first { $0.index == index } }

    /// Routes to everywhere (destination `default`).
    public var defaultRoutes: [NetworkRoute] { (routes ?? []).filter { $0.destination == nil } }
}

/// One interface.
public struct NetworkInterface: Sendable, Hashable {
    /// ifindex, unique within its namespace.
    public var index: Int32
    /// Name (`eth0`); names are not unique across namespaces and never used to match.
    public var name: String
    /// `loopback`, `veth`, `bridge`, `tun`, `macvlan`, `ipvlan`, `vxlan`, `dummy`, ... or `device` when the
    /// kernel names no kind.
    public var kind: String
    /// IFF_* flags.
    public var flags: UInt32
    /// Operational state as `ip` words it: `up`, `down`, `unknown`, `lowerlayerdown`, `dormant`, ...
    public var state: String
    /// MTU in bytes.
    public var mtu: UInt32
    /// Hardware address as `aa:bb:...`, nil when it has none.
    public var mac: String?
    /// Addresses, IPv4 then IPv6 as the kernel lists them; nil when unknown.
    public var addresses: [InterfaceAddress]?
    /// The bridge (or other master) this interface is a port of, by index in the same namespace.
    public var master: Int32?
    /// For a veth: where its other end is.
    public var peer: VethPeer?
    /// Counters since the interface was made.
    public var counters: InterfaceCounters

    /// An interface.
    public init(
        index: Int32, name: String, kind: String, flags: UInt32, state: String, mtu: UInt32, mac: String?,
        addresses: [InterfaceAddress]?, master: Int32?, peer: VethPeer?, counters: InterfaceCounters
    ) {
        self.index = index
        self.name = name
        self.kind = kind
        self.flags = flags
        self.state = state
        self.mtu = mtu
        self.mac = mac
        self.addresses = addresses
        self.master = master
        self.peer = peer
        self.counters = counters
    }

    /// IFF_UP: administratively up.
    public var isUp: Bool { flags & 1 != 0 }
}

/// The other end of a veth as the kernel reports it.
public struct VethPeer: Sendable, Hashable {
    /// The peer's ifindex (IFLA_LINK), in its own namespace.
    public var index: Int32
    /// The peer's namespace as this one numbers it (IFLA_LINK_NETNSID); nil when both ends are in one namespace.
    public var netnsid: Int32?
    /// The peer's namespace id when nslab resolved it; nil when it is unknown (not readable, or not found).
    public var namespace: UInt64?
    /// The peer's name as the kernel gave it for that index (not used to match).
    public var name: String?

    /// A peer.
    public init(index: Int32, netnsid: Int32?, namespace: UInt64?, name: String?) {
        self.index = index
        self.netnsid = netnsid
        self.namespace = namespace
        self.name = name
    }
}

/// One address on an interface.
public struct InterfaceAddress: Sendable, Hashable {
    /// `inet` or `inet6`.
    public var family: String
    /// The address as text (`10.77.0.1`, `fe80::1`).
    public var address: String
    /// Prefix length.
    public var prefixLength: Int
    /// Scope as `ip` names it: `global`, `link`, `host`, or the number.
    public var scope: String

    /// An address.
    public init(family: String, address: String, prefixLength: Int, scope: String) {
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
        self.scope = scope
    }

    /// `10.77.0.1/16`.
    public var text: String { "\(address)/\(prefixLength)" }
}

/// Received and sent bytes and packets.
public struct InterfaceCounters: Sendable, Hashable {
    /// Bytes received.
    public var rxBytes: UInt64
    /// Bytes sent.
    public var txBytes: UInt64
    /// Packets received.
    public var rxPackets: UInt64
    /// Packets sent.
    public var txPackets: UInt64

    /// Counters.
    public init(rxBytes: UInt64, txBytes: UInt64, rxPackets: UInt64, txPackets: UInt64) {
        self.rxBytes = rxBytes
        self.txBytes = txBytes
        self.rxPackets = rxPackets
        self.txPackets = txPackets
    }
}

/// One route of the main table.
public struct NetworkRoute: Sendable, Hashable {
    /// `inet` or `inet6`.
    public var family: String
    /// `10.77.0.0/16`, nil for the default route.
    public var destination: String?
    /// Next hop, when there is one.
    public var gateway: String?
    /// Outgoing interface index, when there is one.
    public var interfaceIndex: Int32?
    /// Route metric.
    public var metric: UInt32

    /// A route.
    public init(family: String, destination: String?, gateway: String?, interfaceIndex: Int32?, metric: UInt32) {
        self.family = family
        self.destination = destination
        self.gateway = gateway
        self.interfaceIndex = interfaceIndex
        self.metric = metric
    }
}

/// One neighbour (ARP / NDP) entry.
public struct NetworkNeighbour: Sendable, Hashable {
    /// Interface index.
    public var interfaceIndex: Int32
    /// The neighbour's address.
    public var address: String
    /// Its hardware address, nil while unresolved.
    public var mac: String?
    /// NUD state, e.g. `reachable`, `stale`, `failed`.
    public var state: String

    /// A neighbour.
    public init(interfaceIndex: Int32, address: String, mac: String?, state: String) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.mac = mac
        self.state = state
    }
}

/// One end of a link: an interface in a namespace. `namespace` is nil when the end is in a namespace nslab
/// could not identify (then only the index is known).
public struct LinkEnd: Sendable, Hashable {
    /// The namespace id, nil when unknown.
    public var namespace: UInt64?
    /// The interface index.
    public var index: Int32

    /// An end.
    public init(namespace: UInt64?, index: Int32) {
        self.namespace = namespace
        self.index = index
    }
}

/// A line on the map: a veth pair, or a port and its bridge.
public struct NetworkLink: Sendable, Hashable {
    /// What kind of line.
    public enum Kind: String, Sendable, Hashable {
        /// Two ends of one veth pair.
        case veth
        /// A port (first end) and the bridge it is enslaved to (second end), in one namespace.
        case bridgePort = "bridge_port"
    }

    /// The kind.
    public var kind: Kind
    /// The two ends (for a veth pair, the lower namespace id first).
    public var ends: [LinkEnd]

    /// A link.
    public init(kind: Kind, ends: [LinkEnd]) {
        self.kind = kind
        self.ends = ends
    }
}
