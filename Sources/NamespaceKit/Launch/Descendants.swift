import Glibc

/// The processes below some children in the process tree, read from /proc right now: what they started, also
/// what left their session (`setsid`, a daemon's double fork while its parent still lives), which a session kill
/// misses. A process is named by its pid and start time, so one whose pid was reused is never signalled.
public struct Descendants: Sendable, Equatable {
    /// One process found: its pid and its start time (clock ticks after boot).
    public struct Member: Sendable, Equatable {
        public var pid: Int32
        public var startTime: UInt64
    }

    /// The processes found, parents before their children.
    public private(set) var members: [Member] = []

    /// Finds the live descendants of `roots` (the roots themselves left out) in `root`'s process tree.
    public init(of roots: Set<Int32>, root: ProcRoot = .system) {
        guard !roots.isEmpty, let reader = ProcReader(root: root) else { return }
        var children: [Int32: [ProcStat]] = [:]
        for pid in reader.pids() {
            guard let stat = reader.readStatOnly(pid), stat.state != "Z", stat.state != "X" else { continue }
            children[stat.ppid, default: []].append(stat)
        }
        var queue = Array(roots)
        var seen = roots
        while let parent = queue.popLast() {
            for child in children[parent] ?? [] where seen.insert(child.pid).inserted {
                members.append(Member(pid: child.pid, startTime: child.startTime))
                queue.append(child.pid)
            }
        }
    }

    /// SIGKILLs every member that is still the process found: a pidfd is opened first, then the start time read
    /// again, so the signal reaches that process or nothing. Returns the pids signalled.
    @discardableResult
    public func kill(root: ProcRoot = .system) -> [Int32] {
        guard !members.isEmpty, let reader = ProcReader(root: root) else { return [] }
        var signalled: [Int32] = []
        for member in members {
            guard case .success(let pidfd) = SystemCall.openPIDFD(member.pid) else { continue }
            defer { pidfd.close() }
            guard let stat = reader.readStatOnly(member.pid), stat.startTime == member.startTime else { continue }
            if SystemCall.sendSignal(SIGKILL, toPIDFD: pidfd) == nil { signalled.append(member.pid) }
        }
        return signalled
    }
}
