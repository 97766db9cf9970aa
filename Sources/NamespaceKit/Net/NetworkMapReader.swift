import CRouteNetlink
import Glibc

/// Reads every network namespace of a snapshot (those with processes and those held by bind mounts or fds, as
/// `nslab ls` finds them) over rtnetlink, and ties veth ends and bridge ports together.
///
/// Each namespace is read through a NETLINK_ROUTE socket a C helper opened inside it
/// (`SystemCall.openRouteSockets`); the messages go out and are parsed here, in nslab's own namespaces, by libnl.
/// At most `batchSize` sockets (and as many namespace fds) are open at once.
public struct NetworkMapReader {
    /// The most sockets open at once.
    public var batchSize = 32
    /// Whether to read neighbour tables too (the map's detail view).
    public var readsNeighbours = false
    /// Whether to ask the kernel for each veth's peer through its netns id (what ties pairs together). A reading
    /// only for counters (the dashboard's map between full readings) does without: one query less per veth.
    public var readsPeers = true
    /// Whether to read the main table's routes (shown in the detail). Left out of a reading for counters: the
    /// IPv6 table's dump is the dearest part of a namespace's reading.
    public var readsRoutes = true

    /// A reader.
    public init() {}

    /// The map of `snapshot`'s network namespaces; `containers` labels processes in containers. `only` limits
    /// the reading to those namespace ids (the dashboard's map re-reads just the boxes on screen each interval,
    /// for their counters); peers outside it are then left unresolved.
    public func read(_ snapshot: Snapshot, containers: ContainerDirectory? = nil, only: Set<UInt64>? = nil)
        -> NetworkMap
    {
        let root = snapshot.root
        let found = Self.netNamespaces(of: snapshot, only: only)
        let hostID = snapshot.process(1)?.namespaces[.net].value
        let ownID = SystemCall.fileStatus("\(root.path)/self/ns/net").map { UInt64($0.st_ino) }
        let own = try? ownID.get()
        var readings: [UInt64: Result<RawNamespace, NetworkReadFailure>] = [:]
        let privileged = SystemCall.effectiveUserID == 0
        // Read batch by batch: at most `batchSize` sockets open at once.
        for range in Self.batches(found.count, privileged: privileged, size: batchSize) {
            let batch = Array(found[range])
            for (namespace, result) in zip(batch, readBatch(batch, root: root, privileged: privileged)) {
                readings[namespace.inode] = result
            }
        }
        var namespaces: [NetworkNamespace] = []
        for namespace in found {
            let process = namespace.members.isEmpty ? nil : snapshot.process(namespace.representative)
            let contents: Result<NetworkContents, NetworkReadFailure> =
                switch readings[namespace.inode] {
                case .success(let raw)?: .success(raw.contents)
                case .failure(let failure)?: .failure(failure)
                case nil: .failure(NetworkReadFailure(step: "open", reason: "not opened", errno: nil))
                }
            namespaces.append(
                NetworkNamespace(
                    id: namespace.inode, isHost: hostID.map { $0 == namespace.inode }, isOwn: own == namespace.inode,
                    names: namespace.netnsNames, pids: namespace.members, command: process?.commandLine,
                    container: process.flatMap { containers?.label(for: $0)?.text }, contents: contents))
        }
        namespaces.sort { ($0.isHost == true ? 0 : 1, $0.id) < ($1.isHost == true ? 0 : 1, $1.id) }
        var raws: [UInt64: RawNamespace] = [:]
        for (id, result) in readings { if case .success(let raw) = result { raws[id] = raw } }
        let links = PeerMatcher.resolve(&namespaces, raws: raws)
        return NetworkMap(namespaces: namespaces, links: links)
    }

    /// The network namespaces of `snapshot` (with processes, then held), those in `only` when given, by inode;
    /// without copying the thousand others a partial reading leaves out.
    static func netNamespaces(of snapshot: Snapshot, only: Set<UInt64>?) -> [Namespace] {
        var found: [Namespace] = []
        for list in [snapshot.namespaces, snapshot.heldNamespaces] {
            for namespace in list where namespace.kind == .net && (only?.contains(namespace.inode) ?? true) {
                found.append(namespace)
            }
        }
        return found.sorted { $0.inode < $1.inode }
    }

