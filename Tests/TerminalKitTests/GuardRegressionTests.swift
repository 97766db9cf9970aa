import Testing

@testable import TerminalKit

/// Minimal inputs found by fuzzing TerminalKit's libvterm 0.1.4 setup (Tests/VTermFuzz) with resizes, line
/// attributes, mouse input and escape-heavy bytes, one per crash class of the guard's points 6 to 10
/// (Sources/CVTermGuard/vterm_guard.c).
@Suite("libvterm crash regressions from fuzzing", .timeLimit(.minutes(1)))
struct GuardRegressionTests {
    /// Point 6: libvterm ignores a byte 80..FF inside an escape, so ESC F6 8 is DECRC. It used to slip past the
    /// guard's cursor check and restore a cursor saved on row 8 onto a 3-row screen.
    @Test func restoreAfterHighByteInEscapeStaysOnScreen() {
        let terminal = Terminal(rows: 10, cols: 20)
        terminal.feed("\u{1B}[8;1H\u{1B}7")
        terminal.resize(rows: 3, cols: 20)
        terminal.feed([0x1B, 0xF6, UInt8(ascii: "8")])
        #expect(terminal.cursor.row < terminal.rows, "the restored cursor lies outside the screen")
        // Line attributes and text at the cursor: with the cursor on row 8 these read and wrote past libvterm's
        // three-entry line-info array.
        terminal.feed("\u{1B}#5x\u{1B}[@\r\n\n")
        terminal.resize(rows: 12, cols: 30)
        terminal.resize(rows: 2, cols: 5)
        expectSane(terminal)
        terminal.resize(rows: 5, cols: 20)
        expectRecovers(terminal)
    }

    /// Point 6 again: ESC F6 # 6 is DECDWL to libvterm, which halves the row (and crashes resizes, point 5).
    @Test func doubleWidthAfterHighByteInEscapeIsIgnored() {
        let terminal = Terminal(rows: 6, cols: 20)
        terminal.feed([0x1B, 0xF6, UInt8(ascii: "#"), UInt8(ascii: "6")])
        terminal.feed("abcdefghijklmno")
        #expect(terminal.rowText(0) == "abcdefghijklmno", "a double-width row would wrap after 10 columns")
        terminal.resize(rows: 3, cols: 7)
        terminal.resize(rows: 6, cols: 20)
        expectSane(terminal)
    }

