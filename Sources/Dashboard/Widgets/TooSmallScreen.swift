/// The "terminal too small" screen, centred; the dashboard carries on when the terminal grows.
public enum TooSmallScreen {
    /// The message for a size.
    public static func message(have size: TerminalSize) -> String {
        "terminal too small: need \(DashboardLayout.minimum), have \(size)"
    }

    /// Splits `text` into rows of at most `width` columns at spaces (words longer than a row are cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var rows: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { rows.append(current) }
                rows.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
                current = ""
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                rows.append(current)
                current = word
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// Draws the message, wrapped over several rows when the screen is narrow.
    public static func render(size: TerminalSize, buffer: inout ScreenBuffer, theme: Theme) {
        let bounds = buffer.bounds
        buffer.fill(bounds, style: theme[.normal])
        guard bounds.width > 0 else { return }
        let rows = wrap(message(have: size), width: bounds.width)
        let top = max(0, (bounds.height - rows.count) / 2)
        for (offset, row) in rows.enumerated() {
            let x = max(0, (bounds.width - row.count) / 2)
            buffer.write(row, x: x, y: top + offset, style: theme[.error])
        }
    }
}
