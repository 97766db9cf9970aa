import NamespaceKit

/// The help screen (F1 or ?): every key the dashboard handles, panel by panel, from `KeyBindings`, and what
/// each kind isolates. Taller than most screens, so it scrolls.
public enum HelpOverlay {
    /// One row of the help.
    public struct Row: Equatable, Sendable {
        /// The keys, as shown; empty on headings and on continuation rows of a wrapped text.
        public var key: String
        /// What the keys do, or the heading.
        public var text: String
        /// True for a context's heading, drawn as a rule across the box.
        public var isHeading: Bool

        /// Makes a row.
        public init(key: String, text: String, isHeading: Bool = false) {
            self.key = key
            self.text = text
            self.isHeading = isHeading
        }
    }

    /// The help's rows before wrapping: per context a heading and its keys, then the kinds.
    public static func entries() -> [Row] {
        var result: [Row] = []
        for context in KeyContext.allCases {
            result.append(Row(key: "", text: context.heading, isHeading: true))
            result += KeyBindings.bindings(in: context).map { Row(key: $0.label, text: $0.does) }
        }
        result.append(Row(key: "", text: "What each kind isolates", isHeading: true))
        for (index, kind) in NamespaceKind.allCases.enumerated() {
            result.append(Row(key: "\(index + 1) \(kind.title)", text: kind.isolates))
        }
        return result
    }

    /// The widest the text column gets.
    static let maxTextWidth = 72

    /// The widest key label: the texts start after it.
    static let keyWidth = entries().map { DisplayWidth.width(of: $0.key) }.max() ?? 0

    /// The box for `bounds` and its rows, with texts too wide for the box wrapped onto rows of their own,
    /// so a narrow screen loses no words.
    public static func layout(in bounds: Rect) -> (box: Rect, rows: [Row]) {
        let rows = entries()
        let textWidth = rows.filter { !$0.isHeading }.map { DisplayWidth.width(of: $0.text) }.max() ?? 0
        // " key   text " inside the frame: a space, the key column, three spaces, the text, a space. Lines
        // longer than `maxTextWidth` wrap even on wide screens: a short measure reads faster.
        let width = min(bounds.width, keyWidth + min(textWidth, maxTextWidth) + 6)
        let room = width - keyWidth - 6
        var wrapped: [Row] = []
        for row in rows {
            guard !row.isHeading, room >= 12, DisplayWidth.width(of: row.text) > room else {
                wrapped.append(row)
                continue
            }
            for (index, part) in TextWrap.lines(row.text, width: room).enumerated() {
                wrapped.append(Row(key: index == 0 ? row.key : "", text: part))
            }
        }
        return (bounds.centered(width: width, height: wrapped.count + 2), wrapped)
    }

    /// The highest useful scroll for `bounds`: the last row then sits at the bottom of the box.
    public static func maxScroll(in bounds: Rect) -> Int {
        let (box, rows) = layout(in: bounds)
        return max(0, rows.count - max(0, box.height - 2))
    }

    /// The rows shown at once in `bounds`.
    public static func visibleRows(in bounds: Rect) -> Int {
        max(0, layout(in: bounds).box.height - 2)
    }

    /// Draws the overlay centred over `bounds`, from row `scroll` on when it does not fit.
    public static func render(in bounds: Rect, scroll: Int = 0, buffer: inout ScreenBuffer, theme: Theme) {
        let (rect, rows) = layout(in: bounds)
        let visible = max(0, rect.height - 2)
        let first = max(0, min(scroll, rows.count - visible))
        let scrolls = visible < rows.count
        let title = scrolls ? "Help · ↑↓ PgUp PgDn scroll · other keys close" : "Help · any key closes"
        buffer.fill(rect, style: theme[.dialog])
        buffer.box(rect, style: theme[.focusedBorder], title: title, titleStyle: theme[.title])
        let inner = rect.inset(by: 1)
        let keyStyle = theme[.key].on(theme[.dialog].background)
        for (offset, row) in rows.dropFirst(first).prefix(visible).enumerated() {
            let y = inner.y + offset
            if row.isHeading {
                let rule = "── " + row.text + " " + String(repeating: "─", count: max(0, inner.width))
                buffer.write(rule, x: inner.x, y: y, style: theme[.title].on(theme[.dialog].background), clip: inner)
                continue
            }
            buffer.write(" " + row.key, x: inner.x, y: y, style: keyStyle, clip: inner)
            buffer.write(row.text, x: inner.x + keyWidth + 3, y: y, style: theme[.dialog], clip: inner)
        }
        if scrolls, rect.width > 4 {
            // Where the view is, so a reader knows how much is left below.
            let label = " \(first + 1)-\(first + visible) of \(rows.count) "
            let border = Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1)
            let x = max(border.x, border.maxX - DisplayWidth.width(of: label) - 1)
            buffer.write(label, x: x, y: border.y, style: theme[.title], clip: border)
        }
    }
}
