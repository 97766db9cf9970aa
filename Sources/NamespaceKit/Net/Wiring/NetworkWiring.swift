import Glibc

/// Carries out wiring plans (`WiringState`) over rtnetlink, and holds nslab's bridge namespace while a bridge
/// needs it. Each namespace is opened by a pid of its child (`/proc/PID/ns/net`, its inode checked against the
/// plan's), a NETLINK_ROUTE socket is opened inside it by the helper task the map's reader uses, and libnl sends
/// the changes from nslab. Nothing is ever sent to a namespace the plan does not name, and a plan names only
/// children's namespaces and the bridge namespace.
public final class NetworkWiring {
    /// The fd that holds the bridge namespace; nil while no bridge is wired.
    public private(set) var bridge: FileDescriptor?

    /// No bridge yet.
    public init() {}

    deinit { closeBridge() }

    /// Closes the bridge namespace's fd (the namespace goes with its bridges and ports); on quit and when no
    /// bridge is left.
    public func closeBridge() {
        bridge?.close()
        bridge = nil
    }

    /// Carries out `plan` made from `state`, and sets `state` to what is wired now: the plan's `after` when every
    /// step worked. When one fails, what the plan made is deleted again, the links it touched are undone, and the
    /// failure comes back as the sentence to show.
    public func apply(_ plan: WiringPlan, to state: inout WiringState) -> Result<String, WiringFailure> {
        var pids: [UInt64: Int32] = [:]
        for end in (state.links + plan.after.links).flatMap(\.ends) { pids[end.party.namespace] = end.party.pid }
        var run = Run(wiring: self, pids: pids)
        defer { run.close() }
        for step in plan.steps {
            if let failure = run.perform(step) {
                run.rollBack()
                // The links this plan touched may be half made: they are undone, the others stay.
                let touched = Set(
                    plan.steps.compactMap { step -> UInt64? in
                        if case .addVeth(_, .namespace(let id), _, _) = step { return id }
                        if case .delete(_, .namespace(let id)) = step { return id }
                        return nil
                    })
                let cleanup = state.removing(namespaces: touched, deleteGone: true)
                for step in cleanup.steps { _ = run.perform(step) }
                state = cleanup.after
                if !state.needsBridge { closeBridge() }
                return .failure(failure)
            }
        }
        state = plan.after
        return .success(plan.message)
    }

    /// One plan's open namespaces and sockets, and what it made (for a roll-back).
    private struct Run {
        let wiring: NetworkWiring
        let pids: [UInt64: Int32]
        var namespaces: [WireSpace: FileDescriptor] = [:]
        var sockets: [WireSpace: FileDescriptor] = [:]
        var made: [(name: String, space: WireSpace)] = []
        var madeBridgeNamespace = false
        let privileged = SystemCall.effectiveUserID == 0

        init(wiring: NetworkWiring, pids: [UInt64: Int32]) {
            self.wiring = wiring
            self.pids = pids
        }

        mutating func close() {
            for fd in sockets.values { fd.close() }
            for fd in namespaces.values { fd.close() }
            sockets = [:]
            namespaces = [:]
        }

        /// Deletes what this run made, newest first, and the bridge namespace if it made it.
        mutating func rollBack() {
            for (name, space) in made.reversed() { _ = perform(.delete(name: name, in: space)) }
            made = []
            if madeBridgeNamespace { wiring.closeBridge() }
        }

        /// The namespace's fd: a child's opened by its pid (and checked to be that namespace), or the bridge's.
        mutating func namespace(_ space: WireSpace) -> Result<FileDescriptor, WiringFailure> {
            if let fd = namespaces[space] { return .success(fd) }
            switch space {
            case .bridge:
                guard let bridge = wiring.bridge else { return .failure(WiringFailure("nslab's bridge namespace is not open")) }
                return .success(bridge)
            case .namespace(let id):
                guard let pid = pids[id] else { return .failure(WiringFailure("net:[\(id)] belongs to no wired child")) }
                switch SystemCall.open("/proc/\(pid)/ns/net", O_RDONLY | O_CLOEXEC) {
                case .failure(let errno):
                    return .failure(WiringFailure("pid \(pid)'s network namespace cannot be opened: \(errno)"))
                case .success(let fd):
                    // A pid reused by another process would open another namespace: the inode says.
                    guard SystemCall.inode(of: fd) == id else {
                        fd.close()
                        return .failure(WiringFailure("pid \(pid) is no longer in net:[\(id)] (its child ended)"))
                    }
                    namespaces[space] = fd
                    return .success(fd)
                }
            }
        }

