/// Processes arranged by parent, as `pstree` shows them.
public struct ProcessTree: Sendable {
    /// One line of the tree in depth-first order.
    public struct Row: Sendable, Hashable {
        /// The process on this line.
        public var pid: Int32
        /// 0 for roots.
        public var depth: Int
        /// For each ancestor level 1...depth: whether a later sibling follows at that level (draw `│`).
        public var continues: [Bool]
        /// Kinds in which this process differs from its parent (empty for roots).
        public var differsFromParent: [NamespaceKind]
    }

    /// Pids without a parent in the snapshot, ascending.
    public let roots: [Int32]
    /// Children of each pid, ascending.
    public let children: [Int32: [Int32]]
    /// Depth-first rows.
    public let rows: [Row]

    /// Builds the tree; a process whose parent is not in the list becomes a root.
    public init(_ processes: [ProcessRecord]) {
        var byPid: [Int32: ProcessRecord] = [:]
        byPid.reserveCapacity(processes.count)
        for process in processes { byPid[process.pid] = process }
        var children: [Int32: [Int32]] = [:]
        var roots: [Int32] = []
        for process in processes.sorted(by: { $0.pid < $1.pid }) {
            if process.ppid != process.pid, byPid[process.ppid] != nil {
                children[process.ppid, default: []].append(process.pid)
            } else {
                roots.append(process.pid)
            }
        }
        var rows: [Row] = []
        rows.reserveCapacity(processes.count)
        var visited = Set<Int32>()
        // An explicit stack: trees can be deep, and a corrupt scan must not recurse forever.
        var stack: [(pid: Int32, depth: Int, continues: [Bool])] = roots.reversed().map { ($0, 0, []) }
        while let (pid, depth, continues) = stack.popLast() {
            guard visited.insert(pid).inserted, let process = byPid[pid] else { continue }
            let parent = byPid[process.ppid]
            let differs = depth > 0 && parent != nil ? process.namespaces.differingKinds(from: parent!.namespaces) : []
            rows.append(Row(pid: pid, depth: depth, continues: continues, differsFromParent: differs))
            let kids = children[pid] ?? []
            for (index, kid) in kids.enumerated().reversed() {
                stack.append((kid, depth + 1, continues + [index < kids.count - 1]))
            }
        }
        self.roots = roots
        self.children = children
        self.rows = rows
    }
}
