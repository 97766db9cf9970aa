import CNamespaces

/// Why a proc tree cannot be read at all.
public struct ProcError: Error, Sendable, CustomStringConvertible {
    /// One actionable sentence.
    public var description: String
}

/// Reads snapshots of a proc tree, re-reading on each refresh only what can have changed.
///
/// A process seen before (same pid and start time) gets only its `stat` re-read; its status,
/// cmdline, cgroup and namespace links are re-read when its `comm` changed (it exec'd, maybe after
/// setns/unshare), or when its pid is in `watchedPids`. Namespace parents and owners never change,
/// so the ioctls run once per namespace. The first refresh reads everything, on two threads when
/// there are many processes. Not thread-safe: use one scanner per thread.
public final class ProcScanner {
    /// The proc tree being read.
    public let root: ProcRoot
    /// Pids re-read completely on every refresh (e.g. the children the dashboard shows).
    public var watchedPids: Set<Int32> = []
    /// Whether refreshes with relations also look for namespaces held without processes (nsfs bind mounts in
    /// each mount namespace, open ns fds): `nslab ls` and `inspect` want them; the dashboard's refresh does not.
    public var findsHeldNamespaces = false
    /// Reads the facts that need the target's namespaces joined: live helpers on the kernel's /proc,
    /// nothing (unknown) on any other tree unless the owner passes a reader.
    public let insideReader: any InsideReader
    /// The reader all of this scanner's reads go through.
    let reader: ProcReader
    /// The last snapshot: its records are the cache a refresh starts from. Keeping the snapshot itself rather
    /// than a dictionary of copies means the dashboard's model and this scanner share one array of records.
    private var last: Snapshot?
    private var relations: [NamespaceKey: NamespaceRelations] = [:]

    /// Opens `root`; throws when it is not a readable directory. `inside` defaults to the live helpers on
    /// the kernel's /proc and to `UnreadableInside` on a fixture tree.
    public init(root: ProcRoot = .system, inside: (any InsideReader)? = nil) throws(ProcError) {
        guard let reader = ProcReader(root: root) else {
            throw ProcError(
                description: "cannot open \(root.path): \(Errno.current); is /proc mounted?")
        }
        self.root = root
        self.reader = reader
        insideReader = inside ?? (root.isLive ? LiveInsideReader() : UnreadableInside())
    }

    /// The maps of `subjects` as read from inside `pid`'s user namespace (see `InsideReader`).
    public func maps(readInUserNamespaceOf pid: Int32, subjects: [Int32]) -> [MapReading]? {
        insideReader.maps(readInUserNamespaceOf: pid, root: root, subjects: subjects)
    }

    /// Reads a new snapshot. With `relations`, namespace parents and owners are looked up (ioctls),
    /// and user/time namespace maps and offsets are read; `ps` does without the ioctls.
    public func refresh(relations readRelations: Bool = true) -> Snapshot {
        let pids = reader.pids()
        guard let last else {
            // First scan (every ps/ls/inspect run): everything is new, so read it in parallel.
            let snapshot = assemble(ParallelRead.readAll(pids, root: root, using: reader), readRelations: readRelations)
            self.last = snapshot
            return snapshot
        }
        var records: [ProcessRecord] = []
        records.reserveCapacity(pids.count)
        for pid in pids {
            var record: ProcessRecord
            if var known = last.process(pid), !watchedPids.contains(pid) {
                // Known process: one open of stat; details only if it was replaced or exec'd.
                guard let stat = reader.readStatOnly(pid) else { continue }
                if known.startTime == stat.startTime, known.comm == stat.comm {
                    known.ppid = stat.ppid
                    known.state = stat.state
                    record = known
                } else {
                    guard let fresh = reader.readProcess(pid) else { continue }
                    record = fresh
                }
            } else {
                guard let fresh = reader.readProcess(pid) else { continue }
                record = fresh
            }
            records.append(record)
        }
        // The old snapshot goes before the new one is assembled, so at most one older array is alive with it.
        self.last = nil
        let snapshot = assemble(records, readRelations: readRelations)
        self.last = snapshot
        return snapshot
    }