    /// Opens each namespace of the batch, asks the helper for sockets inside them, and reads each socket.
    private func readBatch(_ batch: [Namespace], root: ProcRoot, privileged: Bool)
        -> [Result<RawNamespace, NetworkReadFailure>]
    {
        Self.openSockets(batch, root: root, privileged: privileged).map { socket in
            socket.flatMap { Self.read($0, neighbours: readsNeighbours, peers: readsPeers, routes: readsRoutes) }
        }
    }

    /// A NETLINK_ROUTE socket inside each namespace of `namespaces` (the caller's to close), or why not; the
    /// helper makes them in batches of `batchSize` (one at a time for a reader that is not root).
    static func openSockets(_ namespaces: [Namespace], root: ProcRoot, privileged: Bool, batchSize: Int = 32)
        -> [Result<FileDescriptor, NetworkReadFailure>]
    {
        batches(namespaces.count, privileged: privileged, size: batchSize).flatMap {
            openBatch(Array(namespaces[$0]), root: root, privileged: privileged)
        }
    }

    /// The ranges of a list of `count` namespaces that go to the helper together: `size` at a time for root, one
    /// at a time for another user (a request that joins a user namespace must be alone in its batch).
    static func batches(_ count: Int, privileged: Bool, size: Int) -> [Range<Int>] {
        let step = privileged ? max(1, size) : 1
        return stride(from: 0, to: count, by: step).map { $0..<min($0 + step, count) }
    }

    private static func openBatch(_ batch: [Namespace], root: ProcRoot, privileged: Bool)
        -> [Result<FileDescriptor, NetworkReadFailure>]
    {
        var results: [Result<FileDescriptor, NetworkReadFailure>?] = Array(repeating: nil, count: batch.count)
        var requests: [SystemCall.NetnsSocketRequest] = []
        var positions: [Int] = []
        for (position, namespace) in batch.enumerated() {
            switch Self.open(namespace, root: root) {
            case .failure(let errno):
                results[position] = .failure(NetworkReadFailure(step: "open", reason: errno.description, errno: errno.rawValue))
            case .success(let fd):
                let owner = privileged ? nil : SystemCall.namespaceOwner(of: fd)
                requests.append(SystemCall.NetnsSocketRequest(namespace: fd, owner: owner))
                positions.append(position)
            }
        }
        let sockets = requests.isEmpty ? [] : SystemCall.openRouteSockets(in: requests)
        for request in requests {
            request.namespace.close()
            request.owner?.close()
        }
        for (position, socket) in zip(positions, sockets) {
            results[position] = socket.mapError {
                NetworkReadFailure(step: "setns", reason: $0.description, errno: $0.rawValue)
            }
        }
        return results.map { $0 ?? .failure(NetworkReadFailure(step: "open", reason: "not opened", errno: nil)) }
    }

    /// The namespace's file: a member's /proc/PID/ns/net (the next member if one exits meanwhile), else a
    /// bind mount seen through its mount namespace's process, else another process's open fd.
    static func open(_ namespace: Namespace, root: ProcRoot) -> Result<FileDescriptor, Errno> {
        var paths = namespace.members.prefix(4).map { "\(root.path)/\($0)/ns/net" }
        for holder in namespace.holders {
            switch holder.how {
            case .bindMount:
                if let pid = holder.pid, let path = holder.path { paths.append("\(root.path)/\(pid)/root\(path)") }
            case .fd:
                if let path = holder.path { paths.append(path) }
            case .owner:
                break
            }
        }
        var last = Errno.noSuchFile
        for path in paths {
            switch SystemCall.open(path, O_RDONLY) {
            case .success(let fd):
                // A pid reused, or a file replaced meanwhile, would open another namespace: the inode says.
                if SystemCall.inode(of: fd) == namespace.inode { return .success(fd) }
                fd.close()
                last = .noSuchFile
            case .failure(let errno):
                last = errno
            }
        }
        return .failure(last)
    }

