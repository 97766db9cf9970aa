import Foundation
import Testing

/// The inside size of the child pane on a captured screen: the box whose title row holds "Child".
private func paneSize(on screen: String) -> (rows: Int, columns: Int)? {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    guard let top = lines.firstIndex(where: { String($0).contains("┌  1 Child ") }) else { return nil }
    let row = lines[top]
    let title = String(row).range(of: "Child ").map {
        String(row).distance(from: String(row).startIndex, to: $0.lowerBound)
    }
    guard let title, let left = row[..<title].lastIndex(of: "┌"), let right = row[title...].firstIndex(of: "┐") else {
        return nil
    }
    guard let bottom = lines[(top + 1)...].firstIndex(where: { $0.count > left && $0[left] == "└" }) else { return nil }
    return (bottom - top - 1, right - left - 1)
}

/// The child pane in the real binary, in tmux: full-screen programs, resizing, Ctrl-C, several children.
@Suite("child pane end to end", .serialized)
struct PaneEndToEndTests {
    /// nslab with a shell in a new UTS namespace, started at once; TERM is one that knows modified keys.
    func start(width: Int = 120, height: Int = 40) throws -> TmuxSession {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts --launch --shell /bin/sh", width: width, height: height,
            environment: ["TERM": "tmux-256color", "PS1": "$ "])
        try tmux.waitFor(#"Child \d+ \[uts\]"#, regex: true)
        return tmux
    }

    /// Types a line into the child.
    func type(_ tmux: TmuxSession, _ line: String) throws {
        try tmux.send(line, literal: true)
        try tmux.send("Enter")
    }

    @Test("less runs full-screen in the pane, pages, and its exit brings the shell's screen back")
    func lessInPane() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pane-less-\(getpid()).txt")
        try (1...300).map { "numbered line \($0)" }.joined(separator: "\n").write(
            to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let tmux = try start()
        try type(tmux, "echo before-$((40+2))")
        try tmux.waitFor("before-42")
        try type(tmux, "less \(file.path)")
        var screen = try tmux.waitFor("│numbered line 1 ", timeout: 5)
        #expect(!screen.contains("before-42"), "less uses the alternate screen")
        try tmux.send("G")
        screen = try tmux.waitFor("numbered line 300")
        #expect(!screen.contains("numbered line 1 "))
        try tmux.send("g")
        try tmux.waitFor("numbered line 2 ")
        try tmux.send("q")
        screen = try tmux.waitFor("before-42")
        #expect(!screen.contains("numbered line 300"))
    }

