import Testing

@testable import TerminalKit

/// Invariants that must hold whatever the child sent.
func expectSane(_ terminal: Terminal, sourceLocation: SourceLocation = #_sourceLocation) {
    let cursor = terminal.cursor
    #expect((0..<terminal.rows).contains(cursor.row), sourceLocation: sourceLocation)
    #expect((0..<terminal.cols).contains(cursor.col), sourceLocation: sourceLocation)
    #expect(terminal.scrollbackCount <= terminal.scrollbackCapacity, sourceLocation: sourceLocation)
    #expect(terminal.takeOutput().count <= Terminal.maximumPendingOutput, sourceLocation: sourceLocation)
    #expect(terminal.title.utf8.count <= Terminal.maximumTitleBytes, sourceLocation: sourceLocation)
    for damage in terminal.takeDamage() {
        #expect(damage.rows.lowerBound >= 0 && damage.rows.upperBound <= terminal.rows, sourceLocation: sourceLocation)
        #expect(damage.cols.lowerBound >= 0 && damage.cols.upperBound <= terminal.cols, sourceLocation: sourceLocation)
    }
}

/// After garbage, a reset and plain text must render normally: the garbage left no lasting damage.
func expectRecovers(_ terminal: Terminal, sourceLocation: SourceLocation = #_sourceLocation) {
    // CAN aborts any sequence in progress, ST ends any string, RIS resets the state.
    terminal.feed("\u{18}\u{1B}\\\u{1B}c\u{1B}[?1049l\u{1B}[H\u{1B}[2Jhello")
    #expect(terminal.rowText(0) == "hello", sourceLocation: sourceLocation)
    #expect(terminal.cursor.row == 0 && terminal.cursor.col == 5, sourceLocation: sourceLocation)
}

@Suite("Hostile input", .timeLimit(.minutes(2)))
struct RobustnessTests {
    /// Several megabytes of random bytes in chunks of random size, with resizes and reads in between.
    @Test func randomBytes() {
        var generator = SplitMix64(state: 0x6E73_6C61_62)
        let terminal = Terminal(rows: 24, cols: 80, scrollback: 500)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var fed = 0
        while fed < 8 << 20 {
            let length = Int.random(in: 1...chunk.count, using: &generator)
            for index in 0..<length { chunk[index] = UInt8.random(in: 0...255, using: &generator) }
            chunk.withUnsafeBytes { terminal.feed(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            fed += length
            if Int.random(in: 0..<16, using: &generator) == 0 {
                let rows = Int.random(in: 1...60, using: &generator)
                terminal.resize(rows: rows, cols: Int.random(in: 1...200, using: &generator))
            }
            for _ in 0..<8 {
                let row = Int.random(in: -1...61, using: &generator)
                _ = terminal.visibleCell(row: row, col: Int.random(in: -1...201, using: &generator))
            }
        }
        expectSane(terminal)
        terminal.resize(rows: 24, cols: 80)
        expectRecovers(terminal)
    }

    /// Random bytes biased towards escape-sequence material, which reaches far more parser states than
    /// uniform noise.
    @Test func randomEscapeSoup() {
        var generator = SplitMix64(state: 42)
        let alphabet = Array("\u{1B}[]?;:0123456789PX^_\\\u{7}\u{18}\u{9B}\u{9D}mHJKLMr@hlsu\r\n中é".utf8)
        let terminal = Terminal(rows: 10, cols: 30, scrollback: 100)
        var chunk = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<1_000 {
            for index in chunk.indices { chunk[index] = alphabet.randomElement(using: &generator)! }
            terminal.feed(chunk)
            _ = terminal.encode(key: .up)
        }
        expectSane(terminal)
        expectRecovers(terminal)
    }

    @Test func hugeOSCString() {
        let terminal = Terminal(rows: 5, cols: 20)
        terminal.feed("\u{1B}]2;")
        let block = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)
        for _ in 0..<16 { terminal.feed(block) }
        terminal.feed("\u{7}")
        expectSane(terminal)
        #expect(terminal.rowText(0) == "", "the OSC payload must not be drawn")
        expectRecovers(terminal)
    }

    @Test func endlessCSIParameters() {
        let terminal = Terminal(rows: 5, cols: 20)
        terminal.feed("\u{1B}[")
        let block = [UInt8](String(repeating: "1;", count: 1 << 18).utf8)
        for _ in 0..<8 { terminal.feed(block) }
        expectSane(terminal)
        expectRecovers(terminal)
    }

    @Test func endlessDCSString() {
        let terminal = Terminal(rows: 5, cols: 20)
        terminal.feed("\u{1B}P")
        let block = [UInt8](repeating: UInt8(ascii: "q"), count: 1 << 20)
        for _ in 0..<8 { terminal.feed(block) }
        expectSane(terminal)
        expectRecovers(terminal)
    }

    @Test func invalidUTF8Everywhere() {
        let terminal = Terminal(rows: 5, cols: 20)
        // Overlong forms, lone continuation bytes, surrogates, truncated sequences, values past U+10FFFF.
        let bad: [[UInt8]] = [
            [0xC0, 0x80], [0x80], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80], [0xFF],
        ]
        for _ in 0..<10_000 {
            for sequence in bad { terminal.feed(sequence) }
        }
        expectSane(terminal)
        for row in 0..<terminal.rows {
            for col in 0..<terminal.cols {
                #expect(terminal.cell(row: row, col: col).text.unicodeScalars.allSatisfy { $0.value <= 0x10FFFF })
            }
        }
        expectRecovers(terminal)
    }

