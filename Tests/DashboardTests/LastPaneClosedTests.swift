import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// Guards against the bug where F8 on the last child tab left the keyboard on an empty pane: Tab still
/// cycled through it and every key went nowhere until Ctrl-] was found.
@Suite("Closing the last child pane", .serialized)
struct LastPaneClosedTests {
    /// A state with one child launched, as the owner records it, focused on its pane.
    func stateWithChild(size: TerminalSize = TerminalSize(columns: 100, rows: 30)) -> DashboardModel {
        var state = makeState(size: size)
        _ = state.type("1")
        state.launched(pid: 4242, message: "launched pid 4242 in uts")
        return state
    }

    @Test("the focus goes back to Namespaces and the pane leaves the Tab cycle")
    func focusReturns() {
        var state = stateWithChild()
        #expect(state.focus == .child)
        // F8 is the pane's own key: the dashboard hands it on, and the update step closes the tab.
        #expect(state.press(.function(8)) == [.forwardToChild(.function(8))])
        #expect(state.closeShownTab()?.pid == 4242)
        #expect(state.focus == .namespaces)
        #expect(state.focusablePanels == [.namespaces, .processes, .comparison, .maps])
        _ = state.press(.tab, .tab, .tab, .tab)
        #expect(state.focus == .namespaces, "Tab must not land on the empty pane")
        // Keys reach the dashboard again: a digit ticks, F5 launches.
        _ = state.type("2")
        #expect(state.ticked == [.uts, .ipc])
        #expect(state.press(.function(5)) == [.launch(state.launchRequest)])
    }

    @Test("the pane area shows the idle screen, unfocused, like before the first launch")
    func idleContent() {
        var state = stateWithChild()
        let before = DashboardView.render(makeState(), theme: .builtinMono)
        _ = state.closeShownTab()
        state.ticked = []
        state.message = nil
        let after = DashboardView.render(state, theme: .builtinMono)
        let pane = state.layout.panels[.child]!
        let paneWords = text(of: pane, in: after).joined(separator: " ").split(separator: " ")
        for word in IdleChildPane.lines.joined(separator: " ").split(separator: " ") {
            #expect(paneWords.contains(word), "the idle pane lacks '\(word)'")
        }
        #expect(after[pane.x, pane.y].style == Theme.builtinMono[.border])
        let namespaces = state.layout.panels[.namespaces]!
        #expect(after[namespaces.x, namespaces.y].style == Theme.builtinMono[.focusedBorder])
        #expect(after.lines() == before.lines())
    }

    @Test("in the compact layout the tab bar drops the pane and shows Namespaces")
    func compactLayout() {
        var state = stateWithChild(size: TerminalSize(columns: 99, rows: 22))
        #expect(DashboardView.render(state, theme: .builtinMono).lines()[0].contains("Child terminal"))
        _ = state.closeShownTab()
        let lines = DashboardView.render(state, theme: .builtinMono).lines()
        #expect(!lines[0].contains("Child terminal"))
        #expect(lines[1].contains("Namespaces"))
    }

    @Test("a second launch after closing brings the pane back with the focus")
    func relaunch() {
        var state = stateWithChild()
        _ = state.closeShownTab()
        state.launched(pid: 4243, message: "launched pid 4243 in uts")
        #expect(state.focus == .child)
        #expect(state.focusablePanels.contains(.child))
    }

    /// The live update step: real children, real tabs. Needs root, like the other pane tests.
    @Test("closing the last live tab gives the keyboard back, and only the last; then the idle screen shows")
    func liveUpdate() throws {
        try #require(getuid() == 0, "needs root")
        let harness = Harness(system: .live(shell: "/bin/sh", scrollback: 100))
        try #require(harness.launch([.uts]) != nil)
        try #require(harness.launch([.uts]) != nil)
        harness.press(.function(8))
        #expect(harness.model.focus == .child, "one tab is left")
        harness.press(.function(8))
        #expect(harness.model.focus == .namespaces)
        #expect(!harness.model.focusablePanels.contains(.child))
        let rect = try #require(harness.model.layout.panels[.child])
        var live = ScreenBuffer(size: harness.model.size)
        ChildPaneView.render(
            harness.model, in: rect, focused: false, screens: harness.update.panes, buffer: &live, theme: .builtinMono)
        var idle = ScreenBuffer(size: harness.model.size)
        IdleChildPane.render(in: rect, focused: false, buffer: &idle, theme: .builtinMono)
        #expect(live.lines() == idle.lines())
    }
}
