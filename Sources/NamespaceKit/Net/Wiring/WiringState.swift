/// One side of a wiring: a network namespace nslab created for a child, a pid to open it by, and how messages
/// name it (`tab 2`, `pid 4242`).
public struct WireParty: Hashable, Sendable {
    /// The network namespace's id.
    public var namespace: UInt64
    /// A process in it (its /proc/PID/ns/net opens it; the inode is checked).
    public var pid: Int32
    /// `tab 2`.
    public var label: String

    /// A party.
    public init(namespace: UInt64, pid: Int32, label: String) {
        self.namespace = namespace
        self.pid = pid
        self.label = label
    }
}

/// One end nslab made in a child's network namespace.
public struct WiredEnd: Hashable, Sendable {
    /// Whose namespace it is in.
    public var party: WireParty
    /// Its name there (`nsl0`).
    public var name: String
    /// Its host number in the link's /24 (`.1`).
    public var host: UInt8
    /// When the link is a bridge: the name of this veth's other end, a port of the bridge in nslab's bridge
    /// namespace; nil for a pair joined directly.
    public var port: String?

    /// An end.
    public init(party: WireParty, name: String, host: UInt8, port: String?) {
        self.party = party
        self.name = name
        self.host = host
        self.port = port
    }
}

/// A link nslab wired: a veth pair between two children, or a bridge that three or more share; one /24 each.
public struct WiredLink: Hashable, Sendable {
    /// Its /24 of 10.77.0.0/16 (10.77.`subnet`.0/24).
    public var subnet: UInt8
    /// Its ends in the children's namespaces, in the order they joined.
    public var ends: [WiredEnd]

    /// A link.
    public init(subnet: UInt8, ends: [WiredEnd]) {
        self.subnet = subnet
        self.ends = ends
    }

    /// True when the ends meet on a bridge in nslab's bridge namespace.
    public var isBridged: Bool { ends.first?.port != nil }
    /// The bridge's name in the bridge namespace.
    public var bridgeName: String { "br\(subnet)" }

    /// `nsl0 10.77.0.1` for an end.
    func describe(_ end: WiredEnd) -> String {
        "\(end.party.label) (\(end.name) \(WireAddressing.text(subnet: subnet, host: end.host)))"
    }
}

/// Where a wiring step acts: a child's network namespace, or nslab's bridge namespace.
public enum WireSpace: Hashable, Sendable {
    case namespace(UInt64)
    case bridge
}

/// One change a wiring makes, in the order a plan lists them. The executor (`NetworkWiring`) carries them out
/// with one socket per namespace; deleting what is already gone is not a failure.
public enum WiringStep: Hashable, Sendable {
    /// Make nslab's bridge namespace (held by an fd).
    case createBridgeNamespace
    /// A bridge in the bridge namespace.
    case addBridge(String)
    /// A veth pair: `name` in `space`, its peer `peer` born directly in `peerSpace`.
    case addVeth(name: String, in: WireSpace, peer: String, peerIn: WireSpace)
    /// `port` (in the bridge namespace) becomes a port of `bridge`.
    case enslave(port: String, bridge: String)
    /// An IPv4 address with the range's prefix length.
    case addAddress(name: String, in: WireSpace, address: [UInt8])
    /// Set a link up.
    case setUp(name: String, in: WireSpace)
    /// Delete a link (a veth's peer goes with it).
    case delete(name: String, in: WireSpace)
    /// Close the bridge namespace's fd (no bridge left).
    case closeBridgeNamespace
}

