import NamespaceKit

/// Turns the /proc model's comparison into the panel's rows: one per kind, the namespace id and that
/// kind's telling fact on each side, worded by `FactText`. Pure, so the panel can be tested with a hand-made
/// comparison.
public enum ComparisonRows {
    /// The rows for `comparison`, whose left process is the child and right process the host (nslab).
    public static func rows(_ comparison: Comparison) -> [ComparisonRow] {
        comparison.kinds.map { row in
            let (host, child) = facts(row.kind, comparison)
            var result = ComparisonRow(
                kind: row.kind, hostID: FactText.namespaceID(row.rightID, missing: .short), hostFact: host,
                childID: FactText.namespaceID(row.leftID, missing: .short), childFact: child, same: row.same)
            result.detail = detail(row.kind, comparison)
            return result
        }
    }

    /// What Enter shows beyond the lesson: on the user row the child's capability sets and the user namespace they
    /// hold in; on the mount row both sides' propagation and every mount the child has (+) or lacks (-).
    static func detail(_ kind: NamespaceKind, _ comparison: Comparison) -> [String] {
        switch kind {
        case .user:
            guard let user = comparison.leftFacts.user.value else { return [] }
            return FactText.capabilityLines(user.capabilities).map { "child \($0.label): \($0.value)" }
        case .mount:
            guard let child = comparison.leftFacts.mount.value else { return [] }
            var lines: [String] = []
            if let counts = child.propagation { lines.append("child " + FactText.propagation(counts)) }
            guard let host = comparison.rightFacts.mount.value else { return lines }
            if let counts = host.propagation { lines.append("host  " + FactText.propagation(counts)) }
            let difference = MountDifference(target: child.mounts, reference: host.mounts)
            // Every one: the panel scrolls (PgDn) and its border counts the lines, so nothing is cut off unseen.
            lines.append(contentsOf: difference.lines)
            return lines
        default:
            return []
        }
    }

    /// The whole view: the subject's title and the rows.
    public static func view(_ comparison: Comparison) -> ComparisonView {
        ComparisonView(subject: "pid \(comparison.left.pid) (\(comparison.left.comm))", rows: rows(comparison))
    }

    /// The host's and the child's fact for `kind`. PID and cgroup show the child from both sides (its
    /// pid and cgroup path as the host sees them, then as it sees them itself); the other kinds show
    /// the host's own value next to the child's.
    static func facts(_ kind: NamespaceKind, _ comparison: Comparison) -> (host: String, child: String) {
        let child = comparison.leftFacts
        let host = comparison.rightFacts
        func both<Value>(_ fact: (ProcessFacts) -> Fact<Value>, _ make: (Value) -> String) -> (String, String) {
            (FactText.of(fact(host), missing: .short, make), FactText.of(fact(child), missing: .short, make))
        }
        switch kind {
        case .uts:
            return both(\.uts) { $0.hostname }
        case .ipc:
            return both(\.ipc, FactText.ipc)
        case .pid:
            let inside = child.pid.value?.pidInside ?? comparison.left.pidInside
            return ("pid \(comparison.left.pid)", inside.map { "pid \($0)" } ?? "pid ?")
        case .mount:
            return both(\.mount, FactText.mount)
        case .net:
            return both(\.net, FactText.interfaces)
        case .user:
            return both(\.user) { FactText.of($0.uidMap, missing: .short, FactText.map) }
        case .cgroup:
            return (
                FactText.of(child.cgroup, missing: .short) { FactText.of($0.hostPath, missing: .short) },
                FactText.of(child.cgroup, missing: .short) { FactText.of($0.insidePath, missing: .short) }
            )
        case .time:
            return both(\.time, FactText.time)
        }
    }
}
