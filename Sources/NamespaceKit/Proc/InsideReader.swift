import CNamespaces
import Glibc

/// Facts only visible from inside the target's namespaces: its hostname, its SysV IPC objects, its
/// interfaces' flags and its cgroup path relative to its cgroup namespace's root.
public struct InsideFacts: Sendable, Hashable {
    /// Hostname and domain name inside.
    public var uts: Fact<UTSFacts>
    /// SysV object counts inside.
    public var ipc: Fact<IPCFacts>
    /// IFF_* flags per requested interface (-1: not asked), nil when the net part failed.
    public var interfaceFlags: [Int32]?
    /// The cgroup path relative to the target's cgroup namespace root.
    public var cgroupInside: Fact<String>

    /// Facts as given; everything unknown by default.
    public init(
        uts: Fact<UTSFacts> = .unknown, ipc: Fact<IPCFacts> = .unknown, interfaceFlags: [Int32]? = nil,
        cgroupInside: Fact<String> = .unknown
    ) {
        self.uts = uts
        self.ipc = ipc
        self.interfaceFlags = interfaceFlags
        self.cgroupInside = cgroupInside
    }
}

/// One process's uid and gid maps as a reader in some user namespace sees them: the second column of a map
/// is printed relative to the reader's user namespace, so the same file reads differently from inside.
public struct MapReading: Sendable, Hashable {
    /// uid_map lines as read.
    public var uidLines: [IDMapEntry]
    /// gid_map lines as read.
    public var gidLines: [IDMapEntry]

    /// A reading of both maps.
    public init(uidLines: [IDMapEntry], gidLines: [IDMapEntry]) {
        self.uidLines = uidLines
        self.gidLines = gidLines
    }
}

/// Reads what can only be read from inside another process's namespaces. The live system joins them in a
/// short-lived C helper (`LiveInsideReader`); a fixture tree has no namespaces to join, so its tests pass a
/// reader that answers from the fixture (or `UnreadableInside`: everything unknown).
public protocol InsideReader: Sendable {
    /// What `pid` sees in its UTS, IPC, net and cgroup namespaces; flags are asked for `interfaceNames`.
    func facts(of pid: Int32, root: ProcRoot, interfaceNames: [String]) -> InsideFacts
    /// The maps of each of `subjects` (at most two) as read from inside `pid`'s user namespace; nil when that
    /// namespace cannot be joined (no privilege over it, or `pid` is gone).
    func maps(readInUserNamespaceOf pid: Int32, root: ProcRoot, subjects: [Int32]) -> [MapReading]?
}

/// The reader for a tree whose namespaces cannot be joined: every inside fact is unknown.
public struct UnreadableInside: InsideReader {
    /// The reader.
    public init() {}

    /// Everything unknown.
    public func facts(of pid: Int32, root: ProcRoot, interfaceNames: [String]) -> InsideFacts { InsideFacts() }

    /// Nil: nothing can be joined.
    public func maps(readInUserNamespaceOf pid: Int32, root: ProcRoot, subjects: [Int32]) -> [MapReading]? { nil }
}

/// The live reader: C helpers (CNamespaces' nsinfo.c and userns_read.c) join the target's namespaces in a
/// helper task that shares nslab's memory (`clone(CLONE_VM | CLONE_VFORK)`, no copy of it); Swift never runs in it.
public struct LiveInsideReader: InsideReader {
    /// The reader.
    public init() {}

