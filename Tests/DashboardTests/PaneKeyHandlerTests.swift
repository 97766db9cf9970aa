import NamespaceKit
import Testing

@testable import Dashboard

/// The child pane's keys as pure handlers: a key and a model in, the model changed and the actions the update
/// step would carry out out; no pty, no child, no root. Guards the split of the pane's keys (decided here) from
/// their I/O (done by `DashboardUpdate`).
@Suite("Pane key handlers")
struct PaneKeyHandlerTests {
    /// A model with three children's tabs (pids 4001-4003), the last on show and compared, the pane focused;
    /// at 120x35 a split has room.
    func threeTabs() -> (DashboardModel, [ChildTab.ID]) {
        var state = makeState(size: TerminalSize(columns: 120, rows: 35))
        _ = state.type("1")
        let ids = (4001...4003).map { state.launched(pid: Int32($0)) }
        return (state, ids)
    }

    /// `threeTabs` with a host shell on the left of a split, the last child on the right.
    func split() -> (DashboardModel, host: ChildTab.ID, ids: [ChildTab.ID]) {
        var (state, ids) = threeTabs()
        let host = state.addHostTab(pid: 4100, request: LaunchRequest(kinds: [], options: NamespaceOptions()))
        state.split = PaneSplit(left: host.id, right: state.shownTabID)
        return (state, host.id, ids)
    }

    @Test("F6, Shift-F6 and Alt-N show another tab and point the comparison at it, to be read again")
    func tabKeys() {
        var (state, ids) = threeTabs()
        #expect(state.handlePaneKey(.function(6), screens: nil) == [.recompute])
        #expect(state.shownTabID == ids[0])
        #expect(state.comparison.target == .tab(ids[0]))
        #expect(state.handlePaneKey(.modified(.function(6), .shift), screens: nil) == [.recompute])
        #expect(state.shownTabID == ids[2])
        #expect(state.handlePaneKey(.modified(.character("2"), .alt), screens: nil) == [.recompute])
        #expect(state.shownTabID == ids[1])
        // The tab already on show: nothing to read again.
        #expect(state.handlePaneKey(.modified(.character("2"), .alt), screens: nil).isEmpty)
        // No ninth tab: nothing changes.
        #expect(state.handlePaneKey(.modified(.character("9"), .alt), screens: nil).isEmpty)
        #expect(state.shownTabID == ids[1])
    }

    @Test("F8 closes the tab with the keys and asks for its child to be killed; after the last, Namespaces")
    func closeKey() {
        var (state, ids) = threeTabs()
        #expect(state.handlePaneKey(.function(8), screens: nil) == [.kill(ids[2]), .recompute])
        #expect(state.openTabs.map(\.id) == [ids[0], ids[1]])
        #expect(state.shownTabID == ids[1])
        #expect(state.handlePaneKey(.function(8), screens: nil) == [.kill(ids[1]), .recompute])
        #expect(state.handlePaneKey(.function(8), screens: nil) == [.kill(ids[0])])
        #expect(state.openTabs.isEmpty)
        #expect(state.focus == .namespaces)
    }

    @Test("in a split, F8 closes the side with the keys, not the tab on show")
    func closeInSplit() {
        var (state, host, ids) = split()
        state.split?.keys = .left
        #expect(state.handlePaneKey(.function(8), screens: nil) == [.kill(host)])
        #expect(state.shownTabID == ids[2])
    }

    @Test("Shift-PgUp and Shift-PgDn scroll the view of the tab with the keys")
    func scrollKeys() {
        var (state, ids) = threeTabs()
        #expect(state.handlePaneKey(.modified(.pageUp, .shift), screens: nil) == [.scroll(ids[2], forward: false)])
        #expect(state.handlePaneKey(.modified(.pageDown, .shift), screens: nil) == [.scroll(ids[2], forward: true)])
    }

