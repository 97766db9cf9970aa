import Foundation
import Testing

/// Keys in the forms tmux sends them, under a TERM whose terminfo lists other forms: the real binary in tmux.
@Suite("key forms end to end", .serialized)
struct KeyFormsEndToEndTests {
    /// Issue 12: tmux sends End as `ESC [ 4 ~` and Home as `ESC [ 1 ~`, which xterm's terminfo does not list, so
    /// under TERM=xterm-256color they reached the dashboard as '[', '4', '~' and ticked Mount (and UTS).
    /// Under TERM=rxvt and vt220 terminfo lists the same sequences as the keys Find and Select, which were dropped.
    /// Space on the cursor then tells where End and Home put it: on Launch it launches, on a kind it ticks it.
    @Test("tmux's End and Home move the cursor and tick no kind", arguments: ["xterm-256color", "rxvt", "vt220"])
    func endAndHome(term: String) throws {
        let tmux = try TmuxSession(
            "\(Binary.path) --shell /bin/sh", width: 120, height: 40, environment: ["TERM": term])
        try tmux.waitFor("[ Launch  F5 ]")
        try tmux.send("End")
        try tmux.send("Space")
        // Nothing ticked, so the launch is refused: proof that End put the cursor on Launch.
        var screen = try tmux.waitFor("Tick at least one kind")
        #expect(!screen.contains("[x]"), "End ticked a kind:\n\(screen)")
        for digit in 1...8 { #expect(screen.contains("[ ] \(digit) "), "kind \(digit):\n\(screen)") }
        try tmux.send("Home")
        try tmux.send("Space")
        screen = try tmux.waitFor("[x] 1 ")
        for digit in 2...8 { #expect(screen.contains("[ ] \(digit) "), "Home ticked kind \(digit):\n\(screen)") }
        #expect(try !tmux.paneDead())
    }

    /// Issue 12: an unknown sequence reached the child's shell as typed text. In the pane, tmux's End must arrive
    /// encoded as the child's terminal sends End, and `ESC [ 99 ~` must not arrive at all.
    @Test("in the child pane a known key is forwarded encoded and an unknown sequence is swallowed")
    func paneForwarding() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts --launch --shell /bin/sh", width: 120, height: 40,
            environment: ["TERM": "xterm-256color", "PS1": "$ "])
        try tmux.waitFor(#"Child \d+ \[uts\]"#, regex: true)
        try tmux.send("cat -v", literal: true)
        try tmux.send("Enter")
        usleep(300_000)
        try tmux.send("-H", "1b", "5b", "39", "39", "7e")  // ESC [ 99 ~
        try tmux.send("a")
        try tmux.send("End")
        try tmux.send("b", "Enter")
        let screen = try tmux.waitFor(#"a\^\[(\[|O)Fb"#, regex: true)
        #expect(!screen.contains("99~"), "the unknown sequence was typed:\n\(screen)")
    }
}
