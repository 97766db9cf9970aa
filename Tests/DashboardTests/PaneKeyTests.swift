import TerminalKit
import Testing

@testable import Dashboard

/// Keys with modifiers, Alt prefixes and bracketed pastes, from ncurses' codes to the child's bytes.
@Suite("Pane keys")
struct PaneKeyTests {
    @Test(
        "modified keys known by terminfo names decode with their modifiers",
        arguments: [
            ("kLFT5", Key.modified(.left, .ctrl)),
            ("kRIT3", Key.modified(.right, .alt)),
            ("kUP2", Key.modified(.up, .shift)),
            ("kDN6", Key.modified(.down, [.ctrl, .shift])),
            ("kHOM7", Key.modified(.home, [.ctrl, .alt])),
            ("kEND8", Key.modified(.end, [.ctrl, .alt, .shift])),
            ("kPRV5", Key.modified(.pageUp, .ctrl)),
            ("kNXT3", Key.modified(.pageDown, .alt)),
            ("kDC5", Key.modified(.delete, .ctrl)),
            ("kIC2", Key.modified(.insert, .shift)),
        ])
    func extendedNames(name: String, key: Key) {
        #expect(KeyDecoder.decode(0o1000 + 42, kind: .keyCode, name: name) == .key(key))
    }

    @Test("unknown or malformed extended names are ignored")
    func unknownNames() {
        for name in ["kLFT", "kLFT9", "kFOO5", "", "kLFT1"] {
            #expect(KeyDecoder.decode(0o1000 + 1, kind: .keyCode, name: name) == nil, "\(name)")
        }
        #expect(KeyDecoder.decode(0o1000 + 1, kind: .keyCode) == nil)
    }

    @Test(
        "shifted keys with codes of their own",
        arguments: [
            (UInt32(0o616), Key.modified(.pageUp, .shift)), (0o614, .modified(.pageDown, .shift)),
            (0o611, .modified(.left, .shift)), (0o622, .modified(.right, .shift)),
            (0o521, .modified(.up, .shift)), (0o520, .modified(.down, .shift)),
            (0o607, .modified(.home, .shift)), (0o602, .modified(.end, .shift)),
        ])
    func shiftedCodes(code: UInt32, key: Key) {
        #expect(KeyDecoder.decode(code, kind: .keyCode) == .key(key))
    }

    @Test(
        "F13-F63 are F1-F12 with xterm's modifier blocks",
        arguments: [
            (13, Key.modified(.function(1), .shift)), (18, .modified(.function(6), .shift)),
            (25, .modified(.function(1), .ctrl)), (44, .modified(.function(8), [.ctrl, .shift])),
            (53, .modified(.function(5), .alt)), (63, .modified(.function(3), [.alt, .shift])),
        ])
    func modifiedFunctionKeys(number: Int, key: Key) {
        #expect(KeyDecoder.decode(0o410 + UInt32(number), kind: .keyCode) == .key(key))
        #expect(KeyDecoder.decode(0o410 + 6, kind: .keyCode) == .key(.function(6)))
    }

    @Test(
        "modified keys reach the child in xterm's encoding",
        arguments: [
            (Key.modified(.left, .ctrl), "\u{1b}[1;5D"),
            (.modified(.right, .alt), "\u{1b}[1;3C"),
            (.modified(.up, .shift), "\u{1b}[1;2A"),
            (.modified(.function(5), .ctrl), "\u{1b}[15;5~"),
            (.modified(.character("x"), .alt), "\u{1b}x"),
            (.modified(.delete, .ctrl), "\u{1b}[3;5~"),
            (.backTab, "\u{1b}[Z"),
            (.control(3), "\u{03}"),
        ])
    func encoding(key: Key, bytes: String) throws {
        let terminal = Terminal(rows: 5, cols: 20)
        let (terminalKey, modifiers) = try #require(key.terminalKey)
        #expect(terminal.encode(key: terminalKey, modifiers: modifiers) == Array(bytes.utf8))
    }

