import Testing

@testable import TerminalKit

/// A byte sequence shown both in the model and in a tmux pane of the same size.
struct DifferentialCase: CustomTestStringConvertible, Sendable {
    let name: String
    var rows = 8
    var cols = 20
    let input: String
    var testDescription: String { name }
}

/// A long coloured UTF-8 stream with wide characters and combining marks that scrolls several screens.
func colouredStream(lines: Int) -> String {
    let words = ["namespace", "中文字符", "pid", "e\u{301}te\u{301}", "мир", "uts", "ネット", "cgroup"]
    var text = ""
    for line in 0..<lines {
        text += "\u{1B}[3\(line % 8)m\(line): "
        for word in 0..<(line % 5 + 1) {
            text += "\u{1B}[38;5;\((line * 7 + word) % 256)m" + words[(line + word) % words.count] + " "
        }
        text += "\u{1B}[0m\r\n"
    }
    return text
}

let differentialCases: [DifferentialCase] = [
    DifferentialCase(name: "plain lines", input: "hello\r\nworld"),
    DifferentialCase(name: "wrap at the right edge", input: String(repeating: "abcdefghij", count: 5)),
    DifferentialCase(name: "wide characters and wrap", cols: 9, input: "中文中文中文x\r\nab中"),
    DifferentialCase(name: "combining marks", input: "e\u{301}a\u{308}o\u{302}"),
    DifferentialCase(name: "scrolling", rows: 4, input: (1...12).map { "line \($0)" }.joined(separator: "\r\n")),
    DifferentialCase(
        name: "scroll region", rows: 6,
        input: "head\u{1B}[6;1Hfoot\u{1B}[2;5r\u{1B}[2;1H" + (1...9).map { "r\($0)" }.joined(separator: "\r\n")),
    DifferentialCase(
        name: "insert and delete lines", input: "1\r\n2\r\n3\r\n4\r\n5\u{1B}[2;1H\u{1B}[2L\u{1B}[5;1H\u{1B}[M"),
    DifferentialCase(
        name: "insert and delete characters", input: "abcdefgh\u{1B}[1;3H\u{1B}[2@XY\u{1B}[1;8H\u{1B}[3P"),
    DifferentialCase(name: "cursor save and restore", input: "ab\u{1B}7\u{1B}[5;5Hxy\u{1B}8cd"),
    DifferentialCase(
        name: "alternate screen", input: "shell$ \u{1B}[?1049h\u{1B}[H\u{1B}[2Jfull screen\u{1B}[4;4H!"),
    DifferentialCase(name: "alternate screen left", input: "shell$ \u{1B}[?1049h\u{1B}[Hvim\u{1B}[?1049lls"),
    DifferentialCase(
        name: "erase in line and display",
        input: "aaaaaa\r\nbbbbbb\r\ncccccc\u{1B}[2;3H\u{1B}[K\u{1B}[1J"),
    DifferentialCase(name: "erase characters", input: "abcdefgh\u{1B}[1;2H\u{1B}[3X"),
    DifferentialCase(name: "tabs", input: "a\tb\tc\r\n\tx"),
    DifferentialCase(
        name: "cursor movement", input: "\u{1B}[5;10H*\u{1B}[2A+\u{1B}[3D-\u{1B}[B=\u{1B}[G<\u{1B}[3d^"),
    DifferentialCase(name: "reverse index", input: "one\r\ntwo\u{1B}[H\u{1B}M\u{1B}Mtop"),
    DifferentialCase(
        name: "colours do not change text", input: "\u{1B}[1;31mred\u{1B}[0m \u{1B}[38;2;1;2;3mrgb\u{1B}[48;5;20m bg"),
    DifferentialCase(name: "autowrap off", input: "\u{1B}[?7l" + String(repeating: "x", count: 25) + "END"),
    DifferentialCase(name: "coloured UTF-8 flood", rows: 10, cols: 40, input: colouredStream(lines: 200)),
]

@Suite("Differential against tmux", .serialized)
struct TmuxDifferentialTests {
    @Test(arguments: differentialCases)
    func sameAsTmux(_ testCase: DifferentialCase) throws {
        let bytes = Array(testCase.input.utf8)
        let expected = try TmuxPane.capture(bytes, rows: testCase.rows, cols: testCase.cols)
        let terminal = Terminal(rows: testCase.rows, cols: testCase.cols)
        terminal.feed(bytes)
        #expect(screenLines(terminal) == expected.lines)
        #expect(terminal.cursor.row == expected.cursorRow)
        #expect(terminal.cursor.col == expected.cursorCol)
    }
}
