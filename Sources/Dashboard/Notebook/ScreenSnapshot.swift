import TerminalKit

/// A pane's screen as the bytes that draw it on a blank terminal: what the recording writes when the pane on show
/// changes, so a player shows the new pane as the learner saw it, colours included.
enum ScreenSnapshot {
    /// Clears the screen, draws every cell of `terminal`'s live screen with its colours and attributes, and puts
    /// the cursor where it is (hidden when the pane hides it).
    static func bytes(of terminal: Terminal) -> [UInt8] {
        var out = "\u{1b}[0m\u{1b}[H\u{1b}[2J"
        var current = TerminalKit.Cell.blank
        for row in 0..<terminal.rows {
            var cells: [TerminalKit.Cell] = (0..<terminal.cols).map { terminal.cell(row: row, col: $0) }
            // Blanks in the default background at the end of a row are what the clear left there already.
            while let last = cells.last, last.text == " " || last.text.isEmpty, last.bg == .default,
                !last.attributes.contains(.reverse)
            {
                cells.removeLast()
            }
            guard !cells.isEmpty else { continue }
            out += "\u{1b}[\(row + 1);1H"
            for cell in cells where !cell.isWideContinuation {
                if !sameLook(cell, current) {
                    out += sgr(cell)
                    current = cell
                }
                out += cell.text.isEmpty ? " " : cell.text
            }
        }
        let cursor = terminal.cursor
        out += "\u{1b}[0m\u{1b}[\(cursor.row + 1);\(cursor.col + 1)H"
        out += terminal.cursorVisible ? "\u{1b}[?25h" : "\u{1b}[?25l"
        return Array(out.utf8)
    }

    /// True when two cells are drawn with the same colours and attributes.
    private static func sameLook(_ a: TerminalKit.Cell, _ b: TerminalKit.Cell) -> Bool {
        a.attributes == b.attributes && a.fg == b.fg && a.bg == b.bg
    }

    /// The SGR sequence that sets exactly `cell`'s look from any state.
    static func sgr(_ cell: TerminalKit.Cell) -> String {
        var codes = ["0"]
        let attributes: [(CellAttributes, String)] = [
            (.bold, "1"), (.italic, "3"), (.underline, "4"), (.blink, "5"), (.reverse, "7"), (.conceal, "8"),
            (.strike, "9"),
        ]
        for (attribute, code) in attributes where cell.attributes.contains(attribute) { codes.append(code) }
        if let fg = color(cell.fg, base: 30, bright: 90, extended: 38) { codes.append(fg) }
        if let bg = color(cell.bg, base: 40, bright: 100, extended: 48) { codes.append(bg) }
        return "\u{1b}[" + codes.joined(separator: ";") + "m"
    }

    /// The SGR parameters for a colour: the 16 basic ones by their short codes, the rest as 256-colour or RGB.
    private static func color(_ color: TerminalColor, base: Int, bright: Int, extended: Int) -> String? {
        switch color {
        case .default: nil
        case .indexed(let index) where index < 8: String(base + Int(index))
        case .indexed(let index) where index < 16: String(bright + Int(index) - 8)
        case .indexed(let index): "\(extended);5;\(index)"
        case .rgb(let r, let g, let b): "\(extended);2;\(r);\(g);\(b)"
        }
    }
}
