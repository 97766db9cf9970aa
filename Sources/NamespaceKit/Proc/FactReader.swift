import CNamespaces

extension ProcScanner {
    /// Reads every per-kind fact of `pid`, each from that process's point of view.
    ///
    /// UTS, IPC, interface flags and the inside cgroup path come from `insideReader` (on the live /proc a
    /// short-lived helper child that enters the target's namespaces); everything else is read from /proc.
    /// Pass `enteringNamespaces: false` to skip the helper (those facts stay unknown), e.g. to refresh
    /// the cheap facts every second and the helper's less often.
    public func readFacts(of pid: Int32, in snapshot: Snapshot, enteringNamespaces: Bool = true) -> ProcessFacts {
        var facts = ProcessFacts(processID: pid)
        guard let process = snapshot.process(pid) ?? readProcess(pid) else { return facts }
        let interfaceNames = reader.read(path: "\(pid)/net/dev", NetParsers.interfaceNames)
        let inside =
            enteringNamespaces
            ? insideReader.facts(of: pid, root: root, interfaceNames: interfaceNames.value ?? []) : nil
        facts.uts = availability(.uts, snapshot) ?? inside?.uts ?? .unknown
        facts.ipc = availability(.ipc, snapshot) ?? inside?.ipc ?? .unknown
        facts.pid = availability(.pid, snapshot) ?? pidFacts(process, snapshot)
        facts.mount = availability(.mount, snapshot) ?? mountFacts(process)
        facts.net =
            availability(.net, snapshot)
            ?? netFacts(
                pid, names: interfaceNames, flags: inside?.interfaceFlags, netID: process.namespaces[.net].value)
        facts.user = availability(.user, snapshot) ?? userFacts(process, snapshot)
        facts.cgroup =
            availability(.cgroup, snapshot)
            ?? .known(
                CgroupFacts(
                    hostPath: process.cgroup.map(Self.mainCgroupPath), insidePath: inside?.cgroupInside ?? .unknown))
        facts.time = availability(.time, snapshot) ?? timeFacts(process, snapshot)
        facts.container = ContainerDirectory(for: root).label(for: process)
        return facts
    }

    private func availability<Value>(_ kind: NamespaceKind, _ snapshot: Snapshot) -> Fact<Value>? {
        snapshot.unavailableKinds.contains(kind) ? .unavailable : nil
    }

    /// The unified-hierarchy path when there is one (`0::/...`), else the first line's path.
    static func mainCgroupPath(_ entries: [CgroupEntry]) -> String {
        (entries.first { $0.hierarchy == 0 } ?? entries.first)?.path ?? ""
    }

    private func pidFacts(_ process: ProcessRecord, _ snapshot: Snapshot) -> Fact<PIDFacts> {
        guard let inside = process.pidInside, let namespace = process.namespaces[.pid].value else { return .unknown }
        // Count members of this pid namespace and of every namespace whose parent chain reaches it.
        var count = 0
        for candidate in snapshot.namespaces where candidate.kind == .pid {
            var current: UInt64? = candidate.inode
            var hops = 0
            while let id = current, hops < 33 {  // the kernel nests pid namespaces at most 32 deep
                if id == namespace {
                    count += candidate.members.count
                    break
                }
                current = snapshot.namespace(NamespaceKey(kind: .pid, id: id))?.parent
                hops += 1
            }
        }
        let levels = process.nspid.value ?? []
        return .known(PIDFacts(pidInside: inside, processCount: count, levels: levels.count > 2 ? levels : []))
    }

    private func mountFacts(_ process: ProcessRecord) -> Fact<MountFacts> {
        let read = reader.read(path: "\(process.pid)/mountinfo") {
            (MountParser.summary($0), MountInfoParser.entries($0))
        }
        guard case .success(let (summary, mounts)) = read else { return .unknown }
        var procIsOwn: Bool?
        if !summary.hasProcMount {
            procIsOwn = false
        } else if let inside = process.pidInside {
            // Through the target's root, /proc/<its own pid> is the target itself exactly when that /proc
            // belongs to the target's pid namespace: same start time and name. No such entry means a proc of
            // another pid namespace (a parent of `unshare --mount-proc`, a child that sees the host's /proc).
            // The ns/pid link read before needed ptrace access to whoever has that pid there (a host's init
            // refuses it even to root), and said "unknown" where the answer was "no".
            switch reader.read(path: "\(process.pid)/root/proc/\(inside)/stat", StatParser.parse) {
            case .success(let stat?): procIsOwn = stat.startTime == process.startTime && stat.comm == process.comm
            case .failure(.absent): procIsOwn = false
            case .success(nil), .failure(.unreadable): procIsOwn = nil
            }
        }
        return .known(
            MountFacts(
                mountCount: summary.count, procIsOwn: procIsOwn, propagation: PropagationCounts(mounts),
                mounts: mounts))
    }

