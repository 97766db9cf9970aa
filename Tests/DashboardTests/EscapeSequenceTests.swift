import Testing

@testable import Dashboard

/// Escape sequences that TERM's terminfo entry does not list, as ncurses hands them over: ESC, then each byte as a
/// character of its own.
@Suite("Escape sequences")
struct EscapeSequenceTests {
    /// The keys ncurses returns for `bytes` when it does not know the sequence: one per byte.
    static func ncursesKeys(_ bytes: String) -> [Key] {
        bytes.unicodeScalars.compactMap { scalar in
            guard case .key(let key)? = KeyDecoder.decode(scalar.value, kind: .character) else { return nil }
            return key
        }
    }

    /// Runs `bytes` through a fresh assembler as one read batch.
    static func assemble(_ bytes: String) -> [InputEvent] {
        var assembler = InputAssembler()
        return ncursesKeys(bytes).flatMap { assembler.add(.key($0)) } + assembler.flush()
    }

    /// Every form of each key named in issue 12: xterm (normal and application mode), vt220, rxvt, the Linux
    /// console, and xterm's modified forms. Guards against these arriving as separate keys under a TERM whose
    /// terminfo lacks them (tmux's End, `ESC [ 4 ~`, used to tick Mount under TERM=xterm).
    @Test(
        "known sequences decode to their key, whatever terminal sends them",
        arguments: [
            // Home and End
            ("[H", Key.home), ("OH", .home), ("[1~", .home), ("[7~", .home),
            ("[F", .end), ("OF", .end), ("[4~", .end), ("[8~", .end),
            // Insert, Delete, PgUp, PgDn
            ("[2~", .insert), ("[3~", .delete), ("[5~", .pageUp), ("[6~", .pageDown),
            // Arrows, normal and application mode
            ("[A", .up), ("[B", .down), ("[C", .right), ("[D", .left), ("OA", .up), ("OD", .left),
            // F1-F4: xterm SS3, rxvt/old xterm 11~-14~, Linux console [[A-[[E (F1-F5)
            ("OP", .function(1)), ("OQ", .function(2)), ("OR", .function(3)), ("OS", .function(4)),
            ("[11~", .function(1)), ("[12~", .function(2)), ("[13~", .function(3)), ("[14~", .function(4)),
            ("[[A", .function(1)), ("[[B", .function(2)), ("[[C", .function(3)), ("[[D", .function(4)),
            ("[[E", .function(5)),
            // F5-F12, vt220 numbering
            ("[15~", .function(5)), ("[17~", .function(6)), ("[18~", .function(7)), ("[19~", .function(8)),
            ("[20~", .function(9)), ("[21~", .function(10)), ("[23~", .function(11)), ("[24~", .function(12)),
            // Shift-Tab, keypad Enter and digits in application keypad mode
            ("[Z", .backTab), ("OM", .enter), ("Op", .character("0")), ("Oy", .character("9")), ("Ok", .character("+")),
            // xterm's modified forms: 1 + bits (1 Shift, 2 Alt, 4 Ctrl)
            ("[1;5D", .modified(.left, .ctrl)), ("[1;2A", .modified(.up, .shift)), ("[1;3C", .modified(.right, .alt)),
            ("[1;6H", .modified(.home, [.ctrl, .shift])), ("[1;5F", .modified(.end, .ctrl)),
            ("[3;5~", .modified(.delete, .ctrl)), ("[5;2~", .modified(.pageUp, .shift)),
            ("[15;5~", .modified(.function(5), .ctrl)), ("[1;2P", .modified(.function(1), .shift)),
            ("[24;7~", .modified(.function(12), [.ctrl, .alt])), ("O5P", .modified(.function(1), .ctrl)),
            // rxvt's modified forms: $ Shift, ^ Ctrl, @ Ctrl-Shift; Shift-arrows [a-d, Ctrl-arrows Oa-d
            ("[7$", .modified(.home, .shift)), ("[8^", .modified(.end, .ctrl)),
            ("[3@", .modified(.delete, [.ctrl, .shift])),
            ("[a", .modified(.up, .shift)), ("[d", .modified(.left, .shift)), ("Oc", .modified(.right, .ctrl)),
        ])
    func knownSequences(body: String, key: Key) {
        #expect(KeyDecoder.decodeEscapeSequence(Array(body.utf8)) == .key(key), "ESC \(body)")
        #expect(Self.assemble("\u{1b}" + body) == [.key(key)], "ESC \(body)")
    }

    /// Guards against an unknown sequence's bytes being delivered as keys: `ESC [ 99 ~` used to be Alt-[,
    /// then '9' '9' '~' (a digit ticks a kind), and a focus report `ESC [ I` was Alt-[ then 'I'.
    @Test(
        "unknown sequences are swallowed whole",
        arguments: [
            "[99~", "[I", "[O", "[<0;10;5M", "[<64;3;4m", "[?1;2c", "[2x", "[1;5;7;9X", "[1 q", "[Mabc", "[[Z", "O~",
            "O1;5P", "[27;5;97~", "[97;5u", "[10;20R", "[1;99A", "[201~", "[?1;2$y", "[1;2$y", "[99$",
        ])
    func unknownSequences(body: String) {
        #expect(KeyDecoder.decodeEscapeSequence(Array(body.utf8)) == .unknown, "ESC \(body)")
        #expect(Self.assemble("\u{1b}" + body).isEmpty, "ESC \(body)")
        // What follows the sequence in the same read is still typed, once.
        #expect(Self.assemble("\u{1b}" + body + "x") == [.key(.character("x"))], "ESC \(body) x")
    }

