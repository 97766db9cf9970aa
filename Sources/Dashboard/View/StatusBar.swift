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
        case .lessons: return "digit or ↑↓ pick · Enter start · Esc close"
        case .none: break
        }
        if state.search?.editing == true { return "Enter keep · Esc clear" }
        if state.focus == .maps { return "\(MapPanel.scrollKeys) scroll · Tab panel · ? help · q quit" }
        return "1-8 kinds · F5 launch · Tab panel · ? help · q quit"
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
        let hintsWidth = DisplayWidth.width(of: hints)
        var messageWidth = rect.width
        // An error gets the whole row when it does not fit beside the hints: its end says the fix.
        let crowded =
            message.map { $0.isError && DisplayWidth.width(of: $0.text) + 3 + hintsWidth > rect.width } ?? false
        if (rect.width - hintsWidth >= 20 || message == nil) && !crowded {
            let x = rect.maxX - min(hintsWidth, rect.width)
            buffer.write(
                DisplayWidth.truncated(hints, to: rect.width), x: max(rect.x, x), y: rect.y,
                style: theme[.status], clip: rect)
            messageWidth = rect.width - hintsWidth - 2
        }
        guard let message, messageWidth > 0 else { return }
        // The message stays in its row: the row above is a panel's border. An error too long for it loses its
        // middle, marked, so both what failed (its start) and the fix (its end) still show.
        let room = messageWidth - 1
        let text =
            message.isError ? Self.elided(message.text, to: room) : DisplayWidth.truncated(message.text, to: room)
        let style = message.isError ? theme[.error] : theme[.status]
        buffer.write(" " + text, x: rect.x, y: rect.y, style: style, clip: rect)
    }

    /// `text` cut to `columns` by leaving out its middle, marked ` … `; whole when it fits.
    static func elided(_ text: String, to columns: Int) -> String {
        guard DisplayWidth.width(of: text) > columns else { return text }
        let marker = " … "
        guard columns > 12 else { return DisplayWidth.truncated(text, to: columns) }
        let room = columns - DisplayWidth.width(of: marker)
        var tail = ""
        var tailWidth = 0
        for character in text.reversed() {
            let width = DisplayWidth.width(of: character)
            if tailWidth + width > room / 2 { break }
            tail.insert(character, at: tail.startIndex)
            tailWidth += width
        }
        let head = DisplayWidth.prefix(text, fitting: room - tailWidth)
        return head.trimmingSpaces + marker + tail.trimmingSpaces
    }
}