    @Test("Ctrl-], pastes and mouse events are not encoded as keys")
    func keptKeys() {
        #expect(Key.leavePane.terminalKey == nil)
        #expect(Key.paste("x").terminalKey == nil)
        #expect(Key.mouse(MouseEvent(x: 1, y: 1, kind: .leftClick)).terminalKey == nil)
        #expect(Key.modified(.leavePane, .alt).terminalKey == nil)
    }

    /// Runs keys through an assembler as one read batch.
    func assemble(_ keys: [Key], assembler: inout InputAssembler) -> [InputEvent] {
        keys.flatMap { assembler.add(.key($0)) } + assembler.flush()
    }

    func keys(_ text: String) -> [Key] {
        text.map { $0 == "\u{1b}" ? Key.escape : $0 == "\r" ? Key.enter : Key.character($0) }
    }

    @Test("ESC then a character in one read is Alt plus the character; ESC alone stays Escape")
    func altPrefix() {
        var assembler = InputAssembler()
        #expect(
            assemble([.escape, .character("b")], assembler: &assembler) == [.key(.modified(.character("b"), .alt))])
        #expect(assemble([.escape], assembler: &assembler) == [.key(.escape)])
        #expect(assemble([.escape, .left], assembler: &assembler) == [.key(.modified(.left, .alt))])
        #expect(
            assemble([.character("a"), .escape, .character("1")], assembler: &assembler)
                == [.key(.character("a")), .key(.modified(.character("1"), .alt))])
    }

    @Test("a bracketed paste becomes one paste key, even across reads and with ESC inside")
    func bracketedPaste() {
        var assembler = InputAssembler()
        let events = assemble(keys("\u{1b}[200~ls -l\r\u{1b}[Aé\u{1b}[201~x"), assembler: &assembler)
        #expect(events == [.key(.paste("ls -l\r\u{1b}[Aé")), .key(.character("x"))])

        let first = assemble(keys("\u{1b}[200~abc"), assembler: &assembler)
        #expect(first.isEmpty)
        let second = assemble(keys("def\u{1b}[201~"), assembler: &assembler)
        #expect(second == [.key(.paste("abcdef"))])
    }

    /// `ESC [ 2 x` is a whole escape sequence, not a paste marker: it used to be given back as Alt-[, '2' and
    /// 'x', so the '2' ticked IPC (issue 12). Now it is swallowed like every unknown sequence.
    @Test("a half paste marker that turns into another sequence is swallowed, never typed")
    func halfMarker() {
        var assembler = InputAssembler()
        #expect(assemble(keys("\u{1b}[2x"), assembler: &assembler).isEmpty)
        #expect(assemble(keys("\u{1b}[20"), assembler: &assembler).isEmpty)
    }

    @Test("mouse events over the focused pane go to it; elsewhere, or unfocused, the dashboard keeps them")
    func mouseRouting() throws {
        var state = makeState()
        state.launched()
        let rect = try #require(state.layout.panels[.child])
        let inside = MouseEvent(x: rect.x + 3, y: rect.y + 2, kind: .scrollUp)
        #expect(state.handle(.mouse(inside)) == [.forwardToChild(.mouse(inside))])
        let click = MouseEvent(x: rect.x + 3, y: rect.y + 2, kind: .leftClick)
        #expect(state.handle(.mouse(click)) == [.forwardToChild(.mouse(click))])
        _ = state.handle(.key(Key.leavePane))
        #expect(state.handle(.mouse(click)).isEmpty)
        #expect(state.focus == .child, "a click on the unfocused pane focuses it")
    }

    @Test("in the pane every key but Ctrl-] is forwarded, modified and pasted ones included")
    func forwarding() {
        var state = makeState()
        state.launched()
        for key in [
            Key.modified(.left, .ctrl), .function(6), .modified(.pageUp, .shift), .paste("ls"), .character("q"),
        ] {
            #expect(state.handle(.key(key)) == [.forwardToChild(key)])
        }
    }
}
