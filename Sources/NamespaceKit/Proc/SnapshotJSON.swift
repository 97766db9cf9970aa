/// The JSON documents of `nslab ps --json` and `nslab ls --json` (schema: docs/json.md).
///
/// Ids are numbers. A field that could not be read is `null`; a namespace kind the kernel lacks is
/// left out of `ns` and listed in `unavailable_kinds`.
extension JSONWriter {
    /// Writes a process list: `{"unavailable_kinds": [...], "processes": [...]}`. `reference` is the namespace
    /// set `differs_from_nslab` compares with: nslab's own (the host's, when nslab runs on the host) by default.
    /// `ownFiles` gives the maps and offsets of processes whose namespace links could not be read.
    public mutating func writeProcesses(
        _ snapshot: Snapshot, reference: NamespaceSet? = nil, ownFiles: [Int32: ProcessOwnFiles] = [:]
    ) {
        let reference = reference ?? snapshot.process(SystemCall.processID)?.namespaces
        let containers = ContainerDirectory(for: snapshot.root)
        // `ip netns` names are bind mounts as nslab's mount namespace sees them: only for the live /proc.
        let netnsNames = snapshot.root.isLive ? NetnsNames.byNamespace() : [:]
        beginObject()
        writeUnavailableKinds(snapshot)
        key("processes")
        beginArray()
        for process in snapshot.processes {
            // Compare with the parent, if listed; a root has no parent and differs from none.
            let parent = process.ppid != process.pid ? snapshot.process(process.ppid) : nil
            let differs = parent.map { process.namespaces.differingKindsIfKnown(from: $0.namespaces) } ?? []
            writeProcess(
                process, in: snapshot, differsFromParent: differs,
                differsFromNslab: reference.flatMap { process.namespaces.differingKindsIfKnown(from: $0) },
                containers: containers, ownFiles: ownFiles[process.pid],
                netnsNames: process.namespaces[.net].value.flatMap { netnsNames[$0] } ?? [])
        }
        endArray()
        endObject()
    }

    /// Writes one process object (the element of `processes`). A nil difference is written as `null`: some id
    /// on one side could not be read, and unknown is never written as "the same".
    public mutating func writeProcess(
        _ process: ProcessRecord, in snapshot: Snapshot, differsFromParent: [NamespaceKind]?,
        differsFromNslab: [NamespaceKind]? = nil, containers: ContainerDirectory? = nil,
        ownFiles: ProcessOwnFiles? = nil, netnsNames: [String] = []
    ) {
        beginObject()
        key("pid")
        number(process.pid)
        key("ppid")
        number(process.ppid)
        key("comm")
        string(process.comm)
        key("state")
        string(String(process.state))
        key("start_time")
        number(process.startTime)
        key("cmdline")
        strings(process.cmdline.value)
        key("kernel_thread")
        bool(process.isKernelThread)
        key("uid")
        writeIDSet(process.uid)
        key("gid")
        writeIDSet(process.gid)
        key("nspid")
        numbers(process.nspid.value)
        key("pid_inside")
        if let inside = process.pidInside { number(inside) } else { null() }
        key("ns")
        writeNamespaceSet(process.namespaces)
        key("netns_names")
        strings(netnsNames)
        key("differs_from_parent")
        writeKinds(differsFromParent)
        key("differs_from_nslab")
        writeKinds(differsFromNslab)
        let user = snapshot.namespace(of: process.pid, .user)
        key("uid_map")
        writeIDMap(user?.uidMap ?? ownFiles?.uidMap ?? .unknown)
        key("gid_map")
        writeIDMap(user?.gidMap ?? ownFiles?.gidMap ?? .unknown)
        key("setgroups")
        if let policy = user?.setgroups?.value ?? ownFiles?.setgroups.value {
            string(policy.rawValue)
        } else {
            null()
        }
        key("cgroup")
        writeCgroup(process.cgroup)
        key("container")
        writeContainer((containers ?? ContainerDirectory(for: snapshot.root)).label(for: process))
        if !snapshot.unavailableKinds.contains(.time) {
            key("timens_offsets")
            writeTimeOffsets(
                snapshot.namespace(of: process.pid, .time)?.timeOffsets ?? ownFiles?.timeOffsets ?? .unknown)
        }
        endObject()
    }

