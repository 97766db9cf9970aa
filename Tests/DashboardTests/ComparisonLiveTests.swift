import Glibc
import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Launches `command` (default: a long sleep) in `kinds`, with `change` applied to the spec.
private func launch(
    _ kinds: Set<NamespaceKind>, command: [String] = ["sleep", "1000"], _ change: (inout LaunchSpec) -> Void = { _ in }
) throws -> Child {
    var spec = LaunchSpec(kinds: kinds, command: command)
    change(&spec)
    return try Launcher.launch(spec)
}

/// The live update step, as the dashboard runs it.
func liveUpdate() -> DashboardUpdate {
    DashboardUpdate(system: .live(shell: "/bin/sh", scrollback: 100))
}

/// A model comparing `pid` with the host, refreshed once by `update`.
func comparing(_ pid: Int32, update: DashboardUpdate) -> DashboardModel {
    var model = DashboardModel(size: TerminalSize(columns: 160, rows: 45), isRoot: getuid() == 0)
    model.comparison.point(at: .process(pid))
    update.refresh(&model)
    return model
}

/// What the panel gets for `pid`, through the same update step the dashboard uses.
private func panelRows(_ pid: Int32, update: DashboardUpdate = liveUpdate()) throws -> [NamespaceKind: ComparisonRow] {
    let view = try #require(comparing(pid, update: update).comparison.latest, "no comparison for \(pid)")
    return Dictionary(uniqueKeysWithValues: view.rows.map { ($0.kind, $0) })
}

/// The kinds the rows report as different from the host.
private func differing(_ rows: [NamespaceKind: ComparisonRow]) -> Set<NamespaceKind> {
    Set(rows.values.filter { $0.same == false }.map(\.kind))
}

/// Polls `condition` for up to two seconds: a shell command in the child needs a moment to run.
private func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
    for _ in 0..<40 {
        if try condition() { return true }
        usleep(50_000)
    }
    return false
}

/// The host-vs-child comparison the panel shows, against real children, as root.
/// Serialized: each test launches children and forks helpers, and a burst of them in parallel slows the
/// timing-sensitive tests of other suites.
@Suite("host vs child, live, as root", .serialized)
struct ComparisonLiveTests {
    @Test(
        "a child in one kind differs in exactly that kind, with that kind's facts on both sides",
        arguments: NamespaceKind.allCases)
    func eachKind(kind: NamespaceKind) throws {
        try #require(getuid() == 0, "needs root")
        let update = liveUpdate()
        let before = try panelRows(getpid(), update: update)
        let command = kind == .ipc ? ["sh", "-c", "ipcmk -Q >/dev/null; exec sleep 1000"] : ["sleep", "1000"]
        let child = try launch([kind], command: command) { spec in
            spec.hostname = kind == .uts ? "cmp-uts" : nil
            if kind == .time { spec.boottimeOffset = 86_400 }
        }
        defer {
            child.kill()
            _ = child.wait()
        }
        var rows = try panelRows(child.pid, update: update)
        #expect(differing(rows) == [kind], "\(rows.values.map { "\($0.kind): \($0.hostID) \($0.childID)" })")
        let row = try #require(rows[kind])
        switch kind {
        case .uts:
            var name = [CChar](repeating: 0, count: 256)
            gethostname(&name, name.count)
            #expect(row.hostFact == String(cString: name) && row.childFact == "cmp-uts")
        case .ipc:
            let counted = try eventually {
                rows = try panelRows(child.pid, update: update)
                return rows[.ipc]?.childFact == "msg 1 sem 0 shm 0"
            }
            #expect(counted, "\(rows[.ipc]!)")
            #expect(rows[.ipc]?.hostFact == before[.ipc]?.hostFact, "the host's IPC count changed")
        case .pid:
            #expect(row.hostFact == "pid \(child.pid)" && row.childFact == "pid 1")
        case .mount:
            #expect(row.childFact.hasSuffix("mounts, own /proc") && row.hostFact.hasSuffix("own /proc"), "\(row)")
        case .net:
            #expect(row.childFact == "lo up", "a new net namespace has only lo, up as launched")
            #expect(row.hostFact.contains("lo up"))
        case .user:
            #expect(row.hostFact == "0 0 4294967295" && row.childFact == "0 0 1")
        case .cgroup:
            #expect(row.childFact == "/")
            #expect(row.hostFact == before[.cgroup]?.hostFact, "the child starts in nslab's cgroup")
        case .time:
            #expect(row.hostFact.hasSuffix("mono +0s boot +0s") && row.childFact.hasSuffix("mono +0s boot +86400s"))
            #expect(row.childFact.hasPrefix("up 1d "), "\(row.childFact)")
        }
    }

