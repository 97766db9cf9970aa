import Glibc
import NamespaceKit
import TerminalKit
import Testing

@testable import Dashboard

/// Several children, one tab each: switching, closing, scrollback keys, through the real update step.
/// Launches real shells (needs root).
@Suite("Pane tabs", .serialized)
struct PaneTabsTests {
    /// A harness with `count` children in new UTS namespaces, the pane focused.
    func harness(count: Int) throws -> Harness {
        try #require(getuid() == 0, "needs root")
        let harness = Harness(system: .live(shell: "/bin/sh", scrollback: 500))
        for _ in 0..<count {
            try #require(harness.launch([.uts]) != nil, "launch failed: \(String(describing: harness.model.message))")
        }
        return harness
    }

    @Test("each launch gets a tab and is shown; F6, Shift-F6 and Alt-N switch; at least 9 children")
    func switching() throws {
        let harness = try harness(count: 9)
        #expect(harness.model.openTabs.count == 9)
        #expect(harness.model.shownTabIndex == 8)
        harness.press(.function(6))
        #expect(harness.model.shownTabIndex == 0)
        harness.press(.modified(.function(6), .shift))
        #expect(harness.model.shownTabIndex == 8)
        harness.press(.modified(.function(6), .shift))
        #expect(harness.model.shownTabIndex == 7)
        harness.press(.modified(.character("3"), .alt))
        #expect(harness.model.shownTabIndex == 2)
        harness.press(.modified(.character("9"), .alt))
        #expect(harness.model.shownTabIndex == 8)
        #expect(Set(harness.model.openTabs.map(\.pid)).count == 9)
        #expect(harness.watched.count == 9, "every pty is watched")
    }

    /// Guards against the Host vs child panel staying on the last-launched child after Alt-1: the panels
    /// follow the tab on show.
    @Test("the host-vs-child panel follows the tab on show")
    func panelsFollowTab() throws {
        let harness = try harness(count: 2)
        let first = harness.model.openTabs[0]
        #expect(harness.model.comparison.target == .tab(harness.model.openTabs[1].id))
        harness.press(.modified(.character("1"), .alt))
        #expect(harness.model.comparison.target == .tab(first.id))
        #expect(harness.model.comparison.view?.subject.hasPrefix("pid \(first.pid) ") == true)
    }

    @Test("the title row lists every tab with its kinds")
    func tabTitles() throws {
        let harness = try harness(count: 3)
        let rect = Rect(x: 0, y: 0, width: 80, height: 10)
        var buffer = ScreenBuffer(size: TerminalSize(columns: 80, rows: 10))
        ChildPaneView.render(
            harness.model, in: rect, focused: true, screens: harness.update.panes, buffer: &buffer,
            theme: .builtinDefault)
        let pid = harness.model.openTabs[2].pid
        #expect(buffer.lines()[0].contains(" 1 uts ─ 2 uts ─ 3 Child \(pid) [uts] "), "\(buffer.lines()[0])")
        harness.press(.function(6))
        ChildPaneView.render(
            harness.model, in: rect, focused: true, screens: harness.update.panes, buffer: &buffer,
            theme: .builtinDefault)
        #expect(buffer.lines()[0].contains(" 1 Child \(harness.model.openTabs[0].pid) [uts] ─ 2 uts ─ 3 uts "))
    }

    @Test("F8 kills the child on show; its tab goes once it is reaped, and a neighbour is shown")
    func closing() throws {
        let harness = try harness(count: 3)
        harness.press(.modified(.character("2"), .alt))
        let victim = try #require(harness.model.shownTab)
        let fd = try #require(harness.fd(of: victim.id))
        harness.press(.function(8))
        #expect(harness.model.openTabs.count == 2)
        #expect(harness.model.shownTabID != victim.id)
        #expect(harness.model.shownTabIndex == 1)
        #expect(harness.waitEnded(victim.id))
        #expect(harness.model.tab(victim.id) == nil, "a closed, reaped tab is dropped")
        #expect(!harness.watched.contains(fd), "its pty is no longer watched")
        #expect(harness.update.panes.screen(of: victim.id) == nil)
        // Closing the rest leaves no pane, and the keyboard goes back to the Namespaces panel.
        harness.press(.function(8), .function(8))
        #expect(harness.model.openTabs.isEmpty)
        #expect(harness.model.shownTab == nil)
        #expect(harness.model.focus == .namespaces)
    }

    @Test("an ended child's tab closes at once with F8, and Enter on it relaunches first")
    func closingEnded() throws {
        let harness = try harness(count: 1)
        let tab = try #require(harness.model.shownTab)
        harness.press(.control(4))  // Ctrl-D: the shell exits
        #expect(harness.waitEnded(tab.id))
        #expect(harness.model.tab(tab.id)?.exit == .exited(0))
        #expect(harness.model.comparison.view?.ended == "exited: status 0")
        harness.press(.enter)
        #expect(harness.model.openTabs.count == 2, "Enter on the ended tab relaunches with the same choices")
        #expect(harness.model.openTabs.last?.request == tab.request)
        harness.press(.modified(.character("1"), .alt), .function(8))
        #expect(harness.model.tab(tab.id) == nil)
    }

    @Test("Shift-PgUp and Shift-PgDn scroll the view; a key for the child returns it to the bottom")
    func scrollback() throws {
        let harness = try harness(count: 1)
        let id = try #require(harness.model.shownTabID)
        let terminal = try #require(harness.update.panes.screen(of: id))
        for line in 0..<100 { terminal.feed("line \(line)\r\n") }
        harness.press(.modified(.pageUp, .shift))
        let page = terminal.rows - 1
        #expect(terminal.scrollOffset == page)
        harness.press(.modified(.pageUp, .shift))
        #expect(terminal.scrollOffset == 2 * page)
        harness.press(.modified(.pageDown, .shift))
        #expect(terminal.scrollOffset == page)
        harness.press(.character(" "))
        #expect(terminal.scrollOffset == 0)
        harness.press(.modified(.pageUp, .shift))
        terminal.feed("new output\r\n")
        #expect(terminal.scrollOffset == 0)
    }
}
