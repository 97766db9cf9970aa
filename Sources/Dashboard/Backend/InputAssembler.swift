/// Joins the keys ncurses hands over one by one into what the user did: ESC then a character is Alt plus
/// that character, an escape sequence terminfo does not list is one key (or nothing), and ESC[200~ ...
/// ESC[201~ is one bracketed paste. Pure, so it is tested without a terminal.
///
/// ncurses knows none of these: Alt-x arrives as ESC and x in the same read; a sequence missing from TERM's
/// terminfo entry (tmux's End, `ESC [ 4 ~`, under TERM=xterm) and a paste's markers arrive as ESC and
/// single characters. `KeyDecoder.decodeEscapeSequence` says what they amount to; one it does not know is
/// swallowed whole, so its bytes never tick a kind nor reach the child pane as typed text.
public struct InputAssembler: Sendable {
    /// The bytes after an ESC while they may still become an escape sequence; nil when no ESC is pending.
    private var sequence: [UInt8]?
    /// ESC ESC: whatever follows the second ESC is pressed with Alt (Alt-Up arrives as ESC ESC [ A).
    private var altPrefix = false
    /// The sequence grew past `KeyDecoder.sequenceLimit`: its bytes are dropped, not kept, up to its final byte.
    private var discarding = false
    /// Keys held back inside a paste while they may still be its end marker.
    private var pending: [Key] = []
    /// The paste being collected, between the start and end markers.
    private var paste: String?

    /// The paste end marker after its ESC.
    static let endMarker: [Key] = "[201~".map { Key.character($0) }
    /// Largest paste collected before it is handed on in pieces, so a runaway paste cannot grow memory.
    static let pasteLimit = 1 << 20

    /// An assembler with nothing pending.
    public init() {}

    /// True while an escape sequence has begun but not ended: its rest may still be on the way.
    public var isInsideSequence: Bool { !(sequence ?? []).isEmpty }

    /// Takes one event; returns the events that are complete now.
    public mutating func add(_ event: InputEvent) -> [InputEvent] {
        guard case .key(let key) = event else {
            return paste == nil ? flush() + [event] : []  // a resize or click inside a paste is dropped
        }
        if paste != nil { return addToPaste(key) }
        guard var body = sequence else {
            if key == .escape {
                sequence = []
                return []
            }
            return [event]
        }
        let alt = altPrefix
        if discarding, let byte = Self.sequenceByte(key) {
            if byte >= 0x40 { endSequence() }  // the final byte ends it; parameters and intermediates go on
            return []
        }
        if let byte = Self.sequenceByte(key) {
            body.append(byte)
            switch KeyDecoder.decodeEscapeSequence(body) {
            case .incomplete:
                sequence = body
                discarding = body.count > KeyDecoder.sequenceLimit
                return []
            case .key(let decoded):
                endSequence()
                return [.key(alt ? decoded.with(.alt) : decoded)]
            case .pasteStart:
                endSequence()
                paste = ""
                return []
            case .unknown:
                endSequence()
                return []
            case .notASequence:
                endSequence()
                return [.key(key.with(.alt))]
            }
        }
        guard body.isEmpty else {
            // A key that cannot belong to a sequence cuts it off: the part so far is dropped, the key stands.
            endSequence()
            return add(event)
        }
        if key == .escape {
            if !alt {
                altPrefix = true
                return []
            }
            sequence = []  // ESC ESC ESC: Alt-Esc, and the third ESC starts afresh
            altPrefix = false
            return [.key(Key.escape.with(.alt))]
        }
        endSequence()
        return [.key(key.with(.alt))]  // Alt with an arrow, Enter or a non-ASCII character: ESC-prefixed too
    }

    /// Ends a batch of reads: an ESC or ESC-[ that nothing followed is Esc or Alt-[ after all, and a
    /// sequence cut off by the end of the input is dropped. A paste in progress stays open, as its rest
    /// may come with the next read.
    public mutating func flush() -> [InputEvent] {
        guard let body = sequence else { return [] }
        let alt = altPrefix
        endSequence()
        switch body.count {
        case 0: return [.key(alt ? Key.escape.with(.alt) : .escape)]
        case 1: return [.key(Key.character(Character(Unicode.Scalar(body[0]))).with(.alt))]
        default: return []
        }
    }

    private mutating func endSequence() {
        sequence = nil
        altPrefix = false
        discarding = false
    }

    /// The byte a key stands for when it may be part of an escape sequence: printable ASCII only.
    static func sequenceByte(_ key: Key) -> UInt8? {
        guard case .character(let character) = key, let ascii = character.asciiValue, (0x20...0x7E).contains(ascii)
        else { return nil }
        return ascii
    }

    /// One key inside a paste: text, or part of the end marker.
    private mutating func addToPaste(_ key: Key) -> [InputEvent] {
        if !pending.isEmpty || key == .escape {
            pending.append(key)
            let marker = Array(pending.dropFirst())
            if marker == Self.endMarker {
                pending = []
                let text = paste ?? ""
                paste = nil
                return [.key(.paste(text))]
            }
            if Self.endMarker.starts(with: marker) { return [] }
            // Not the end after all: the held keys were pasted text.
            let held = pending
            pending = []
            for key in held { paste?.append(Self.text(of: key)) }
        } else {
            paste?.append(Self.text(of: key))
        }
        if let text = paste, text.utf8.count >= Self.pasteLimit {
            paste = ""
            return [.key(.paste(text))]
        }
        return []
    }

    /// The text a key stands for inside a paste; keys without text add nothing.
    static func text(of key: Key) -> String {
        switch key {
        case .character(let c): return String(c)
        case .enter: return "\r"
        case .tab: return "\t"
        case .escape: return "\u{1b}"
        case .backspace: return "\u{7f}"
        case .control(let code): return String(UnicodeScalar(code))
        default: return ""
        }
    }
}