    /// Runs the helper child against `pid`'s UTS, IPC, net and cgroup namespaces.
    public func facts(of pid: Int32, root: ProcRoot, interfaceNames: [String]) -> InsideFacts {
        // The C helper takes raw numbers, -1 for a namespace that could not be opened.
        func openNamespace(_ kind: NamespaceKind) -> Int32 {
            let opened = SystemCall.open("\(root.path)/\(pid)/ns/\(kind.procName)", O_RDONLY)
            return (try? opened.get())?.rawValue ?? -1
        }
        var targets = nsl_ns_targets(
            user_fd: SystemCall.effectiveUserID == 0 ? -1 : openNamespace(.user),
            uts_fd: openNamespace(.uts), ipc_fd: openNamespace(.ipc), net_fd: openNamespace(.net),
            cgroup_fd: openNamespace(.cgroup), pid: pid)
        defer {
            for fd in [targets.user_fd, targets.uts_fd, targets.ipc_fd, targets.net_fd, targets.cgroup_fd] where fd >= 0
            {
                FileDescriptor(rawValue: fd).close()
            }
        }
        // Interface names go over as fixed 16-byte slots (IFNAMSIZ), NUL-padded.
        let names = Array(interfaceNames.prefix(Int(NSL_MAX_INTERFACES)))
        var packed = [CChar](repeating: 0, count: max(names.count, 1) * 16)
        for (index, name) in names.enumerated() {
            for (offset, byte) in name.utf8.prefix(15).enumerated() {
                packed[index * 16 + offset] = CChar(bitPattern: byte)
            }
        }
        var raw = nsl_ns_facts()
        guard nsl_read_ns_facts(&targets, packed, Int32(names.count), &raw) == 0 else { return InsideFacts() }
        var facts = InsideFacts()
        if targets.uts_fd >= 0, raw.uts_errno == 0 {
            let hostname = withUnsafeBytes(of: &raw.hostname) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            let domainname = withUnsafeBytes(of: &raw.domainname) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            facts.uts = .known(UTSFacts(hostname: hostname, domainname: domainname))
        }
        if targets.ipc_fd >= 0, raw.ipc_errno == 0 {
            facts.ipc = .known(
                IPCFacts(
                    messageQueues: Int(raw.msg_queues), semaphoreSets: Int(raw.sem_sets),
                    sharedMemorySegments: Int(raw.shm_segments)))
        }
        if targets.net_fd >= 0, raw.net_errno == 0 {
            facts.interfaceFlags = withUnsafeBytes(of: &raw.interface_flags) {
                Array($0.bindMemory(to: Int32.self).prefix(names.count))
            }
        }
        if targets.cgroup_fd >= 0, raw.cgroup_errno == 0 {
            let length = Int(raw.cgroup_length)
            let entries = withUnsafeBytes(of: &raw.cgroup) { bytes in
                SmallFileParsers.cgroup(UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[0..<length]))
            }
            facts.cgroupInside = .known(ProcScanner.mainCgroupPath(entries))
        }
        return facts
    }

    /// Joins `pid`'s user namespace in a helper child and reads the subjects' maps there.
    public func maps(readInUserNamespaceOf pid: Int32, root: ProcRoot, subjects: [Int32]) -> [MapReading]? {
        guard case .success(let namespaceFD) = SystemCall.open("\(root.path)/\(pid)/ns/user", O_RDONLY) else {
            return nil
        }
        defer { namespaceFD.close() }
        let paths = subjects.prefix(Int(NSL_USERNS_MAX_FILES) / 2).flatMap {
            ["\(root.path)/\($0)/uid_map", "\(root.path)/\($0)/gid_map"]
        }
        // The helper gets C strings that live until it returns; nothing is allocated after fork.
        let cPaths = paths.map { strdup($0) }
        defer { cPaths.forEach { free($0) } }
        var reads = nsl_userns_reads()
        let status = cPaths.map { UnsafePointer($0!) }.withUnsafeBufferPointer {
            nsl_read_in_userns(namespaceFD.rawValue, $0.baseAddress!, Int32(paths.count), &reads)
        }
        guard status == 0, reads.setns_errno == 0 else { return nil }
        let errors = withUnsafeBytes(of: reads.file_errno) { Array($0.bindMemory(to: Int32.self)) }
        let lengths = withUnsafeBytes(of: reads.length) { Array($0.bindMemory(to: Int32.self)) }
        let maps = withUnsafeBytes(of: reads.data) { raw -> [[IDMapEntry]?] in
            (0..<paths.count).map { index in
                guard errors[index] == 0 else { return nil }
                let start = index * Int(NSL_USERNS_FILE_BYTES)
                let length = min(Int(lengths[index]), Int(NSL_USERNS_FILE_BYTES))
                let bytes = UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[start..<start + length])
                return SmallFileParsers.idMap(bytes)
            }
        }
        return stride(from: 0, to: maps.count, by: 2).compactMap { index in
            guard let uid = maps[index], let gid = maps[index + 1] else { return nil }
            return MapReading(uidLines: uid, gidLines: gid)
        }
    }
}