    /// Point 8: libvterm adds 2 columns per kana sound mark or tone mark to its base character, and writes the
    /// glyph past the end of the row once it is wider than the screen. Crashed (SIGSEGV) without the guard.
    @Test(arguments: [
        (80, "e" + String(repeating: "\u{302C}", count: 41)),
        (80, "\u{304B}" + String(repeating: "\u{3099}", count: 40)),
        (2, "e\u{3099}"),
        (2, "e\u{302A}"),
        (2, "e\u{E3}\u{80}\u{FF}\u{FF}\u{AC}"),
    ])
    func wideCombiningMarksStayInsideTheRow(cols: Int, text: String) {
        let terminal = Terminal(rows: 4, cols: 80)
        terminal.resize(rows: 4, cols: cols)
        // Scalars U+0080..U+00FF in `text` stand for raw bytes: E3 80 FF FF AC is a tone mark to libvterm, whose
        // decoder shows FF as U+FFFD but leaves the started sequence open (libFuzzer).
        let isBytes = text.unicodeScalars.contains { (0x80...0xFF).contains($0.value) }
        if isBytes {
            terminal.feed(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        } else {
            terminal.feed(text)
        }
        expectSane(terminal)
        terminal.resize(rows: 4, cols: 80)
        expectRecovers(terminal)
    }

    /// Sound marks become their spacing forms, in the columns libvterm gave the combined glyph; tone marks go.
    @Test func wideCombiningMarksAreShownAsSpacingForms() {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.feed("\u{304B}\u{3099}|\u{306F}\u{309A}|e\u{302C}|")
        #expect(terminal.rowText(0) == "\u{304B}\u{309B}|\u{306F}\u{309C}|e|")
    }

    /// A sound mark split between two reads goes through the held-back path (point 7) and is still replaced.
    @Test func wideCombiningMarkSplitBetweenWrites() {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.resize(rows: 3, cols: 2)
        terminal.feed("e")
        terminal.feed([0xE3, 0x82])
        terminal.feed([0x99])
        expectSane(terminal)
    }

    /// Point 7: a character split between two reads is held back and written whole. libvterm 0.1.4 alone decodes
    /// the two halves in different charset slots and shows two U+FFFD instead.
    @Test func characterSplitBetweenWritesIsKept() {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.feed([UInt8(ascii: "a"), 0xE4])
        terminal.feed([0xB8, 0xAD, UInt8(ascii: "b")])
        for byte in "\u{6587}\u{1F600}".utf8 { terminal.feed([byte]) }
        #expect(terminal.rowText(0) == "a\u{4E2D}b\u{6587}\u{1F600}")
    }

    /// Point 7: a sequence cut short by a control still shows U+FFFD, as libvterm shows it, but libvterm's
    /// decoder no longer carries it into the next text, where it wrote one code point past a stack array. That
    /// write mostly lands in the array's alignment padding, so only a sanitizer build (Tests/VTermFuzz) sees it.
    @Test(
        arguments: [
            [0x52, 0xC5, 0x06, 0x69], [0x44, 0xCD, 0xFE, 0x16, 0x24], [0x2C, 0xF8, 0xC9, 0x16, 0x2D],
            [0xF1, 0xFF, 0x0D, 0xC9, 0x29],
        ] as [[UInt8]])
    func sequenceCutByAControl(_ bytes: [UInt8]) {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.feed(bytes)
        #expect(terminal.rowText(0).contains("\u{FFFD}"))
        expectSane(terminal)
        expectRecovers(terminal)
    }

    /// Point 7: SS3 made libvterm stop decoding in the middle of a sequence; single shifts are cancelled.
    @Test func singleShiftsAreCancelled() {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.feed([0x1B, UInt8(ascii: "O"), 0xF8, 0xCE, 0x22, 0x1B, UInt8(ascii: "o"), UInt8(ascii: "h")])
        terminal.feed("\u{1B}Nx\u{1B}Oy")
        #expect(terminal.rowText(0).hasSuffix("hxy"))
        expectSane(terminal)
    }

    /// Point 9: an ESC inside a DCS or OSC string followed by a control, or ST split between two reads, made
    /// libvterm take the string's length as -1 and copy from past the input (found by libFuzzer; only a sanitizer
    /// sees the over-read). The string is abandoned or finished, and what follows is drawn normally.
    @Test func escapeInsideStringsReachesLibvtermWithItsNextByte() {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.feed([0x1B, 0x50, 0x2B, 0x71, 0x1B, 0x11, 0x11, 0x5C])
        terminal.feed("\u{1B}]2;split\u{1B}")
        terminal.feed("\\ok")
        terminal.feed("\u{1B}]2;gone\u{1B}")
        terminal.feed("[1mbold")
        #expect(terminal.rowText(0) == "okbold")
        #expect(terminal.cell(row: 0, col: 2).attributes == .bold)
        expectSane(terminal)
    }

    /// Point 10: libvterm starts a CSI on '[' even after intermediates, which the guard took for the end of a
    /// charset designation. Too many arguments crashed (SIGSEGV); REP of a combining mark never ended (libFuzzer).
    @Test func csiAfterIntermediatesIsStillGuarded() {
        let terminal = Terminal(rows: 3, cols: 20)
        terminal.feed("\u{1B}*[" + String(repeating: "1;", count: 200) + "31mX")
        #expect(terminal.cell(row: 0, col: 0).text == "X")
        terminal.feed("\r\n\u{301}\u{1B}*[5b\u{1B}#[3bY")
        #expect(terminal.rowText(1).hasSuffix("Y"))
        expectSane(terminal)
    }
}