    @Test("resizing the outer terminal resizes the child's pty: stty size matches the pane")
    func resizing() throws {
        let tmux = try start(width: 120, height: 40)
        var sizes: [(Int, Int)] = []
        for (width, height) in [(120, 40), (150, 50), (100, 32)] {
            try tmux.resize(width: width, height: height)
            usleep(300_000)
            try type(tmux, "echo size-$(stty size | tr ' ' x)-end")
            let screen = try tmux.waitFor(#"size-\d+x\d+-end"#, regex: true)
            let pane = try #require(paneSize(on: screen), "\(screen)")
            let reported = try #require(screen.range(of: #"size-\d+x\d+-end"#, options: .regularExpression))
            let numbers = screen[reported].dropFirst(5).dropLast(4).split(separator: "x").compactMap { Int($0) }
            #expect(numbers == [pane.rows, pane.columns], "\(screen)")
            sizes.append((pane.rows, pane.columns))
            try type(tmux, "clear")
            usleep(200_000)
        }
        #expect(Set(sizes.map { "\($0.0)x\($0.1)" }).count == 3, "the pane size followed the window")
    }

    @Test("Ctrl-C reaches the child: sleep is interrupted and the prompt returns")
    func controlC() throws {
        let tmux = try start()
        try type(tmux, "sleep 100 && echo not-interrupted")
        usleep(300_000)
        try tmux.send("C-c")
        try type(tmux, "echo back-$((1+1))")
        let screen = try tmux.waitFor("back-2", timeout: 5)
        #expect(!screen.contains("│not-interrupted"))
    }

    @Test("several children: F5 adds a tab, F6 and Alt-N switch, F8 closes, Shift-PgUp scrolls back")
    func severalChildren() throws {
        let tmux = try start()
        try type(tmux, "echo first-$((1+0))")
        try tmux.waitFor("first-1")
        try tmux.send("C-]")
        try tmux.send("F5")
        try tmux.waitFor(#" 1 uts ─ 2 Child \d+ \[uts\]"#, regex: true)
        try type(tmux, "echo second-$((1+1))")
        var screen = try tmux.waitFor("second-2")
        #expect(!screen.contains("first-1"))
        try tmux.send("F6")
        screen = try tmux.waitFor(#" 1 Child \d+ \[uts\] ─ 2 uts"#, regex: true)
        #expect(screen.contains("first-1") && !screen.contains("second-2"))
        try tmux.send("M-2")
        try tmux.waitFor("second-2")
        try tmux.send("S-F6")
        try tmux.waitFor(#" 1 Child \d+ \[uts\] ─ 2 uts"#, regex: true)
        // History: many lines, then Shift-PgUp shows the early ones again.
        try type(tmux, "seq 1 200 | sed 's/^/hist-/'")
        try tmux.waitFor("hist-200")
        let early = #"│hist-1[0-5]\d "#
        #expect(try tmux.screen().range(of: early, options: .regularExpression) == nil)
        // Three pages: the pane is 13 rows tall at 120x40 since Host vs child has room for wrapped rows.
        try tmux.send("S-PPage")
        try tmux.send("S-PPage")
        try tmux.send("S-PPage")
        try tmux.waitFor(early, regex: true)
        try tmux.send("S-NPage")
        try tmux.send("S-NPage")
        try tmux.send("S-NPage")
        try tmux.waitFor("│hist-200 ")
        // F8 closes tab 1 (killing its shell); tab 2 is left and shown.
        try tmux.send("F8")
        screen = try tmux.waitFor(#"┌  1 Child \d+ \[uts\] ─+┐"#, regex: true)
        #expect(screen.contains("second-2"))
        #expect(!screen.contains(" 2 uts"))
    }

    /// Guards against F8 on the last tab leaving the keyboard on an empty pane, where every key was lost.
    @Test("F8 on the last tab shows the idle pane and gives the keys back to the Namespaces panel")
    func closingTheLastTab() throws {
        let tmux = try start()
        try tmux.send("F8")
        let screen = try tmux.waitFor("its terminal appears here; Ctrl-] comes back")
        #expect(screen.contains("┌ Namespaces"))
        // A digit ticks IPC at once: the keys reach the dashboard, not a pane that is gone.
        try tmux.send("2")
        try tmux.waitFor("[x] 2 IPC")
    }

    @Test("a flood of random bytes never stops the keys: Ctrl-C ends it and the shell answers")
    func flood() throws {
        let tmux = try start()
        try type(tmux, "cat /dev/urandom")
        usleep(1_500_000)
        let started = Date()
        try tmux.send("C-c")
        usleep(300_000)
        try tmux.send("C-c")
        try tmux.send("C-u")
        // A line typed while the shell still handles the second Ctrl-C is thrown away with it (seen under load:
        // `$ ^Cprintf …` and a new prompt), so the line is typed again while the shell has not answered.
        var answered = false
        for _ in 0..<3 where !answered {
            try type(tmux, "printf '\\033c'; echo alive-$((2+2))")
            answered = (try? tmux.waitFor("alive-4", timeout: 3)) != nil
        }
        #expect(answered, "the shell answers after the flood")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try !tmux.paneDead())
    }

    @Test("Ctrl and Alt with arrows and characters, and a bracketed paste, reach the child as xterm sends them")
    func modifiedKeysAndPaste() throws {
        let tmux = try start()
        // The child asks for bracketed paste, then shows what it reads.
        try type(tmux, "printf '\\033[?2004h'; cat -v")
        usleep(300_000)
        try tmux.send("C-Left", "M-x", "S-Up")
        try tmux.send("Enter")
        try tmux.waitFor("^[[1;5D^[x^[[1;2A")
        try tmux.tmux(["set-buffer", "pasted-text"])
        try tmux.tmux(["paste-buffer", "-p", "-t", tmux.name])
        try tmux.send("Enter")
        try tmux.waitFor("^[[200~pasted-text^[[201~")
    }
}
