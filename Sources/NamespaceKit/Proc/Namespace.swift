/// Names one namespace: its kind and its id (the inode of its nsfs file).
public struct NamespaceKey: Sendable, Hashable, Comparable {
    /// Kind of namespace.
    public var kind: NamespaceKind
    /// Inode number, as in `readlink /proc/<pid>/ns/<kind>`.
    public var id: UInt64

    /// Creates a key.
    public init(kind: NamespaceKind, id: UInt64) {
        self.kind = kind
        self.id = id
    }

    /// Orders by kind (dashboard order), then id.
    public static func < (lhs: NamespaceKey, rhs: NamespaceKey) -> Bool {
        let left = NamespaceSet.slot(lhs.kind)
        let right = NamespaceSet.slot(rhs.kind)
        return left != right ? left < right : lhs.id < rhs.id
    }
}

/// A namespace as a thing of its own: which processes are in it and how it hangs together with others.
public struct Namespace: Sendable, Hashable, Identifiable {
    /// Kind of namespace.
    public var kind: NamespaceKind
    /// Inode number of the namespace.
    public var inode: UInt64
    /// Member pids, ascending.
    public var members: [Int32]
    /// The member nslab reads the namespace through: the lowest pid.
    public var representative: Int32
    /// Parent namespace id (pid and user kinds only); nil at the top, or when not visible to the reader.
    public var parent: UInt64?
    /// The user namespace that owns this one; nil when unknown.
    public var ownerUserNamespace: UInt64?
    /// For user namespaces: the uid that created it, as the reader sees it.
    public var ownerUID: UInt32?
    /// For user namespaces: uid_map of the representative (nil for other kinds).
    public var uidMap: Fact<[IDMapEntry]>?
    /// For user namespaces: gid_map.
    public var gidMap: Fact<[IDMapEntry]>?
    /// For user namespaces: the setgroups policy.
    public var setgroups: Fact<SetgroupsPolicy>?
    /// For time namespaces: the clock offsets.
    public var timeOffsets: Fact<TimeOffsets>?
    /// What else keeps it alive: bind mounts, open fds, or (for a user namespace no process is in) what it owns.
    /// Filled only by a scanner with `findsHeldNamespaces` (`nslab ls`, `inspect`).
    public var holders: [NamespaceHolder] = []

    /// The kind and id together.
    public var key: NamespaceKey { NamespaceKey(kind: kind, id: inode) }

    /// `Identifiable` by kind and id.
    public var id: NamespaceKey { key }

    /// Creates a namespace record with members; relations and facts start empty.
    public init(kind: NamespaceKind, inode: UInt64, members: [Int32]) {
        self.kind = kind
        self.inode = inode
        self.members = members
        representative = members.min() ?? 0
    }
}