        /// A NETLINK_ROUTE socket inside the space, opened once per run.
        mutating func socket(_ space: WireSpace) -> Result<FileDescriptor, WiringFailure> {
            if let fd = sockets[space] { return .success(fd) }
            let namespace: FileDescriptor
            switch self.namespace(space) {
            case .failure(let failure): return .failure(failure)
            case .success(let fd): namespace = fd
            }
            let owner = privileged ? nil : SystemCall.namespaceOwner(of: namespace)
            defer { owner?.close() }
            let opened = SystemCall.openRouteSockets(in: [SystemCall.NetnsSocketRequest(namespace: namespace, owner: owner)])
            switch opened.first ?? .failure(.ioError) {
            case .failure(let errno):
                return .failure(WiringFailure("joining \(describe(space)) for a netlink socket: \(errno)", errno: errno))
            case .success(let fd):
                sockets[space] = fd
                return .success(fd)
            }
        }

        /// "tab 1's namespace", for messages.
        func describe(_ space: WireSpace) -> String {
            switch space {
            case .bridge: "nslab's bridge namespace"
            case .namespace(let id): "net:[\(id)]"
            }
        }

        /// Carries out one step; nil when it worked.
        mutating func perform(_ step: WiringStep) -> WiringFailure? {
            switch step {
            case .createBridgeNamespace:
                if wiring.bridge != nil { return nil }
                // Not root: the bridge namespace belongs to the children's user namespace, made from inside it.
                var owner: FileDescriptor?
                if !privileged, let id = pids.keys.sorted().first, case .success(let fd) = namespace(.namespace(id)) {
                    owner = SystemCall.namespaceOwner(of: fd)
                }
                defer { owner?.close() }
                switch SystemCall.createNetworkNamespace(owner: owner) {
                case .failure(let errno):
                    return WiringFailure("creating nslab's bridge namespace: \(errno)", errno: errno)
                case .success(let fd):
                    wiring.bridge = fd
                    madeBridgeNamespace = true
                    return nil
                }
            case .closeBridgeNamespace:
                sockets.removeValue(forKey: .bridge)?.close()
                wiring.closeBridge()
                return nil
            case .addBridge(let name):
                return change(in: .bridge, "creating bridge \(name)") { SystemCall.addBridge($0, name: name) }
                    ?? note(name, .bridge)
            case .addVeth(let name, let space, let peer, let peerSpace):
                let peerNamespace: FileDescriptor
                switch namespace(peerSpace) {
                case .failure(let failure): return failure
                case .success(let fd): peerNamespace = fd
                }
                return change(in: space, "creating veth pair \(name) ↔ \(peer)") {
                    SystemCall.addVeth($0, name: name, peerName: peer, peerNamespace: peerNamespace)
                } ?? note(name, space)
            case .enslave(let port, let bridge):
                return change(in: .bridge, "adding \(port) to \(bridge)") {
                    SystemCall.enslave($0, port: port, bridge: bridge)
                }
            case .addAddress(let name, let space, let address):
                return change(in: space, "adding an address to \(name)") {
                    SystemCall.addAddress($0, name: name, bytes: address, prefixLength: WireAddressing.prefixLength)
                }
            case .setUp(let name, let space):
                return change(in: space, "setting \(name) up") { SystemCall.setLinkUp($0, name: name) }
            case .delete(let name, let space):
                // What is gone already (a veth whose peer was deleted, a namespace whose child ended) is no failure.
                let failure = change(in: space, "deleting \(name)") { SystemCall.deleteLink($0, name: name) }
                if let errno = failure?.errno, errno != .noSuchFile, errno.rawValue != ENODEV, errno != .noSuchProcess {
                    return failure
                }
                return nil
            }
        }

        mutating func note(_ name: String, _ space: WireSpace) -> WiringFailure? {
            made.append((name, space))
            return nil
        }

        /// Runs one netlink change over the space's socket; the failure worded with `what`.
        mutating func change(in space: WireSpace, _ what: String, _ body: (FileDescriptor) -> NetlinkFailure?)
            -> WiringFailure?
        {
            switch socket(space) {
            case .failure(let failure): return failure
            case .success(let fd):
                guard let failure = body(fd) else { return nil }
                return WiringFailure("\(what) in \(describe(space)): \(failure)", errno: failure.errno)
            }
        }
    }
}