    @Test("a sequence that has not ended yet asks for more bytes")
    func incomplete() {
        for body in ["", "[", "[1", "[1;", "[1;5", "[[", "O", "O5", "[M", "[Ma", "[<0;1", "[1 "] {
            #expect(KeyDecoder.decodeEscapeSequence(Array(body.utf8)) == .incomplete, "ESC \(body)")
        }
        #expect(KeyDecoder.decodeEscapeSequence(Array("[200~".utf8)) == .pasteStart)
        #expect(KeyDecoder.decodeEscapeSequence(Array("b".utf8)) == .notASequence)
    }

    /// Guards against the fix costing the keys ESC used to make: Esc itself, Alt-letter and Alt-digit (tab
    /// switching), Alt-[ on its own, and Alt with an arrow sent as ESC ESC [ A.
    @Test("a lone Esc stays Esc, and ESC-prefixed keys stay Alt keys")
    func escAndAlt() {
        #expect(Self.assemble("\u{1b}") == [.key(.escape)])
        #expect(Self.assemble("\u{1b}b") == [.key(.modified(.character("b"), .alt))])
        #expect(Self.assemble("\u{1b}3") == [.key(.modified(.character("3"), .alt))])
        #expect(Self.assemble("\u{1b}[") == [.key(.modified(.character("["), .alt))])
        #expect(Self.assemble("\u{1b}O") == [.key(.modified(.character("O"), .alt))])
        #expect(Self.assemble("\u{1b}\u{1b}") == [.key(.modified(.escape, .alt))])
        #expect(Self.assemble("\u{1b}\u{1b}[A") == [.key(.modified(.up, .alt))])
        #expect(Self.assemble("\u{1b}\u{1b}\u{1b}") == [.key(.modified(.escape, .alt)), .key(.escape)])
        #expect(Self.assemble("\u{1b}\r") == [.key(.modified(.enter, .alt))])
        #expect(Self.assemble("\u{1b}é") == [.key(.modified(.character("é"), .alt))])
        #expect(Self.assemble("a\u{1b}[4~b") == [.key(.character("a")), .key(.end), .key(.character("b"))])
    }

    /// Guards against a sequence cut off by a key that cannot belong to it (Enter, a non-ASCII character) or
    /// by the end of the input being typed as its bytes: the part so far is dropped, the key still counts.
    @Test("a cut-off sequence is dropped, and the key that cut it stands")
    func cutOff() {
        #expect(Self.assemble("\u{1b}[4\r") == [.key(.enter)])
        #expect(Self.assemble("\u{1b}[1;é") == [.key(.character("é"))])
        #expect(Self.assemble("\u{1b}[4").isEmpty)
        #expect(Self.assemble("\u{1b}[1\u{1b}[4~") == [.key(.end)])
        var assembler = InputAssembler()
        for key in Self.ncursesKeys("\u{1b}[4") { _ = assembler.add(.key(key)) }
        #expect(assembler.isInsideSequence, "readInput waits briefly for the rest")
        #expect(assembler.add(.key(.character("~"))) == [.key(.end)])
        #expect(!assembler.isInsideSequence)
    }

    /// Guards against an endless run of parameter bytes growing memory or ever becoming keys.
    @Test("an overlong sequence is swallowed up to its final byte")
    func overlong() {
        let digits = String(repeating: "1", count: 10_000)
        #expect(Self.assemble("\u{1b}[" + digits + "~z") == [.key(.character("z"))])
    }

    /// Under TERM=rxvt or vt220 ncurses decodes tmux's Home and End (ESC [ 1 ~, ESC [ 4 ~) itself, as the vt220 keys
    /// Find and Select; these were dropped, so Home and End did nothing there.
    @Test("Find and Select, as rxvt's and vt220's terminfo name Home and End, are Home and End")
    func findAndSelect() {
        #expect(KeyDecoder.decode(0o552, kind: .keyCode) == .key(.home))
        #expect(KeyDecoder.decode(0o601, kind: .keyCode) == .key(.end))
    }

    /// Issue 12: with TERM=xterm, tmux's End (`ESC [ 4 ~`) ticked Mount and its Home (`ESC [ 1 ~`) ticked UTS.
    @Test("End and Home in their vt220 forms move the Namespaces cursor and tick nothing")
    func endAndHomeTickNothing() {
        var state = makeState()
        #expect(state.focus == .namespaces)
        for event in Self.assemble("\u{1b}[4~") { _ = state.handle(event) }
        #expect(state.ticked.isEmpty)
        #expect(state.namespaceCursor == DashboardModel.launchIndex)
        for event in Self.assemble("\u{1b}[1~") { _ = state.handle(event) }
        #expect(state.ticked.isEmpty)
        #expect(state.namespaceCursor == 0)
        for event in Self.assemble("\u{1b}[99~\u{1b}[7;2~\u{1b}[1;2;3~") { _ = state.handle(event) }
        #expect(state.ticked.isEmpty, "unknown sequences tick nothing")
    }

    /// Issue 12: in the child pane an unknown sequence reached the shell as typed text (`[99~`); a known one must
    /// still be forwarded, as its key.
    @Test("in the child pane a known sequence is forwarded as its key and an unknown one not at all")
    func paneForwarding() {
        var state = makeState()
        state.launched()
        #expect(state.focus == .child)
        let known = Self.assemble("\u{1b}[4~").flatMap { state.handle($0) }
        #expect(known == [.forwardToChild(.end)])
        let unknown = Self.assemble("\u{1b}[99~").flatMap { state.handle($0) }
        #expect(unknown.isEmpty)
    }
}
