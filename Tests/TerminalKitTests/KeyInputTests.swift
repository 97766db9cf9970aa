import Testing

@testable import TerminalKit

/// One key case: modes set by the child first, then the key, then the bytes the child should read.
struct KeyCase: CustomTestStringConvertible, Sendable {
    var modes = ""
    let key: TerminalKey
    var modifiers: Modifiers = []
    let expected: String
    var testDescription: String { "\(key) \(modifiers.rawValue) after \(modes.debugDescription)" }
}

let keyCases: [KeyCase] = [
    KeyCase(key: .character("a"), expected: "a"),
    KeyCase(key: .character("é"), expected: "é"),
    KeyCase(key: .character("c"), modifiers: .ctrl, expected: "\u{3}"),
    KeyCase(key: .character("x"), modifiers: .alt, expected: "\u{1B}x"),
    KeyCase(key: .enter, expected: "\r"),
    KeyCase(modes: "\u{1B}[20h", key: .enter, expected: "\r\n"),
    KeyCase(key: .tab, expected: "\t"),
    KeyCase(key: .tab, modifiers: .shift, expected: "\u{1B}[Z"),
    KeyCase(key: .backspace, expected: "\u{7F}"),
    KeyCase(key: .escape, expected: "\u{1B}"),
    KeyCase(key: .up, expected: "\u{1B}[A"),
    KeyCase(key: .down, expected: "\u{1B}[B"),
    KeyCase(key: .right, expected: "\u{1B}[C"),
    KeyCase(key: .left, expected: "\u{1B}[D"),
    KeyCase(modes: "\u{1B}[?1h", key: .up, expected: "\u{1B}OA"),
    KeyCase(modes: "\u{1B}[?1h", key: .left, expected: "\u{1B}OD"),
    KeyCase(modes: "\u{1B}[?1h\u{1B}[?1l", key: .up, expected: "\u{1B}[A"),
    KeyCase(key: .up, modifiers: .ctrl, expected: "\u{1B}[1;5A"),
    KeyCase(key: .right, modifiers: .shift, expected: "\u{1B}[1;2C"),
    KeyCase(key: .left, modifiers: .alt, expected: "\u{1B}[1;3D"),
    KeyCase(modes: "\u{1B}[?1h", key: .up, modifiers: .ctrl, expected: "\u{1B}[1;5A"),
    KeyCase(key: .home, expected: "\u{1B}[H"),
    KeyCase(key: .end, expected: "\u{1B}[F"),
    KeyCase(modes: "\u{1B}[?1h", key: .home, expected: "\u{1B}OH"),
    KeyCase(key: .insert, expected: "\u{1B}[2~"),
    KeyCase(key: .delete, expected: "\u{1B}[3~"),
    KeyCase(key: .pageUp, expected: "\u{1B}[5~"),
    KeyCase(key: .pageDown, expected: "\u{1B}[6~"),
    KeyCase(key: .pageUp, modifiers: .shift, expected: "\u{1B}[5;2~"),
    KeyCase(key: .function(1), expected: "\u{1B}OP"),
    KeyCase(key: .function(4), expected: "\u{1B}OS"),
    KeyCase(key: .function(5), expected: "\u{1B}[15~"),
    KeyCase(key: .function(12), expected: "\u{1B}[24~"),
    KeyCase(key: .function(5), modifiers: .ctrl, expected: "\u{1B}[15;5~"),
    KeyCase(key: .function(0), expected: ""),
    KeyCase(key: .keypad(.digit(5)), expected: "5"),
    KeyCase(key: .keypad(.enter), expected: "\r"),
    KeyCase(modes: "\u{1B}=", key: .keypad(.enter), expected: "\u{1B}OM"),
]

@Suite("Key encoding")
struct KeyInputTests {
    @Test(arguments: keyCases)
    func key(_ testCase: KeyCase) {
        let terminal = terminal(testCase.modes)
        _ = terminal.takeOutput()
        #expect(terminal.encode(key: testCase.key, modifiers: testCase.modifiers) == bytes(testCase.expected))
        #expect(terminal.takeOutput().isEmpty, "encoded keys are returned, not queued")
    }

    @Test func plainPasteIsSentAsIs() {
        let terminal = terminal("")
        #expect(terminal.encodePaste(bytes("ls\n")) == bytes("ls\n"))
    }

    @Test func bracketedPasteIsWrappedAndCannotEndItself() {
        let terminal = terminal("\u{1B}[?2004h")
        let pasted = terminal.encodePaste(bytes("a\u{1B}[201~b"))
        #expect(pasted == bytes("\u{1B}[200~ab\u{1B}[201~"))
    }

    @Test func mouseIsOnlySentWhenTheChildAsks() {
        let terminal = terminal("")
        #expect(terminal.mouseMode == .none)
        #expect(terminal.encodeMouseButton(1, pressed: true, row: 0, col: 0).isEmpty)
        terminal.feed("\u{1B}[?1000h")
        #expect(terminal.mouseMode == .click)
        // X10 encoding: 32 + button - 1, then 32 + 1 + column, then 32 + 1 + row.
        #expect(terminal.encodeMouseButton(1, pressed: true, row: 2, col: 3) == bytes("\u{1B}[M $#"))
        #expect(terminal.encodeMouseButton(1, pressed: false, row: 2, col: 3) == bytes("\u{1B}[M#$#"))
        terminal.feed("\u{1B}[?1006h")
        #expect(terminal.encodeMouseButton(1, pressed: true, row: 2, col: 3) == bytes("\u{1B}[<0;4;3M"))
        #expect(terminal.encodeMouseButton(1, pressed: false, row: 2, col: 3) == bytes("\u{1B}[<0;4;3m"))
        #expect(terminal.encodeMouseMove(row: 1, col: 1).isEmpty, "click mode reports no motion")
        terminal.feed("\u{1B}[?1000l")
        #expect(terminal.mouseMode == .none)
    }
}

@Suite("Answers to the child")
struct OutputTests {
    @Test func cursorPositionReportIsAnswered() {
        let terminal = terminal("\u{1B}[3;5H\u{1B}[6n")
        #expect(terminal.takeOutput() == bytes("\u{1B}[3;5R"))
        #expect(terminal.takeOutput().isEmpty)
    }

    @Test func deviceAttributesAreAnswered() {
        let answer = terminal("\u{1B}[c").takeOutput()
        #expect(answer.starts(with: bytes("\u{1B}[?")))
        #expect(answer.last == UInt8(ascii: "c"))
    }

    @Test func unreadAnswersAreBounded() {
        let terminal = terminal(String(repeating: "\u{1B}[6n", count: 50_000))
        #expect(terminal.takeOutput().count == Terminal.maximumPendingOutput)
    }
}
