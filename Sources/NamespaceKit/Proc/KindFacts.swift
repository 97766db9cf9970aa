/// UTS facts: the names the target sees.
public struct UTSFacts: Sendable, Hashable {
    /// `hostname` inside.
    public var hostname: String
    /// NIS domain name inside (`(none)` when unset).
    public var domainname: String

    /// Facts as read.
    public init(hostname: String, domainname: String) {
        self.hostname = hostname
        self.domainname = domainname
    }
}

/// IPC facts: how many System V objects the target's IPC namespace holds.
public struct IPCFacts: Sendable, Hashable {
    /// Message queues.
    public var messageQueues: Int
    /// Semaphore sets.
    public var semaphoreSets: Int
    /// Shared memory segments.
    public var sharedMemorySegments: Int

    /// Counts as read.
    public init(messageQueues: Int, semaphoreSets: Int, sharedMemorySegments: Int) {
        self.messageQueues = messageQueues
        self.semaphoreSets = semaphoreSets
        self.sharedMemorySegments = sharedMemorySegments
    }
}

/// PID facts.
public struct PIDFacts: Sendable, Hashable {
    /// The pid the target has in its own pid namespace.
    public var pidInside: Int32
    /// Processes in the target's pid namespace and the namespaces nested in it.
    public var processCount: Int
    /// The pid at every level, nslab's first (`6025/146/1`), when the target is nested more than one PID namespace
    /// deep; empty otherwise, where `pidInside` says it all.
    public var levels: [Int32] = []
}

/// Mount facts.
public struct MountFacts: Sendable, Hashable {
    /// Mounts the target sees.
    public var mountCount: Int
    /// Whether the target's `/proc` is a proc of its own pid namespace (nil when it could not be told).
    public var procIsOwn: Bool?
    /// Shared, slave, private and unbindable counts with their peer groups (nil when not read).
    public var propagation: PropagationCounts? = nil
    /// Every mount the target sees, in mountinfo order (for the mounts that differ from the host's).
    public var mounts: [MountEntry] = []
}

/// Net facts: the interfaces of the target's net namespace.
public struct NetFacts: Sendable, Hashable {
    /// Interfaces in `net/dev` order.
    public var interfaces: [NetInterface]
    /// The `ip netns` names of the namespace (see `NetnsNames`), sorted; empty when it has none.
    public var netnsNames: [String]

    public init(interfaces: [NetInterface], netnsNames: [String] = []) {
        self.interfaces = interfaces
        self.netnsNames = netnsNames
    }
}

/// User facts.
public struct UserFacts: Sendable, Hashable {
    /// uid_map of the target's user namespace.
    public var uidMap: Fact<[IDMapEntry]>
    /// gid_map.
    public var gidMap: Fact<[IDMapEntry]>
    /// setgroups policy.
    public var setgroups: Fact<SetgroupsPolicy>
    /// The uid that created the namespace, as the reader sees it.
    public var ownerUID: UInt32?
    /// The uids the target holds (as the reader sees them).
    public var uids: Fact<IDSet>
    /// The gids the target holds.
    public var gids: Fact<IDSet>
    /// Effective, permitted and bounding capabilities, and the user namespace they hold in.
    public var capabilities: Fact<CapabilitySets> = .unknown
}

/// Cgroup facts: the target's cgroup (unified hierarchy when present) from both sides.
public struct CgroupFacts: Sendable, Hashable {
    /// The path as the reader (the host) sees it.
    public var hostPath: Fact<String>
    /// The path as the target sees it, relative to its cgroup namespace root.
    public var insidePath: Fact<String>
}

/// Time facts.
public struct TimeFacts: Sendable, Hashable {
    /// Clock offsets of the target's time namespace.
    public var offsets: TimeOffsets
    /// Seconds since boot as the target's clocks show it.
    public var uptimeInside: Double?
}

/// One label and value for showing a fact in a table or panel.
public struct FactLine: Sendable, Hashable {
    /// Short label ("hostname", "mounts", ...).
    public var label: String
    /// The value as text.
    public var value: String

