/// The "terminal too small" screen, centred; the dashboard carries on when the terminal grows.
public enum TooSmallScreen {
    /// The message for a size.
    public static func message(have size: TerminalSize) -> String {
        "terminal too small: need \(DashboardLayout.minimum), have \(size)"
    }

    /// Draws the message, wrapped over several rows when the screen is narrow.
    public static func render(size: TerminalSize, buffer: inout ScreenBuffer, theme: Theme) {
        let bounds = buffer.bounds
        buffer.fill(bounds, style: theme[.normal])
        guard bounds.width > 0 else { return }
        let rows = TextWrap.lines(message(have: size), width: bounds.width)
        let top = max(0, (bounds.height - rows.count) / 2)
        for (offset, row) in rows.enumerated() {
            let x = max(0, (bounds.width - DisplayWidth.width(of: row)) / 2)
            buffer.write(row, x: x, y: top + offset, style: theme[.error])
        }
    }
}
