import NamespaceKit

/// The help screen (F1 or ?): every key, and what each kind isolates.
public enum HelpOverlay {
    /// The help text, one entry per line; keys first, then the kinds.
    public static func lines() -> [(key: String, text: String)] {
        var result: [(String, String)] = [
            ("1-8", "toggle UTS IPC PID Mount Net User Cgroup Time (any panel)"),
            ("F5", "launch a child in the ticked kinds; focus moves into its pane"),
            ("Ctrl-]", "leave the child pane, back to the dashboard"),
            ("F6/S-F6", "in the pane: next / previous child (Alt-1..9 picks one)"),
            ("F8", "in the pane: close it (kills a running child)"),
            ("S-PgUp/PgDn", "in the pane: scroll back through its history"),
            ("Tab/S-Tab", "next / previous panel"),
            ("↑↓ j k", "move"),
            ("Space", "tick a kind / collapse a process"),
            ("Enter", "a kind's option (hostname, /proc, lo, maps, offsets) / Launch"),
            ("h / m", "edit the hostname / the uid and gid maps"),
            ("/  n", "search processes / next match"),
            ("Ctrl-L", "redraw the screen"),
            ("F1 or ?", "this help"),
            ("q, Ctrl-C", "quit (asks first while children run)"),
            ("mouse", "click a checkbox to tick it, a panel to focus it"),
            ("", ""),
        ]
        for (index, kind) in NamespaceKind.allCases.enumerated() {
            result.append(("\(index + 1) \(kind.title)", kind.isolates))
        }
        return result
    }

    /// Draws the overlay centred over `bounds`, from line `scroll` on when it does not fit.
    public static func render(in bounds: Rect, scroll: Int = 0, buffer: inout ScreenBuffer, theme: Theme) {
        let entries = lines()
        let keyWidth = entries.map { DisplayWidth.width(of: $0.key) }.max() ?? 0
        let textWidth = entries.map { DisplayWidth.width(of: $0.text) }.max() ?? 0
        let rect = bounds.centered(width: keyWidth + textWidth + 6, height: entries.count + 2)
        let visible = max(0, rect.height - 2)
        let first = max(0, min(scroll, entries.count - visible))
        let title = visible < entries.count ? "Help · ↑↓ scroll · other keys close" : "Help · any key closes"
        buffer.fill(rect, style: theme[.dialog])
        buffer.box(rect, style: theme[.focusedBorder], title: title, titleStyle: theme[.title])
        let inner = rect.inset(by: 1)
        for (offset, entry) in entries.dropFirst(first).prefix(visible).enumerated() {
            let y = inner.y + offset
            buffer.write(
                " " + entry.key, x: inner.x, y: y, style: theme[.key].on(theme[.dialog].background),
                clip: inner)
            buffer.write(entry.text, x: inner.x + keyWidth + 3, y: y, style: theme[.dialog], clip: inner)
        }
    }
}
