import Testing

@testable import TerminalKit

/// One SGR case: the escape sequence before "X" and the cell it should produce.
struct SGRCase: CustomTestStringConvertible, Sendable {
    let sgr: String
    var attributes: CellAttributes = []
    var fg: TerminalColor = .default
    var bg: TerminalColor = .default
    var testDescription: String { "SGR \(sgr)" }
}

let sgrCases: [SGRCase] = [
    SGRCase(sgr: "0"),
    SGRCase(sgr: "1", attributes: .bold),
    SGRCase(sgr: "3", attributes: .italic),
    SGRCase(sgr: "4", attributes: .underline),
    SGRCase(sgr: "4:3", attributes: [.underline, .curlyUnderline]),
    SGRCase(sgr: "21", attributes: [.underline, .doubleUnderline]),
    SGRCase(sgr: "5", attributes: .blink),
    SGRCase(sgr: "7", attributes: .reverse),
    SGRCase(sgr: "9", attributes: .strike),
    SGRCase(sgr: "1;3;4;7;9", attributes: [.bold, .italic, .underline, .reverse, .strike]),
    SGRCase(sgr: "1;22"),
    SGRCase(sgr: "4;24"),
    SGRCase(sgr: "31", fg: .indexed(1)),
    SGRCase(sgr: "37;40", fg: .indexed(7), bg: .indexed(0)),
    SGRCase(sgr: "91", fg: .indexed(9)),
    SGRCase(sgr: "42", bg: .indexed(2)),
    SGRCase(sgr: "107", bg: .indexed(15)),
    SGRCase(sgr: "38;5;200", fg: .indexed(200)),
    SGRCase(sgr: "48;5;17", bg: .indexed(17)),
    SGRCase(sgr: "38;2;10;20;30", fg: .rgb(10, 20, 30)),
    SGRCase(sgr: "48;2;255;128;0", bg: .rgb(255, 128, 0)),
    SGRCase(sgr: "38:5:100", fg: .indexed(100)),
    SGRCase(sgr: "31;39", fg: .default),
    SGRCase(sgr: "41;49", bg: .default),
    SGRCase(sgr: "1;31;42;0"),
]

@Suite("SGR colours and attributes")
struct AttributeTests {
    @Test(arguments: sgrCases)
    func sgr(_ testCase: SGRCase) {
        let cell = terminal("\u{1B}[\(testCase.sgr)mX").cell(row: 0, col: 0)
        #expect(cell.text == "X")
        #expect(cell.attributes == testCase.attributes)
        #expect(cell.fg == testCase.fg)
        #expect(cell.bg == testCase.bg)
    }

    @Test func attributesDoNotLeakPastReset() {
        let terminal = terminal("\u{1B}[1;31mA\u{1B}[mB")
        #expect(terminal.cell(row: 0, col: 0).attributes == .bold)
        #expect(terminal.cell(row: 0, col: 1).attributes == [])
        #expect(terminal.cell(row: 0, col: 1).fg == .default)
    }

    @Test func eraseUsesTheCurrentBackground() {
        let terminal = terminal("\u{1B}[44m\u{1B}[2K")
        #expect(terminal.cell(row: 0, col: 5).bg == .indexed(4))
    }

    @Test func wideCharacterKeepsItsColour() {
        let terminal = terminal("\u{1B}[38;5;33m中")
        #expect(terminal.cell(row: 0, col: 0).fg == .indexed(33))
    }
}
