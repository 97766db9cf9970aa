import NamespaceKit

/// Builds the tree panel's rows from a snapshot: pure, so the tree can be tested on a fixture /proc.
public enum ProcessRows {
    /// The tree in display order. The KINDS letters compare each process with `host` (nslab's own
    /// namespaces); a kind unreadable on either side is unknown, never "same". `children` are the pids the
    /// dashboard launched: they and their descendants are marked.
    public static func rows(
        _ snapshot: Snapshot, host: Int32, children: Set<Int32>, userName: (UInt32) -> String
    ) -> [ProcessRow] {
        let hostNamespaces = snapshot.process(host)?.namespaces
        let tree = snapshot.tree
        let containers = ContainerDirectory(for: snapshot.root)
        var rows: [ProcessRow] = []
        rows.reserveCapacity(tree.rows.count)
        // The depth of the launched child whose subtree the walk is in, if any.
        var childDepth: Int?
        for row in tree.rows {
            guard let record = snapshot.process(row.pid) else { continue }
            if let depth = childDepth, row.depth <= depth { childDepth = nil }
            if childDepth == nil, children.contains(row.pid) { childDepth = row.depth }
            var differing = Set<NamespaceKind>()
            var unknown = Set<NamespaceKind>()
            for kind in NamespaceKind.allCases {
                let mine = record.namespaces[kind]
                let theirs = hostNamespaces?[kind] ?? .unknown
                if mine == .unavailable && theirs == .unavailable { continue }
                guard let left = mine.value, let right = theirs.value else {
                    unknown.insert(kind)
                    continue
                }
                if left != right { differing.insert(kind) }
            }
            let pidInside = record.pidInside.flatMap { $0 == record.pid ? nil : $0 }
            let user = record.uid.value.map { userName($0.real) } ?? "?"
            rows.append(
                ProcessRow(
                    pid: record.pid, pidInside: pidInside, user: user, command: record.commandLine, depth: row.depth,
                    differingKinds: differing, unknownKinds: unknown, isChild: childDepth != nil,
                    hasChildren: !(tree.children[row.pid]?.isEmpty ?? true),
                    container: containers.label(for: record)?.text))
            if let levels = record.nspid.value, levels.count > 2 {
                rows[rows.count - 1].pidLevels = Array(levels.dropFirst())
            }
        }
        return rows
    }
}
