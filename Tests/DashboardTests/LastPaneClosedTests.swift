import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// Guards against the bug where F8 on the last child tab left the keyboard on an empty pane: Tab still
/// cycled through it and every key went nowhere until Ctrl-] was found.
@Suite("Closing the last child pane", .serialized)
struct LastPaneClosedTests {
    /// A state with one child launched, as the owner records it, focused on its pane.
    func stateWithChild(size: TerminalSize = TerminalSize(columns: 100, rows: 30)) -> AppState {
        var state = makeState(size: size)
        _ = state.type("1")
        state.childStarted(message: "launched pid 4242 in uts")
        return state
    }

    @Test("the focus goes back to Namespaces and the pane leaves the Tab cycle")
    func focusReturns() {
        var state = stateWithChild()
        #expect(state.focus == .child)
        // F8 is the pane's own key: the dashboard hands it on, and the pane answers that none is left.
        #expect(state.press(.function(8)) == [.forwardToChild(.function(8))])
        state.childPanesClosed()
        #expect(state.focus == .namespaces)
        #expect(state.focusablePanels == [.namespaces, .processes, .maps, .comparison])
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
        state.childPanesClosed()
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
        state.childPanesClosed()
        let lines = DashboardView.render(state, theme: .builtinMono).lines()
        #expect(!lines[0].contains("Child terminal"))
        #expect(lines[1].contains("Namespaces"))
    }

    @Test("a second launch after closing brings the pane back with the focus")
    func relaunch() {
        var state = stateWithChild()
        state.childPanesClosed()
        state.childStarted(message: "launched pid 4243 in uts")
        #expect(state.focus == .child)
        #expect(state.focusablePanels.contains(.child))
    }

    /// The live wiring: real children, real tabs. Needs root, like the other pane tests.
    @Test("the live pane reports the last close, and only the last, and then draws the idle screen")
    func liveHooks() throws {
        try #require(getuid() == 0, "needs root")
        let sessions = ChildSessions(shell: "/bin/sh", scrollback: 100)
        defer { sessions.shutdown() }
        let hooks = LiveHooks.make(sessions: sessions)
        var state = makeState()
        _ = state.type("1")
        for _ in 0..<2 {
            guard case .started(let message, _) = hooks.launch(state.launchRequest) else {
                Issue.record("launch failed")
                return
            }
            state.childStarted(message: message)
        }
        #expect(hooks.forwardToChild(.function(8)).isEmpty, "one tab is left")
        #expect(hooks.forwardToChild(.function(8)) == [.childPanesClosed])
        state.childPanesClosed()
        let rect = try #require(state.layout.panels[.child])
        var live = ScreenBuffer(size: state.size)
        hooks.childPane?(rect, false, &live, .builtinMono)
        var idle = ScreenBuffer(size: state.size)
        IdleChildPane.render(in: rect, focused: false, buffer: &idle, theme: .builtinMono)
        #expect(live.lines() == idle.lines())
        #expect(state.focus == .namespaces)
    }
}
