import CNcurses
import Glibc
import NamespaceKit

/// Why the terminal could not be set up, in one sentence.
public struct TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// The only code that talks to ncurses: sets the terminal up, sends screen buffers (only the cells that
/// changed), reads keys and mouse events, and always gives the terminal back.
///
/// It is its own terminal guard: `restore()` is idempotent and also runs from `deinit`; SIGINT, SIGTERM
/// and SIGHUP reach it through the event loop's normal exit; crash signals go through the C handler in
/// CNcurses/shim.h, which restores tty modes and the main screen, then re-raises.
public final class NcursesTerminal {
    /// How many colours this terminal shows (monochrome under NO_COLOR).
    public private(set) var depth: ColorDepth
    /// False when the locale is not UTF-8 (`LANG=C`): every cell is then sent as one ASCII or line-drawing
    /// character (`AsciiFallback`), and the views write `!=` for `≠` (`DashboardModel.asciiGlyphs`).
    public let unicode: Bool
    private var previous: ScreenBuffer?
    private var pairs: ColorPairTable
    private var active = false
    private var cursorVisible: Int32 = -1
    private var assembler = InputAssembler()
    /// What this terminal's F13 and up stand for, read from its terminfo once newterm has loaded it.
    private var functionKeys: [Int: Key] = [:]

    /// kf13 ... kf63 of the loaded terminfo entry, decoded (KeyDecoder.functionKeys).
    private static func terminalFunctionKeys() -> [Int: Key] {
        var sequences: [Int: [UInt8]] = [:]
        for number in 13...63 {
            guard let value = tigetstr("kf\(number)"), Int(bitPattern: value) != -1 else { continue }
            sequences[number] = Array(String(cString: value).utf8)
        }
        return KeyDecoder.functionKeys(sequences: sequences)
    }

