import NamespaceKit

/// Turns the /proc model's comparison into the panel's rows: one per kind, the namespace id and that
/// kind's telling fact on each side, worded by `FactText`. Pure, so the panel can be tested with a hand-made
/// comparison.
public enum ComparisonRows {
    /// The rows for `comparison`, whose left process is the child and right process the host (nslab), or with
    /// `againstHost` false the process the child was launched or entered inside.
    public static func rows(_ comparison: Comparison, againstHost: Bool = true) -> [ComparisonRow] {
        comparison.kinds.map { row in
            let (host, child) = facts(row.kind, comparison, againstHost: againstHost)
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

    /// The whole view: the subject's title and the rows. Against another process than the host (a child launched
    /// or entered inside it) the title names that process first, as its column comes first, and the child by
    /// its pid in that process's PID namespace.
    public static func view(_ comparison: Comparison, againstHost: Bool = true) -> ComparisonView {
        let rows = rows(comparison, againstHost: againstHost)
        guard !againstHost else {
            return ComparisonView(subject: "pid \(comparison.left.pid) (\(comparison.left.comm))", rows: rows)
        }
        let seen = pidSeenByReference(comparison)
        var view = ComparisonView(
            subject: seen.map { "pid \($0) (\(comparison.left.comm))" }
                ?? "host pid \(comparison.left.pid) (\(comparison.left.comm))",
            rows: rows)
        view.reference = "pid \(comparison.right.pid) (\(comparison.right.comm))"
        return view
    }

    /// The child's (left) pid in the right process's PID namespace: its NSpid at the depth of that namespace;
    /// nil when the child is not in that namespace or one below it (a shell entered without joining PID).
    /// The child was launched or entered inside the right process, so a deeper namespace is one made inside.
    static func pidSeenByReference(_ comparison: Comparison) -> Int32? {
        guard let child = comparison.left.nspid.value, let reference = comparison.right.nspid.value,
            !reference.isEmpty, child.count >= reference.count
        else { return nil }
        if child.count == reference.count,
            comparison.left.namespaces[.pid].value != comparison.right.namespaces[.pid].value
        {
            return nil
        }
        return child[reference.count - 1]
    }

    /// The host's and the child's fact for `kind`. PID and cgroup show the child from both sides (its
    /// pid and cgroup path as the host sees them, then as it sees them itself); the other kinds show
    /// the host's own value next to the child's.
    static func facts(
        _ kind: NamespaceKind, _ comparison: Comparison, againstHost: Bool = true
    ) -> (host: String, child: String) {
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
            // Against another process, its side shows the child's pid in its PID namespace, not the host's.
            let outside =
                againstHost ? "pid \(comparison.left.pid)" : pidSeenByReference(comparison).map { "pid \($0)" }
            return (outside ?? "not in its PID ns", inside.map { "pid \($0)" } ?? "pid ?")
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