/// Why a wiring was refused: one sentence the user can act on.
public enum WiringRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dashboard shows no child's tab to wire from.
    case noChildTab
    /// The target is the host's (or nslab's own) network namespace.
    case hostNamespace
    /// The target is a namespace nslab did not create (named as given).
    case notCreatedByNslab(String)
    /// Both sides are the same namespace.
    case sameNamespace(String)
    /// The child shares nslab's network namespace.
    case noOwnNamespace(String)
    /// The child's namespace has not been read yet (it was launched a moment ago).
    case notReadYet(String)
    /// The target is nslab's bridge namespace.
    case bridgeNamespace
    /// Not root, and the children are not in one user namespace nslab made.
    case siblingUserNamespaces
    /// Both are wired, each to others.
    case bothWired(String, String)
    /// 10.77.0.0/16 has no free /24 (or the link no free address) left.
    case rangeFull

    /// Who may wire two namespaces: root, or a user whose two children's network namespaces belong to one user
    /// namespace (`owners`, their owning user namespaces' ids) that is not nslab's own (`own`). nslab made that user
    /// namespace, so it holds CAP_NET_ADMIN there; over two sibling ones no process holds it for both. An owner
    /// that could not be read counts as different. Nil when allowed, else the refusal.
    public static func privilege(isRoot: Bool, owners: (UInt64?, UInt64?), own: UInt64?) -> WiringRefusal? {
        if isRoot { return nil }
        guard let first = owners.0, first == owners.1, first != own else { return .siblingUserNamespaces }
        return nil
    }

    /// The sentence.
    public var description: String {
        switch self {
        case .noChildTab:
            "Wiring joins the tab on show to the child under the map's cursor: show a child's tab first (F5 launches one)"
        case .hostNamespace:
            "That is the host's network namespace: nslab only reads it, never wires it; put the cursor on a child's"
        case .notCreatedByNslab(let name):
            "\(name) was not created by nslab for its children: nslab wires only namespaces it created"
        case .sameNamespace(let name):
            "That is \(name)'s own network namespace: put the cursor on another child's"
        case .noOwnNamespace(let name):
            "\(name) has no network namespace of its own: launch it with Net (5) ticked"
        case .notReadYet(let name):
            "\(name)'s network namespace is not read yet: press w again in a moment"
        case .bridgeNamespace:
            "That is nslab's bridge namespace: put the cursor on a child to wire it to the bridge"
        case .siblingUserNamespaces:
            "Wiring needs root, or both children in one user namespace (a nested launch with Shift-F5): "
                + "a veth end can only be moved with CAP_NET_ADMIN over both namespaces, which two sibling user "
                + "namespaces never give"
        case .bothWired(let one, let other):
            "\(one) and \(other) are each wired to others already: unwire one of them first"
        case .rangeFull:
            "\(WireAddressing.range) has no free address left for this link: unwire something first"
        }
    }
}

/// A wiring worked out: the steps, the state once they are done, and what the status line says.
public struct WiringPlan: Hashable, Sendable {
    /// The changes, in order.
    public var steps: [WiringStep]
    /// The wiring afterwards.
    public var after: WiringState
    /// `wired tab 1 (nsl0 10.77.0.1) ↔ tab 2 (nsl0 10.77.0.2)`.
    public var message: String
}

/// What nslab has wired: pure, so the planning is tested without a namespace. `toggle` wires two children or
/// unwires them; `removing` and `undoingAll` plan the clean-up when children go.
public struct WiringState: Hashable, Sendable {
    /// The links, oldest first.
    public var links: [WiredLink] = []

    /// Nothing wired.
    public init(links: [WiredLink] = []) { self.links = links }

    /// True while a bridged link needs the bridge namespace.
    public var needsBridge: Bool { links.contains { $0.isBridged } }

    /// The link with an end in `namespace`, by index.
    public func link(of namespace: UInt64) -> Int? {
        links.firstIndex { $0.ends.contains { $0.party.namespace == namespace } }
    }

