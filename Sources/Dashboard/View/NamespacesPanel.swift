import NamespaceKit

/// The Namespaces panel: eight numbered checkboxes with what each kind isolates, their options, a hint
/// for non-root users and the Launch button.
public enum NamespacesPanel {
    /// The inside row of the non-root hint (rows 0-7 are the kinds).
    public static let hintRow = 8
    /// The inside row of the Launch button; mouse clicks use it too.
    public static let launchRow = 9

    /// The option shown beside a kind, or nil for kinds without one.
    public static func optionText(for kind: NamespaceKind, options: NamespaceOptions) -> String? {
        switch kind {
        case .uts: return "hostname " + options.hostname
        case .pid, .mount: return "fresh /proc " + (options.freshProc ? "on" : "off")
        case .net: return "loopback " + (options.loopbackUp ? "up" : "down")
        case .user:
            if options.uidMaps.isEmpty && options.gidMaps.isEmpty { return "maps: root = you" }
            return "maps " + (options.uidMaps.first ?? "-")
                + (options.uidMaps.count + options.gidMaps.count > 1 ? " …" : "")
        case .time: return "mono \(signed(options.monotonicOffset))s boot \(signed(options.boottimeOffset))s"
        case .ipc, .cgroup: return nil
        }
    }

    /// "+5" or "-5": offsets read better with their sign.
    static func signed(_ value: Int64) -> String { value >= 0 ? "+\(value)" : "\(value)" }

    /// Draws the panel into `rect`.
    public static func render(
        state: DashboardModel, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let inner = PanelFrame.draw("Namespaces", in: rect, focused: focused, buffer: &buffer, theme: theme)
        guard !inner.isEmpty else { return }
        let options = NamespaceKind.allCases.compactMap { optionText(for: $0, options: state.options) }
        let optionWidth = min(options.map { DisplayWidth.width(of: $0) }.max() ?? 0, max(0, inner.width - 14) / 2)
        for (index, kind) in NamespaceKind.allCases.enumerated() {
            let y = inner.y + index
            let ticked = state.ticked.contains(kind)
            let reason = state.unavailable[kind]
            var x = inner.x
            let box = reason != nil ? "[-]" : ticked ? "[x]" : "[ ]"
            let boxStyle = reason != nil ? theme[.disabled] : theme[ticked ? .checkboxOn : .checkboxOff]
            x += buffer.write(box, x: x, y: y, style: boxStyle, clip: inner)
            x += buffer.write(" \(index + 1) ", x: x, y: y, style: theme[.key], clip: inner)
            let title = DisplayWidth.padded(kind.title, to: 7)
            x += buffer.write(title, x: x, y: y, style: reason != nil ? theme[.disabled] : theme[.normal], clip: inner)
            let rest = Rect(x: x, y: y, width: inner.maxX - x, height: 1)
            if let reason {
                buffer.write(
                    DisplayWidth.truncated("unavailable: " + reason, to: rest.width), x: x, y: y,
                    style: theme[.disabled], clip: rest)
            } else {
                let option = optionText(for: kind, options: state.options).map {
                    DisplayWidth.truncated($0, to: optionWidth)
                }
                let isolatesWidth = rest.width - (optionWidth > 0 ? optionWidth + 1 : 0)
                if isolatesWidth >= 8 {
                    buffer.write(
                        DisplayWidth.truncated(kind.isolates, to: isolatesWidth), x: x, y: y,
                        style: theme[.hint], clip: rest)
                }
                if let option {
                    let ox = rest.maxX - optionWidth
                    buffer.write(option, x: ox, y: y, style: ticked ? theme[.normal] : theme[.disabled], clip: rest)
                }
            }
            if focused && state.overlay == .none && state.namespaceCursor == index {
                buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: theme[.selection])
            }
        }
        // The warning is for an ordinary user who has not ticked User yet; once it is ticked, it has been heeded.
        let warns = !state.isRoot && !state.ticked.contains(.user)
        let hint =
            warns ? "Not root: the other kinds need User (6)." : "Space tick · Enter option · h hostname · m maps"
        buffer.write(
            DisplayWidth.truncated(hint, to: inner.width), x: inner.x, y: inner.y + hintRow,
            style: warns ? theme[.key] : theme[.hint], clip: inner)
        let y = inner.y + launchRow
        let onButton = focused && state.overlay == .none && state.namespaceCursor == DashboardModel.launchIndex
        let width = buffer.write(
            "[ Launch  F5 ]", x: inner.x, y: y, style: onButton ? theme[.selection] : theme[.button],
            clip: inner)
        let kinds = NamespaceKind.allCases.filter { state.ticked.contains($0) }.map(\.title)
        let summary = kinds.isEmpty ? "nothing ticked" : kinds.joined(separator: " ")
        buffer.write(" " + summary, x: inner.x + width, y: y, style: theme[.hint], clip: inner)
        // The same launch with the standard tool (nsenter for an entered tab on show), when a row is left for
        // it; `y` copies it.
        if let line = ExportLine.current(state), inner.height > launchRow + 1 {
            buffer.write(
                DisplayWidth.truncated("$ " + line, to: inner.width), x: inner.x, y: y + 1, style: theme[.hint],
                clip: inner)
        }
    }
}
