/// The eight kinds of Linux namespace nslab can create and compare.
///
/// The order is the dashboard's order (keys 1–8) and the order of every table nslab prints.
public enum NamespaceKind: String, CaseIterable, Sendable, Codable, Hashable {
    case uts, ipc, pid, mount, net, user, cgroup, time

    /// The file name under `/proc/<pid>/ns/` (`mnt` for mount).
    public var procName: String {
        self == .mount ? "mnt" : rawValue
    }

    /// The name people read: "UTS", "Mount", ...
    public var title: String {
        switch self {
        case .uts: "UTS"
        case .ipc: "IPC"
        case .pid: "PID"
        case .mount: "Mount"
        case .net: "Net"
        case .user: "User"
        case .cgroup: "Cgroup"
        case .time: "Time"
        }
    }

    /// One letter for compact marks in process tables: U I P M N u C T.
    public var letter: Character {
        switch self {
        case .uts: "U"
        case .ipc: "I"
        case .pid: "P"
        case .mount: "M"
        case .net: "N"
        case .user: "u"
        case .cgroup: "C"
        case .time: "T"
        }
    }

    /// What a namespace of this kind isolates, in one short line.
    public var isolates: String {
        switch self {
        case .uts: "hostname and NIS domain name"
        case .ipc: "System V IPC objects and POSIX message queues"
        case .pid: "process ids: the first process is PID 1"
        case .mount: "the mount table"
        case .net: "network devices, addresses, routes, ports"
        case .user: "user and group ids, and capabilities"
        case .cgroup: "the view of the cgroup hierarchy"
        case .time: "the monotonic and boottime clocks"
        }
    }

    /// The names users may type for the kind on the command line: `mount` and its /proc name `mnt`, the
    /// others once.
    public var argumentNames: [String] {
        procName == rawValue ? [rawValue] : [rawValue, procName]
    }

    /// Parses a kind as users type it on the command line: `uts`, `mnt` or `mount`, ...
    public init?(argument: String) {
        let word = argument.lowercased()
        guard let kind = NamespaceKind.allCases.first(where: { $0.argumentNames.contains(word) }) else { return nil }
        self = kind
    }
}