/// A wiring step the kernel refused, as one sentence (`creating veth pair nsl0 ↔ nsl0 in net:[…]: Operation not
/// permitted`).
public struct WiringFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The sentence.
    public var description: String
    /// The errno behind it, when there is one (ENOENT for a namespace that is gone).
    public var errno: Errno?

    /// A failure.
    public init(_ description: String, errno: Errno? = nil) {
        self.description = description
        self.errno = errno
    }

    /// The sentence for the user, with the rule that stops one who is not root when the kernel said EPERM.
    public func explained(isRoot: Bool) -> String {
        !isRoot && errno == .notPermitted ? description + " (" + WiringRefusal.siblingUserNamespaces.description + ")"
            : description
    }
}

extension NetworkWiring {
    /// `nslab run --wire-to`: one veth pair between `child`'s namespace and `target`'s, named and addressed after
    /// what both namespaces hold now (read over rtnetlink), so a target that is wired already keeps its names and
    /// its /24. The sentence of what was wired, or why not.
    public static func wirePair(_ child: WireParty, to target: WireParty) -> Result<String, WiringFailure> {
        var names: [UInt64: Set<String>] = [:]
        var addresses: [String] = []
        for party in [child, target] {
            switch contents(of: party) {
            case .failure(let failure): return .failure(failure)
            case .success(let contents):
                names[party.namespace] = Set(contents.interfaces.map(\.name))
                addresses += contents.interfaces.flatMap { ($0.addresses ?? []).map(\.text) }
            }
        }
        var state = WiringState()
        switch state.toggle(child, target, names: names, usedSubnets: WireAddressing.subnets(in: addresses)) {
        case .failure(let refusal): return .failure(WiringFailure(refusal.description))
        case .success(let plan): return NetworkWiring().apply(plan, to: &state)
        }
    }

    /// What `party`'s namespace holds now.
    static func contents(of party: WireParty) -> Result<NetworkContents, WiringFailure> {
        let namespace: FileDescriptor
        switch SystemCall.open("/proc/\(party.pid)/ns/net", O_RDONLY | O_CLOEXEC) {
        case .failure(let errno):
            return .failure(WiringFailure("\(party.label)'s network namespace cannot be opened: \(errno)", errno: errno))
        case .success(let fd): namespace = fd
        }
        defer { namespace.close() }
        guard SystemCall.inode(of: namespace) == party.namespace else {
            return .failure(WiringFailure("\(party.label) left net:[\(party.namespace)] (it ended)"))
        }
        let owner = SystemCall.effectiveUserID == 0 ? nil : SystemCall.namespaceOwner(of: namespace)
        defer { owner?.close() }
        switch SystemCall.openRouteSockets(in: [SystemCall.NetnsSocketRequest(namespace: namespace, owner: owner)]).first {
        case .success(let socket)?:
            switch NetworkMapReader.read(socket, neighbours: false, peers: false) {
            case .success(let raw): return .success(raw.contents)
            case .failure(let failure): return .failure(WiringFailure("reading \(party.label)'s namespace: \(failure)"))
            }
        case .failure(let errno)?:
            return .failure(WiringFailure("joining \(party.label)'s namespace: \(errno)", errno: errno))
        case nil:
            return .failure(WiringFailure("joining \(party.label)'s namespace failed"))
        }
    }
}

extension NetworkWiring {
    /// The id of the user namespace that owns `party`'s network namespace; nil when it cannot be read (or the
    /// pid is in another namespace now).
    public static func owner(of party: WireParty) -> UInt64? {
        guard case .success(let namespace) = SystemCall.open("/proc/\(party.pid)/ns/net", O_RDONLY | O_CLOEXEC) else {
            return nil
        }
        defer { namespace.close() }
        guard SystemCall.inode(of: namespace) == party.namespace else { return nil }
        return SystemCall.inodeClosing(SystemCall.namespaceOwner(of: namespace))
    }

    /// The id of nslab's own user namespace.
    public static var ownUserNamespace: UInt64? {
        guard case .success(let status) = SystemCall.fileStatus("/proc/self/ns/user") else { return nil }
        return UInt64(status.st_ino)
    }
}
