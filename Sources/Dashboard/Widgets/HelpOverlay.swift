import NamespaceKit

/// The help screen (F1 or ?): every key, and what each kind isolates.
public enum HelpOverlay {
    /// The help text, one entry per line; keys first, then the kinds.
    public static func lines() -> [(key: String, text: String)] {
        var result: [(String, String)] = [
            ("1-8", "toggle UTS IPC PID Mount Net User Cgroup Time (any panel)"),
            ("F5", "launch a child in the ticked kinds; focus moves into its pane"),
            ("Ctrl-]", "leave the child pane, back to the dashboard"),
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

/// Draws an edit dialog centred over the screen, with each field's problem shown as it is typed.
public enum DialogView {
    /// Draws `dialog` centred over `bounds`.
    public static func render(_ dialog: EditDialog, in bounds: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        let labelWidth = dialog.fields.map { DisplayWidth.width(of: $0.label) }.max() ?? 0
        let width = min(bounds.width, max(64, DisplayWidth.width(of: dialog.title) + 4))
        let height = 2 + dialog.fields.count * 2 + 1
        let rect = bounds.centered(width: width, height: height)
        buffer.fill(rect, style: theme[.dialog])
        buffer.box(rect, style: theme[.focusedBorder], title: dialog.title, titleStyle: theme[.title])
        let inner = rect.inset(by: 1)
        for (index, field) in dialog.fields.enumerated() {
            let y = inner.y + index * 2
            buffer.write(
                DisplayWidth.padded(field.label, to: labelWidth) + " ", x: inner.x + 1, y: y,
                style: theme[.dialog], clip: inner)
            let fieldRect = Rect(
                x: inner.x + labelWidth + 2, y: y, width: inner.maxX - inner.x - labelWidth - 3,
                height: 1)
            let style = field.problem == nil ? theme[.input] : theme[.inputInvalid]
            buffer.fill(fieldRect, style: style)
            var text = field.text
            // Keep the end of a long entry visible, where the typing happens.
            while DisplayWidth.width(of: text) >= fieldRect.width, !text.isEmpty { text.removeFirst() }
            let cursor = index == dialog.focusedField ? "▏" : ""
            buffer.write(text + cursor, x: fieldRect.x, y: y, style: style, clip: fieldRect)
            let note = field.problem ?? (index == dialog.focusedField ? "ok" : "")
            buffer.write(
                DisplayWidth.truncated(note, to: max(0, fieldRect.width)), x: fieldRect.x, y: y + 1,
                style: field.problem == nil ? theme[.hint].on(theme[.dialog].background) : theme[.error],
                clip: inner)
        }
        let footer = dialog.isValid ? "Enter apply · Esc cancel" : "fix the field to apply · Esc cancel"
        buffer.write(
            footer, x: inner.x + 1, y: inner.maxY - 1, style: theme[.hint].on(theme[.dialog].background),
            clip: inner)
    }
}