    /// Writes a namespace list: `{"unavailable_kinds": [...], "namespaces": [...]}`.
    public mutating func writeNamespaces(_ snapshot: Snapshot) {
        beginObject()
        writeUnavailableKinds(snapshot)
        key("namespaces")
        beginArray()
        let containers = ContainerDirectory(for: snapshot.root)
        for namespace in (snapshot.namespaces + snapshot.heldNamespaces).sorted(by: { $0.key < $1.key }) {
            writeNamespace(namespace, in: snapshot, containers: containers)
        }
        endArray()
        endObject()
    }

    /// Writes one namespace object (the element of `namespaces`).
    public mutating func writeNamespace(
        _ namespace: Namespace, in snapshot: Snapshot, containers: ContainerDirectory? = nil
    ) {
        beginObject()
        key("type")
        string(namespace.kind.procName)
        key("id")
        number(namespace.inode)
        key("nprocs")
        number(namespace.members.count)
        key("pid")
        if namespace.members.isEmpty { null() } else { number(namespace.representative) }
        let representative = namespace.members.isEmpty ? nil : snapshot.process(namespace.representative)
        key("command")
        if namespace.members.isEmpty { null() } else { string(representative?.commandForJSON ?? "") }
        key("kernel_thread")
        bool(representative?.isKernelThread ?? false)
        key("container")
        let directory = containers ?? ContainerDirectory(for: snapshot.root)
        writeContainer(representative.flatMap(directory.label))
        key("members")
        beginArray()
        for pid in namespace.members { number(pid) }
        endArray()
        key("parent")
        if let parent = namespace.parent { number(parent) } else { null() }
        key("owner_user_ns")
        if let owner = namespace.ownerUserNamespace { number(owner) } else { null() }
        writeHolders(namespace)
        if namespace.kind == .user {
            key("owner_uid")
            if let uid = namespace.ownerUID { number(uid) } else { null() }
            key("uid_map")
            writeIDMap(namespace.uidMap ?? .unknown)
            key("gid_map")
            writeIDMap(namespace.gidMap ?? .unknown)
            key("setgroups")
            if let policy = namespace.setgroups?.value { string(policy.rawValue) } else { null() }
        }
        if namespace.kind == .time {
            key("offsets")
            writeTimeOffsets(namespace.timeOffsets ?? .unknown)
        }
        endObject()
    }

    /// Writes `held_by` (bind mounts, fds, owner) and, for net namespaces, `netns_names`.
    private mutating func writeHolders(_ namespace: Namespace) {
        key("held_by")
        beginArray()
        for holder in namespace.holders {
            beginObject()
            key("how")
            string(holder.how.rawValue)
            key("path")
            if let path = holder.path { string(path) } else { null() }
            key("pid")
            if let pid = holder.pid { number(pid) } else { null() }
            if holder.how == .bindMount {
                key("mount_ns")
                if let mount = holder.mountNamespace { number(mount) } else { null() }
            }
            endObject()
        }
        endArray()
        if namespace.kind == .net {
            key("netns_names")
            strings(namespace.netnsNames)
        }
    }

    /// Writes a list of kind names, or null.
    private mutating func writeKinds(_ kinds: [NamespaceKind]?) {
        guard let kinds else { return null() }
        beginArray()
        for kind in kinds { string(kind.procName) }
        endArray()
    }

    /// Writes the `unavailable_kinds` key and list.
    mutating func writeUnavailableKinds(_ snapshot: Snapshot) {
        key("unavailable_kinds")
        beginArray()
        for kind in NamespaceKind.allCases where snapshot.unavailableKinds.contains(kind) { string(kind.procName) }
        endArray()
    }

    /// Writes an `ns` object; unavailable kinds are left out.
    mutating func writeNamespaceSet(_ set: NamespaceSet) {
        beginObject()
        for kind in NamespaceKind.allCases { writeNamespaceID(kind.procName, set[kind]) }
        writeNamespaceID("pid_for_children", set.pidForChildren)
        writeNamespaceID("time_for_children", set.timeForChildren)
        endObject()
    }

