/// What a cell becomes on a terminal whose locale is not UTF-8 (`LANG=C`): there ncurses cannot send `─` or
/// `✓`, and drew nothing or several cells for them, so borders vanished, columns shifted and stale text survived
/// Ctrl-L. Every cell becomes exactly one ASCII cell: box drawing goes to the terminal's line-drawing set (ncurses'
/// ACS, which falls back to `+ - |` where terminfo has no `acsc`), the dashboard's other glyphs to ASCII look-alikes,
/// anything else to `?`. Meaning that needs more than one cell (`≠` as `!=`) is the views' to write
/// (`DashboardModel.asciiGlyphs`). Pure, so the table is tested without a terminal.
public enum AsciiFallback {
    /// One cell's replacement.
    public enum Glyph: Equatable, Sendable {
        /// This ASCII character, as it is.
        case ascii(UInt8)
        /// The line-drawing character ncurses' ACS table names with this letter (`q` a horizontal line, `x` a
        /// vertical one, `l k m j` the corners, `t u w v n` the tees and the cross).
        case line(UInt8)
    }

    /// The replacement for a cell's text (a continuation cell, the right half of a wide character, is a blank:
    /// its left half became one cell).
    public static func glyph(for text: String) -> Glyph {
        guard let scalar = text.unicodeScalars.first else { return .ascii(32) }
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return .ascii(32) }
        if value < 0x80 { return .ascii(UInt8(value)) }
        if (0x2500...0x257F).contains(value), let letter = lineLetter(value) { return .line(letter) }
        if let character = lookalikes[value] { return .ascii(character) }
        if (0x2580...0x259F).contains(value) { return .ascii(UInt8(ascii: "#")) }  // block elements
        return .ascii(UInt8(ascii: "?"))
    }

    /// Text as the views write it for an ASCII terminal: each character as `glyph(for:)` draws it (line drawing
    /// as `+ - |`). For tests and for text that is not drawn cell by cell.
    public static func text(_ text: String) -> String {
        String(
            text.map { character -> Character in
                switch glyph(for: String(character)) {
                case .ascii(let byte): Character(Unicode.Scalar(byte))
                case .line(let letter): Character(Unicode.Scalar(plainLine(letter)))
                }
            })
    }

    /// The ASCII a line-drawing letter stands for where the terminal has no line-drawing set (ncurses' own
    /// defaults for ACS).
    public static func plainLine(_ letter: UInt8) -> UInt8 {
        switch letter {
        case UInt8(ascii: "q"): UInt8(ascii: "-")
        case UInt8(ascii: "x"): UInt8(ascii: "|")
        default: UInt8(ascii: "+")
        }
    }

    /// The ACS letter of a box-drawing character (U+2500-U+257F), light, heavy, double and rounded alike.
    static func lineLetter(_ value: UInt32) -> UInt8? {
        let letter: Character?
        switch value {
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550: letter = "q"
        case 0x2574, 0x2576, 0x2578, 0x257A, 0x257C, 0x257E: letter = "q"
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551: letter = "x"
        case 0x2575, 0x2577, 0x2579, 0x257B, 0x257D, 0x257F: letter = "x"
        case 0x250C...0x250F, 0x2552...0x2554, 0x256D: letter = "l"
        case 0x2510...0x2513, 0x2555...0x2557, 0x256E: letter = "k"
        case 0x2514...0x2517, 0x2558...0x255A, 0x2570: letter = "m"
        case 0x2518...0x251B, 0x255B...0x255D, 0x256F: letter = "j"
        case 0x251C...0x2523, 0x255E...0x2560: letter = "t"
        case 0x2524...0x252B, 0x2561...0x2563: letter = "u"
        case 0x252C...0x2533, 0x2564...0x2566: letter = "w"
        case 0x2534...0x253B, 0x2567...0x2569: letter = "v"
        case 0x253C...0x254B, 0x256A...0x256C: letter = "n"
        default: letter = nil  // the diagonals: look-alikes below
        }
        return letter?.asciiValue
    }

    /// The dashboard's other glyphs and their look-alikes: the lesson marks (✓ done, ▸ current, … checking,
    /// ✗ failed, · not reached), the tree's ▸/▾, the kind letters' `·`, arrows, tab markers, sparkline blocks.
    static let lookalikes: [UInt32: UInt8] = {
        let pairs: [(Unicode.Scalar, Character)] = [
            ("✓", "+"), ("✔", "+"), ("✗", "x"), ("✘", "x"), ("·", "."), ("•", "*"), ("●", "*"), ("○", "o"),
            ("…", "~"), ("▸", ">"), ("▶", ">"), ("►", ">"), ("▹", ">"), ("◂", "<"), ("◀", "<"), ("▾", "v"),
            ("▼", "v"), ("▴", "^"), ("▲", "^"), ("↑", "^"), ("↓", "v"), ("←", "<"), ("→", ">"), ("↔", "-"),
            ("‹", "<"), ("›", ">"), ("«", "<"), ("»", ">"), ("▏", "_"), ("▕", "|"), ("≠", "#"), ("≤", "<"),
            ("≥", ">"), ("±", "+"), ("–", "-"), ("—", "-"), ("‘", "'"), ("’", "'"), ("“", "\""), ("”", "\""),
            ("×", "x"), ("°", "o"), ("\u{A0}", " "), ("╱", "/"), ("╲", "\\"), ("╳", "X"),
            // Sparklines, lowest to highest.
            ("▁", "_"), ("▂", "."), ("▃", "-"), ("▄", "="), ("▅", "+"), ("▆", "*"), ("▇", "#"), ("█", "#"),
            ("░", ":"), ("▒", "%"), ("▓", "#"),
        ]
        var table: [UInt32: UInt8] = [:]
        for (scalar, character) in pairs { table[scalar.value] = character.asciiValue }
        return table
    }()
}
