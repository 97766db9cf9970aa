import Glibc
import NamespaceKit

/// The /proc model as the dashboard's panels show it: tree rows, maps, kinds the kernel lacks.
final class ProcessModel {
    private let scanner: ProcScanner?
    private let users = UserNames()
    private let ownPID = getpid()
    /// The latest snapshot, refreshed at the dashboard's interval.
    private(set) var snapshot: Snapshot?
    /// Pids re-read completely at each refresh besides the children: the process the comparison shows.
    var alsoWatched: Set<Int32> = []

    init() {
        scanner = try? ProcScanner()
    }

    /// Re-reads /proc (only what can have changed) and returns the tree in display order. `children`
    /// are the pids nslab launched: they and their descendants are marked, and always re-read, so a
    /// namespace change without an exec is seen too.
    func rows(children: Set<Int32>) -> [ProcessRow] {
        guard let scanner else { return [] }
        scanner.watchedPids = children.union(alsoWatched)
        let snapshot = scanner.refresh(relations: false)
        self.snapshot = snapshot
        let host = snapshot.process(ownPID)?.namespaces
        let tree = snapshot.tree
        var rows: [ProcessRow] = []
        rows.reserveCapacity(tree.rows.count)
        // The depth of the launched child whose subtree the walk is in, if any.
        var childDepth: Int?
        for row in tree.rows {
            guard let record = snapshot.process(row.pid) else { continue }
            if let depth = childDepth, row.depth <= depth { childDepth = nil }
            if childDepth == nil, children.contains(row.pid) { childDepth = row.depth }
            let differing = host.map { Set(record.namespaces.differingKinds(from: $0)) } ?? []
            let pidInside = record.pidInside.flatMap { $0 == record.pid ? nil : $0 }
            let user = record.uid.value.map { users.name($0.real) } ?? "?"
            rows.append(
                ProcessRow(
                    pid: record.pid, pidInside: pidInside, user: user, command: record.commandLine, depth: row.depth,
                    differingKinds: differing, isChild: childDepth != nil,
                    hasChildren: !(tree.children[row.pid]?.isEmpty ?? true)))
        }
        return rows
    }

    /// The uid and gid maps of `pid` as nslab (the host) reads them.
    func maps(of pid: Int32) -> [MapView] {
        let root = "/proc/\(pid)"
        guard let uid = readMap(root + "/uid_map"), let gid = readMap(root + "/gid_map") else { return [] }
        let setgroups = readSetgroups(of: pid)
        let command = snapshot?.process(pid)?.comm ?? "?"
        return [MapView(subject: "pid \(pid) (\(command)), read from the host", uidLines: uid, gidLines: gid, setgroups: setgroups)]
    }

    /// `pid` compared with nslab itself (the host) in the latest snapshot, facts read live; nil when
    /// either is gone.
    func compareWithHost(_ pid: Int32) -> Comparison? {
        guard let scanner else { return nil }
        let current = snapshot ?? scanner.refresh(relations: false)
        return try? scanner.compare(pid, with: ownPID, in: current)
    }

    /// The kinds this kernel lacks (no /proc/self/ns entry), with the reason.
    static func unavailableKinds() -> [NamespaceKind: String] {
        var result: [NamespaceKind: String] = [:]
        for kind in NamespaceKind.allCases where access("/proc/self/ns/\(kind.procName)", F_OK) != 0 {
            result[kind] = "this kernel has no \(kind.title) namespaces"
        }
        return result
    }

    private func readMap(_ path: String) -> [MapLine]? {
        readSmallFile(path).map(parseMapLines)
    }
}

/// Reads a small /proc file whole; nil when it cannot be read (a vanished process, no permission).
func readSmallFile(_ path: String) -> String? {
    try? ProcessEnvironment.readFile(path)
}

/// The first line of /proc/<pid>/setgroups ("allow" or "deny"); nil when it cannot be read.
func readSetgroups(of pid: Int32) -> String? {
    readSmallFile("/proc/\(pid)/setgroups").map { String($0.prefix { $0 != "\n" }) }
}

/// The kernel's map lines, skipping any that cannot be read.
func parseMapLines(_ text: String) -> [MapLine] {
    text.split(separator: "\n").compactMap { try? IDMapEntry(parsing: String($0)) }
}