    @Test func hugeCursorMovesAndRegionsAreClamped() {
        let terminal = Terminal(rows: 5, cols: 20)
        terminal.feed("\u{1B}[99999;99999H\u{1B}[99999A\u{1B}[99999C\u{1B}[0;99999r\u{1B}[99999L\u{1B}[99999M")
        terminal.feed("\u{1B}[99999@\u{1B}[99999P\u{1B}[99999X\u{1B}[2147483647;2147483647H")
        expectSane(terminal)
        expectRecovers(terminal)
    }

    /// Regression: libvterm 0.1.4 writes past its CSI argument array once a CSI has more than 16 arguments.
    @Test func manyCSIArgumentsStillWork() {
        let terminal = Terminal(rows: 5, cols: 20)
        terminal.feed("\u{1B}[31;" + String(repeating: "1;", count: 40) + "4mX")
        #expect(terminal.cell(row: 0, col: 0).text == "X")
        #expect(terminal.cell(row: 0, col: 0).fg == .indexed(1), "the first 16 arguments are kept")
        #expect(terminal.cell(row: 0, col: 0).attributes == .bold, "arguments past the 16th are dropped")
        expectSane(terminal)
    }

    /// Regression: U+0080..U+009F have width -1 in libvterm 0.1.4 and crash it in insert mode, also when
    /// the UTF-8 sequence is interrupted by a control byte or split between two writes.
    @Test(arguments: [[0xC2, 0x80], [0xC2, 0x0D, 0x9D], [0xC2, 0x9B]])
    func c1CharactersInInsertMode(_ c1: [UInt8]) {
        let terminal = terminal("\u{1B}[4hab\u{1B}[1;1H")
        terminal.feed(c1 + Array("P".utf8))
        terminal.feed([0xC2])
        terminal.feed([0x85, UInt8(ascii: "Q")])
        expectSane(terminal)
        #expect(terminal.rowText(0).hasSuffix("ab"))
    }

    /// Regression: REP (CSI b) loops forever in libvterm 0.1.4 when the last glyph has width 0, and writes
    /// outside the row when it is a wide character at the right edge.
    @Test(
        .timeLimit(.minutes(1)),
        arguments: [
            "\u{1B}[3b", "\u{1B}c\u{1B}[3b", "x\r\u{301}\u{1B}[3b", "\u{200B}\u{1B}[3b", "中\u{1B}[1;20H\u{1B}[b",
        ])
    func unsafeRepeatIsCancelled(_ input: String) {
        let terminal = terminal(input)
        expectSane(terminal)
        expectRecovers(terminal)
    }

    /// REP must keep working for what ncurses repeats: ASCII and box drawing.
    @Test func safeRepeatStillRepeats() {
        let terminal = terminal("a\u{1B}[3b\r\n─\u{1B}[2b")
        #expect(screenLines(terminal) == ["aaaa", "───"])
    }

    /// Regression: a wide character on a 1-column libvterm screen writes outside the row and crashes.
    @Test func wideCharacterOnTheNarrowestScreen() {
        let terminal = Terminal(rows: 3, cols: 10)
        terminal.resize(rows: 3, cols: 1)
        terminal.feed("中中\u{1B}[?7l中")
        #expect(terminal.cols == Terminal.minimumCols)
        expectSane(terminal)
    }

    /// Regression: shrinking both dimensions after DECALN left libvterm's cursor at row -5, and ECH then
    /// wrote outside the screen.
    @Test func shrinkingKeepsTheCursorOnScreen() {
        let terminal = Terminal(rows: 10, cols: 30)
        terminal.feed("\u{1B}#8")
        terminal.resize(rows: 5, cols: 26)
        #expect(terminal.cursor.row == 0 && terminal.cursor.col == 0)
        terminal.feed("\u{1B}[5X")
        expectSane(terminal)
    }

    /// Double-width lines crash libvterm 0.1.4's resize; they are ignored, as tmux ignores them.
    @Test func doubleWidthLinesAreIgnored() {
        let terminal = Terminal(rows: 6, cols: 20)
        terminal.feed("\u{1B}#6ab\r\n\u{1B}#3cd")
        terminal.resize(rows: 3, cols: 7)
        terminal.resize(rows: 6, cols: 20)
        #expect(screenLines(terminal) == ["ab", "cd"])
        expectSane(terminal)
    }

