/// Joins the keys ncurses hands over one by one into what the user did: ESC then a character is Alt plus
/// that character, and ESC[200~ ... ESC[201~ is one bracketed paste. Pure, so it is tested without a terminal.
///
/// ncurses knows neither: Alt-x arrives as ESC and x in the same read, and a paste's markers are not keys
/// in terminfo, so they arrive as ESC, '[', '2', '0', '0', '~'.
public struct InputAssembler: Sendable {
    /// Keys held back while they may still become a paste marker or an Alt combination.
    private var pending: [Key] = []
    /// The paste being collected, between the start and end markers.
    private var paste: String?

    /// The paste start marker after its ESC.
    static let startMarker: [Key] = "[200~".map { Key.character($0) }
    /// The paste end marker after its ESC.
    static let endMarker: [Key] = "[201~".map { Key.character($0) }
    /// Largest paste collected before it is handed on in pieces, so a runaway paste cannot grow memory.
    static let pasteLimit = 1 << 20

    /// An assembler with nothing pending.
    public init() {}

    /// Takes one event; returns the events that are complete now.
    public mutating func add(_ event: InputEvent) -> [InputEvent] {
        guard case .key(let key) = event else {
            return paste == nil ? flush() + [event] : []  // a resize or click inside a paste is dropped
        }
        if paste != nil { return addToPaste(key) }
        if pending.isEmpty {
            if key == .escape {
                pending = [key]
                return []
            }
            return [event]
        }
        pending.append(key)
        let marker = Array(pending.dropFirst())
        if marker == Self.startMarker {
            pending = []
            paste = ""
            return []
        }
        if Self.startMarker.starts(with: marker) { return [] }
        return flush()
    }

    /// Ends a batch of reads: keys held for a marker that did not come are released.
    /// A paste in progress stays open, as its rest may come with the next read.
    public mutating func flush() -> [InputEvent] {
        guard !pending.isEmpty else { return [] }
        var keys = pending
        pending = []
        var events: [InputEvent] = []
        if keys.count >= 2, case .character = keys[1] {
            events.append(.key(keys[1].with(.alt)))
            keys.removeFirst(2)
        } else if keys.count >= 2 {
            events.append(.key(keys[1].with(.alt)))  // Alt with an arrow or Enter: ESC-prefixed as well
            keys.removeFirst(2)
        }
        events += keys.map { InputEvent.key($0) }
        return events
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
