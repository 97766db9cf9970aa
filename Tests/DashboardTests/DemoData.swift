import NamespaceKit

@testable import Dashboard

/// Hand-made rows and maps for the panel snapshot and key tests (the whole-screen fixture tests use a real scan).
enum DemoData {
    /// A small process tree with a launched child in UTS, PID and Mount namespaces.
    static let processes: [ProcessRow] = [
        ProcessRow(pid: 1, user: "root", command: "/sbin/init", depth: 0, hasChildren: true),
        ProcessRow(pid: 412, user: "root", command: "/usr/sbin/sshd -D", depth: 1, hasChildren: true),
        ProcessRow(pid: 1337, user: "alice", command: "-bash", depth: 2, hasChildren: true),
        ProcessRow(pid: 2001, user: "alice", command: "nslab", depth: 3, hasChildren: true),
        ProcessRow(
            pid: 2002, pidInside: 1, user: "alice", command: "/bin/bash", depth: 4,
            differingKinds: [.uts, .pid, .mount], isChild: true, hasChildren: true),
        ProcessRow(
            pid: 2010, pidInside: 7, user: "alice", command: "sleep 100", depth: 5,
            differingKinds: [.uts, .pid, .mount], isChild: true),
        ProcessRow(pid: 600, user: "root", command: "/usr/bin/containerd", depth: 1, hasChildren: true),
        ProcessRow(
            pid: 3100, pidInside: 1, user: "100000", command: "nginx: master process", depth: 2,
            differingKinds: [.uts, .ipc, .pid, .mount, .net, .user, .cgroup], hasChildren: true),
        ProcessRow(
            pid: 3101, pidInside: 29, user: "100101", command: "nginx: worker process", depth: 3,
            differingKinds: [.uts, .ipc, .pid, .mount, .net, .user, .cgroup]),
        ProcessRow(pid: 700, user: "root", command: "/usr/sbin/cron -f", depth: 1),
    ]

    /// Maps for a demo pid: the container's are shifted, everyone else's are the identity.
    static func maps(pid: Int32) -> [MapView] {
        guard let row = processes.first(where: { $0.pid == pid }) else { return [] }
        let subject = "pid \(pid) (\(row.command)), read from the host"
        if row.differingKinds.contains(.user) {
            let line = MapLine(inside: 0, outside: 100_000, count: 65_536)
            // Read from a sibling namespace, outside ids are relative to the reader: here the
            // container's root shows as 0 from a namespace that maps 100000 to 0 as well.
            let sibling = MapLine(inside: 0, outside: 0, count: 65_536)
            return [
                MapView(subject: subject, uidLines: [line], gidLines: [line], setgroups: "allow"),
                MapView(
                    subject: "the same files, read by pid 3101 inside", uidLines: [sibling], gidLines: [sibling],
                    setgroups: "allow"),
            ]
        }
        let identity = MapLine(inside: 0, outside: 0, count: UInt32.max)
        return [MapView(subject: subject, uidLines: [identity], gidLines: [identity], setgroups: "allow")]
    }
}
