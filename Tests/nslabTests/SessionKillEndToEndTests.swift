import Foundation
import Glibc
import TestSupport
import Testing

/// Quit, close-tab and a crash take down the child's whole session, not only its shell.
@Suite("the child's session ends with it", .serialized)
struct SessionKillEndToEndTests {
    /// nslab with a shell in a new UTS namespace only (no PID namespace whose end would kill the jobs), two
    /// background jobs started in it (one immune to SIGHUP); returns the session (the shell's pid) and nslab's pid.
    func startWithJobs() throws -> (tmux: TmuxSession, session: pid_t, nslab: pid_t) {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts --launch --shell /bin/sh", width: 120, height: 40,
            environment: ["TERM": "tmux-256color", "PS1": "$ "])
        try tmux.waitFor(#"Child \d+ \[uts\]"#, regex: true)
        try tmux.send("sleep 7777 & nohup sleep 7778 >/dev/null 2>&1 & echo sid-$$-end", literal: true)
        try tmux.send("Enter")
        let screen = try tmux.waitFor(#"sid-\d+-end"#, regex: true)
        let match = try #require(screen.range(of: #"sid-\d+-end"#, options: .regularExpression))
        let session = try #require(pid_t(screen[match].dropFirst(4).dropLast(4)))
        // Both jobs are running in the shell's session before anything is closed.
        let deadline = Date().addingTimeInterval(3)
        while Processes.liveMembers(ofSession: session).count < 3 && Date() < deadline { usleep(20_000) }
        #expect(Processes.liveMembers(ofSession: session).count >= 3, "shell and two sleeps")
        let stat = try String(contentsOfFile: "/proc/\(session)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let nslab = try #require(pid_t(fields[1]))  // the shell's parent: no time namespace keeper here
        return (tmux, session, nslab)
    }

    /// Guards against quit killing only the shell: `--ns uts --launch`, `sleep 7777 &`, `q`, `y` left the sleep
    /// alive with ppid 1.
    @Test("q, y: no process of the child's session lives on")
    func quitKillsTheSession() throws {
        let (tmux, session, _) = try startWithJobs()
        defer { Processes.killSession(session) }
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        let deadline = Date().addingTimeInterval(5)
        while !(try tmux.paneDead()) && Date() < deadline { usleep(50_000) }
        #expect(try tmux.paneDead(), "nslab quit")
        #expect(Processes.sessionEndsSoon(session), "left alive: \(Processes.liveMembers(ofSession: session))")
    }

    /// Guards against F8 closing a tab while the shell's background jobs live on (holding its pty open, too).
    @Test("F8 on a running child: no process of its session lives on, nslab goes on")
    func closeTabKillsTheSession() throws {
        let (tmux, session, nslab) = try startWithJobs()
        defer { Processes.killSession(session) }
        try tmux.send("F8")
        #expect(Processes.sessionEndsSoon(session), "left alive: \(Processes.liveMembers(ofSession: session))")
        let dead = try tmux.paneDead()
        #expect(kill(nslab, 0) == 0 && !dead, "nslab still runs")
    }

    /// Guards against a crash leaving the jobs behind: the shell dies with nslab (its death signal), its jobs did not.
    @Test("a crash signal: no process of the child's session lives on")
    func crashKillsTheSession() throws {
        let (tmux, session, nslab) = try startWithJobs()
        defer { Processes.killSession(session) }
        #expect(kill(nslab, SIGSEGV) == 0)
        #expect(Processes.sessionEndsSoon(session), "left alive: \(Processes.liveMembers(ofSession: session))")
        _ = tmux
    }
}