    /// The Swift side of the fuzzer in Tests/VTermFuzz: many seeds, each mixing resizes (down to 1x1 and back up),
    /// DEC line attributes, margins and scroll regions, saved cursors, the alternate screen, mouse reports, wide and
    /// combining characters, UTF-8 split or cut short, and random bytes, also inside escapes.
    @Test(arguments: 0..<48)
    func mixedResizesLineAttributesMouseAndBytes(seed: Int) {
        var generator = SplitMix64(state: 0x7666_757A_7A00 &+ UInt64(seed))
        let terminal = Terminal(
            rows: Int.random(in: 1...40, using: &generator), cols: Int.random(in: 1...120, using: &generator),
            scrollback: [0, 1, 50].randomElement(using: &generator)!)
        for _ in 0..<150 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0, 1:
                let tiny = Bool.random(using: &generator)
                terminal.resize(
                    rows: Int.random(in: 1...(tiny ? 3 : 80), using: &generator),
                    cols: Int.random(in: 1...(tiny ? 4 : 200), using: &generator))
            case 2:
                let row = Int.random(in: -1...terminal.rows, using: &generator)
                let col = Int.random(in: -1...terminal.cols, using: &generator)
                _ = terminal.encodeMouseButton(
                    Int.random(in: 1...5, using: &generator), pressed: Bool.random(using: &generator), row: row,
                    col: col)
                _ = terminal.encodeMouseMove(row: row &+ 1, col: col)
            default:
                var bytes: [UInt8] = []
                for _ in 0..<Int.random(in: 1...12, using: &generator) {
                    bytes += RobustnessTests.fuzzToken(terminal, using: &generator)
                }
                terminal.feed(bytes)
            }
        }
        expectSane(terminal)
        terminal.resize(rows: 24, cols: 80)
        expectRecovers(terminal)
    }

    /// One piece of hostile output, weighted towards what crashed libvterm 0.1.4 around resizes.
    static func fuzzToken(_ terminal: Terminal, using generator: inout SplitMix64) -> [UInt8] {
        let number = { (generator: inout SplitMix64) -> Int in
            let choices = [0, 1, 2, terminal.rows, terminal.cols, terminal.rows + 1, 99_999]
            return Bool.random(using: &generator)
                ? choices.randomElement(using: &generator)! : Int.random(in: 0...300, using: &generator)
        }
        switch Int.random(in: 0..<12, using: &generator) {
        case 0:
            let count = Int.random(in: 1...32, using: &generator)
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case 1:
            let pieces = [
                "ab", "\u{4E2D}", "e\u{301}", "\u{304B}\u{3099}", "e\u{302C}\u{302C}", "\u{1F600}", "\r\n", "\u{200B}",
            ]
            return Array(pieces.randomElement(using: &generator)!.utf8)
        case 2:
            return Array("\u{1B}[\(number(&generator));\(number(&generator))r".utf8)
        case 3:
            return Array("\u{1B}[?69h\u{1B}[\(number(&generator));\(number(&generator))s".utf8)
        case 4:
            let attributes = ["\u{1B}#3", "\u{1B}#4", "\u{1B}#5", "\u{1B}#6", "\u{1B}#8"]
            return Array(attributes.randomElement(using: &generator)!.utf8)
        case 5:
            let modes = [6, 47, 69, 1000, 1002, 1003, 1006, 1015, 1047, 1049]
            let set = Bool.random(using: &generator) ? "h" : "l"
            return Array("\u{1B}[?\(modes.randomElement(using: &generator)!)\(set)".utf8)
        case 6:
            return Array(
                ["\u{1B}7", "\u{1B}8", "\u{1B}[s", "\u{1B}[u", "\u{1B}N", "\u{1B}O", "\u{1B}o", "\u{1B}c"]
                    .randomElement(using: &generator)!.utf8)
        case 7:
            let final = Array("@LMPXJKABCDEFGHSTdb").randomElement(using: &generator)!
            return Array("\u{1B}[\(number(&generator))\(final)".utf8)
        case 8:
            // An escape with a byte libvterm ignores inside it, then a final byte that matters.
            return [0x1B, UInt8.random(in: 0x80...0xFF, using: &generator)]
                + Array(["8", "#6", "#3", "7", "[@"].randomElement(using: &generator)!.utf8)
        case 9:
            // UTF-8 cut short by a control, by FE/FF, or split across writes (the write ends here).
            let leads: [[UInt8]] = [[0xC5], [0xE4, 0xB8], [0xF0, 0x9F], [0xF8], [0xE3, 0x82]]
            let cuts: [[UInt8]] = [[], [0x0D], [0xFE, 0x16], [0x1B, 0x5B, 0x6D]]
            return leads.randomElement(using: &generator)! + cuts.randomElement(using: &generator)!
        case 10:
            return Array("\u{1B}[\(number(&generator));\(number(&generator))H".utf8)
        default:
            return Array(String(repeating: "x", count: Int.random(in: 1...40, using: &generator)).utf8)
        }
    }

    @Test func oversizedResizeIsBounded() {
        let terminal = Terminal(rows: Int.max, cols: Int.max)
        #expect(terminal.rows == Terminal.maximumSize && terminal.cols == Terminal.maximumSize)
        terminal.resize(rows: 3, cols: 4)
        expectSane(terminal)
    }
}
