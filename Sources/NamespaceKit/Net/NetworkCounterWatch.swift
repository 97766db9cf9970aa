/// The dashboard map's readings between full ones, for the boxes on screen: each such namespace keeps one
/// NETLINK_ROUTE socket open in it, joined to its link and address notifications. An interval then costs one
/// RTM_GETSTATS dump per box (the counters, which is what moves); only a namespace whose socket heard of a
/// change (a link or an address added, removed, up or down) is read whole again, as a full reading reads it.
/// With 1,000 namespaces idle that is what lets the open map cost less CPU than htop (benchmarks/map-bench.sh).
///
/// A socket keeps its namespace alive, and nslab must never be what keeps a deleted namespace (and the veth
/// ends in it) alive. So a socket is closed as soon as its box leaves the screen or the map closes
/// (`keepOnly`), when a full reading no longer finds its namespace, and when what held the namespace besides
/// nslab is gone: its processes (the scan re-reads them each interval), the fd another process had open on it
/// (checked each interval), a bind mount (`ip netns delete` changes /run/netns, which the scan thread watches
/// and answers with a full reading; a bind mount elsewhere is looked up each interval).
///
/// Not thread-safe: one scan thread owns it.
public final class NetworkCounterWatch {
    /// The open sockets by namespace inode.
    private var sockets: [UInt64: FileDescriptor] = [:]
    /// The reader that opens sockets and reads a namespace whole.
    private var reader: NetworkMapReader
    /// nslab's own mount namespace: a bind mount under /run/netns there is watched through the directory.
    private let ownMountNamespace: UInt64?

    /// A watch over the procfs at `root`, whose own mount namespace it notes.
    public init(root: ProcRoot) {
        var reader = NetworkMapReader()
        reader.readsPeers = false
        reader.readsRoutes = false
        self.reader = reader
        ownMountNamespace = try? SystemCall.fileStatus("\(root.path)/self/ns/mnt").map { UInt64($0.st_ino) }.get()
    }

    deinit { keepOnly([]) }

    /// The namespaces watched now.
    public var watched: Set<UInt64> { Set(sockets.keys) }

    /// Closes the sockets of every namespace not in `ids`.
    public func keepOnly(_ ids: Set<UInt64>) {
        for (id, socket) in sockets where !ids.contains(id) {
            socket.close()
            sockets[id] = nil
        }
    }

    /// Reads the namespaces `only` of `snapshot` (whose held namespaces are those of the last full reading): the
    /// counters of those watched and unchanged, the whole of the others (new on screen, or changed). The result
    /// holds no links (a partial reading's are not used) and only the namespaces it could read.
    public func read(_ snapshot: Snapshot, only: Set<UInt64>) -> NetworkMap {
        let root = snapshot.root
        let found = NetworkMapReader.netNamespaces(of: snapshot, only: only).filter { stillHeld($0, in: snapshot) }
        keepOnly(Set(found.map(\.inode)))
        var namespaces: [NetworkNamespace] = []
        var whole: [Namespace] = []
        for namespace in found {
            guard let socket = sockets[namespace.inode] else {
                whole.append(namespace)
                continue
            }
            switch SystemCall.readLinkCounters(socket) {
            case .success(let reading) where !reading.changed:
                let interfaces = reading.counters.keys.sorted().map { index in
                    NetworkInterface(
                        index: index, name: "", kind: "", flags: 0, state: "", mtu: 0, mac: nil, addresses: nil,
                        master: nil, peer: nil, counters: reading.counters[index]!)
                }
                var contents = NetworkContents(
                    interfaces: interfaces, routes: nil, neighbours: nil, addressesUnknown: true)
                contents.countersOnly = true
                namespaces.append(Self.record(namespace, contents: .success(contents)))
            case .success:
                whole.append(namespace)
            case .failure:
                // A socket that failed is made again, and its namespace read whole meanwhile.
                sockets[namespace.inode]?.close()
                sockets[namespace.inode] = nil
                whole.append(namespace)
            }
        }
        // New boxes get their socket first, so that nothing changed between the whole reading and the watch.
        let unwatched = whole.filter { sockets[$0.inode] == nil }
        let privileged = SystemCall.effectiveUserID == 0
        for (namespace, socket) in zip(unwatched, NetworkMapReader.openSockets(unwatched, root: root, privileged: privileged)) {
            guard case .success(let fd) = socket else { continue }
            if case .success = SystemCall.watchNetworkNamespace(fd) {
                sockets[namespace.inode] = fd
            } else {
                fd.close()
            }
        }
        if !whole.isEmpty {
            namespaces += reader.read(snapshot, only: Set(whole.map(\.inode))).namespaces
        }
        return NetworkMap(namespaces: namespaces, links: [])
    }

    /// A namespace record of what a partial reading needs (its id and contents).
    private static func record(_ namespace: Namespace, contents: Result<NetworkContents, NetworkReadFailure>)
        -> NetworkNamespace
    {
        NetworkNamespace(
            id: namespace.inode, isHost: nil, isOwn: false, names: [], pids: namespace.members, command: nil,
            container: nil, contents: contents)
    }

    /// Whether something besides nslab's socket still holds `namespace`: one of its processes (re-read with
    /// every scan), an fd that still points at it, or a bind mount still in place (one under /run/netns in
    /// nslab's own mount namespace counts as in place: its deletion changes the directory, and the scan thread
    /// then makes the reading a full one).
    func stillHeld(_ namespace: Namespace, in snapshot: Snapshot) -> Bool {
        if !namespace.members.isEmpty { return true }
        let link = "net:[\(namespace.inode)]"
        for holder in namespace.holders {
            switch holder.how {
            case .fd:
                if let path = holder.path, SystemCall.readLink(path) == link { return true }
            case .bindMount:
                guard let pid = holder.pid, let path = holder.path else { continue }
                if holder.netnsName != nil, ownMountNamespace != nil, holder.mountNamespace == ownMountNamespace {
                    return true
                }
                if case .success(let status) = SystemCall.fileStatus("\(snapshot.root.path)/\(pid)/root\(path)"),
                    UInt64(status.st_ino) == namespace.inode
                {
                    return true
                }
            case .owner:
                break
            }
        }
        return false
    }
}
