import NamespaceKit

/// A namespace held by an nsfs bind mount in the lesson child's mount namespace, with no process in it.
public struct HeldMount: Equatable, Sendable {
    /// The namespace held.
    public var namespace: NamespaceKey
    /// The bind mount's path, as the child sees it.
    public var path: String

    /// Makes one.
    public init(namespace: NamespaceKey, path: String) {
        self.namespace = namespace
        self.path = path
    }

    /// `uts:[4026532181] at /mnt/uts`, as the card shows it.
    public var text: String { "\(namespace.kind.procName):[\(namespace.id)] at \(path)" }
}

/// The checks of lesson 15 (`held`): a namespace that outlives its processes through a bind mount.
///
/// They cost no I/O of their own: the child's mount table is the one its Host vs child comparison read anyway
/// (one `/proc/PID/mountinfo` per refresh), and who is in a namespace is in the snapshot. Full holder discovery
/// (every process's fds, as `nslab ls` does) stays off in the dashboard.
extension LessonCheck {
    /// The held checks; the others are evaluated in LessonCheck.swift.
    var isHeldCheck: Bool { heldKind != nil }

    /// The kind a held check is about; nil for every other check.
    var heldKind: NamespaceKind? {
        switch self {
        case .heldNamespace(let kind), .heldEntered(let kind), .heldReleased(let kind): kind
        default: nil
        }
    }

    /// The namespaces held by nsfs bind mounts in the child's mount table that are neither the child's nor the
    /// host's, that no process of `snapshot` is in, and that the host's table does not hold too (a copy of the
    /// host's `/run/netns` came with the child's mount namespace; it is not the lesson's). None when the mount
    /// namespace is the host's: a lesson never counts (or makes) mounts on the machine itself. Nor does it count
    /// the namespaces in `inherited`: those held by mounts the child's mount namespace copied from the host at
    /// launch (one another program made on the host and removed since), which the lesson did not make.
    static func heldMounts(
        _ comparison: Comparison?, snapshot: Snapshot?, inherited: Set<NamespaceKey> = []
    ) -> [HeldMount] {
        guard let comparison, let snapshot, let mounts = comparison.leftFacts.mount.value?.mounts,
            comparison.kinds.first(where: { $0.kind == .mount })?.same == false
        else { return [] }
        let hosts = Set((comparison.rightFacts.mount.value?.mounts ?? []).compactMap(\.heldNamespace))
        var found: [HeldMount] = []
        for mount in mounts {
            guard let key = mount.heldNamespace, !hosts.contains(key), !inherited.contains(key),
                !found.contains(where: { $0.namespace == key })
            else { continue }
            let own = [comparison.left.namespaces[key.kind].value, comparison.right.namespaces[key.kind].value]
            if own.contains(key.id) || !members(of: key, in: snapshot).isEmpty { continue }
            found.append(HeldMount(namespace: key, path: mount.mountPoint))
        }
        return found
    }

    /// The live processes in namespace `key`, through the snapshot's index (the card asks at every frame). A
    /// zombie has left its namespaces, though its record, kept from before it died, still names them.
    static func members(of key: NamespaceKey, in snapshot: Snapshot) -> [Int32] {
        (snapshot.namespace(key)?.members ?? []).filter { snapshot.process($0).map { $0.state != "Z" } ?? false }
    }

    /// What a held check finds. `held` is the lesson's memory of the namespaces seen held so far
    /// (`LessonSession.held`): after the umount nothing in the model says which namespace it was.
    /// Every namespace an nsfs bind mount in the child's mount table holds: what a lesson's child starts with,
    /// taken at its first comparison as `LessonSession.inherited`.
    static func nsfsMounts(_ comparison: Comparison?) -> Set<NamespaceKey>? {
        guard let mounts = comparison?.leftFacts.mount.value?.mounts else { return nil }
        return Set(mounts.compactMap(\.heldNamespace))
    }

    func evaluateHeld(
        _ comparison: Comparison?, snapshot: Snapshot?, held: [HeldMount], inherited: Set<NamespaceKey> = []
    ) -> CheckResult {
        let sharesHostMounts = comparison?.kinds.first(where: { $0.kind == .mount })?.same == true
        if sharesHostMounts { return .fails("the child shares the host's mount namespace") }
        switch self {
        case .heldNamespace(let kind):
            guard comparison != nil else { return .unknown }
            return Self.heldMounts(comparison, snapshot: snapshot, inherited: inherited).contains {
                $0.namespace.kind == kind
            }
                ? .holds : .unknown
        case .heldEntered(let kind):
            guard let snapshot else { return .unknown }
            let entered = held.contains { seen in
                seen.namespace.kind == kind && !Self.members(of: seen.namespace, in: snapshot).isEmpty
            }
            return entered ? .holds : .unknown
        case .heldReleased(let kind):
            let seen = held.filter { $0.namespace.kind == kind }
            guard !seen.isEmpty, let snapshot, let mounts = comparison?.leftFacts.mount.value?.mounts else {
                return .unknown
            }
            for namespace in seen.map(\.namespace) {
                if mounts.contains(where: { $0.heldNamespace == namespace }) { continue }
                if let pid = Self.members(of: namespace, in: snapshot).first {
                    return .fails("no mount holds it, but pid \(pid) is still in it, so it lives on")
                }
                return .holds
            }
            return .unknown
        default:
            return .unknown
        }
    }
}
