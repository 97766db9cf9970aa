import NamespaceKit

/// What Enter on a row of the host-vs-child panel explains: what the kind isolates, and one
/// experiment to try in the child right now.
public enum ComparisonLessons {
    /// Two sentences for `kind`: what it isolates, then the experiment and what to watch.
    public static func lesson(_ kind: NamespaceKind) -> String {
        switch kind {
        case .uts:
            "UTS isolates hostname and domainname. Try `hostname demo` in the child: the host keeps its name."
        case .ipc:
            "IPC isolates System V message queues, semaphores and shared memory. Try `ipcmk -Q` in the child: "
                + "its msg count rises, the host's does not."
        case .pid:
            "PID isolates process numbers: the first process inside is pid 1. Try `echo $$` in the child "
                + "and compare it with the host pid on the left."
        case .mount:
            "Mount isolates the mount table. Try `mount -t tmpfs none /mnt` in the child: its mount count "
                + "rises, the host's does not."
        case .net:
            "Net isolates interfaces, addresses, routes and ports. Try `ip link set lo down` in the child: "
                + "its lo turns down, the host's stays up."
        case .user:
            "User isolates uids, gids and capabilities: root inside is another uid outside. Try `id` in the "
                + "child, then read its map in the uid/gid map viewer."
        case .cgroup:
            "Cgroup isolates the view of the cgroup tree: the child's cgroup becomes its root. Try "
                + "`cat /proc/self/cgroup` in the child: it shows 0::/."
        case .time:
            "Time isolates the monotonic and boottime clocks. Try `cat /proc/uptime` in the child: it is off "
                + "by the boottime offset."
        }
    }

    /// A third sentence when the process shares the host's namespace of `kind`. Only for one of nslab's own
    /// children does it say how to change that: launching again cannot move any other process.
    public static func sharedHint(_ kind: NamespaceKind, ownChild: Bool = true) -> String {
        guard ownChild else { return "This process shares the host's \(kind.title) namespace." }
        let key = (NamespaceKind.allCases.firstIndex(of: kind) ?? 0) + 1
        return "This process shares the host's \(kind.title) namespace: tick \(kind.title) (key \(key)) and "
            + "launch again to isolate it."
    }
}
