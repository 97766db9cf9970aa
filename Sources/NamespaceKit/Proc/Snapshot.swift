/// Everything read from /proc at one moment: processes, namespaces, which kinds the kernel has.
public struct Snapshot: Sendable {
    /// The proc tree it was read from.
    public let root: ProcRoot
    /// Processes by ascending pid (vanished ones are simply absent).
    public let processes: [ProcessRecord]
    /// Namespaces of the eight kinds that have at least one member, in kind order then id.
    public let namespaces: [Namespace]
    /// Kinds this kernel does not have (no process has the ns link), e.g. `time` before Linux 5.6.
    public let unavailableKinds: Set<NamespaceKind>
    /// Namespaces no process is in, held by a bind mount, an open fd, or (user kind) the namespaces they own;
    /// kept apart from `namespaces` because every member-based view assumes members. Only with
    /// `ProcScanner.findsHeldNamespaces`.
    public var heldNamespaces: [Namespace] = []
    private let namespaceIndex: [NamespaceKey: Int]

    /// Assembles a snapshot; processes are sorted and namespaces grouped from them.
    public init(
        root: ProcRoot, processes: [ProcessRecord], namespaces: [Namespace], unavailableKinds: Set<NamespaceKind>
    ) {
        self.root = root
        // /proc lists pids in ascending order, so this is usually already sorted: sorting anyway would copy
        // every record (20,000 at scale) once more per refresh.
        let sorted = zip(processes, processes.dropFirst()).allSatisfy { $0.pid < $1.pid }
        self.processes = sorted ? processes : processes.sorted { $0.pid < $1.pid }
        self.namespaces = namespaces.sorted { $0.key < $1.key }
        self.unavailableKinds = unavailableKinds
        var namespaceIndex: [NamespaceKey: Int] = [:]
        for (index, namespace) in self.namespaces.enumerated() { namespaceIndex[namespace.key] = index }
        self.namespaceIndex = namespaceIndex
    }

    /// The process with this pid, if it was alive at the scan.
    public func process(_ pid: Int32) -> ProcessRecord? {
        // A binary search over the sorted records: no index dictionary to keep beside them.
        var low = 0
        var high = processes.count
        while low < high {
            let middle = (low + high) / 2
            let found = processes[middle].pid
            if found == pid { return processes[middle] }
            if found < pid { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The namespace with this kind and id (one with processes).
    public func namespace(_ key: NamespaceKey) -> Namespace? {
        namespaceIndex[key].map { namespaces[$0] }
    }

    /// The namespace with this kind and id, with or without processes.
    public func anyNamespace(_ key: NamespaceKey) -> Namespace? {
        namespace(key) ?? heldNamespaces.first { $0.key == key }
    }

    /// The namespace of `kind` that process `pid` is in.
    public func namespace(of pid: Int32, _ kind: NamespaceKind) -> Namespace? {
        guard let id = process(pid)?.namespaces[kind].value else { return nil }
        return namespace(NamespaceKey(kind: kind, id: id))
    }

    /// The process tree of this snapshot, built on each access: keep it while the snapshot is current.
    public var tree: ProcessTree { ProcessTree(processes) }

    /// Groups processes into namespaces (members ascending, lowest pid as representative).
    static func groupNamespaces(_ processes: [ProcessRecord]) -> [NamespaceKey: [Int32]] {
        var members: [NamespaceKey: [Int32]] = [:]
        for process in processes {
            for kind in NamespaceKind.allCases {
                if let id = process.namespaces[kind].value {
                    members[NamespaceKey(kind: kind, id: id), default: []].append(process.pid)
                }
            }
        }
        return members
    }
}

/// What changed between two snapshots; the dashboard redraws only when this is not empty.
public struct SnapshotDiff: Sendable, Hashable {
    /// Pids of processes that are new (including a reused pid with a new start time).
    public var added: [Int32] = []
    /// Pids of processes that are gone.
    public var removed: [Int32] = []
    /// Pids whose namespace ids, credentials or command changed while the process stayed the same.
    public var changed: [Int32] = []
    /// Namespaces that appeared.
    public var addedNamespaces: [NamespaceKey] = []
    /// Namespaces that disappeared (their last member left).
    public var removedNamespaces: [NamespaceKey] = []
    /// Namespaces whose members or facts changed.
    public var changedNamespaces: [NamespaceKey] = []

    /// True when nothing changed.
    public var isEmpty: Bool {
        added.isEmpty && removed.isEmpty && changed.isEmpty && addedNamespaces.isEmpty && removedNamespaces.isEmpty
            && changedNamespaces.isEmpty
    }
}

extension Snapshot {
    /// What changed from `older` to this snapshot. A process is the same when pid and start time match.
    public func difference(from older: Snapshot) -> SnapshotDiff {
        var diff = SnapshotDiff()
        for process in processes {
            if let before = older.process(process.pid), before.startTime == process.startTime {
                if before != process { diff.changed.append(process.pid) }
            } else {
                diff.added.append(process.pid)
            }
        }
        for process in older.processes {
            if let now = self.process(process.pid), now.startTime == process.startTime { continue }
            diff.removed.append(process.pid)
        }
        for namespace in namespaces {
            if let before = older.namespace(namespace.key) {
                if before != namespace { diff.changedNamespaces.append(namespace.key) }
            } else {
                diff.addedNamespaces.append(namespace.key)
            }
        }
        for namespace in older.namespaces where self.namespace(namespace.key) == nil {
            diff.removedNamespaces.append(namespace.key)
        }
        return diff
    }
}