    /// The key's work: `shown` and `other` unwired when one link already joins them, else wired. A pair of
    /// children gets a veth pair; a child wired to one already in a link joins it through a bridge (a pair
    /// becomes a bridge, its ends keeping names and addresses). `names`: interface names in use per namespace;
    /// `usedSubnets`: /24s of the range found in use in the namespaces involved.
    public func toggle(
        _ shown: WireParty, _ other: WireParty, names: [UInt64: Set<String>], usedSubnets: Set<UInt8>
    ) -> Result<WiringPlan, WiringRefusal> {
        if shown.namespace == other.namespace { return .failure(.sameNamespace(shown.label)) }
        let mine = link(of: shown.namespace)
        let theirs = link(of: other.namespace)
        switch (mine, theirs) {
        case (let one?, let two?) where one == two:
            return .success(unwire(shown.namespace, from: one))
        case (_?, _?):
            return .failure(.bothWired(shown.label, other.label))
        case (nil, nil):
            return pair(shown, other, names: names, usedSubnets: usedSubnets)
        case (let one?, nil):
            return join(other, to: one, names: names)
        case (nil, let two?):
            return join(shown, to: two, names: names)
        }
    }

    /// A new veth pair between two unwired children, in the first free /24.
    private func pair(
        _ shown: WireParty, _ other: WireParty, names: [UInt64: Set<String>], usedSubnets: Set<UInt8>
    ) -> Result<WiringPlan, WiringRefusal> {
        guard let subnet = WireAddressing.freeSubnet(taken: usedSubnets.union(links.map(\.subnet))) else {
            return .failure(.rangeFull)
        }
        let a = WiredEnd(party: shown, name: freeName(in: shown.namespace, names), host: 1, port: nil)
        let b = WiredEnd(party: other, name: freeName(in: other.namespace, names), host: 2, port: nil)
        let link = WiredLink(subnet: subnet, ends: [a, b])
        var steps: [WiringStep] = [
            .addVeth(name: a.name, in: .namespace(shown.namespace), peer: b.name, peerIn: .namespace(other.namespace))
        ]
        steps += Self.configure(a, subnet: subnet) + Self.configure(b, subnet: subnet)
        var after = self
        after.links.append(link)
        return .success(
            WiringPlan(steps: steps, after: after, message: "wired \(link.describe(a)) ↔ \(link.describe(b))"))
    }

    /// `newcomer` joins link `index` through its bridge; a pair becomes a bridge first.
    private func join(_ newcomer: WireParty, to index: Int, names: [UInt64: Set<String>])
        -> Result<WiringPlan, WiringRefusal>
    {
        var link = links[index]
        guard let host = WireAddressing.freeHost(taken: Set(link.ends.map(\.host))) else { return .failure(.rangeFull) }
        var steps: [WiringStep] = []
        if !link.isBridged {
            if !needsBridge { steps.append(.createBridgeNamespace) }
            steps += [.addBridge(link.bridgeName), .setUp(name: link.bridgeName, in: .bridge)]
            // The pair goes (deleting one end deletes both) and each end comes back as a port of the bridge, with
            // the name and address it had.
            if let first = link.ends.first { steps.append(.delete(name: first.name, in: .namespace(first.party.namespace))) }
            for position in link.ends.indices {
                link.ends[position].port = Self.portName(subnet: link.subnet, host: link.ends[position].host)
                steps += Self.bridgePort(link.ends[position], link: link)
            }
        }
        let end = WiredEnd(
            party: newcomer, name: freeName(in: newcomer.namespace, names), host: host,
            port: Self.portName(subnet: link.subnet, host: host))
        steps += Self.bridgePort(end, link: link)
        let others = link.ends.map(\.party.label).joined(separator: ", ")
        link.ends.append(end)
        var after = self
        after.links[index] = link
        let message =
            "wired \(link.describe(end)) to the bridge of \(others) (nslab bridge \(link.bridgeName), "
            + "\(WireAddressing.text(subnet: link.subnet, host: 0))/\(WireAddressing.prefixLength))"
        return .success(WiringPlan(steps: steps, after: after, message: message))
    }