    /// Reads one socket into the model.
    static func read(_ socket: FileDescriptor, neighbours: Bool, peers: Bool = true, routes: Bool = true)
        -> Result<RawNamespace, NetworkReadFailure>
    {
        switch SystemCall.readNetworkNamespace(socket, askPeers: peers, routes: routes, neighbours: neighbours) {
        case .failure(let failure):
            return .failure(NetworkReadFailure(step: "netlink", reason: failure.description, errno: failure.errno?.rawValue))
        case .success(var reading):
            defer { SystemCall.freeNetworkReading(&reading) }
            guard reading.link_status == 0 else {
                let failure = NetlinkFailure(code: reading.link_status)
                return .failure(NetworkReadFailure(step: "netlink", reason: failure.description, errno: failure.errno?.rawValue))
            }
            return .success(RawNamespace(reading))
        }
    }
}

/// One namespace as read, with the kernel's link data the matching needs (kept out of the public model).
struct RawNamespace {
    /// Per interface index: what the kernel said about its peer.
    var peerData: [Int32: PeerData] = [:]
    /// The model.
    var contents: NetworkContents

    /// What a veth's reading says about its other end.
    struct PeerData {
        var kind: String
        var mac: [UInt8]
        var linkIndex: Int32
        var netnsid: Int32?
        /// The peer's own MAC and IFLA_LINK as the targeted query returned them; nil when it was not answered.
        var peerMAC: [UInt8]?
        var peerLinkIndex: Int32?
    }

    /// Parts as given (tests of the matching).
    init(peerData: [Int32: PeerData], contents: NetworkContents) {
        self.peerData = peerData
        self.contents = contents
    }

    init(_ reading: nsl_net_reading) {
        var addresses: [Int32: [InterfaceAddress]] = [:]
        for position in 0..<Int(reading.address_count) {
            let entry = reading.addresses![position]
            guard let address = NetworkText.address(entry) else { continue }
            addresses[entry.index, default: []].append(address)
        }
        let addressesUnknown = reading.address_status != 0
        var interfaces: [NetworkInterface] = []
        for position in 0..<Int(reading.link_count) {
            var link = reading.links![position]
            let name = NetworkText.string(&link.name)
            let mac = NetworkText.bytes(&link.mac, Int(link.mac_length))
            var kind = NetworkText.string(&link.kind)
            if kind.isEmpty { kind = link.flags & UInt32(IFF_LOOPBACK) != 0 ? "loopback" : "device" }
            var peer: VethPeer?
            if kind == "veth", link.link_index > 0 {
                let peerName = link.peer_status == 0 ? NetworkText.string(&link.peer_name) : nil
                peer = VethPeer(
                    index: link.link_index, netnsid: link.has_link_netnsid != 0 ? link.link_netnsid : nil,
                    namespace: nil, name: link.has_link_netnsid != 0 ? peerName : nil)
                peerData[link.index] = PeerData(
                    kind: kind, mac: mac, linkIndex: link.link_index,
                    netnsid: link.has_link_netnsid != 0 ? link.link_netnsid : nil,
                    peerMAC: link.peer_status == 0 ? NetworkText.bytes(&link.peer_mac, Int(link.peer_mac_length)) : nil,
                    peerLinkIndex: link.peer_status == 0 ? link.peer_link_index : nil)
            }
            interfaces.append(
                NetworkInterface(
                    index: link.index, name: name, kind: kind, flags: link.flags,
                    state: NetworkText.operState(link.operstate), mtu: link.mtu,
                    mac: mac.isEmpty ? nil : NetworkText.mac(mac),
                    addresses: addressesUnknown ? nil : addresses[link.index] ?? [],
                    master: link.master > 0 ? link.master : nil, peer: peer,
                    counters: InterfaceCounters(
                        rxBytes: link.rx_bytes, txBytes: link.tx_bytes, rxPackets: link.rx_packets,
                        txPackets: link.tx_packets)))
        }
        interfaces.sort { $0.index < $1.index }
        var routes: [NetworkRoute]?
        if reading.route_status == 0 {
            routes = (0..<Int(reading.route_count)).compactMap { NetworkText.route(reading.routes![$0]) }
        }
        var neighbours: [NetworkNeighbour]?
        if reading.neighbour_status == 0 {
            neighbours = (0..<Int(reading.neighbour_count)).compactMap { NetworkText.neighbour(reading.neighbours![$0]) }
        }
        contents = NetworkContents(
            interfaces: interfaces, routes: routes, neighbours: neighbours, addressesUnknown: addressesUnknown)
    }
}