    @Test("other keys and pastes are typed into the child with the keys; broadcast types into both sides")
    func typing() {
        var (state, ids) = threeTabs()
        for key in [Key.character("x"), .enter, .modified(.left, .ctrl), .paste("ls\n"), .function(12)] {
            #expect(state.handlePaneKey(key, screens: nil) == [.type(key, into: [ids[2]])])
        }
        var (split, host, splitIDs) = split()
        #expect(split.handlePaneKey(.character("h"), screens: nil) == [.type(.character("h"), into: [splitIDs[2]])])
        #expect(split.handlePaneKey(.function(10), screens: nil).isEmpty)
        #expect(split.split?.broadcast == true)
        #expect(
            split.handlePaneKey(.character("h"), screens: nil) == [.type(.character("h"), into: [host, splitIDs[2]])])
        // A zoom pauses the broadcast: only the side in sight is typed into.
        #expect(split.handlePaneKey(.modified(.function(9), .shift), screens: nil).isEmpty)
        #expect(split.handlePaneKey(.character("h"), screens: nil) == [.type(.character("h"), into: [splitIDs[2]])])
    }

    @Test("an ended child: Enter relaunches it with the same choices, other keys go nowhere")
    func endedChild() {
        var (state, ids) = threeTabs()
        state.tabEnded(ids[2], status: .exited(0))
        let request = state.tab(ids[2])!.request
        #expect(state.handlePaneKey(.character("x"), screens: nil).isEmpty)
        #expect(state.handlePaneKey(.enter, screens: nil) == [.launch(request)])
    }

    @Test("an ended host shell is not relaunched: the status bar says how to start one")
    func endedHostShell() {
        var (state, host, _) = split()
        state.split?.keys = .left
        state.tabEnded(host, status: .exited(0))
        #expect(state.handlePaneKey(.enter, screens: nil).isEmpty)
        #expect(state.message?.text.contains("S-F7 then F7") == true)
    }

    @Test("while broadcasting, keys go on to the side still running when the other ended")
    func broadcastPastEnded() {
        var (state, host, ids) = split()
        state.split?.broadcast = true
        state.tabEnded(host, status: .exited(0))
        state.split?.keys = .left
        #expect(state.handlePaneKey(.character("x"), screens: nil) == [.type(.character("x"), into: [ids[2]])])
    }

    @Test("F7 asks for a host shell when none runs, reuses a running one, and cycles the left side")
    func splitKeys() {
        var (state, ids) = threeTabs()
        #expect(state.handlePaneKey(.function(7), screens: nil) == [.openSplit])
        #expect(state.split == nil, "the split waits for the host shell")
        var (split, host, _) = split()
        split.split = nil
        #expect(split.handlePaneKey(.function(7), screens: nil).isEmpty)
        #expect(split.split?.leftTabID == host)
        #expect(split.handlePaneKey(.function(7), screens: nil).isEmpty)
        #expect(split.split?.leftTabID == ids[0], "the next left tab after the host is the first child")
        #expect(split.handlePaneKey(.function(9), screens: nil).isEmpty)
        #expect(split.split?.keys == .left)
        #expect(split.handlePaneKey(.modified(.function(9), .shift), screens: nil).isEmpty)
        #expect(split.split?.zoomed == true)
        #expect(split.handlePaneKey(.modified(.function(7), .shift), screens: nil).isEmpty)
        #expect(split.split == nil)
    }

    @Test("F9, Shift-F9 and F10 without a split say how to make one")
    func splitKeysWithoutSplit() {
        for key in [Key.function(9), .modified(.function(9), .shift), .function(10)] {
            var (state, _) = threeTabs()
            #expect(state.handlePaneKey(key, screens: nil).isEmpty)
            #expect(state.message?.text.hasPrefix("No split") == true, "\(key)")
        }
    }

    @Test("Shift-F5 launches inside the child on show, or says why it cannot")
    func launchInside() {
        var (state, ids) = threeTabs()
        // Before a scan has seen the child, its launch (UTS ticked) gives the kinds to join.
        #expect(
            state.handlePaneKey(Key.launchInside, screens: nil).first.map {
                guard case .launch(let request) = $0 else { return false }
                return request.joining == JoinTarget(pid: 4003, kinds: [.uts])
            } == true, "the child is not in the tree yet")
        state.setProcesses(
            DemoData.processes + [ProcessRow(pid: 4003, user: "root", command: "sh", depth: 1, differingKinds: [.uts])])
        let actions = state.handlePaneKey(Key.launchInside, screens: nil)
        guard case .launch(let request)? = actions.first, actions.count == 1 else {
            Issue.record("expected one launch, got \(actions)")
            return
        }
        #expect(request.joining == JoinTarget(pid: state.tab(ids[2])!.pid, kinds: [.uts]))
        // A child that ended has no namespaces to launch inside.
        state.tabEnded(ids[2], status: .exited(0))
        #expect(state.handlePaneKey(Key.launchInside, screens: nil).isEmpty)
        #expect(state.message?.isError == true && state.message?.text.contains("not running") == true)
    }

    @Test("the mouse: a click on a tab's label shows it; other events go to the child's screen area")
    func mouseInPane() throws {
        var (state, ids) = threeTabs()
        let rect = try #require(state.layout.panels[.child])
        let labels = TabBar.labels(state, in: rect, screens: nil)
        let first = try #require(labels.first { $0.id == ids[0] })
        let click = MouseEvent(x: first.x.lowerBound, y: rect.y, kind: .leftClick)
        #expect(state.handlePaneKey(.mouse(click), screens: nil) == [.recompute])
        #expect(state.shownTabID == ids[0])
        let wheel = MouseEvent(x: rect.x + 3, y: rect.y + 3, kind: .scrollUp)
        #expect(
            state.handlePaneKey(.mouse(wheel), screens: nil) == [
                .mouse(wheel, to: ids[0], area: ChildPaneView.screenArea(in: rect))
            ])
    }

    @Test("the mouse in a split: a click gives its side the keys and reaches that side's child")
    func mouseInSplit() throws {
        var (state, host, ids) = split()
        let rect = try #require(state.layout.panels[.child])
        let (left, right) = try #require(state.split).sides(in: rect)
        let inLeft = try #require(left)
        let click = MouseEvent(x: inLeft.x + 5, y: inLeft.y + 3, kind: .leftClick)
        #expect(
            state.handlePaneKey(.mouse(click), screens: nil) == [
                .mouse(click, to: host, area: ChildPaneView.screenArea(in: inLeft))
            ])
        #expect(state.split?.keys == .left)
        let inRight = try #require(right)
        let wheel = MouseEvent(x: inRight.x + 5, y: inRight.y + 3, kind: .scrollDown)
        #expect(
            state.handlePaneKey(.mouse(wheel), screens: nil) == [
                .mouse(wheel, to: ids[2], area: ChildPaneView.screenArea(in: inRight))
            ])
        #expect(state.split?.keys == .left, "only a click moves the keys")
    }

    @Test("every key the pane takes yields only actions the update step carries out, never a pane key again")
    func noLoops() {
        let (state, _) = threeTabs()
        for key in keyUniverse {
            var copy = state
            let actions = copy.handlePaneKey(key, screens: nil)
            #expect(!actions.contains { if case .forwardToChild = $0 { true } else { false } }, "\(key)")
        }
    }
}
