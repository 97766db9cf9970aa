import Glibc
import Testing

@testable import Dashboard
@testable import NamespaceKit

/// A hand-made comparison: child 4242 (`bash`) in new UTS, PID, net and user namespaces, against nslab
/// (pid 100) on the host.
func sampleComparison(childHostname: String = "lab", childQueues: Int = 1) -> Comparison {
    let hostIDs: [NamespaceKind: UInt64] = [
        .uts: 4_026_531_838, .ipc: 4_026_531_839, .pid: 4_026_531_836, .mount: 4_026_531_841,
        .net: 4_026_531_840, .user: 4_026_531_837, .cgroup: 4_026_531_835, .time: 4_026_531_834,
    ]
    var childIDs = hostIDs
    childIDs[.uts] = 4_026_532_201
    childIDs[.pid] = 4_026_532_202
    childIDs[.net] = 4_026_532_203
    childIDs[.user] = 4_026_532_204
    let child = ProcessRecord(
        pid: 4242, ppid: 100, comm: "bash", state: "S", startTime: 1, nspid: .known([4242, 1]),
        namespaces: NamespaceSet(childIDs))
    let host = ProcessRecord(
        pid: 100, ppid: 1, comm: "nslab", state: "S", startTime: 1, nspid: .known([100]),
        namespaces: NamespaceSet(hostIDs))
    var hostFacts = ProcessFacts(processID: 100)
    var childFacts = ProcessFacts(processID: 4242)
    hostFacts.uts = .known(UTSFacts(hostname: "vm", domainname: "(none)"))
    childFacts.uts = .known(UTSFacts(hostname: childHostname, domainname: "(none)"))
    hostFacts.ipc = .known(IPCFacts(messageQueues: 0, semaphoreSets: 0, sharedMemorySegments: 2))
    childFacts.ipc = .known(IPCFacts(messageQueues: childQueues, semaphoreSets: 0, sharedMemorySegments: 2))
    hostFacts.pid = .known(PIDFacts(pidInside: 100, processCount: 90))
    childFacts.pid = .known(PIDFacts(pidInside: 1, processCount: 1))
    hostFacts.mount = .known(MountFacts(mountCount: 20, procIsOwn: true))
    childFacts.mount = .known(MountFacts(mountCount: 20, procIsOwn: false))
    hostFacts.net = .known(NetFacts(interfaces: [NetInterface(name: "lo", isUp: true, addresses: [])]))
    childFacts.net = .known(NetFacts(interfaces: [NetInterface(name: "lo", isUp: false, addresses: [])]))
    let zero = ClockOffset(seconds: 0, nanoseconds: 0)
    let noOffsets = TimeOffsets(monotonic: zero, boottime: zero)
    hostFacts.time = .known(TimeFacts(offsets: noOffsets, uptimeInside: 3_723))
    childFacts.time = .known(TimeFacts(offsets: noOffsets, uptimeInside: 3_723))
    hostFacts.user = .known(
        UserFacts(
            uidMap: .known([IDMapEntry(inside: 0, outside: 0, count: 4_294_967_295)]), gidMap: .unknown,
            setgroups: .unknown, ownerUID: nil, uids: .unknown, gids: .unknown))
    childFacts.user = .known(
        UserFacts(
            uidMap: .known([IDMapEntry(inside: 0, outside: 100_000, count: 65_536)]), gidMap: .unknown,
            setgroups: .unknown, ownerUID: 0, uids: .unknown, gids: .unknown))
    childFacts.cgroup = .known(CgroupFacts(hostPath: .known("/lab.slice"), insidePath: .known("/")))
    return Comparison(left: child, right: host, leftFacts: childFacts, rightFacts: hostFacts)
}

/// Renders the panel alone into a buffer of `width` x `height`.
func renderComparison(
    _ view: ComparisonView?, width: Int, height: Int, focused: Bool = false, theme: Theme = .builtinDefault
) -> ScreenBuffer {
    var buffer = ScreenBuffer(size: TerminalSize(columns: width, rows: height))
    ComparisonPanel.render(view, in: buffer.bounds, focused: focused, buffer: &buffer, theme: theme)
    return buffer
}

