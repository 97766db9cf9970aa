import Testing

@testable import TerminalKit

/// A prompt mark as a shell writes it, ended by BEL or by ST.
private func mark(_ payload: String, st: Bool = false) -> String {
    "\u{1B}]133;\(payload)" + (st ? "\u{1B}\\" : "\u{07}")
}

/// What bash gives with PS1 marks, PS0 for C and PROMPT_COMMAND for D: the previous command's end, the prompt, the
/// typed line echoed, output start, output, and the next D and prompt.
private func bashStream(command: String, output: [String], status: Int) -> String {
    mark("D;0") + mark("A") + "$ " + mark("B") + command + "\r\n" + mark("C")
        + output.map { $0 + "\r\n" }.joined() + mark("D;\(status)") + mark("A") + "$ " + mark("B")
}

@Suite("Shell prompt marks (OSC 133)", .timeLimit(.minutes(1)))
struct PromptMarkTests {
    @Test func bashLikeCommand() throws {
        let terminal = terminal(rows: 10, cols: 40)
        terminal.feed(bashStream(command: "echo hi; false", output: ["hi"], status: 1))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "echo hi; false")
        #expect(commands[0].output == ["hi"])
        #expect(commands[0].omittedOutputRows == 0)
        #expect(commands[0].exitStatus == 1)
        #expect(commands[0].hasOutputMark)
        #expect(!commands[0].usedAlternateScreen)
        #expect(commands[0].startTime <= commands[0].endTime)
        #expect(terminal.hasPromptMarks)
        #expect(terminal.shellPhase == .typing)
        #expect(terminal.takeCommands().isEmpty, "taken commands are forgotten")
        #expect(screenLines(terminal) == ["$ echo hi; false", "hi", "$"])
    }

    /// The marks never reach the screen, whatever splits the stream: every cut of the bash stream into two writes,
    /// and one byte per write, give the same command and the same screen as one write.
    @Test func splitAtEveryByte() throws {
        let stream = Array(bashStream(command: "ls -l", output: ["a", "b"], status: 0).utf8)
        let whole = terminal(rows: 10, cols: 40)
        whole.feed(stream)
        let expected = whole.takeCommands()
        try #require(expected.count == 1)
        #expect(expected[0].output == ["a", "b"] && expected[0].exitStatus == 0)
        for cut in 0...stream.count {
            let split = terminal(rows: 10, cols: 40)
            split.feed(Array(stream[..<cut]))
            split.feed(Array(stream[cut...]))
            let commands = split.takeCommands()
            #expect(commands.map(\.commandLine) == ["ls -l"], "cut at \(cut)")
            #expect(commands.map(\.output) == [["a", "b"]], "cut at \(cut)")
            #expect(commands.map(\.exitStatus) == [0], "cut at \(cut)")
            #expect(screenLines(split) == screenLines(whole), "cut at \(cut)")
        }
        let bytewise = terminal(rows: 10, cols: 40)
        for byte in stream { bytewise.feed([byte]) }
        #expect(bytewise.takeCommands().map(\.commandLine) == ["ls -l"])
        #expect(screenLines(bytewise) == screenLines(whole))
    }

    @Test(arguments: [false, true])
    func terminators(st: Bool) throws {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed(mark("A", st: st) + "> " + mark("B", st: st) + "true\r\n" + mark("C", st: st))
        terminal.feed(mark("D;0", st: st) + "after")
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "true" && commands[0].exitStatus == 0 && commands[0].output.isEmpty)
        #expect(screenLines(terminal) == ["> true", "after"])
    }

    @Test func endWithoutStatus() throws {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed(mark("A") + "$ " + mark("B") + "x\r\n" + mark("C") + "out\r\n" + mark("D"))
        terminal.feed(mark("A") + "$ " + mark("B") + "y\r\n" + mark("C") + mark("D;x1"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 2)
        #expect(commands[0].exitStatus == nil && commands[0].output == ["out"])
        #expect(commands[1].exitStatus == nil, "a status that is no number is none")
    }

    @Test func endBeforeAnyCommandIsIgnored() {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed(mark("D;0") + mark("A") + "$ " + mark("D;5"))
        #expect(terminal.takeCommands().isEmpty)
        #expect(terminal.hasPromptMarks)
        #expect(terminal.shellPhase == .prompt)
        #expect(screenLines(terminal) == ["$"])
    }

    /// dash and busybox give no C: the output starts on the row below the command line. An empty line runs nothing.
    @Test func dashLikeStreamWithoutC() throws {
        let terminal = terminal(rows: 10, cols: 40)
        terminal.feed(mark("A") + "$ " + mark("B") + "echo one two\r\n" + "one two\r\n" + mark("D;0"))
        terminal.feed(mark("A") + "$ " + mark("B") + "\r\n" + mark("D;0"))
        terminal.feed(mark("A") + "$ " + mark("B") + "cat nothing\r\n" + "cat: nothing: No such file\r\n" + mark("D;1"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 2)
        #expect(commands[0].commandLine == "echo one two" && commands[0].output == ["one two"])
        #expect(!commands[0].hasOutputMark && commands[0].exitStatus == 0)
        #expect(commands[1].commandLine == "cat nothing" && commands[1].output == ["cat: nothing: No such file"])
        #expect(commands[1].exitStatus == 1)
    }

    /// A command line longer than the row wraps; without C its wrapped rows still belong to it.
    @Test func wrappedCommandLine() throws {
        let terminal = terminal(rows: 10, cols: 10)
        terminal.feed(mark("A") + "$ " + mark("B") + "echo abcdefghij\r\nabcdefghij\r\n" + mark("D;0"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "echo abcdefghij")
        #expect(commands[0].output == ["abcdefghij"])
    }

    /// A command line that wraps right after a blank (its row ends in a printed space) is still one line, its
    /// blank kept: on screen, and once it scrolled into scrollback (3 rows and 4 output lines).
    @Test(arguments: [(10, 1), (3, 4)])
    func commandLineWrappedAtABlank(rows: Int, lines: Int) throws {
        let terminal = terminal(rows: rows, cols: 10)
        let output = (1...lines).map { "ab cd \($0)\r\n" }.joined()
        terminal.feed(mark("A") + "$ " + mark("B") + "echo ab cd\r\n" + output + mark("D;0"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "echo ab cd")
        #expect(commands[0].output == (1...lines).map { "ab cd \($0)" })
    }

    /// Output longer than the screen comes back from scrollback; longer than scrollback, its last rows are kept and
    /// the rest counted.
    @Test(arguments: [(100, 30), (10, 30), (0, 30), (5, 2_000)])
    func longOutput(scrollback: Int, lines: Int) throws {
        let terminal = terminal(rows: 5, cols: 20, scrollback: scrollback)
        let output = (1...lines).map { "line \($0)" }
        terminal.feed(bashStream(command: "seq", output: output, status: 0))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        let command = commands[0]
        #expect(command.commandLine == "seq", "the command line is read at C, before the output scrolls it away")
        #expect(command.output.count + command.omittedOutputRows == lines)
        #expect(command.output.last == "line \(lines)")
        #expect(command.output == Array(output.suffix(command.output.count)))
        #expect(command.output.count <= ShellCommand.maximumOutputRows)
        // What is kept: the screen's rows above the cursor, and what scrollback still holds.
        #expect(command.output.count >= min(lines, 3 + min(scrollback, ShellCommand.maximumOutputRows)))
    }

    /// Without C and with no scrollback, the command line is captured as it scrolls off.
    @Test func dashCommandLineSurvivesScrolling() throws {
        let terminal = terminal(rows: 3, cols: 20, scrollback: 0)
        let output = (1...20).map { "n\($0)" }.map { $0 + "\r\n" }.joined()
        terminal.feed(mark("A") + "$ " + mark("B") + "seq 20\r\n" + output + mark("D;0"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "seq 20")
        #expect(commands[0].output.last == "n20")
        #expect(commands[0].output.count + commands[0].omittedOutputRows == 20)
    }

    /// Output that does not end its line ends at the cursor.
    @Test func outputWithoutFinalNewline() throws {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed(mark("A") + "$ " + mark("B") + "printf hi\r\n" + mark("C") + "hi" + mark("D;0"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].output == ["hi"])
    }

    @Test func unknownLettersAreRemovedAndIgnored() {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed("a" + mark("P;k=i") + "b" + mark("Z") + "c" + mark("") + "d" + mark("E;x", st: true) + "e")
        #expect(screenLines(terminal) == ["abcde"])
        #expect(terminal.takeCommands().isEmpty)
        #expect(terminal.shellPhase == .unmarked)
    }

    /// Other OSCs (a title, a hyperlink, 1337 which shares the start "133") still reach libvterm.
    @Test func otherOSCsUntouched() {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed("\u{1B}]2;my title\u{07}x\u{1B}]1337;y\u{07}z\u{1B}]13;q\u{1B}\\w")
        #expect(terminal.title == "my title")
        #expect(screenLines(terminal) == ["xzw"])
        #expect(!terminal.hasPromptMarks)
        terminal.feed("\u{1B}]0;split")
        terminal.feed(" title\u{07}")
        #expect(screenLines(terminal) == ["xzw"])
    }

    /// A mark cut short by CAN or by another escape is dropped; an overlong one is swallowed, not held.
    @Test func brokenMarks() {
        let terminal = terminal(rows: 6, cols: 40)
        terminal.feed("a\u{1B}]133;B\u{18}b\u{1B}]133;B\u{1B}[1mc\u{1B}[0m")
        #expect(screenLines(terminal) == ["abc"])
        #expect(terminal.cell(row: 0, col: 2).attributes == .bold)
        terminal.feed("\u{1B}]133;D;" + String(repeating: "9", count: 10_000) + "\u{07}d")
        #expect(screenLines(terminal) == ["abcd"])
        #expect(terminal.takeCommands().isEmpty)
        // A mark in the middle of a CSI abandons the CSI, as its ESC would.
        terminal.feed("\u{1B}[1;" + mark("A") + "e")
        #expect(screenLines(terminal) == ["abcde"])
        #expect(terminal.shellPhase == .prompt)
    }

    /// A full-screen program in the alternate screen leaves the command intact and ends cleanly.
    @Test func commandUsingTheAlternateScreen() throws {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed(mark("A") + "$ " + mark("B") + "vi\r\n" + mark("C"))
        terminal.feed("\u{1B}[?1049h\u{1B}[H\u{1B}[2J~\r\n~\r\n~\r\n~\r\n~\r\n~ editing\u{1B}[6;1H\n\n")
        #expect(terminal.isAltScreen)
        terminal.feed("\u{1B}[?1049l" + mark("D;0") + mark("A") + "$ " + mark("B"))
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "vi")
        #expect(commands[0].output.isEmpty)
        #expect(commands[0].usedAlternateScreen)
        #expect(commands[0].exitStatus == 0)
        #expect(screenLines(terminal) == ["$ vi", "$"])
    }

    /// While typing, the command line so far; while running, the whole line.
    @Test func currentCommandLine() {
        let terminal = terminal(rows: 6, cols: 30)
        #expect(terminal.currentCommandLine == nil)
        terminal.feed(mark("A") + "$ " + mark("B") + "ech")
        #expect(terminal.currentCommandLine == "ech")
        #expect(terminal.shellPhase == .typing)
        terminal.feed("o x\r\n" + mark("C") + "x\r\n")
        #expect(terminal.currentCommandLine == "echo x")
        #expect(terminal.shellPhase == .running)
    }

    /// Without C the command counts as running once the cursor goes below the line by a new line, not by a wrap.
    @Test func phaseWithoutOutputMark() throws {
        let terminal = terminal(rows: 6, cols: 10)
        terminal.feed(mark("D;0") + mark("A") + "$ " + mark("B"))
        #expect(terminal.shellPhase == .typing)
        terminal.feed("echo abcdefgh")
        #expect(terminal.shellPhase == .typing, "a typed line that wraps is still being typed")
        #expect(terminal.currentCommandLine == "echo abcdefgh")
        terminal.feed("\r\n")
        #expect(terminal.shellPhase == .running)
        terminal.feed("abcdefgh\r\n" + mark("D;0"))
        #expect(terminal.shellPhase == .prompt)
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].commandLine == "echo abcdefgh" && commands[0].output == ["abcdefgh"])
        #expect(commands[0].startTime < commands[0].endTime)
    }

    /// A resize between two reads of a mark (the pane's box changed) neither prints its rest nor loses it.
    @Test(arguments: ["\u{1B}", "\u{1B}]13", "\u{1B}]133;", "\u{1B}]133;D;", "\u{1B}]133;D;1\u{1B}"])
    func resizeInsideAMark(first: String) throws {
        let terminal = terminal(rows: 6, cols: 30)
        terminal.feed(mark("A") + "$ " + mark("B") + "x\r\n" + mark("C") + "y\r\n")
        let whole = "\u{1B}]133;D;1\u{1B}\\"
        terminal.feed(first)
        terminal.resize(rows: 5, cols: 25)
        terminal.feed(String(whole.dropFirst(first.count)) + "z")
        let commands = terminal.takeCommands()
        try #require(commands.count == 1)
        #expect(commands[0].exitStatus == 1 && commands[0].output == ["y"])
        #expect(screenLines(terminal) == ["$ x", "y", "z"])
    }

    /// Many marks in random pieces, with random bytes between: the guard stays sane and marks stay off screen.
    @Test func randomSplitsWithMarks() {
        var generator = SplitMix64(state: 133)
        let terminal = terminal(rows: 8, cols: 30, scrollback: 50)
        var stream: [UInt8] = []
        for index in 0..<300 {
            stream += Array(bashStream(command: "c\(index)", output: ["o\(index)"], status: index % 3).utf8)
            if index % 7 == 0 { stream += (0..<20).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) } }
        }
        var at = 0
        while at < stream.count {
            let piece = min(Int.random(in: 1...40, using: &generator), stream.count - at)
            terminal.feed(Array(stream[at..<(at + piece)]))
            at += piece
        }
        let commands = terminal.takeCommands()
        #expect(commands.count == 256, "at most PromptTracker.maximumPending are kept untaken")
        #expect(commands.last?.commandLine == "c299")
        #expect(commands.last?.exitStatus == 299 % 3)
        for row in 0..<terminal.rows { #expect(!terminal.rowText(row).contains("133")) }
        expectSane(terminal)
    }
}
