import NamespaceKit

/// The map viewer's views of one process: its maps as the host reads them and, when it is in another user
/// namespace, its own and the host's maps as read from inside it. Built from what the scan and the
/// comparison already read, so no map file is read twice per refresh.
public enum MapViews {
    /// The host's reading of `pid`'s maps, from the snapshot's user namespace; empty when unreadable.
    public static func hostReading(of pid: Int32, in snapshot: Snapshot) -> [MapView] {
        guard let namespace = snapshot.namespace(of: pid, .user) else { return [] }
        return hostReading(
            of: pid, command: snapshot.process(pid)?.comm ?? "?", uidMap: namespace.uidMap ?? .unknown,
            gidMap: namespace.gidMap ?? .unknown, setgroups: namespace.setgroups ?? .unknown)
    }

    /// The host's reading of the maps of the comparison's left process, from its facts.
    public static func hostReading(of comparison: Comparison) -> [MapView] {
        guard let user = comparison.leftFacts.user.value else { return [] }
        return hostReading(
            of: comparison.left.pid, command: comparison.left.comm, uidMap: user.uidMap, gidMap: user.gidMap,
            setgroups: user.setgroups)
    }

    static func hostReading(
        of pid: Int32, command: String, uidMap: Fact<[IDMapEntry]>, gidMap: Fact<[IDMapEntry]>,
        setgroups: Fact<SetgroupsPolicy>
    ) -> [MapView] {
        // An unreadable map is left out rather than shown empty: empty means "no map", a fact of its own.
        guard let uid = uidMap.value, let gid = gidMap.value else { return [] }
        return [
            MapView(
                subject: "pid \(pid) (\(command)), read from the host", uidLines: uid, gidLines: gid,
                setgroups: setgroups.value?.rawValue)
        ]
    }

    /// The views read from inside `pid`'s user namespace: its own maps and the host's (`readings[0]` and
    /// `[1]`, as `ProcScanner.maps(readInUserNamespaceOf:subjects:)` returns them for `[pid, host]`).
    public static func insideReadings(
        of pid: Int32, command: String, host: Int32, readings: [MapReading], in snapshot: Snapshot
    ) -> [MapView] {
        guard readings.count == 2 else { return [] }
        func setgroups(_ pid: Int32) -> String? { snapshot.namespace(of: pid, .user)?.setgroups?.value?.rawValue }
        return [
            MapView(
                subject: "pid \(pid) (\(command)), read by the child itself", uidLines: readings[0].uidLines,
                gidLines: readings[0].gidLines, setgroups: setgroups(pid)),
            MapView(
                subject: "the host's maps (pid \(host)), read by the child", uidLines: readings[1].uidLines,
                gidLines: readings[1].gidLines, setgroups: setgroups(host)),
        ]
    }

    /// True when `pid` is in a user namespace other than the host's, both known: only then do the inside
    /// readings differ from the host's and are worth a helper.
    public static func hasOwnUserNamespace(_ pid: Int32, host: Int32, in snapshot: Snapshot) -> Bool {
        guard pid != host, let mine = snapshot.process(pid)?.namespaces[.user].value,
            let theirs = snapshot.process(host)?.namespaces[.user].value
        else { return false }
        return mine != theirs
    }
}