@Suite("Host vs child panel")
struct ComparisonPanelTests {
    @Test("one row per kind, host side then child side, in NamespaceKind order")
    func rows() {
        let rows = ComparisonRows.rows(sampleComparison())
        #expect(rows.map(\.kind) == NamespaceKind.allCases)
        let byKind = Dictionary(uniqueKeysWithValues: rows.map { ($0.kind, $0) })
        #expect(byKind[.uts]?.hostFact == "vm" && byKind[.uts]?.childFact == "lab")
        #expect(byKind[.uts]?.hostID == "[4026531838]" && byKind[.uts]?.childID == "[4026532201]")
        #expect(byKind[.pid]?.hostFact == "pid 4242" && byKind[.pid]?.childFact == "pid 1")
        #expect(byKind[.ipc]?.hostFact == "msg 0 sem 0 shm 2" && byKind[.ipc]?.childFact == "msg 1 sem 0 shm 2")
        #expect(byKind[.mount]?.childFact == "20 mounts, inherited /proc")
        #expect(byKind[.net]?.hostFact == "lo up" && byKind[.net]?.childFact == "lo down")
        #expect(byKind[.user]?.hostFact == "0 0 4294967295" && byKind[.user]?.childFact == "0 100000 65536")
        #expect(byKind[.cgroup]?.hostFact == "/lab.slice" && byKind[.cgroup]?.childFact == "/")
        #expect(byKind[.time]?.childFact == "up 1:02:03 mono +0s boot +0s")
        #expect(rows.filter { $0.same == false }.map(\.kind) == [.uts, .pid, .net, .user])
    }

    /// Also guards against facts cut off with `…` (`msg 0 sem 0 s…`, `mono +0s` without its boottime): the ids
    /// shorten, and a row that still does not fit wraps onto a second line.
    @Test("the panel at the full layout's 66 columns reads like a table")
    func snapshot() {
        let buffer = renderComparison(ComparisonRows.view(sampleComparison()), width: 66, height: 12)
        let expected = """
            ┌ Host vs child: pid 4242 (bash) ────────────────────────────────┐
            │uts    […1838] vm                  ≠ […2201] lab                │
            │ipc    […1839] msg 0 sem 0 shm 2   = […1839] msg 1 sem 0 shm 2  │
            │pid    […1836] pid 4242            ≠ […2202] pid 1              │
            │mnt    […1841] 20 mounts, own      = […1841] 20 mounts,         │
            │       /proc                         inherited /proc            │
            │net    […1840] lo up               ≠ […2203] lo down            │
            │user   […1837] 0 0 4294967295      ≠ […2204] 0 100000 65536     │
            │cgroup […1835] /lab.slice          = […1835] /                  │
            │time   […1834] up 1:02:03 mono +0s = […1834] up 1:02:03 mono +0s│
            │       boot +0s                      boot +0s                   │
            └────────────────────────────────────────────────────────────────┘
            """
        #expect(buffer.snapshot() == expected, "\n\(buffer.snapshot())")
    }

    @Test("same rows take the theme's same style, differing ones differs, an ended child is greyed")
    func styles() {
        let theme = Theme.builtinDefault
        var view = ComparisonRows.view(sampleComparison())
        var buffer = renderComparison(view, width: 66, height: 10, theme: theme)
        #expect(buffer[2, 1].style == theme[.differs])  // uts
        #expect(buffer[2, 2].style == theme[.same])  // ipc
        view.ended = "exited: status 3"
        buffer = renderComparison(view, width: 66, height: 10, theme: theme)
        #expect(buffer[2, 1].style == theme[.disabled] && buffer[2, 2].style == theme[.disabled])
        #expect(buffer.lines()[0].contains("[exited: status 3]"))
        #expect(buffer.lines()[1].contains("lab"), "the last values stay on show")
    }

    @Test("Enter opens the kind's explanation under its row, scrolled into view; the cursor shows when focused")
    func explanation() throws {
        // At 120x30 the panel is 66x10, as this test drew it alone before the panel kept its scroll in the model.
        var state = DashboardModel(size: TerminalSize(columns: 120, rows: 30), isRoot: true)
        state.comparison.point(at: .process(4242))
        state.comparison.latest = ComparisonRows.view(sampleComparison())
        state.focus = .comparison
        let rect = try #require(state.layout.panels[.comparison])
        #expect(rect.width == 66 && rect.height == 10)
        for _ in 0..<7 { _ = state.handle(.key(.down)) }
        _ = state.handle(.key(.enter))
        #expect(state.comparison.expanded == .time)
        let theme = Theme.builtinDefault
        let buffer = DashboardView.render(state, theme: theme)
        let lines = text(of: rect, in: buffer)
        let shown = lines.joined(separator: "\n")
        let timeRow = try #require(lines.firstIndex { $0.hasPrefix("│time") }, "\(shown)")
        // The time row wraps (its boottime offset is never cut off); the explanation follows its last line, the
        // whole values first.
        #expect(lines[timeRow + 1].contains("boot +0s"), "\(shown)")
        #expect(lines[timeRow + 2].contains("host  up 1:02:03 mono +0s boot +0s [4026531834]"), "\(shown)")
        #expect(buffer[rect.x + 2, rect.y + timeRow].style == theme[.selection])
        #expect(lines.last!.contains("↑ uts"), "the rows scrolled out are named: \(shown)")
        // PgDn reads on through the explanation.
        _ = state.handle(.key(.pageDown))
        let further = text(of: rect, in: DashboardView.render(state, theme: theme)).joined(separator: "\n")
        #expect(further.contains("cat /proc/uptime"), "\(further)")
        // The explanation follows the cursor; Escape closes it.
        _ = state.handle(.key(.character("k")))
        #expect(state.comparison.expanded == .cgroup)
        _ = state.handle(.key(.escape))
        #expect(state.comparison.expanded == nil)
        _ = state.handle(.key(.up))
        _ = state.handle(.key(.enter))
        let user = text(of: rect, in: DashboardView.render(state, theme: theme)).joined(separator: "\n")
        #expect(user.contains("the host keeps its name") == false && user.contains("User isolates"), "\(user)")
    }

