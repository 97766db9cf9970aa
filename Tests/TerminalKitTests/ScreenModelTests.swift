import Testing

@testable import TerminalKit

/// One screen-model case: bytes in, expected text lines and cursor out.
struct ScreenCase: CustomTestStringConvertible, Sendable {
    let name: String
    var rows = 5
    var cols = 10
    let input: String
    let lines: [String]
    let cursor: (row: Int, col: Int)
    var testDescription: String { name }
}

let screenCases: [ScreenCase] = [
    ScreenCase(name: "plain text and CRLF", input: "ab\r\ncd", lines: ["ab", "cd"], cursor: (1, 2)),
    ScreenCase(name: "LF alone keeps the column", input: "ab\ncd", lines: ["ab", "  cd"], cursor: (1, 4)),
    ScreenCase(name: "line wrap", input: "abcdefghijKL", lines: ["abcdefghij", "KL"], cursor: (1, 2)),
    ScreenCase(
        name: "autowrap off (DECAWM) overwrites the last column", input: "\u{1B}[?7labcdefghijKL",
        lines: ["abcdefghiL"], cursor: (0, 9)),
    ScreenCase(name: "wide CJK characters", input: "中文x", lines: ["中文x"], cursor: (0, 5)),
    ScreenCase(
        name: "wide character that does not fit wraps whole", cols: 5, input: "abcd中",
        lines: ["abcd", "中"], cursor: (1, 2)),
    ScreenCase(name: "combining acute stays in one cell", input: "e\u{301}x", lines: ["e\u{301}x"], cursor: (0, 2)),
    ScreenCase(name: "cursor position (CUP)", input: "\u{1B}[3;5Hx", lines: ["", "", "    x"], cursor: (2, 5)),
    ScreenCase(
        name: "cursor up/down/forward/back", input: "\u{1B}[3B\u{1B}[4Cx\u{1B}[2A\u{1B}[2Dy",
        lines: ["", "   y", "", "    x"], cursor: (1, 4)),
    ScreenCase(name: "backspace and overwrite", input: "abc\u{8}\u{8}X", lines: ["aXc"], cursor: (0, 2)),
    ScreenCase(name: "tab stops every 8", cols: 20, input: "a\tb\tc", lines: ["a       b       c"], cursor: (0, 17)),
    ScreenCase(name: "tab stops at the last column", input: "a\tb\tc", lines: ["a       bc"], cursor: (0, 9)),
    ScreenCase(
        name: "scrolling off the bottom", rows: 3, input: "1\r\n2\r\n3\r\n4\r\n5", lines: ["3", "4", "5"],
        cursor: (2, 1)),
    ScreenCase(
        name: "scroll region (DECSTBM) keeps rows outside it", rows: 5,
        input: "top\u{1B}[5;1Hbottom\u{1B}[2;4r\u{1B}[2;1Ha\r\nb\r\nc\r\nd\r\ne",
        lines: ["top", "c", "d", "e", "bottom"], cursor: (3, 1)),
    ScreenCase(
        name: "insert lines (IL)", input: "1\r\n2\r\n3\u{1B}[2;1H\u{1B}[2L", lines: ["1", "", "", "2", "3"],
        cursor: (1, 0)),
    ScreenCase(
        name: "delete lines (DL)", input: "1\r\n2\r\n3\r\n4\u{1B}[2;1H\u{1B}[2M", lines: ["1", "4"], cursor: (1, 0)),
    ScreenCase(name: "insert characters (ICH)", input: "abcd\u{1B}[1;2H\u{1B}[2@", lines: ["a  bcd"], cursor: (0, 1)),
    ScreenCase(name: "delete characters (DCH)", input: "abcdef\u{1B}[1;2H\u{1B}[2P", lines: ["adef"], cursor: (0, 1)),
    ScreenCase(name: "erase characters (ECH)", input: "abcdef\u{1B}[1;2H\u{1B}[2X", lines: ["a  def"], cursor: (0, 1)),
    ScreenCase(
        name: "cursor save/restore (DECSC/DECRC)", input: "ab\u{1B}7\u{1B}[3;3Hx\u{1B}8y",
        lines: ["aby", "", "  x"], cursor: (0, 3)),
    ScreenCase(name: "erase to end of line (EL 0)", input: "abcdef\u{1B}[1;3H\u{1B}[K", lines: ["ab"], cursor: (0, 2)),
    ScreenCase(
        name: "erase to start of line (EL 1)", input: "abcdef\u{1B}[1;3H\u{1B}[1K", lines: ["   def"], cursor: (0, 2)),
    ScreenCase(name: "erase line (EL 2)", input: "abcdef\u{1B}[1;3H\u{1B}[2K", lines: [], cursor: (0, 2)),
    ScreenCase(
        name: "erase below (ED 0)", input: "1\r\n2\r\n3\r\n4\u{1B}[2;1H\u{1B}[J", lines: ["1"], cursor: (1, 0)),
    ScreenCase(
        name: "erase above (ED 1)", input: "1\r\n2\r\n3\r\n4\u{1B}[3;1H\u{1B}[1J", lines: ["", "", "", "4"],
        cursor: (2, 0)),
    ScreenCase(name: "erase screen (ED 2)", input: "1\r\n2\r\n3\u{1B}[2J", lines: [], cursor: (2, 1)),
    ScreenCase(
        name: "alternate screen shows its own content", input: "shell\u{1B}[?1049h\u{1B}[Hvim",
        lines: ["vim"], cursor: (0, 3)),
    ScreenCase(
        name: "leaving the alternate screen restores text and cursor",
        input: "shell\u{1B}[?1049h\u{1B}[Hvim\r\nmore\u{1B}[?1049l", lines: ["shell"], cursor: (0, 5)),
    ScreenCase(name: "invalid UTF-8 becomes U+FFFD", input: "a\u{FFFD}b", lines: ["a\u{FFFD}b"], cursor: (0, 3)),
    ScreenCase(
        name: "reverse index at the top scrolls down (RI)", input: "1\r\n2\u{1B}[H\u{1B}M0",
        lines: ["0", "1", "2"], cursor: (0, 1)),
]

