import Foundation
import Glibc
import TestSupport
import Testing

/// The repository's themes/ folder, for `--theme projector-dark` by name however the binary was built.
private let themeFolder: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/") + "/themes"
}()

/// The classroom keys in the real binary, driven through tmux and checked through /proc from outside: the
/// presenter layout at a projector's 100x30, and the reset between students.
@Suite("presenter layout and reset end to end", .serialized)
struct ClassroomEndToEndTests {
    /// The pid in the comparison's title, "Host vs child: pid 1234 (sh)".
    static func comparedPID(on screen: String) -> pid_t? {
        guard let range = screen.range(of: #"Host vs child: pid \d+ "#, options: .regularExpression) else { return nil }
        return pid_t(screen[range].dropFirst(19).prefix { $0.isNumber })
    }

    /// `uts:[4026531838]` as the panels write the id: `[4026531838]`.
    static func shownID(_ link: String?) -> String? {
        link.map { "[" + $0.split(separator: "[").last!.dropLast() + "]" }
    }

    /// Guards against a presenter layout that hides what a class should see: at 100x30 the Host vs child panel of
    /// a child launched in all eight kinds showed uts to net only, with ids cut to their last four digits.
    @Test("--present at 100x30: every differing kind of an all-kinds child, both ids whole, and stty size fits")
    func presenterShowsEveryKind() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns all --launch --present --shell /bin/sh", width: 100, height: 30,
            environment: ["PS1": "child$ ", "TERM": "tmux-256color"])
        var screen = try tmux.waitFor("8 of 8 kinds differ", timeout: 15)
        let pid = try #require(Self.comparedPID(on: screen), "\(screen)")
        // nslab runs in the host's namespaces, as this test does: the host side's ids are this process's.
        let hostPID = getpid()
        #expect(Processes.differingKinds(pid).count == 8, "all eight kinds differ in /proc")
        // The panel is refreshed each second; every kind's line shows once the facts are read.
        let deadline = Date().addingTimeInterval(8)
        var missing: [String] = []
        repeat {
            screen = try tmux.screen()
            let lines = screen.split(separator: "\n").map(String.init)
            missing = Processes.kindNames.filter { kind in
                guard let child = Self.shownID(Processes.namespaceLink(pid, kind)),
                    let host = Self.shownID(Processes.namespaceLink(hostPID, kind))
                else { return true }
                let start = "* " + kind.padding(toLength: 8, withPad: " ", startingAt: 0) + host + " "
                return !lines.contains { $0.contains(start) && $0.contains(" ≠ " + child + " ") }
            }
            if missing.isEmpty { break }
            usleep(200_000)
        } while Date() < deadline
        #expect(missing.isEmpty, "kinds not shown whole and marked: \(missing)\n\(screen)")
        #expect(!screen.contains("[…"), "no id is shortened:\n\(screen)")
        #expect(!screen.contains("Processes") && !screen.contains("uid/gid maps"), "only two panels:\n\(screen)")
        // The pane's pty has its box's size.
        try LessonEndToEndTests.typeLine("stty size", into: tmux)
        var found: (String, LessonEndToEndTests.PaneBox)?
        let sttyDeadline = Date().addingTimeInterval(5)
        while found == nil && Date() < sttyDeadline {
            screen = try tmux.screen()
            if let box = LessonEndToEndTests.box(on: screen, titled: "Child \(pid) ["),
                let line = box.inner.first(where: { $0.wholeMatch(of: /[0-9]+ [0-9]+ */) != nil })
            {
                found = (line.trimmingCharacters(in: .whitespaces), box)
            } else {
                usleep(100_000)
            }
        }
        let (stty, box) = try #require(found, "no stty line in the pane:\n\(screen)")
        #expect(stty == "\(box.rows) \(box.columns)", "stty size says \(stty) in its box:\n\(screen)")
        #expect(box.columns == 98, "the pane is full width:\n\(screen)")
        try LessonEndToEndTests.quit(tmux, pid)
    }

    @Test("P below 100x30 says what it needs and draws the ordinary layout; at 100x30 it takes over")
    func presenterFallsBack() throws {
        try requireRoot()
        let tmux = try TmuxSession("\(Binary.path) --shell /bin/sh", width: 90, height: 26)
        try tmux.waitFor("Namespaces")
        try tmux.send("P")
        let small = try tmux.waitFor("presenter needs 100x30")
        #expect(small.contains("Namespaces"), "\(small)")
        try tmux.resize(width: 100, height: 30)
        let large = try tmux.waitFor("launch a child (F5): what differs")
        #expect(!large.contains("presenter needs"), "\(large)")
        try tmux.send("q")
    }

    @Test("nslab lesson 1 --present: the lesson's child in the presenter layout, its step in one line")
    func lessonInPresenter() throws {
        try requireRoot()
        let tmux = try LessonEndToEndTests.session(
            "\(Binary.path) lesson 1 --present --shell /bin/sh --theme projector-dark", width: 100, height: 30,
            environment: ["NSLAB_THEME_PATH": themeFolder])
        let screen = try tmux.waitFor(#"kinds differ"#, regex: true, timeout: 15)
        let pid = try #require(LessonEndToEndTests.childPID(on: screen), "\(screen)")
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The row above the status bar is the lesson's line: its number and the current step.
        #expect(rows.count >= 30 && rows[28].hasPrefix("Lesson 1 "), "\(screen)")
        #expect(rows.contains { $0.contains("* uts     [") }, "the UTS row differs:\n\(screen)")
        #expect(!screen.contains("Processes"), "\(screen)")
        try LessonEndToEndTests.quit(tmux, pid)
    }

    /// The live processes whose command line is exactly `words`, from /proc.
    static func processes(running words: [String]) -> [pid_t] {
        let wanted = Array(words.joined(separator: "\0").utf8) + [0]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return [UInt8](data) == wanted && !Processes.endsSoon(pid, within: 0)
        }
    }

    /// The session id a shell prints with `echo sid-$$-end` in the pane, once it shows.
    static func session(typing marker: String, into tmux: TmuxSession) throws -> pid_t {
        try tmux.send("sleep 7777 & nohup sleep 7778 >/dev/null 2>&1 & echo \(marker)-$$-end", literal: true)
        try tmux.send("Enter")
        let screen = try tmux.waitFor(#"\#(marker)-\d+-end"#, regex: true)
        let match = try #require(screen.range(of: #"\#(marker)-\d+-end"#, options: .regularExpression))
        return try #require(pid_t(screen[match].dropFirst(marker.count + 1).prefix { $0.isNumber }))
    }

    /// The reset's bar: several children (each with background jobs, one immune to SIGHUP), reset, and nothing of
    /// them lives on in /proc; the dashboard's panels read as they did at start.
    @Test("R y: every child and every process it started is gone, and the dashboard is as at start")
    func resetEndsEveryChild() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts --shell /bin/sh", width: 120, height: 35,
            environment: ["PS1": "child$ ", "TERM": "tmux-256color"])
        let start = try tmux.waitFor("tick kinds (1-8), F5 launches")
        var sessions: [pid_t] = []
        for index in 1...3 {
            try tmux.send("F5")
            try tmux.waitFor("child$", timeout: 10)
            sessions.append(try Self.session(typing: "s\(index)", into: tmux))
            if index == 3 {
                // One process leaves its child's session (setsid) and ignores the hang-up: a session kill misses it.
                try tmux.send("setsid -w nohup sleep 7779 >/dev/null 2>&1 &", literal: true)
                try tmux.send("Enter")
            }
            try tmux.send("C-]")
        }
        var strays: [pid_t] = []
        let strayDeadline = Date().addingTimeInterval(5)
        while strays.isEmpty && Date() < strayDeadline {
            strays = Self.processes(running: ["sleep", "7779"])
            if strays.isEmpty { usleep(50_000) }
        }
        defer { for pid in Self.processes(running: ["sleep", "7779"]) { kill(pid, SIGKILL) } }
        #expect(strays.count == 1, "the setsid sleep started")
        var members: [pid_t] = strays
        for session in sessions {
            let deadline = Date().addingTimeInterval(3)
            while Processes.liveMembers(ofSession: session).count < 3 && Date() < deadline { usleep(20_000) }
            members += Processes.liveMembers(ofSession: session)
        }
        defer { for session in sessions { Processes.killSession(session) } }
        #expect(members.count >= 10, "a shell and two jobs in each of three sessions, and the stray: \(members)")
        try tmux.send("R")
        try tmux.waitFor("close 3 tabs")
        try tmux.send("y")
        let after = try tmux.waitFor("Reset: 3 tabs closed")
        for session in sessions {
            #expect(Processes.sessionEndsSoon(session), "left alive: \(Processes.liveMembers(ofSession: session))")
        }
        for pid in members { #expect(Processes.endsSoon(pid), "pid \(pid) lives on") }
        #expect(!(try tmux.paneDead()), "nslab goes on")
        // As at start: the idle pane, no tab, and the Namespaces panel as it was (UTS ticked by --ns).
        func panel(_ title: String, _ screen: String) -> [String]? {
            LessonEndToEndTests.box(on: screen, titled: title)?.inner
        }
        for title in ["Namespaces", "Child terminal"] {
            let before = try #require(panel(title, start), "\(title) at start:\n\(start)")
            #expect(panel(title, after) == before, "\(title) after the reset:\n\(after)")
        }
        #expect(after.range(of: #"Child \d+ \["#, options: .regularExpression) == nil, "no child's tab:\n\(after)")
        // And the next child is a new one, in the start's kinds.
        try tmux.send("F5")
        let relaunched = try tmux.waitFor(#"Child \d+ \[uts\]"#, regex: true, timeout: 10)
        let pid = try #require(LessonEndToEndTests.childPID(on: relaunched))
        #expect(!sessions.contains(pid))
        try LessonEndToEndTests.quit(tmux, pid)
    }
}
