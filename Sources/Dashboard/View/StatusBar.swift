/// The bottom row: the last message on the left, key hints on the right.
public enum StatusBar {
    /// The key hints for the focused panel.
    public static func hints(for state: DashboardModel) -> String {
        if state.focus == .child, state.splitShown {
            return "Ctrl-] leave · F7 left · F9 side · S-F9 zoom · F10 both"
        }
        if state.focus == .child { return "Ctrl-] leave · F6 next · F7 split · F8 close · S-PgUp back" }
        switch state.overlay {
        case .dialog: return "Enter apply · Esc cancel · Tab next field"
        case .help: return "↑↓ PgUp PgDn scroll · other keys close help"
        case .confirmQuit: return "y quit · n stay"
        case .confirmReset: return "y reset · n keep"
        case .lessons: return "digit or ↑↓ pick · Enter start · Esc close"
        case .network: return state.network.detail ? NetworkMapView.detailHints : NetworkMapView.hints
        case .none: break
        }
        if state.search?.editing == true { return "Enter keep · Esc clear" }
        if state.focus == .maps { return "\(MapPanel.scrollKeys) scroll · Tab panel · ? help · q quit" }
        return "1-8 kinds · F5 launch · W net · Tab panel · ? help · q quit"
    }

    /// Draws the bar into `rect` (one row).
    public static func render(state: DashboardModel, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        buffer.fill(rect, style: theme[.status])
        let hints = hints(for: state)
        var message = state.message
        if let split = state.splitStatus {  // broadcasting (or a split shown as tabs) is never out of sight
            message = StatusMessage(
                split + (state.message.map { " · " + $0.text } ?? ""), isError: state.message?.isError ?? false)
        }
        if let directory = state.notebook {  // recording is never out of sight either
            message = StatusMessage(
                "● REC notebook \(directory)" + (message.map { " · " + $0.text } ?? ""),
                isError: message?.isError ?? false)
        }
        if state.overlay == .confirmQuit {
            let count = state.childrenRunning
            message = StatusMessage(
                "Quit and kill \(count) running child\(count == 1 ? "" : "ren")? y/n", isError: true)
        }
        if state.overlay == .confirmReset { message = StatusMessage(state.resetQuestion, isError: true) }
        let hintsWidth = DisplayWidth.width(of: hints)
        var messageWidth = rect.width
        // An error longer than the row is shown whole in a box above it (`errorBox`); one that fits the row but not
        // beside the hints gets the whole row: its end says the fix.
        let boxed = message.map { $0.isError && errorBox(for: $0.text, above: rect) != nil } ?? false
        let crowded =
            !boxed
            && (message.map { $0.isError && DisplayWidth.width(of: $0.text) + 3 + hintsWidth > rect.width } ?? false)
        if (rect.width - hintsWidth >= 20 || message == nil) && !crowded {
            let x = rect.maxX - min(hintsWidth, rect.width)
            buffer.write(
                DisplayWidth.truncated(hints, to: rect.width), x: max(rect.x, x), y: rect.y,
                style: theme[.status], clip: rect)
            messageWidth = rect.width - hintsWidth - 2
        }
        guard let message, messageWidth > 0 else { return }
        if boxed, let shown = errorBox(for: message.text, above: rect) {
            let box = shown.box
            buffer.fill(box, style: theme[.dialog])
            buffer.box(box, style: theme[.focusedBorder], title: "error", titleStyle: theme[.error])
            for (offset, line) in shown.lines.enumerated() {
                buffer.write(line, x: box.x + 2, y: box.y + 1 + offset, style: theme[.error], clip: box.inset(by: 1))
            }
            return
        }
        // Any other message stays in its row (the row above is the panels' border), cut and marked when long.
        let style = message.isError ? theme[.error] : theme[.status]
        buffer.write(
            " " + DisplayWidth.truncated(message.text, to: messageWidth - 1), x: rect.x, y: rect.y, style: style,
            clip: rect)
    }

    /// The most rows of text an error's box holds; a longer error is cut there, marked.
    static let maxErrorRows = 6

    /// Where an error too long for the status row `bar` is shown whole: a framed box across the screen, over the
    /// panels' lower rows but above the row over the bar, which is their bottom border (with its markers, such
    /// as the maps' `1-4 of 15`) and stays as it is; and the error's lines. Nil when the error fits the row or
    /// the screen is too short.
    static func errorBox(for text: String, above bar: Rect) -> (box: Rect, lines: [String])? {
        guard DisplayWidth.width(of: text) > bar.width - 1, bar.width >= 20 else { return nil }
        var lines = TextWrap.lines(text, width: bar.width - 4)
        if lines.count > maxErrorRows {
            lines = Array(lines.prefix(maxErrorRows))
            lines[maxErrorRows - 1] = DisplayWidth.truncated(lines[maxErrorRows - 1] + " …", to: bar.width - 4)
        }
        let box = Rect(x: bar.x, y: bar.y - 1 - lines.count - 2, width: bar.width, height: lines.count + 2)
        return box.y >= 1 ? (box, lines) : nil
    }
}