    /// Reads one process completely, bypassing the cache; nil when it does not exist.
    public func readProcess(_ pid: Int32) -> ProcessRecord? {
        reader.readProcess(pid)
    }

    private func assemble(_ input: consuming [ProcessRecord], readRelations: Bool) -> Snapshot {
        // Moved, not copied: the zombie fix below then changes the one array in place.
        var records = input
        var available = Set<NamespaceKind>()
        for record in records {
            for kind in NamespaceKind.allCases where record.namespaces[kind] != .unavailable { available.insert(kind) }
            if available.count == NamespaceKind.allCases.count { break }
        }
        let unavailable = Set(NamespaceKind.allCases).subtracting(available)
        var namespaces: [Namespace] = []
        let grouped = Snapshot.groupNamespaces(records)
        let timeReaders = available.contains(.time) ? Snapshot.timeOffsetReaders(records) : [:]
        for (key, members) in grouped {
            var namespace = Namespace(kind: key.kind, inode: key.id, members: members.sorted())
            if key.kind == .user { readUserFacts(&namespace) }
            if key.kind == .time {
                namespace.timeOffsets = timeReaders[key.id].map(readTimeOffsets) ?? .unknown
            }
            if readRelations { applyRelations(&namespace) }
            namespaces.append(namespace)
        }
        // nsfs inode numbers are reused once a namespace dies: forget relations of vanished namespaces.
        if readRelations { relations = relations.filter { grouped[$0.key] != nil } }
        // A process that exists while the kernel has the kind (e.g. a zombie) just has an unknown id.
        for index in records.indices {
            for kind in available where records[index].namespaces[kind] == .unavailable {
                records[index].namespaces.setRaw(NamespaceSet.slot(kind), NamespaceSet.unknownID)
            }
        }
        var held: [Namespace] = []
        if readRelations, findsHeldNamespaces {
            held = HolderDiscovery.discover(root: root, reader: reader, processes: records, namespaces: &namespaces)
        }
        var snapshot = Snapshot(root: root, processes: records, namespaces: namespaces, unavailableKinds: unavailable)
        snapshot.heldNamespaces = held.sorted { $0.key < $1.key }
        return snapshot
    }

    private func readUserFacts(_ namespace: inout Namespace) {
        guard let directory = reader.openProcess(namespace.representative) else {
            namespace.uidMap = .unknown
            namespace.gidMap = .unknown
            namespace.setgroups = .unknown
            return
        }
        defer { directory.close() }
        namespace.uidMap = reader.read(directory, "uid_map", SmallFileParsers.idMap).knownOrUnknown
        namespace.gidMap = reader.read(directory, "gid_map", SmallFileParsers.idMap).knownOrUnknown
        namespace.setgroups = reader.read(directory, "setgroups", SmallFileParsers.setgroups).fact
            .flatMapOptional()
    }

    private func readTimeOffsets(_ pid: Int32) -> Fact<TimeOffsets> {
        guard let directory = reader.openProcess(pid) else { return .unknown }
        defer { directory.close() }
        return reader.read(directory, "timens_offsets", SmallFileParsers.timeOffsets).fact.flatMapOptional()
    }

    private func applyRelations(_ namespace: inout Namespace) {
        let key = namespace.key
        if relations[key] == nil,
            let found = NamespaceRelations.read(root: root, key: key, pid: namespace.representative)
        {
            relations[key] = found
        }
        guard let known = relations[key] else { return }
        namespace.parent = known.parent
        namespace.ownerUserNamespace = known.owner
        namespace.ownerUID = known.ownerUID
    }
}

extension Fact {
    /// Turns a known-but-nil parse result into unknown.
    func flatMapOptional<Wrapped>() -> Fact<Wrapped> where Value == Wrapped? {
        switch self {
        case .known(let value?): .known(value)
        case .known(nil), .unknown: .unknown
        case .unavailable: .unavailable
        }
    }
}