    @Test("a child in all eight kinds differs in all eight")
    func allKinds() throws {
        try #require(getuid() == 0, "needs root")
        let child = try launch(Set(NamespaceKind.allCases)) { $0.hostname = "cmp-all" }
        defer {
            child.kill()
            _ = child.wait()
        }
        let rows = try panelRows(child.pid)
        #expect(differing(rows) == Set(NamespaceKind.allCases))
        #expect(rows[.uts]?.childFact == "cmp-all")
        #expect(rows[.pid]?.childFact == "pid 1")
        #expect(rows[.net]?.childFact == "lo up")
    }

    @Test("changes inside show at the next recompute: lo down flips the state, the hostname follows")
    func liveChanges() throws {
        try #require(getuid() == 0, "needs root")
        let child = try launch(
            [.uts, .net], command: ["sh", "-c", "sleep 0.5; ip link set lo down; hostname later; exec sleep 1000"]
        ) { $0.hostname = "early" }
        defer {
            child.kill()
            _ = child.wait()
        }
        let update = liveUpdate()
        var model = comparing(child.pid, update: update)
        #expect(model.comparison.view?.rows[0].childFact == "early")
        #expect(model.comparison.view?.rows[4].childFact == "lo up")
        let changed = eventually {
            update.recompute(&model)
            return model.comparison.view?.rows[0].childFact == "later"
                && model.comparison.view?.rows[4].childFact == "lo down"
        }
        #expect(changed, "\(String(describing: model.comparison.view?.rows))")
    }

    @Test(
        "the maps from both readers: the host, and inside the child's user namespace",
        arguments: ["0 100000 65536", "0 65534 1"])
    func mapsFromBothReaders(map: String) throws {
        try #require(getuid() == 0, "needs root")
        // "0 65534 1" is what an unprivileged user 65534 gets by ticking User: its own uid as root inside.
        let entry = try IDMapEntry(parsing: map)
        let child = try launch([.user]) {
            $0.uidMap = [entry]
            $0.gidMap = [entry]
        }
        defer {
            child.kill()
            _ = child.wait()
        }
        let maps = comparing(child.pid, update: liveUpdate()).maps
        let line = MapLine(inside: entry.inside, outside: entry.outside, count: entry.count)
        let host = Array(maps.prefix(1))
        #expect(host.first?.uidLines == [line] && host.first?.gidLines == [line])
        #expect(host.first?.subject.contains("read from the host") == true)
        let inside = Array(maps.dropFirst())
        try #require(inside.count == 2, "could not read inside the child's user namespace")
        // A namespace's own map names its parent's ids even when read from inside ...
        #expect(inside[0].uidLines == [line] && inside[0].gidLines == [line])
        #expect(inside[0].subject.contains("read by the child itself"))
        // ... while the host's map, read inside, has no id there for host uid 0: the kernel prints -1.
        let unmapped = MapLine(inside: 0, outside: UInt32.max, count: UInt32.max)
        #expect(inside[1].uidLines == [unmapped] && inside[1].gidLines == [unmapped])
        #expect(MapPanel.lines(for: host + inside).contains { $0.text.contains("unmapped") })
    }

    @Test("a process in the host's user namespace gets no inside views (nothing to read differently)")
    func noInsideViewsOnHost() {
        let update = liveUpdate()
        #expect(comparing(getpid(), update: update).maps.count == 1)
        #expect(comparing(1, update: update).maps.count <= 1)
    }
}