@Suite("Screen model")
struct ScreenModelTests {
    @Test(arguments: screenCases)
    func screen(_ testCase: ScreenCase) {
        let terminal = terminal(rows: testCase.rows, cols: testCase.cols, testCase.input)
        #expect(screenLines(terminal) == testCase.lines)
        #expect(terminal.cursor.row == testCase.cursor.row)
        #expect(terminal.cursor.col == testCase.cursor.col)
    }

    @Test func invalidUTF8BytesAreReplaced() {
        let terminal = Terminal(rows: 2, cols: 10)
        terminal.feed([0x61, 0xFF, 0xC3, 0x62])
        #expect(terminal.cell(row: 0, col: 0).text == "a")
        #expect(terminal.cell(row: 0, col: 1).text == "\u{FFFD}")
        #expect(screenLines(terminal).first?.hasSuffix("b") == true)
    }

    @Test func wideCharacterCells() {
        let terminal = terminal("中x")
        let left = terminal.cell(row: 0, col: 0)
        let right = terminal.cell(row: 0, col: 1)
        #expect(left.text == "中" && left.width == 2)
        #expect(right.text == "" && right.width == 0 && right.isWideContinuation)
        #expect(terminal.cell(row: 0, col: 2).text == "x")
        #expect(terminal.cell(row: 0, col: 2).width == 1)
    }

    @Test func combiningMarksShareTheBaseCell() {
        let terminal = terminal("a\u{308}\u{301}z")
        #expect(terminal.cell(row: 0, col: 0).text == "a\u{308}\u{301}")
        #expect(terminal.cell(row: 0, col: 0).width == 1)
        #expect(terminal.cell(row: 0, col: 1).text == "z")
    }

    @Test func blankAndOutOfRangeCells() {
        let terminal = terminal(rows: 2, cols: 3, "")
        #expect(terminal.cell(row: 0, col: 0) == .blank)
        #expect(terminal.cell(row: -1, col: 0) == .blank)
        #expect(terminal.cell(row: 0, col: 99) == .blank)
    }

    @Test func cursorVisibility() {
        let terminal = terminal("\u{1B}[?25l")
        #expect(terminal.cursor.visible == false)
        terminal.feed("\u{1B}[?25h")
        #expect(terminal.cursor.visible == true)
    }

    @Test func alternateScreenFlag() {
        let terminal = terminal("\u{1B}[?1049h")
        #expect(terminal.isAltScreen)
        terminal.feed("\u{1B}[?1049l")
        #expect(!terminal.isAltScreen)
    }

    @Test func titleAndBell() {
        let terminal = terminal("\u{1B}]2;my title\u{7}\u{7}")
        #expect(terminal.title == "my title")
        #expect(terminal.bellCount == 1)
    }

    @Test func resizeClipsAndKeepsText() {
        let terminal = terminal(rows: 3, cols: 10, "hello\r\nworld")
        terminal.resize(rows: 3, cols: 3)
        #expect(terminal.cols == 3)
        #expect(screenLines(terminal) == ["hel", "wor"])
        terminal.resize(rows: 0, cols: -5)
        #expect(terminal.rows == 1 && terminal.cols == Terminal.minimumCols)
    }
}
