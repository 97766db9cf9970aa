/// One process as read from /proc: identity, tree position, credentials and namespace ids.
public struct ProcessRecord: Sendable, Hashable, Identifiable {
    /// Process id as the reader sees it.
    public var pid: Int32
    /// Parent pid (0 for tree roots).
    public var ppid: Int32
    /// Command name from `stat` (may contain spaces and `)`).
    public var comm: String
    /// One-letter state (R, S, D, Z, ...).
    public var state: Character
    /// Start time in clock ticks since boot; pid + start time identify a process across refreshes.
    public var startTime: UInt64
    /// Arguments from `cmdline`; empty for kernel threads and zombies.
    public var cmdline: Fact<[String]>
    /// Real/effective/saved/fs uids.
    public var uid: Fact<IDSet>
    /// Real/effective/saved/fs gids.
    public var gid: Fact<IDSet>
    /// The pid in each nested pid namespace, outermost (the reader's) first.
    public var nspid: Fact<[Int32]>
    /// Namespace ids of every kind.
    public var namespaces: NamespaceSet
    /// Cgroup membership as the reader sees it.
    public var cgroup: Fact<[CgroupEntry]>

    /// The identity used by `Identifiable` is the pid.
    public var id: Int32 { pid }

    /// The pid as the process sees itself (last `NSpid` entry).
    public var pidInside: Int32? { nspid.value?.last }

    /// The command line joined with spaces, or `[comm]` for kernel threads, as `ps` prints it.
    public var commandLine: String {
        if let arguments = cmdline.value, !arguments.isEmpty { return arguments.joined(separator: " ") }
        return "[\(comm)]"
    }

    /// Creates a record; used by the scanner and by tests.
    public init(
        pid: Int32, ppid: Int32, comm: String, state: Character, startTime: UInt64,
        cmdline: Fact<[String]> = .unknown, uid: Fact<IDSet> = .unknown, gid: Fact<IDSet> = .unknown,
        nspid: Fact<[Int32]> = .unknown, namespaces: NamespaceSet = NamespaceSet(),
        cgroup: Fact<[CgroupEntry]> = .unknown
    ) {
        self.pid = pid
        self.ppid = ppid
        self.comm = comm
        self.state = state
        self.startTime = startTime
        self.cmdline = cmdline
        self.uid = uid
        self.gid = gid
        self.nspid = nspid
        self.namespaces = namespaces
        self.cgroup = cgroup
    }
}