    /// Creates a line.
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// Every per-kind fact of one process, each read from that process's point of view.
public struct ProcessFacts: Sendable, Hashable {
    /// Pid (as the reader sees it) of the process the facts are about.
    public var processID: Int32
    /// Hostname and domain name.
    public var uts: Fact<UTSFacts> = .unknown
    /// SysV IPC object counts.
    public var ipc: Fact<IPCFacts> = .unknown
    /// Pid inside and process count.
    public var pid: Fact<PIDFacts> = .unknown
    /// Mount count and /proc ownership.
    public var mount: Fact<MountFacts> = .unknown
    /// Interfaces.
    public var net: Fact<NetFacts> = .unknown
    /// Maps, setgroups, owner, ids.
    public var user: Fact<UserFacts> = .unknown
    /// Cgroup paths.
    public var cgroup: Fact<CgroupFacts> = .unknown
    /// Clock offsets and uptime.
    public var time: Fact<TimeFacts> = .unknown
    /// The container the process is in (from its cgroup path and the engine's state), nil when none.
    public var container: ContainerLabel? = nil

    /// Facts with everything unknown.
    public init(processID: Int32) {
        self.processID = processID
    }

    /// The facts of one kind as display lines; "unknown" / "unavailable" when not read.
    public func lines(_ kind: NamespaceKind) -> [FactLine] {
        switch kind {
        case .uts: Self.lines(uts) { [FactLine("hostname", $0.hostname), FactLine("domainname", $0.domainname)] }
        case .ipc:
            Self.lines(ipc) {
                [
                    FactLine("queues", String($0.messageQueues)), FactLine("semaphores", String($0.semaphoreSets)),
                    FactLine("shm", String($0.sharedMemorySegments)),
                ]
            }
        case .pid:
            Self.lines(pid) {
                [
                    FactLine("pid inside", String($0.pidInside)),
                    $0.levels.isEmpty ? nil : FactLine("pid levels", $0.levels.map(String.init).joined(separator: "/")),
                    FactLine("processes", String($0.processCount)),
                ].compactMap { $0 }
            }
        case .mount:
            Self.lines(mount) {
                [
                    FactLine("mounts", String($0.mountCount)),
                    FactLine("/proc", FactText.procOwnership($0.procIsOwn)),
                ] + ($0.propagation.map { [FactLine("propagation", FactText.propagation($0))] } ?? [])
            }
        case .net:
            Self.lines(net) { facts in
                (facts.netnsNames.isEmpty ? [] : [FactLine("netns", facts.netnsNames.joined(separator: ", "))])
                    + facts.interfaces.map { interface in
                        FactLine(
                            interface.name,
                            ([FactText.linkState(interface.isUp)] + interface.addresses).joined(separator: " "))
                    }
            }
        case .user:
            Self.lines(user) {
                [
                    FactLine("uid_map", FactText.of($0.uidMap, FactText.map)),
                    FactLine("gid_map", FactText.of($0.gidMap, FactText.map)),
                    FactLine("setgroups", FactText.of($0.setgroups) { $0.rawValue }),
                    FactLine("owner uid", $0.ownerUID.map(String.init) ?? "unknown"),
                    FactLine("uid", FactText.of($0.uids) { "\($0.real) (euid \($0.effective))" }),
                ] + FactText.capabilityLines($0.capabilities)
            }
        case .cgroup:
            Self.lines(cgroup) {
                [FactLine("host view", FactText.of($0.hostPath)), FactLine("inside", FactText.of($0.insidePath))]
            }
        case .time:
            Self.lines(time) {
                [
                    FactLine("monotonic", FactText.offset($0.offsets.monotonic)),
                    FactLine("boottime", FactText.offset($0.offsets.boottime)),
                    FactLine("uptime", $0.uptimeInside.map(FactText.duration) ?? "unknown"),
                ]
            }
        }
    }

    private static func lines<Value>(_ fact: Fact<Value>, _ make: (Value) -> [FactLine]) -> [FactLine] {
        if case .known(let value) = fact { return make(value) }
        return [FactLine("facts", FactText.of(fact) { _ in "" })]
    }
}
