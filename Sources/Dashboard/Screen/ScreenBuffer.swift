/// One terminal cell: a grapheme and its style.
///
/// A wide grapheme occupies its own cell plus a continuation cell to its right, which holds no text
/// and is skipped when drawing.
public struct Cell: Equatable, Hashable, Sendable {
    /// The grapheme shown; empty in a continuation cell.
    public var text: String
    /// How it looks.
    public var style: Style

    /// Makes a cell.
    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { text.isEmpty }

    /// A blank cell in the terminal's default look.
    public static let blank = Cell()
}

/// An in-memory screen of cells that widgets draw into; the backend sends it to the terminal.
///
/// Every drawing call clips to the buffer (and to a caller's rect), so widgets may draw with
/// arithmetic that overflows small screens without checks of their own.
public struct ScreenBuffer: Equatable, Sendable {
    /// The buffer's size.
    public let size: TerminalSize
    /// Row-major cells.
    public private(set) var cells: [Cell]

    /// A blank buffer of `size`.
    public init(size: TerminalSize, fill: Cell = .blank) {
        self.size = size
        self.cells = Array(repeating: fill, count: size.columns * size.rows)
    }

    /// The whole buffer as a rect.
    public var bounds: Rect { Rect(x: 0, y: 0, width: size.columns, height: size.rows) }

    /// The cell at column `x`, row `y` (a blank outside the buffer).
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < size.columns, y < size.rows else { return .blank }
        return cells[y * size.columns + x]
    }

    /// Replaces one cell (ignored outside the buffer), repairing a wide character it cuts in half.
    ///
    /// For renderers that copy cells one by one, such as the child pane from its VT model: a wide
    /// character is its cell plus a continuation cell (`Cell("")`) to its right.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < size.columns, y < size.rows else { return }
        let index = y * size.columns + x
        if cells[index].isContinuation, x > 0 {
            cells[index - 1].text = " "  // the left half of a wide char lost its right half
        }
        if x + 1 < size.columns, cells[index + 1].isContinuation, !cell.isContinuation {
            cells[index + 1].text = " "
        }
        cells[index] = cell
    }

    /// Fills `rect` (clipped) with `text` repeated, usually a space, in `style`.
    public mutating func fill(_ rect: Rect, with text: String = " ", style: Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { set(x, y, Cell(text, style: style)) }
        }
    }

    /// Writes `text` at `x`, `y`, clipped to `clip` and the buffer; returns the columns advanced.
    ///
    /// Control characters are dropped, and a wide character that does not fit whole is not drawn.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY else { return 0 }
        var column = x
        for character in text {
            let w = DisplayWidth.width(of: character)
            if w == 0 { continue }
            if column + w > area.maxX { break }
            if column >= area.x {
                set(column, y, Cell(String(character), style: style))
                if w == 2 { set(column + 1, y, Cell("", style: style)) }
            } else if column + w > area.x {
                set(area.x, y, Cell(" ", style: style))  // a wide char half left of the clip
            }
            column += w
        }
        return column - x
    }

    /// Changes the style of the cells in `rect` (clipped), keeping their text: selections, highlights.
    public mutating func restyle(_ rect: Rect, style: Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * size.columns + x].style = style }
        }
    }

    /// Draws a single-line box around `rect` with an optional title in the top edge.
    public mutating func box(_ rect: Rect, style: Style, title: String? = nil, titleStyle: Style? = nil) {
        let area = rect.intersection(bounds)
        guard rect.width >= 2, rect.height >= 2, !area.isEmpty else {
            fill(rect, style: style)
            return
        }
        for x in rect.x + 1..<rect.maxX - 1 {
            set(x, rect.y, Cell("─", style: style))
            set(x, rect.maxY - 1, Cell("─", style: style))
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            set(rect.x, y, Cell("│", style: style))
            set(rect.maxX - 1, y, Cell("│", style: style))
        }
        set(rect.x, rect.y, Cell("┌", style: style))
        set(rect.maxX - 1, rect.y, Cell("┐", style: style))
        set(rect.x, rect.maxY - 1, Cell("└", style: style))
        set(rect.maxX - 1, rect.maxY - 1, Cell("┘", style: style))
        if let title, rect.width > 4 {
            let text = " " + DisplayWidth.truncated(title, to: rect.width - 4) + " "
            write(text, x: rect.x + 1, y: rect.y, style: titleStyle ?? style, clip: rect.inset(by: 0))
        }
    }

    /// The screen as text, one string per row, trailing spaces kept: what snapshot tests compare.
    public func lines() -> [String] {
        (0..<size.rows).map { y in
            var line = ""
            for x in 0..<size.columns { line += cells[y * size.columns + x].text }
            return line
        }
    }

    /// The rows joined by newlines with trailing spaces removed, the form snapshot files store.
    public func snapshot() -> String {
        lines().map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed = trimmed.dropLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }
}
