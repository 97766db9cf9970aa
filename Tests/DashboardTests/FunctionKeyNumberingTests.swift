import Testing

@testable import Dashboard

/// F13 and up mean different keys on different terminals; the dashboard reads them from terminfo's sequences.
@Suite("function keys numbered by the terminal's terminfo")
struct FunctionKeyNumberingTests {
    /// kf13 ... kf22 of `infocmp rxvt` (ncurses 6.4): rxvt's Shift-F1 and Shift-F2 are F11 and F12, so its
    /// kf13 is Shift-F3.
    static let rxvt: [Int: String] = [
        13: "\u{1b}[25~", 14: "\u{1b}[26~", 15: "\u{1b}[28~", 16: "\u{1b}[29~", 17: "\u{1b}[31~",
        18: "\u{1b}[32~", 19: "\u{1b}[33~", 20: "\u{1b}[34~", 21: "\u{1b}[23$", 22: "\u{1b}[24$",
    ]
    /// The same of `infocmp xterm`.
    static let xterm: [Int: String] = [
        13: "\u{1b}[1;2P", 15: "\u{1b}[1;2R", 17: "\u{1b}[15;2~", 19: "\u{1b}[18;2~", 22: "\u{1b}[21;2~",
    ]

    static func table(_ entry: [Int: String]) -> [Int: Key] {
        KeyDecoder.functionKeys(sequences: entry.mapValues { Array($0.utf8) })
    }

    static func decode(_ number: Int, _ table: [Int: Key]) -> KeyDecoder.Decoded? {
        KeyDecoder.decode(0o410 + UInt32(number), kind: .keyCode, functionKeys: table)
    }

    @Test("under rxvt, Shift-F5 (kf15, ESC [ 28 ~) is Shift-F5, not Shift-F3")
    func rxvtShiftF5() {
        let table = Self.table(Self.rxvt)
        #expect(Self.decode(15, table) == .key(.modified(.function(5), .shift)))
        for (number, shifted) in [(13, 3), (14, 4), (16, 6), (17, 7), (18, 8), (19, 9), (20, 10), (21, 11), (22, 12)] {
            #expect(Self.decode(number, table) == .key(.modified(.function(shifted), .shift)), "kf\(number)")
        }
    }

    @Test("under xterm the table agrees with xterm's blocks of twelve")
    func xtermBlocks() {
        let table = Self.table(Self.xterm)
        for number in [13, 15, 17, 19, 22] {
            #expect(Self.decode(number, table) == .key(KeyDecoder.modifiedFunction(number)), "kf\(number)")
        }
        #expect(Self.decode(17, table) == .key(.modified(.function(5), .shift)))
    }

    @Test("raw rxvt sequences decode the same when ncurses hands them over byte by byte")
    func rawSequences() {
        #expect(KeyDecoder.decodeEscapeSequence(Array("[28~".utf8)) == .key(.modified(.function(5), .shift)))
        #expect(KeyDecoder.decodeEscapeSequence(Array("[25~".utf8)) == .key(.modified(.function(3), .shift)))
        #expect(KeyDecoder.decodeEscapeSequence(Array("[15;2~".utf8)) == .key(.modified(.function(5), .shift)))
    }
}
