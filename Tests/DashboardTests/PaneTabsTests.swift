import Glibc
import NamespaceKit
import Testing
import TerminalKit

@testable import Dashboard

/// Several children, one tab each: switching, closing, scrollback keys. Launches real shells (needs root).
@Suite("Pane tabs", .serialized)
struct PaneTabsTests {
    /// Sessions with `count` children in new UTS namespaces.
    func sessions(count: Int) throws -> ChildSessions {
        try #require(getuid() == 0, "needs root")
        let sessions = ChildSessions(shell: "/bin/sh", scrollback: 500)
        for _ in 0..<count {
            guard case .started = sessions.launch(LaunchRequest(kinds: [.uts], options: NamespaceOptions())) else {
                Issue.record("launch failed")
                return sessions
            }
        }
        return sessions
    }

    /// Reaps until `session` has ended (up to 5 s), then delivers its hangup like the loop would.
    func waitGone(_ session: PaneSession, in sessions: ChildSessions) {
        for _ in 0..<500 where session.exit == nil {
            _ = sessions.reap()
            usleep(10_000)
        }
        if session.fd >= 0 { sessions.hangup(session.fd) }
    }

    @Test("each launch gets a tab and is shown; F6, Shift-F6 and Alt-N switch; at least 9 children")
    func switching() throws {
        let sessions = try sessions(count: 9)
        defer { sessions.shutdown() }
        #expect(sessions.tabs.count == 9)
        #expect(sessions.current == 8)
        #expect(sessions.forward(.function(6)) == nil)
        #expect(sessions.current == 0)
        _ = sessions.forward(.modified(.function(6), .shift))
        #expect(sessions.current == 8)
        _ = sessions.forward(.modified(.function(6), .shift))
        #expect(sessions.current == 7)
        _ = sessions.forward(.modified(.character("3"), .alt))
        #expect(sessions.current == 2)
        _ = sessions.forward(.modified(.character("9"), .alt))
        #expect(sessions.current == 8)
        #expect(Set(sessions.tabs.map(\.child.pid)).count == 9)
    }

    @Test("the title row lists every tab with its kinds")
    func tabTitles() throws {
        let sessions = try sessions(count: 3)
        defer { sessions.shutdown() }
        var buffer = ScreenBuffer(size: TerminalSize(columns: 80, rows: 10))
        sessions.render(in: Rect(x: 0, y: 0, width: 80, height: 10), focused: true, buffer: &buffer, theme: .builtinDefault)
        let title = buffer.lines()[0]
        #expect(title.contains(" 1 uts ─ 2 uts ─ 3 Child \(sessions.tabs[2].child.pid) [uts] "), "\(title)")
        _ = sessions.forward(.function(6))
        sessions.render(in: Rect(x: 0, y: 0, width: 80, height: 10), focused: true, buffer: &buffer, theme: .builtinDefault)
        #expect(buffer.lines()[0].contains(" 1 Child \(sessions.tabs[0].child.pid) [uts] ─ 2 uts ─ 3 uts "))
    }

    @Test("F8 kills the child on show; its tab goes once it is reaped, and a neighbour is shown")
    func closing() throws {
        let sessions = try sessions(count: 3)
        defer { sessions.shutdown() }
        _ = sessions.forward(.modified(.character("2"), .alt))
        let victim = try #require(sessions.focused)
        _ = sessions.forward(.function(8))
        #expect(sessions.tabs.count == 2)
        #expect(sessions.focused !== victim)
        #expect(sessions.current == 1)
        waitGone(victim, in: sessions)
        #expect(victim.exit == .signaled(SIGKILL))
        #expect(!sessions.sessions.contains { $0 === victim })
        // Closing the rest leaves no pane; keys then do nothing.
        _ = sessions.forward(.function(8))
        _ = sessions.forward(.function(8))
        #expect(sessions.tabs.isEmpty)
        #expect(sessions.focused == nil)
        #expect(sessions.forward(.enter) == nil)
    }

    @Test("an ended child's tab closes at once with F8, and Enter on it asks for a relaunch first")
    func closingEnded() throws {
        let sessions = try sessions(count: 1)
        defer { sessions.shutdown() }
        let session = try #require(sessions.focused)
        _ = sessions.forward(.control(4))  // Ctrl-D: the shell exits
        waitGone(session, in: sessions)
        #expect(session.exit == .exited(0))
        #expect(sessions.forward(.enter) == session.request)
        _ = sessions.forward(.function(8))
        #expect(sessions.tabs.isEmpty)
        #expect(sessions.sessions.isEmpty)
    }

    @Test("Shift-PgUp and Shift-PgDn scroll the view; a key for the child returns it to the bottom")
    func scrollback() throws {
        let sessions = try sessions(count: 1)
        defer { sessions.shutdown() }
        let terminal = try #require(sessions.focused).terminal
        for line in 0..<100 { terminal.feed("line \(line)\r\n") }
        _ = sessions.forward(.modified(.pageUp, .shift))
        let page = terminal.rows - 1
        #expect(terminal.scrollOffset == page)
        _ = sessions.forward(.modified(.pageUp, .shift))
        #expect(terminal.scrollOffset == 2 * page)
        _ = sessions.forward(.modified(.pageDown, .shift))
        #expect(terminal.scrollOffset == page)
        _ = sessions.forward(.character(" "))
        #expect(terminal.scrollOffset == 0)
        _ = sessions.forward(.modified(.pageUp, .shift))
        terminal.feed("new output\r\n")
        #expect(terminal.scrollOffset == 0)
    }
}
