/// The bottom row: the last message on the left, key hints on the right.
public enum StatusBar {
    /// The key hints for the focused panel.
    public static func hints(for state: AppState) -> String {
        if state.focus == .child { return "Ctrl-] leave pane" }
        switch state.overlay {
        case .dialog: return "Enter apply · Esc cancel · Tab next field"
        case .help: return "↑↓ scroll · other keys close help"
        case .confirmQuit: return "y quit · n stay"
        case .none: break
        }
        if state.search?.editing == true { return "Enter keep · Esc clear" }
        return "1-8 kinds · F5 launch · Tab panel · ? help · q quit"
    }

    /// Draws the bar into `rect` (one row).
    public static func render(state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        buffer.fill(rect, style: theme[.status])
        let hints = hints(for: state)
        var message = state.message
        if state.overlay == .confirmQuit {
            let count = state.childrenRunning
            message = StatusMessage(
                "Quit and kill \(count) running child\(count == 1 ? "" : "ren")? y/n", isError: true)
        }
        let hintsWidth = DisplayWidth.width(of: hints)
        var messageWidth = rect.width
        if rect.width - hintsWidth >= 20 || message == nil {
            let x = rect.maxX - min(hintsWidth, rect.width)
            buffer.write(
                DisplayWidth.truncated(hints, to: rect.width), x: max(rect.x, x), y: rect.y,
                style: theme[.status], clip: rect)
            messageWidth = rect.width - hintsWidth - 2
        }
        if let message, messageWidth > 0 {
            let text = " " + DisplayWidth.truncated(message.text, to: messageWidth - 1)
            buffer.write(
                text, x: rect.x, y: rect.y, style: message.isError ? theme[.error] : theme[.status], clip: rect)
        }
    }
}
