import Testing

@testable import TerminalKit

/// "line 1\r\nline 2 ..." up to `count`, without a newline after the last one.
func numberedLines(_ count: Int) -> String {
    (1...count).map { "line \($0)" }.joined(separator: "\r\n")
}

@Suite("Scrollback")
struct ScrollbackTests {
    @Test func linesScrolledOffAreKeptOldestFirst() {
        let terminal = terminal(rows: 3, cols: 10, scrollback: 100, numberedLines(10))
        #expect(terminal.scrollbackCount == 7)
        #expect(terminal.scrollbackText(0) == "line 1")
        #expect(terminal.scrollbackText(6) == "line 7")
        #expect(screenLines(terminal) == ["line 8", "line 9", "line 10"])
    }

    @Test func scrollbackIsBoundedAndDropsTheOldest() {
        let terminal = terminal(rows: 3, cols: 10, scrollback: 5, numberedLines(50))
        #expect(terminal.scrollbackCount == 5)
        #expect(terminal.scrollbackText(0) == "line 43")
        #expect(terminal.scrollbackText(4) == "line 47")
        #expect(terminal.scrollbackLine(5).isEmpty)
    }

    @Test func zeroCapacityKeepsNothing() {
        let terminal = terminal(rows: 3, cols: 10, scrollback: 0, numberedLines(20))
        #expect(terminal.scrollbackCount == 0)
        #expect(screenLines(terminal) == ["line 18", "line 19", "line 20"])
    }

    @Test func alternateScreenDoesNotFillScrollback() {
        let terminal = terminal(rows: 3, cols: 10, "\u{1B}[?1049h" + numberedLines(20))
        #expect(terminal.scrollbackCount == 0)
    }

    @Test func viewScrollsBackAndNewOutputReturnsToTheBottom() {
        let terminal = terminal(rows: 3, cols: 10, numberedLines(10))
        _ = terminal.takeDamage()
        terminal.scrollViewUp(2)
        #expect(terminal.scrollOffset == 2)
        #expect(visibleLines(terminal) == ["line 6", "line 7", "line 8"])
        #expect(terminal.cursor.visible == false)
        #expect(terminal.takeDamage() == [TerminalRect(rows: 0..<3, cols: 0..<10)])
        terminal.scrollViewUp(1_000)
        #expect(terminal.scrollOffset == 7)
        #expect(visibleLines(terminal) == ["line 1", "line 2", "line 3"])
        terminal.scrollViewDown(6)
        #expect(visibleLines(terminal) == ["line 7", "line 8", "line 9"])
        terminal.feed("!")
        #expect(terminal.scrollOffset == 0)
        #expect(visibleLines(terminal) == ["line 8", "line 9", "line 10!"])
    }

    @Test func growingTheScreenTakesLinesBack() {
        let terminal = terminal(rows: 3, cols: 10, numberedLines(10))
        terminal.resize(rows: 6, cols: 10)
        #expect(terminal.scrollbackCount == 4)
        #expect(screenLines(terminal) == ["line 5", "line 6", "line 7", "line 8", "line 9", "line 10"])
    }

    @Test func cellsSurviveThePushAndPop() {
        let terminal = terminal(rows: 2, cols: 10, "\u{1B}[1;38;5;196;48;2;1;2;3m中e\u{301}\u{1B}[m\r\n\r\n\r\n")
        let stored = terminal.scrollbackLine(0)
        #expect(stored.count == 3)
        #expect(stored[0] == Cell(text: "中", width: 2, attributes: .bold, fg: .indexed(196), bg: .rgb(1, 2, 3)))
        #expect(stored[1].width == 0)
        #expect(stored[2].text == "e\u{301}")
        terminal.resize(rows: 5, cols: 10)
        #expect(terminal.cell(row: 0, col: 0) == stored[0])
        #expect(terminal.cell(row: 0, col: 1).width == 0)
        #expect(terminal.cell(row: 0, col: 2).text == "e\u{301}")
        #expect(terminal.cell(row: 0, col: 2).fg == .indexed(196))
        #expect(terminal.cell(row: 0, col: 3) == .blank)
    }

    @Test func poppingIntoANarrowerScreenNeverSplitsAWideCharacter() {
        let terminal = terminal(rows: 2, cols: 4, "ab中\r\n\r\n\r\n")
        terminal.resize(rows: 2, cols: 3)
        terminal.resize(rows: 4, cols: 3)
        let row = (0..<3).map { terminal.cell(row: 0, col: $0) }
        #expect(row.map(\.text) == ["a", "b", " "])
    }
}

@Suite("Damage")
struct DamageTests {
    @Test func freshTerminalIsAllDamaged() {
        let terminal = Terminal(rows: 4, cols: 8)
        #expect(terminal.takeDamage() == [TerminalRect(rows: 0..<4, cols: 0..<8)])
        #expect(terminal.takeDamage().isEmpty)
    }

    @Test func writingDamagesOnlyTheTouchedCells() {
        let terminal = Terminal(rows: 4, cols: 8)
        _ = terminal.takeDamage()
        terminal.feed("\u{1B}[3;2Hab")
        #expect(terminal.takeDamage() == [TerminalRect(rows: 2..<3, cols: 1..<3)])
    }

    @Test func damageCoversEveryTouchedCell() {
        let terminal = Terminal(rows: 4, cols: 8)
        _ = terminal.takeDamage()
        terminal.feed("\u{1B}[1;1Hx\u{1B}[4;8Hy")
        let damage = terminal.takeDamage()
        #expect(damage.contains { $0.rows.contains(0) && $0.cols.contains(0) })
        #expect(damage.contains { $0.rows.contains(3) && $0.cols.contains(7) })
    }

    @Test func scrollingDamagesTheScrolledRegion() {
        let terminal = terminal(rows: 4, cols: 8, "\u{1B}[4;1H")
        _ = terminal.takeDamage()
        terminal.feed("\r\nnew")
        let damaged = Set(terminal.takeDamage().flatMap { Array($0.rows) })
        #expect(damaged == [0, 1, 2, 3])
    }

    @Test func resizeDamagesEverything() {
        let terminal = Terminal(rows: 4, cols: 8)
        _ = terminal.takeDamage()
        terminal.resize(rows: 2, cols: 5)
        #expect(terminal.takeDamage() == [TerminalRect(rows: 0..<2, cols: 0..<5)])
    }

    @Test func leavingTheAlternateScreenDamagesEverything() {
        let terminal = terminal(rows: 3, cols: 4, "\u{1B}[?1049h")
        _ = terminal.takeDamage()
        terminal.feed("\u{1B}[?1049l")
        #expect(terminal.takeDamage() == [TerminalRect(rows: 0..<3, cols: 0..<4)])
    }
}
