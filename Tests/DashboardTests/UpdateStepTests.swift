import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// A pipe standing in for a child's pty: the update step writes keys into `write`, the test reads `read`.
final class KeyPipe {
    let read: Int32
    let write: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0)
        read = ends[0]
        write = ends[1]
        SystemCall.setNonBlocking(FileDescriptor(rawValue: read))
    }

    deinit {
        close(read)
        close(write)
    }

    /// Everything written so far.
    func drain() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case .success(let count) = chunk.withUnsafeMutableBytes({
            SystemCall.read(FileDescriptor(rawValue: read), into: $0)
        }), count > 0 {
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The update step on its own: events in, the next model (and the loop's effects) out, on the fixture /proc
/// with a stand-in child, no terminal involved.
@Suite("Update step")
struct UpdateStepTests {
    @Test("F5 adds a shown, compared tab, asks the loop to watch its pty, and marks the child in the tree")
    func launch() throws {
        let pipe = KeyPipe()
        let harness = Harness(system: try LabFixture.system(keys: pipe.write))
        let tab = try #require(harness.launch([.uts, .pid]))
        #expect(tab.pid == LabFixture.child && harness.model.shownTabID == tab.id)
        #expect(harness.model.focus == .child)
        #expect(harness.model.comparison.target == .tab(tab.id))
        #expect(harness.model.comparison.view?.subject == "pid 2002 (bash)")
        #expect(harness.watched.count == 1)
        #expect(harness.model.processes.filter(\.isChild).map(\.pid) == [2002, 2010])
        #expect(harness.model.message?.text == "launched pid 2002 in uts,pid")
    }

    @Test("keys in the pane reach the child's pty, encoded; the pane's own keys do not")
    func keysReachThePty() throws {
        let pipe = KeyPipe()
        let harness = Harness(system: try LabFixture.system(keys: pipe.write))
        try #require(harness.launch([.uts]) != nil)
        harness.press(.character("l"), .character("s"), .enter, .up, .function(6))
        #expect(pipe.drain() == "ls\r\u{1b}[A")
        harness.send(.input(.key(.paste("echo hi"))))
        #expect(pipe.drain() == "echo hi", "no bracketed paste until the child asks for it")
    }

    /// Guards against recomputing the comparison while drawing (it forked helpers from `render`): the
    /// recompute after keys is a wake-up the update step asks for, and happens only when it is due.
    @Test("keys ask for one recompute after the delay; a wake before it is due changes nothing")
    func recomputeAfterKeys() throws {
        let pipe = KeyPipe()
        let harness = Harness(system: try LabFixture.system(keys: pipe.write))
        var clock: UInt64 = 1_000_000_000
        harness.update.now = { clock }
        try #require(harness.launch([.uts]) != nil)
        harness.press(.character("a"), .character("b"))
        #expect(harness.wakes == [0.25], "one wake-up for keys in a burst")
        #expect(harness.model.comparison.recomputeDue == clock + DashboardUpdate.afterKeysDelay)
        #expect(harness.send(.wake).changedPanels == false)
        #expect(harness.model.comparison.recomputeDue != nil)
        clock += DashboardUpdate.afterKeysDelay
        #expect(harness.send(.wake).changedPanels)
        #expect(harness.model.comparison.recomputeDue == nil)
    }

    /// Guards against the pty resize that `render` used to do: sizes follow the layout in the update step,
    /// and drawing at another size changes no pane.
    @Test("a resize gives every pane the pane area's size; drawing resizes nothing")
    func resizeFitsPanes() throws {
        let harness = Harness(system: try LabFixture.system(), size: TerminalSize(columns: 120, rows: 35))
        let tab = try #require(harness.launch([.uts]))
        let screen = try #require(harness.update.panes.screen(of: tab.id))
        let area = ChildPaneView.screenArea(in: try #require(harness.model.layout.panels[.child]))
        #expect(screen.rows == area.height && screen.cols == area.width)
        harness.send(.input(.resize(TerminalSize(columns: 160, rows: 45))))
        let wider = ChildPaneView.screenArea(in: try #require(harness.model.layout.panels[.child]))
        #expect(screen.rows == wider.height && screen.cols == wider.width)
        var other = harness.model
        other.size = TerminalSize(columns: 100, rows: 30)
        _ = DashboardView.render(other, theme: .builtinMono, screens: harness.update.panes)
        #expect(screen.rows == wider.height && screen.cols == wider.width, "render must not resize a pane")
    }

    @Test("moving in the tree points the comparison and the maps at the selected process")
    func selectionPointsPanels() throws {
        let harness = Harness(system: try LabFixture.system())
        #expect(harness.model.comparison.target == nil, "nothing is compared before a launch or a move")
        harness.model.focus = .processes
        while harness.model.selectedPID != 3100 { harness.press(.down) }
        #expect(harness.model.comparison.target == .process(3100))
        #expect(harness.model.comparison.view?.subject == "pid 3100 (nginx)")
        #expect(harness.model.comparison.view?.rows.first?.childFact == "web")
        #expect(harness.model.maps.first?.subject == "pid 3100 (nginx), read from the host")
    }

    @Test("a pty that hangs up is unwatched and its tab remembers it; q asks while the child runs")
    func hangupAndQuit() throws {
        let pipe = KeyPipe()
        let harness = Harness(system: try LabFixture.system(keys: pipe.write))
        let tab = try #require(harness.launch([.uts]))
        let fd = try #require(harness.fd(of: tab.id))
        harness.send(.ptyHangup(fd))
        #expect(harness.watched.isEmpty)
        #expect(harness.model.tab(tab.id)?.ptyOpen == false)
        harness.press(Key.leavePane, .character("q"))
        #expect(harness.model.overlay == .confirmQuit && !harness.quitAsked)
        harness.press(.character("y"))
        #expect(harness.quitAsked)
    }

    @Test("a refresh rescans: a process that appears in the tree shows at the next tick")
    func refreshRescans() throws {
        let copy = "/tmp/nslab-lab-\(getpid())"
        defer { _ = system("rm -rf '\(copy)'") }
        try #require(system("cp -a '\(LabFixture.path)' '\(copy)'") == 0)
        let scanner = try ProcScanner(root: ProcRoot(copy), inside: LabInside())
        let harness = Harness(
            system: DashboardSystem(
                scanner: scanner, hostPID: LabFixture.host, launcher: StandInLauncher(pid: 2002, terminalFD: nil),
                shell: "/bin/sh", scrollback: 10))
        #expect(!harness.model.processes.contains { $0.pid == 2999 })
        try #require(system("cp -a '\(copy)/2010' '\(copy)/2999' && sed -i 's/^2010 /2999 /' '\(copy)/2999/stat'") == 0)
        harness.send(.refresh)
        #expect(harness.model.processes.contains { $0.pid == 2999 })
    }
}

/// An inside reader that counts how often facts were read, i.e. how often helpers would be started.
final class CountingInside: InsideReader, @unchecked Sendable {
    private(set) var reads = 0
    /// The pids whose facts were read, in order.
    private(set) var readPIDs: [Int32] = []
    func facts(of pid: Int32, root: ProcRoot, interfaceNames: [String]) -> InsideFacts {
        reads += 1
        readPIDs.append(pid)
        return LabInside().facts(of: pid, root: root, interfaceNames: interfaceNames)
    }
    func maps(readInUserNamespaceOf pid: Int32, root: ProcRoot, subjects: [Int32]) -> [MapReading]? {
        LabInside().maps(readInUserNamespaceOf: pid, root: root, subjects: subjects)
    }

    /// A harness over the lab fixture whose facts are read through this reader, with a stand-in child (pid
    /// 2002) launched in a UTS namespace.
    func harnessWithLaunchedChild() throws -> Harness {
        let scanner = try ProcScanner(root: ProcRoot(LabFixture.path), inside: self)
        let harness = Harness(
            system: DashboardSystem(
                scanner: scanner, hostPID: LabFixture.host, launcher: StandInLauncher(pid: 2002, terminalFD: nil),
                shell: "/bin/sh", scrollback: 10))
        try #require(harness.launch([.uts]) != nil)
        return harness
    }
}

@Suite("Update step, SIGCHLD")
struct ChildExitedTests {
    /// Guards against a loop that kept one core busy: each recompute starts fact helpers, whose exit raises
    /// SIGCHLD, and a SIGCHLD recomputed whether or not a tab's child had ended.
    @Test("SIGCHLD from something that is not a tab's child reads no facts")
    func noRecomputeWithoutEndedChild() throws {
        let inside = CountingInside()
        let harness = try inside.harnessWithLaunchedChild()
        let before = inside.reads
        #expect(before > 0, "the launch compared the child with the host")
        for _ in 0..<5 { harness.send(.childExited) }
        #expect(inside.reads == before)
    }
}

@Suite("Update step, work per key at scale")
struct WorkPerKeyTests {
    /// Guards the tree's key time at 20,000 processes: each move of the selection compares another process
    /// with the host, and re-reading the host's facts every time doubled the work of a key.
    @Test("moving through the tree reads the selected process's facts only; a scan reads the host's again")
    func hostFactsOncePerScan() throws {
        let inside = CountingInside()
        let harness = try inside.harnessWithLaunchedChild()
        harness.model.focus = .processes
        harness.model.selectedPID = 1
        let before = inside.readPIDs.count
        var selected: [Int32] = []
        for _ in 0..<4 {
            harness.send(.input(.key(.down)))
            selected.append(try #require(harness.model.selectedPID))
        }
        // One process's facts per key, the selected one's: the host's came from the last scan.
        #expect(Array(inside.readPIDs[before...]) == selected)
        let afterMoves = inside.readPIDs.count
        harness.send(.refresh)
        #expect(inside.readPIDs[afterMoves...].filter { $0 == LabFixture.host }.count == 1)
    }

    /// Guards peak memory at 20,000 processes: with nothing collapsed every row is visible, and a second array
    /// of the same rows was one more copy of the tree.
    @Test("with nothing collapsed the visible rows are the tree's own array, not a copy")
    func visibleRowsShareTheTree() throws {
        let harness = Harness(system: try LabFixture.system())
        let model = harness.model
        try #require(model.processes.count > 3)
        let tree = model.processes.withUnsafeBufferPointer { $0.baseAddress }
        let visible = model.visibleProcesses.withUnsafeBufferPointer { $0.baseAddress }
        #expect(tree == visible)
        var collapsed = model
        collapsed.collapsed = [1]
        #expect(collapsed.visibleProcesses.count < collapsed.processes.count)
    }
}