    /// Takes over the terminal: alternate screen, raw keys, mouse, colours.
    /// - Parameter colors: false for NO_COLOR; the theme should then be mono, and no colour is ever sent.
    public init(colors: Bool = true) throws(TerminalError) {
        guard SystemCall.isTerminal(.standardInput), SystemCall.isTerminal(.standardOutput) else {
            throw TerminalError(
                message: "the dashboard needs a terminal on stdin and stdout; "
                    + "use `nslab run`, `nslab ps` or `nslab ls` in scripts.")
        }
        // Asked before newterm, which already changes the tty's modes: a refusal leaves the terminal untouched.
        switch nslab_terminal_can_address_cursor() {
        case 1:
            break
        case 0:
            throw TerminalError(
                message: "terminal type '\(Self.termName)' cannot place the cursor, so it cannot show the "
                    + "dashboard; set TERM to your terminal's real type, e.g. TERM=xterm-256color.")
        default:
            throw Self.unknownTerminal
        }
        _ = nslab_save_termios()
        setlocale(LC_ALL, "")  // before newterm, or ncursesw treats UTF-8 as bytes
        unicode = nslab_locale_is_utf8() != 0
        // newterm, unlike initscr, returns nil on an unknown TERM instead of exiting the process.
        guard nslab_newterm() != nil else { throw Self.unknownTerminal }
        active = true
        nslab_set_crash_cleanup(Child.killAllSessionsFromSignalHandler)
        _ = nslab_install_crash_handlers()
        raw()
        noecho()
        nonl()
        keypad(nslab_stdscr(), true)
        functionKeys = Self.terminalFunctionKeys()
        nodelay(nslab_stdscr(), true)
        _ = set_escdelay(25)  // Esc is a key of its own here; the default second feels broken
        _ = mousemask(nslab_mouse_mask(), nil)
        mouseinterval(0)  // report presses at once instead of waiting to see whether they become clicks
        if colors && has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth(colorCount: Int(nslab_colors()))
        } else {
            depth = .monochrome
        }
        pairs = ColorPairTable(limit: nslab_color_pairs())
        setCursor(visible: false)
        Self.send(Self.bracketedPasteOn)  // pastes arrive marked, so the child pane can pass them on as one
    }

    /// $TERM, as the messages quote it.
    private static var termName: String { SystemCall.environmentValue("TERM") ?? "(unset)" }

    /// The refusal of a TERM that terminfo does not know, or knows only as a generic type (gn).
    private static var unknownTerminal: TerminalError {
        TerminalError(
            message: "cannot drive terminal type '\(termName)': terminfo does not describe it, or only as a "
                + "generic type; set TERM to your terminal's real type, e.g. TERM=xterm-256color.")
    }

    /// DECSET 2004 and its reset: the outer terminal wraps pastes in ESC[200~ ... ESC[201~.
    static let bracketedPasteOn = "\u{1b}[?2004h", bracketedPasteOff = "\u{1b}[?2004l"

    private static func send(_ sequence: String) {
        SystemCall.writeAll(.standardOutput, sequence)
    }

    /// Puts `text` on the terminal's clipboard with OSC 52, written past ncurses to the real terminal (the
    /// caller checked that TERM takes it).
    public func copyToClipboard(_ text: String) {
        Self.send(ExportLine.osc52(text))
    }

    deinit { restore() }

    /// Gives the terminal back (endwin: main screen, cursor, cooked mode); safe to call more than once.
    public func restore() {
        guard active else { return }
        active = false
        Self.send(Self.bracketedPasteOff)
        curs_set(1)
        endwin()
        nslab_remove_crash_handlers()
    }

    /// The terminal's size as ncurses knows it.
    public var size: TerminalSize { TerminalSize(columns: Int(nslab_cols()), rows: Int(nslab_lines())) }

    /// Asks the kernel for the size after SIGWINCH and resizes ncurses' screens to it.
    public func updateSize() -> TerminalSize {
        if let window = SystemCall.windowSize(.standardOutput), window.columns > 0, window.rows > 0 {
            resizeterm(Int32(window.rows), Int32(window.columns))
        }
        previous = nil
        return size
    }

    /// Forgets what is on screen, so the next `present` redraws every cell (after Ctrl-L or a child wrote).
    public func invalidate() {
        previous = nil
        clearok(nslab_stdscr(), true)
    }

    /// Shows `buffer`, sending only cells that differ from the last frame; `cursor` places a visible cursor.
    public func present(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)? = nil) {
        guard active else { return }
        if previous?.size != buffer.size {
            erase()
            previous = nil
        }
        if !draw(buffer) {
            // The colour pairs ran out and were reset, which recolours what is on screen: draw it all again.
            previous = nil
            _ = draw(buffer)
        }
        previous = buffer
        if let cursor {
            move(Int32(cursor.y), Int32(cursor.x))
        }
        setCursor(visible: cursor != nil)
        refresh()
    }

    /// Draws the changed cells; false when the pair table had to be reset midway.
    private func draw(_ buffer: ScreenBuffer) -> Bool {
        let columns = buffer.size.columns
        let old = previous
        var text = [wchar_t](repeating: 0, count: 6)
        for y in 0..<buffer.size.rows {
            for x in 0..<columns {
                let cell = buffer[x, y]
                // The wide character to its left covers it; without UTF-8 that one became a single cell.
                if cell.isContinuation && unicode { continue }
                if let old, old[x, y] == cell, x + 1 >= columns || old[x + 1, y] == buffer[x + 1, y] { continue }
                guard let pair = pair(for: cell.style) else {
                    pairs.reset()
                    reset_color_pairs()
                    return false
                }
                if !unicode {
                    drawASCII(cell, x: x, y: y, pair: pair)
                    continue
                }
                var count = 0
                for scalar in cell.text.unicodeScalars where count < 5 {
                    text[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                if count == 0 {
                    text[0] = 32
                    count = 1
                }
                text[count] = 0
                _ = nslab_put_cell(Int32(y), Int32(x), text, attributes(cell.style.attributes), pair)
            }
        }
        return true
    }

    /// Draws one cell as one ASCII or line-drawing character, for a locale without UTF-8.
    private func drawASCII(_ cell: Cell, x: Int, y: Int, pair: Int32) {
        let attributes = attributes(cell.style.attributes)
        switch AsciiFallback.glyph(for: cell.text) {
        case .ascii(let byte):
            let text: [wchar_t] = [wchar_t(byte), 0]
            _ = nslab_put_cell(Int32(y), Int32(x), text, attributes, pair)
        case .line(let letter):
            _ = nslab_put_line(Int32(y), Int32(x), letter, attributes, pair)
        }
    }

    /// The colour pair for a style, made on first use; nil when the pairs are all used.
    private func pair(for style: Style) -> Int32? {
        guard depth != .monochrome else { return 0 }
        let fg = ColorMapping.colorNumber(for: style.foreground, depth: depth)
        let bg = ColorMapping.colorNumber(for: style.background, depth: depth)
        switch pairs.pair(foreground: fg, background: bg) {
        case .existing(let pair):
            return pair
        case .new(let pair):
            init_extended_pair(pair, fg, bg)
            return pair
        case .full:
            return nil
        }
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = nslab_a_normal()
        if attributes.contains(.bold) { result |= nslab_a_bold() }
        if attributes.contains(.dim) { result |= nslab_a_dim() }
        if attributes.contains(.underline) { result |= nslab_a_underline() }
        if attributes.contains(.reverse) { result |= nslab_a_reverse() }
        if attributes.contains(.italic) { result |= nslab_a_italic() }
        // ncurses has no strike-through attribute (terminfo has no capability for SGR 9), so struck text
        // is shown dim: still visibly set apart from the text around it.
        if attributes.contains(.strike) { result |= nslab_a_dim() }
        return result
    }

    private func setCursor(visible: Bool) {
        let wanted: Int32 = visible ? 1 : 0
        if wanted != cursorVisible {
            curs_set(wanted)
            cursorVisible = wanted
        }
    }

    /// Reads every pending key and mouse event without blocking (call when stdin is readable).
    public func readInput() -> [InputEvent] {
        var events: [InputEvent] = []
        var waitedForSequence = false
        while active {
            var code: wint_t = 0
            let result = wget_wch(nslab_stdscr(), &code)
            if result == ERR {
                // A sequence terminfo does not list may arrive in two reads (over ssh, say); wait for its rest
                // once, as briefly as ncurses waits after ESC, rather than type its tail as keys.
                guard assembler.isInsideSequence, !waitedForSequence, Self.inputArrives(withinMilliseconds: 25)
                else { break }
                waitedForSequence = true
                continue
            }
            let kind: KeyDecoder.Kind = result == KEY_CODE_YES ? .keyCode : .character
            // Modified keys (kLFT5 and friends) live above KEY_MAX and are known only by their names.
            let name =
                kind == .keyCode && UInt32(code) > KeyDecoder.keyMax
                ? keyname(Int32(truncatingIfNeeded: code)).map { String(cString: $0) } : nil
            switch KeyDecoder.decode(UInt32(code), kind: kind, name: name, functionKeys: functionKeys) {
            case .key(let key)?:
                events += assembler.add(.key(key))
            case .resize?:
                events += assembler.add(.resize(size))
            case .mouse?:
                var mouse = MEVENT()
                guard getmouse(&mouse) == OK else { continue }
                let kinds: [Int32: MouseEvent.Kind] = [1: .leftClick, 2: .otherClick, 3: .scrollUp, 4: .scrollDown]
                if let mouseKind = kinds[nslab_mouse_kind(mouse.bstate)] {
                    events += assembler.add(.mouse(MouseEvent(x: Int(mouse.x), y: Int(mouse.y), kind: mouseKind)))
                }
            case nil:
                continue
            }
        }
        return events + assembler.flush()
    }

    /// Whether stdin becomes readable within `milliseconds`.
    private static func inputArrives(withinMilliseconds milliseconds: Int32) -> Bool {
        SystemCall.waitReadable(.standardInput, milliseconds: milliseconds)
    }
}

/// Sends signals to the event loop's pipe through the C handler in shim.h (Swift is not async-signal-safe).
enum SignalRouting {
    /// Routes `signal` to the write end `fd` of the loop's pipe.
    static func route(_ signal: Int32, toPipe fd: Int32) -> Bool {
        nslab_route_signal_to_pipe(signal, fd) == 0
    }

    /// Gives `signal` its default action back.
    static func reset(_ signal: Int32) {
        _ = nslab_reset_signal(signal)
    }
}