    private mutating func writeNamespaceID(_ name: String, _ id: Fact<UInt64>) {
        switch id {
        case .known(let value):
            key(name)
            number(value)
        case .unknown:
            key(name)
            null()
        case .unavailable: break
        }
    }

    /// Writes real/effective/saved/filesystem ids, or null.
    mutating func writeIDSet(_ ids: Fact<IDSet>) {
        guard let ids = ids.value else { return null() }
        beginObject()
        key("real")
        number(ids.real)
        key("effective")
        number(ids.effective)
        key("saved")
        number(ids.saved)
        key("filesystem")
        number(ids.filesystem)
        endObject()
    }

    /// Writes an id map as `[inside, outside, count]` triples, or null.
    mutating func writeIDMap(_ map: Fact<[IDMapEntry]>) {
        guard let entries = map.value else { return null() }
        beginArray()
        for entry in entries {
            beginArray()
            number(entry.inside)
            number(entry.outside)
            number(entry.count)
            endArray()
        }
        endArray()
    }

    /// Writes cgroup lines as objects, or null.
    mutating func writeCgroup(_ cgroup: Fact<[CgroupEntry]>) {
        guard let entries = cgroup.value else { return null() }
        beginArray()
        for entry in entries {
            beginObject()
            key("hierarchy")
            number(entry.hierarchy)
            key("controllers")
            string(entry.controllers)
            key("path")
            string(entry.path)
            endObject()
        }
        endArray()
    }

    /// Writes `{"engine", "id", "full_id", "name", "pod", "namespace"}` (name, pod and namespace may be null), or
    /// null outside any container.
    mutating func writeContainer(_ label: ContainerLabel?) {
        guard let label else { return null() }
        beginObject()
        key("engine")
        string(label.engine.rawValue)
        key("id")
        string(label.id)
        key("full_id")
        string(label.fullID)
        key("name")
        if let name = label.name { string(name) } else { null() }
        key("pod")
        if let pod = label.pod { string(pod) } else { null() }
        key("namespace")
        if let namespace = label.namespace { string(namespace) } else { null() }
        endObject()
    }

    /// Writes monotonic and boottime offsets in seconds, or null.
    mutating func writeTimeOffsets(_ offsets: Fact<TimeOffsets>) {
        guard let offsets = offsets.value else { return null() }
        beginObject()
        key("monotonic")
        seconds(offsets.monotonic)
        key("boottime")
        seconds(offsets.boottime)
        endObject()
    }
}

extension ProcessRecord {
    /// Whether this is a kernel thread: kthreadd (pid 2) or one of its children, with an empty command line
    /// and not a zombie. /proc gives no plainer sign short of the PF_KTHREAD bit in `stat`, which nslab does
    /// not read; outside the initial pid namespace this is false but for an odd process that empties its argv.
    var isKernelThread: Bool {
        (pid == 2 || ppid == 2) && state != "Z" && cmdline.value?.isEmpty == true
    }

    /// The command as JSON gives it: the arguments joined with spaces, else the bare `comm`. The brackets of
    /// `commandLine` (`[kthreadd]`) are for text; JSON says `"kernel_thread": true` instead.
    var commandForJSON: String {
        if let arguments = cmdline.value, !arguments.isEmpty { return arguments.joined(separator: " ") }
        return comm
    }
}

extension NamespaceSet {
    /// The kinds whose id differs from `other`'s, or nil when some kind the kernel has is unknown on either
    /// side (an unreadable link): then nobody can say the rest is the same.
    public func differingKindsIfKnown(from other: NamespaceSet) -> [NamespaceKind]? {
        var differing: [NamespaceKind] = []
        for kind in NamespaceKind.allCases {
            switch (self[kind], other[kind]) {
            case (.known(let mine), .known(let theirs)): if mine != theirs { differing.append(kind) }
            case (.unavailable, _), (_, .unavailable): continue
            default: return nil
            }
        }
        return differing
    }
}
