/// The frame every panel shares: a box, its title, and the focused panel's brighter border.
enum PanelFrame {
    /// Clears `rect`, draws the frame and returns the inside.
    static func draw(_ title: String, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme) -> Rect {
        buffer.fill(rect, style: theme[.normal])
        let border = focused ? theme[.focusedBorder] : theme[.border]
        buffer.box(rect, style: border, title: title, titleStyle: focused ? theme[.focusedBorder] : theme[.title])
        return rect.inset(by: 1)
    }

    /// Writes a position marker (`1-10 of 14 · ↓ time · ↑↓ PgUp PgDn`) into the bottom border of `rect`, right
    /// aligned: a panel that holds more than it shows says so. Parts are dropped from the end while the whole
    /// does not fit; the first (where the view is) always stays.
    static func marker(_ parts: [String], in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        guard rect.width > 4, rect.height >= 2, let position = parts.first else { return }
        let border = Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1)
        var kept = parts.count
        var label = " " + parts.joined(separator: " · ") + " "
        while kept > 1, DisplayWidth.width(of: label) > border.width - 1 {
            kept -= 1
            label = " " + parts.prefix(kept).joined(separator: " · ") + " "
        }
        if kept == 1 { label = " " + position + " " }
        let x = max(border.x, border.maxX - DisplayWidth.width(of: label) - 1)
        buffer.write(label, x: x, y: border.y, style: focused ? theme[.focusedBorder] : theme[.title], clip: border)
    }
}

/// A panel with nothing to show yet: its frame and a centred explanation of what will appear.
public enum PlaceholderPanel {
    /// Draws the frame and a centred explanation, wrapped at spaces when the panel is narrow.
    public static func render(
        _ title: String, lines given: [String], in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let inner = PanelFrame.draw(title, in: rect, focused: focused, buffer: &buffer, theme: theme)
        // A cut-off hint would hide the very key it is about (F5, Ctrl-]); lines only get cut when the
        // panel is too narrow for any word.
        let lines = inner.width >= 12 ? given.flatMap { TextWrap.lines($0, width: inner.width) } : given
        let top = inner.y + max(0, (inner.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let text = DisplayWidth.truncated(line, to: inner.width)
            let x = inner.x + max(0, (inner.width - DisplayWidth.width(of: text)) / 2)
            buffer.write(text, x: x, y: top + offset, style: theme[.hint], clip: inner)
        }
    }
}

/// The child pane before the first launch and after the last tab closed: one idle screen for both, so
/// closing the last child looks exactly like the start.
public enum IdleChildPane {
    /// What the idle pane says.
    public static let lines = [
        "tick kinds (1-8), F5 launches a shell in them",
        "its terminal appears here; Ctrl-] comes back",
    ]

    /// Draws the idle pane into `rect`.
    public static func render(in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        PlaceholderPanel.render(
            Panel.child.title, lines: lines, in: rect, focused: focused, buffer: &buffer, theme: theme)
    }
}