    /// `namespace`'s end leaves link `index`: a pair goes whole; a bridge keeps the others while two remain.
    private func unwire(_ namespace: UInt64, from index: Int) -> WiringPlan {
        let link = links[index]
        guard let end = link.ends.first(where: { $0.party.namespace == namespace }) else {
            return WiringPlan(steps: [], after: self, message: "")
        }
        if !link.isBridged {
            let other = link.ends.first { $0 != end }
            var after = self
            after.links.remove(at: index)
            return WiringPlan(
                steps: [.delete(name: end.name, in: .namespace(namespace))], after: after,
                message: "unwired \(end.party.label) (\(end.name)) ↔ \(other?.party.label ?? "?") (\(other?.name ?? "?"))")
        }
        let plan = removing(namespaces: [namespace], deleteGone: true)
        return WiringPlan(
            steps: plan.steps, after: plan.after,
            message: "unwired \(end.party.label) (\(end.name)) from nslab bridge \(link.bridgeName)")
    }

    /// The clean-up when the children of `namespaces` went (their namespaces, and the ends in them, go with
    /// them): a pair's surviving end is deleted, a bridge loses their ports and, with fewer than two ends left,
    /// the rest; the bridge namespace is closed when no bridge is left. `deleteGone`: delete the ends in those
    /// namespaces too (an unwire, where the namespace stays).
    public func removing(namespaces: Set<UInt64>, deleteGone: Bool = false) -> WiringPlan {
        var steps: [WiringStep] = []
        var kept: [WiredLink] = []
        for var link in links {
            let gone = link.ends.filter { namespaces.contains($0.party.namespace) }
            if gone.isEmpty {
                kept.append(link)
                continue
            }
            if deleteGone {
                steps += gone.map { .delete(name: $0.name, in: .namespace($0.party.namespace)) }
            }
            link.ends.removeAll { namespaces.contains($0.party.namespace) }
            if link.isBridged || gone.first?.port != nil {
                steps += gone.compactMap { $0.port.map { .delete(name: $0, in: .bridge) } }
                if link.ends.count >= 2 {
                    kept.append(link)
                    continue
                }
                steps += link.ends.map { .delete(name: $0.name, in: .namespace($0.party.namespace)) }
                steps.append(.delete(name: link.bridgeName, in: .bridge))
            } else {
                steps += link.ends.map { .delete(name: $0.name, in: .namespace($0.party.namespace)) }
            }
        }
        var after = self
        after.links = kept
        if needsBridge && !after.needsBridge { steps.append(.closeBridgeNamespace) }
        return WiringPlan(steps: steps, after: after, message: "")
    }

    /// Everything undone (a reset, a quit): every end deleted in its namespace, the bridge namespace closed.
    public func undoingAll() -> WiringPlan {
        removing(namespaces: Set(links.flatMap { $0.ends.map(\.party.namespace) }), deleteGone: true)
    }

    /// The first free `nslN` in `namespace`: neither in use there nor taken by a link of this state.
    private func freeName(in namespace: UInt64, _ names: [UInt64: Set<String>]) -> String {
        let ours = links.flatMap(\.ends).filter { $0.party.namespace == namespace }.map(\.name)
        return WireAddressing.freeName(among: (names[namespace] ?? []).union(ours))
    }

    /// The bridge port's name for host `host` of `subnet`: `p0-3`.
    static func portName(subnet: UInt8, host: UInt8) -> String { "p\(subnet)-\(host)" }

    /// Address, then the end, then `lo` up, in the end's namespace.
    static func configure(_ end: WiredEnd, subnet: UInt8) -> [WiringStep] {
        let space = WireSpace.namespace(end.party.namespace)
        return [
            .addAddress(name: end.name, in: space, address: WireAddressing.address(subnet: subnet, host: end.host)),
            .setUp(name: end.name, in: space), .setUp(name: "lo", in: space),
        ]
    }

    /// `end` wired to its port on the link's bridge: the pair, the port on the bridge and up, the end configured.
    static func bridgePort(_ end: WiredEnd, link: WiredLink) -> [WiringStep] {
        guard let port = end.port else { return [] }
        return [
            .addVeth(name: end.name, in: .namespace(end.party.namespace), peer: port, peerIn: .bridge),
            .enslave(port: port, bridge: link.bridgeName), .setUp(name: port, in: .bridge),
        ] + configure(end, subnet: link.subnet)
    }
}