    private func netFacts(
        _ pid: Int32, names: Result<[String], ProcFailure>, flags: [Int32]?, netID: UInt64?
    ) -> Fact<NetFacts> {
        guard case .success(let interfaceNames) = names else { return .unknown }
        let ipv4 = reader.read(path: "\(pid)/net/fib_trie", NetParsers.localIPv4Addresses).value ?? []
        let routes = reader.read(path: "\(pid)/net/route", NetParsers.ipv4Routes).value ?? []
        let ipv6 = reader.read(path: "\(pid)/net/if_inet6", NetParsers.ipv6Addresses).value ?? []
        let loopback = reader.read(path: "\(pid)/net/fib_trie", NetParsers.loopbackPrefixes).value ?? []
        var interfaces = NetParsers.interfaces(
            names: interfaceNames, ipv4: ipv4, routes: routes, ipv6: ipv6, loopbackPrefixes: loopback)
        // Up/down comes from /proc first (net/igmp); the helper's SIOCGIFFLAGS, asked inside the
        // namespace, settles interfaces without IPv4, and stands alone when igmp is unreadable.
        let igmpUp = reader.read(path: "\(pid)/net/igmp", NetParsers.igmpDevices).value.map(Set.init)
        for index in interfaces.indices {
            let asked: Bool? =
                if let flags, index < flags.count, flags[index] >= 0 { flags[index] & 1 != 0 } else { nil }  // IFF_UP
            if let igmpUp, igmpUp.contains(interfaces[index].name) {
                interfaces[index].isUp = true
            } else {
                interfaces[index].isUp = asked ?? igmpUp.map { _ in false }
            }
        }
        // /run/netns is the reader's own; a fixture /proc has no names.
        let netnsNames = root.isLive ? netID.flatMap { NetnsNames.byNamespace()[$0] } ?? [] : []
        return .known(NetFacts(interfaces: interfaces, netnsNames: netnsNames))
    }

    private func userFacts(_ process: ProcessRecord, _ snapshot: Snapshot) -> Fact<UserFacts> {
        let namespace = snapshot.namespace(of: process.pid, .user)
        var uidMap = namespace?.uidMap ?? .unknown
        var gidMap = namespace?.gidMap ?? .unknown
        var setgroups = namespace?.setgroups ?? .unknown
        if namespace == nil, let directory = reader.openProcess(process.pid) {
            defer { directory.close() }
            uidMap = reader.read(directory, "uid_map", SmallFileParsers.idMap).knownOrUnknown
            gidMap = reader.read(directory, "gid_map", SmallFileParsers.idMap).knownOrUnknown
            setgroups = reader.read(directory, "setgroups", SmallFileParsers.setgroups).fact.flatMapOptional()
        }
        return .known(
            UserFacts(
                uidMap: uidMap, gidMap: gidMap, setgroups: setgroups, ownerUID: namespace?.ownerUID,
                uids: process.uid, gids: process.gid, capabilities: capabilities(of: process)))
    }

    private func timeFacts(_ process: ProcessRecord, _ snapshot: Snapshot) -> Fact<TimeFacts> {
        guard let offsets = snapshot.namespace(of: process.pid, .time)?.timeOffsets?.value else { return .unknown }
        // <root>/uptime is the reader's uptime; shift it by the difference of the two boottime offsets.
        let readerOffsets = snapshot.namespace(of: SystemCall.processID, .time)?.timeOffsets?.value
        let readerBoottime = readerOffsets?.boottime.totalSeconds ?? 0
        let uptime =
            reader.read(path: "uptime") { bytes -> Double? in
                var cursor = ByteCursor(bytes)
                return Double(cursor.string(cursor.word()))
            }.value ?? nil
        return .known(
            TimeFacts(
                offsets: offsets, uptimeInside: uptime.map { $0 - readerBoottime + offsets.boottime.totalSeconds }))
    }
}
