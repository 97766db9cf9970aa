import TerminalKit

/// Copies a VT model's visible screen into the dashboard's buffer, cell by cell.
enum PaneRenderer {
    /// Draws `terminal` into `rect`, clipped to it; wide characters take their two cells.
    static func draw(_ terminal: Terminal, in rect: Rect, buffer: inout ScreenBuffer) {
        let rows = min(rect.height, terminal.rows)
        let cols = min(rect.width, terminal.cols)
        for row in 0..<rows {
            var col = 0
            while col < cols {
                let cell = terminal.visibleCell(row: row, col: col)
                let style = Style(cell)
                if cell.width == 2 && col + 1 >= cols {
                    // A wide character cut by the pane's edge would spill over the border.
                    buffer.set(rect.x + col, rect.y + row, ScreenCell(" ", style: style))
                    col += 1
                    continue
                }
                let text = cell.text.isEmpty ? " " : cell.text
                buffer.set(rect.x + col, rect.y + row, ScreenCell(text, style: style))
                if cell.width == 2 {
                    buffer.set(rect.x + col + 1, rect.y + row, ScreenCell("", style: style))
                    col += 2
                } else {
                    col += 1
                }
            }
        }
    }
}

extension Style {
    /// The dashboard style of a VT cell: colours as they are, attributes the dashboard can show.
    init(_ cell: TerminalKit.Cell) {
        var attributes: TextAttributes = []
        if cell.attributes.contains(.bold) { attributes.insert(.bold) }
        if cell.attributes.contains(.italic) { attributes.insert(.italic) }
        if cell.attributes.contains(.underline) || cell.attributes.contains(.doubleUnderline)
            || cell.attributes.contains(.curlyUnderline)
        {
            attributes.insert(.underline)
        }
        if cell.attributes.contains(.reverse) { attributes.insert(.reverse) }
        if cell.attributes.contains(.strike) { attributes.insert(.strike) }
        var foreground = Color(cell.fg)
        if cell.attributes.contains(.conceal) { foreground = Color(cell.bg) }
        self.init(foreground: foreground, background: Color(cell.bg), attributes: attributes)
    }
}

extension Color {
    /// The dashboard colour of a VT colour.
    init(_ color: TerminalColor) {
        switch color {
        case .default: self = .terminalDefault
        case .indexed(let index): self = .indexed(index)
        case .rgb(let r, let g, let b): self = .rgb(r, g, b)
        }
    }
}

extension Key {
    /// The key as the child's terminal encodes it; nil for keys the pane keeps.
    var terminalKey: (TerminalKey, Modifiers)? {
        switch self {
        case .character(let character):
            guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else {
                return nil
            }
            return (.character(scalar), [])
        case .control(let code):
            // Ctrl plus a letter or one of @[\]^_ : the control code itself is the byte to send.
            guard code != Key.leavePane.controlCode else { return nil }
            return (.character(Unicode.Scalar(code)), [])
        case .enter: return (.enter, [])
        case .escape: return (.escape, [])
        case .tab: return (.tab, [])
        case .backTab: return (.tab, .shift)
        case .backspace: return (.backspace, [])
        case .delete: return (.delete, [])
        case .up: return (.up, [])
        case .down: return (.down, [])
        case .left: return (.left, [])
        case .right: return (.right, [])
        case .home: return (.home, [])
        case .end: return (.end, [])
        case .pageUp: return (.pageUp, [])
        case .pageDown: return (.pageDown, [])
        case .insert: return (.insert, [])
        case .function(let n): return (.function(n), [])
        case .modified(let base, let modifiers):
            guard let (key, own) = base.terminalKey else { return nil }
            return (key, own.union(Modifiers(modifiers)))
        case .paste, .mouse: return nil
        }
    }

    /// The control code of a `.control` key, else nil.
    var controlCode: UInt8? {
        if case .control(let code) = self { return code }
        return nil
    }
}

extension Modifiers {
    /// The VT's modifiers for the dashboard's.
    init(_ modifiers: KeyModifiers) {
        self = []
        if modifiers.contains(.shift) { insert(.shift) }
        if modifiers.contains(.alt) { insert(.alt) }
        if modifiers.contains(.ctrl) { insert(.ctrl) }
    }
}