    @Test("a kind shared with the host says how to isolate it")
    func sharedHint() {
        let view = ComparisonView(
            subject: "pid 1 (init)", rows: ComparisonRows.rows(sampleComparison()), cursor: 1, expanded: .ipc)
        let text = ComparisonPanel.lines(view, width: 60).lines.map(\.text).joined(separator: " ")
        #expect(text.contains("ipcmk -Q"))
        #expect(text.contains("key 2"), "\(text)")
    }

    @Test("no comparison yet: a hint; a process that vanished keeps its values, marked ended")
    func emptyAndEnded() throws {
        #expect(renderComparison(nil, width: 66, height: 10).snapshot().contains("launch a child (F5)"))
        let update = DashboardUpdate(
            system: DashboardSystem(
                scanner: try ProcScanner(), hostPID: getpid(), launcher: NamespaceLauncher(), shell: "/bin/sh",
                scrollback: 10))
        var model = DashboardModel(size: TerminalSize(columns: 100, rows: 30), isRoot: true)
        model.comparison.point(at: .process(Int32.max))  // no such process
        model.comparison.latest = ComparisonRows.view(sampleComparison())
        update.refresh(&model)
        #expect(model.comparison.view?.ended == "ended")
        #expect(model.comparison.view?.rows.first?.childFact == "lab")
        #expect(ExitStatus.exited(0).description == "exited: status 0")
        #expect(ExitStatus.signaled(9).description == "killed by signal 9")
    }

    @Test("map lines the reader cannot map read as unmapped, not as a range")
    func unmappedReading() {
        let line = MapLine(inside: 0, outside: UInt32.max, count: UInt32.max)
        #expect(MapPanel.reading(line, idName: "uid").contains("unmapped"))

    }

    @Test("wrapping breaks at spaces and never exceeds the width")
    func wrap() {
        let lines = TextWrap.lines(ComparisonLessons.lesson(.uts), width: 30)
        #expect(lines.allSatisfy { DisplayWidth.width(of: $0) <= 30 })
        #expect(lines.joined(separator: " ") == ComparisonLessons.lesson(.uts))
    }
}

@Suite("Host vs child panel, narrow")
struct ComparisonPanelNarrowTests {
    /// Also guards against a fact cut off with `…` (`msg 0 sem …`, `0 0 429496…`): a row that does not fit wraps.
    @Test("at the 100x30 layout's 50 columns the ids shrink to their last digits, and rows that still do not fit wrap")
    func narrow() {
        let buffer = renderComparison(ComparisonRows.view(sampleComparison()), width: 50, height: 17)
        let screen = buffer.snapshot()
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines[1] == "│uts    […1838] vm          ≠ […2201] lab        │", "\n\(screen)")
        #expect(lines[2] == "│ipc    […1839] msg 0 sem 0 = […1839] msg 1 sem 0│", "\n\(screen)")
        #expect(lines[3] == "│       shm 2                 shm 2              │", "\n\(screen)")
        // Every kind has its row, and no fact is cut: the only … are the short ids'.
        for kind in ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"] {
            #expect(lines.contains { $0.hasPrefix("│" + kind + " ") }, "\(kind)\n\(screen)")
        }
        let characters = Array(screen)
        #expect(
            characters.indices.allSatisfy { characters[$0] != "…" || ($0 > 0 && characters[$0 - 1] == "[") },
            "\n\(screen)")
        #expect(screen.contains("4294967295") && screen.contains("inherited /proc"), "\n\(screen)")
    }
}

@Suite("Host vs child panel, edge cases")
struct ComparisonPanelEdgeTests {
    /// Guards against a crash: an empty view with no explanation open sliced past the end of its lines.
    @Test("an empty view, a cursor past the rows and tiny rects draw without crashing")
    func edges() {
        let empty = ComparisonView(subject: "pid 9 (x)", rows: [], cursor: 3)
        #expect(renderComparison(empty, width: 40, height: 5).snapshot().contains("pid 9 (x)"))
        var view = ComparisonRows.view(sampleComparison())
        view.cursor = 7
        view.expanded = .time
        for (width, height) in [(1, 1), (3, 3), (12, 4), (30, 3)] {
            _ = renderComparison(view, width: width, height: height, focused: true)
        }
        view.scroll = 1000
        let tall = renderComparison(view, width: 30, height: 4, focused: true).snapshot()
        #expect(tall.contains("of "), "a scroll past the end shows the last lines, marked:\n\(tall)")
    }
}
