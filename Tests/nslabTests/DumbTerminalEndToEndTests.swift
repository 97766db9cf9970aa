import Foundation
import TestSupport
import Testing

/// Terminal types that cannot show the dashboard, judged by their terminfo capabilities rather than their names.
@Suite("dumb terminals end to end", .serialized)
struct DumbTerminalEndToEndTests {
    /// Terminfo entries that lack what the dashboard needs, under names that say nothing about it.
    static let terminfoSource = """
        nslabtest-nocup|a terminal that moves the cursor only step by step,
        \tam, cols#80, lines#24,
        \tbel=^G, clear=\\E[H\\E[2J, cr=\\r, cub1=^H, cud1=\\n, cuf1=\\E[C, cuu1=\\E[A, ind=\\n,
        nslabtest-hardcopy|a printing terminal that claims cursor addressing,
        \thc, cols#80, lines#24,
        \tcr=\\r, cup=\\E[%i%p1%d;%p2%dH, ind=\\n,
        nslabtest-generic|a generic type,
        \tgn, cols#80, lines#24,
        \tcr=\\r, cup=\\E[%i%p1%d;%p2%dH, ind=\\n,

        """

    /// Compiles `terminfoSource` into a fresh folder for TERMINFO.
    static func compiledTerminfo() throws -> String {
        let folder = "/tmp/nslab-test-terminfo-\(getpid())"
        let source = folder + ".src"
        mkdir(folder, 0o755)
        try terminfoSource.write(toFile: source, atomically: false, encoding: .utf8)
        defer { unlink(source) }
        let result = try Binary.runProgram("/usr/bin/tic", ["-o", folder, source])
        try #require(result.status == 0, "tic: \(result.stderr)")
        return folder
    }

    /// Issue 12: `TERM=dumb nslab` started with a blank screen and the status line wrapped into the corner. It is
    /// refused in one sentence that suggests a TERM, before the terminal is touched: the tty's modes stay as they
    /// were, no alternate screen, and what was on the screen stays there.
    @Test(
        "a TERM that cannot address the cursor is refused before the terminal is touched",
        arguments: [
            ("dumb", "terminal type 'dumb' cannot place the cursor"),
            ("nslabtest-nocup", "terminal type 'nslabtest-nocup' cannot place the cursor"),
            ("nslabtest-hardcopy", "terminal type 'nslabtest-hardcopy' cannot place the cursor"),
            ("nslabtest-generic", "'nslabtest-generic': terminfo does not describe it, or only as a generic type"),
            ("no-such-terminal", "terminal type 'no-such-terminal': terminfo does not describe it"),
        ])
    func refused(term: String, message: String) throws {
        let terminfo = try Self.compiledTerminfo()
        defer { try? FileManager.default.removeItem(atPath: terminfo) }
        // Wide enough that the one-line message does not wrap.
        let tmux = try TmuxSession("bash --norc --noprofile", width: 250, environment: ["PS1": "prompt$ "])
        try tmux.waitFor("prompt$")
        // The shell computes what the test waits for, so the echoed command line cannot match it.
        let script =
            "echo before-$((40+2)); stty -g > \(terminfo)/before; "
            + "TERMINFO=\(terminfo) TERM=\(term) \(Binary.path) --ns uts; echo \"status=$?\"; "
            + "stty -g > \(terminfo)/after; cmp -s \(terminfo)/before \(terminfo)/after && echo modes-$((1+1))-same"
        try tmux.send(script, literal: true)
        try tmux.send("Enter")
        let screen = try tmux.waitFor(#"status=\d+"#, regex: true, timeout: 10)
        #expect(try !tmux.alternateScreen())
        #expect(screen.contains("nslab: ") && screen.contains(message), "\(screen)")
        #expect(screen.contains("TERM=xterm-256color"), "\(screen)")
        #expect(!screen.contains("status=0"), "\(screen)")
        #expect(screen.contains("before-42"), "the screen was cleared:\n\(screen)")
        try tmux.waitFor("modes-2-same")
    }
}
