/// The namespace ids (inode numbers) of one process: the eight kinds plus the two `*_for_children` links.
///
/// Stored flat (0 = unknown, `UInt64.max` = unavailable) because a scan keeps 2,000 of these.
public struct NamespaceSet: Sendable, Hashable {
    private var ids: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// Stored for an id that could not be read.
    static let unknownID: UInt64 = 0
    /// Stored for a kind the kernel lacks.
    static let unavailableID: UInt64 = .max

    /// An empty set: every id unknown.
    public init() {}

    /// Creates a set from known ids; kinds left out are unavailable.
    public init(_ known: [NamespaceKind: UInt64], pidForChildren: UInt64? = nil, timeForChildren: UInt64? = nil) {
        for slot in 0..<Self.slotCount { setRaw(slot, Self.unavailableID) }
        for (kind, id) in known { setRaw(Self.slot(kind), id) }
        setRaw(8, pidForChildren ?? Self.unavailableID)
        setRaw(9, timeForChildren ?? Self.unavailableID)
    }

    /// Eight kinds plus the two `*_for_children` links.
    static let slotCount = 10

    /// Slot numbers: the kinds in `NamespaceKind.allCases` order, then pid_for_children (8), time_for_children (9).
    static func slot(_ kind: NamespaceKind) -> Int {
        switch kind {
        case .uts: 0
        case .ipc: 1
        case .pid: 2
        case .mount: 3
        case .net: 4
        case .user: 5
        case .cgroup: 6
        case .time: 7
        }
    }

    /// The link names under /proc/<pid>/ns/ for each slot, NUL-terminated for the syscalls.
    static let linkNames: [StaticString] = [
        "ns/uts", "ns/ipc", "ns/pid", "ns/mnt", "ns/net", "ns/user", "ns/cgroup", "ns/time",
        "ns/pid_for_children", "ns/time_for_children",
    ]

    /// The stored value of a slot, sentinels included.
    func raw(_ slot: Int) -> UInt64 {
        switch slot {
        case 0: ids.0
        case 1: ids.1
        case 2: ids.2
        case 3: ids.3
        case 4: ids.4
        case 5: ids.5
        case 6: ids.6
        case 7: ids.7
        case 8: ids.8
        default: ids.9
        }
    }

    /// Stores a slot's value.
    mutating func setRaw(_ slot: Int, _ value: UInt64) {
        switch slot {
        case 0: ids.0 = value
        case 1: ids.1 = value
        case 2: ids.2 = value
        case 3: ids.3 = value
        case 4: ids.4 = value
        case 5: ids.5 = value
        case 6: ids.6 = value
        case 7: ids.7 = value
        case 8: ids.8 = value
        default: ids.9 = value
        }
    }

    private static func fact(_ raw: UInt64) -> Fact<UInt64> {
        switch raw {
        case unknownID: .unknown
        case unavailableID: .unavailable
        default: .known(raw)
        }
    }

    /// The id of the namespace of `kind` the process is in.
    public subscript(kind: NamespaceKind) -> Fact<UInt64> { Self.fact(raw(Self.slot(kind))) }

    /// The pid namespace the process's future children will be in (differs after `unshare(CLONE_NEWPID)`).
    public var pidForChildren: Fact<UInt64> { Self.fact(raw(8)) }

    /// The time namespace the process's future children will be in.
    public var timeForChildren: Fact<UInt64> { Self.fact(raw(9)) }

    /// The kinds whose ids are both known and different between the two sets.
    public func differingKinds(from other: NamespaceSet) -> [NamespaceKind] {
        NamespaceKind.allCases.filter { kind in
            let mine = raw(Self.slot(kind))
            let theirs = other.raw(Self.slot(kind))
            return mine != theirs && mine != Self.unknownID && mine != Self.unavailableID
                && theirs != Self.unknownID && theirs != Self.unavailableID
        }
    }

    /// Equal when all ten slots are equal.
    public static func == (lhs: NamespaceSet, rhs: NamespaceSet) -> Bool {
        (0..<slotCount).allSatisfy { lhs.raw($0) == rhs.raw($0) }
    }

    /// Hashes all ten slots.
    public func hash(into hasher: inout Hasher) {
        for slot in 0..<Self.slotCount { hasher.combine(raw(slot)) }
    }
}
