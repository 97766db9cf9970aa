import TerminalKit

/// The split pane area: two framed terminals side by side, each titled with what runs in it. The host shell's
/// title is drawn in the error colour and says HOST, the side with the keys has the focused border, and while
/// broadcasting both titles say so.
public enum SplitPaneView {
    /// A tab's title: "HOST shell 4711", or "Child 4712 [uts,ipc]", and how it ended.
    static func title(of tab: ChildTab) -> String {
        let what = tab.isHost ? "HOST shell \(tab.pid) (no new namespaces)" : "Child \(tab.pid) [\(tab.kindList)]"
        return what + (tab.exit.map { " \($0)" } ?? "")
    }

    /// The host shell's label style: the error colour, reversed when it is the tab on show.
    static func hostStyle(_ theme: Theme, shown: Bool) -> Style {
        var style = theme[.error]
        if shown { style.attributes.insert(.reverse) }
        style.attributes.insert(.bold)
        return style
    }

    /// The frame of the side whose child gets the keys, in the pane area `rect`.
    static func keyboardSide(_ model: DashboardModel, in rect: Rect) -> Rect? {
        guard let split = model.split else { return rect }
        let (left, right) = split.sides(in: rect)
        return split.keys == .left ? left : right
    }

    /// Draws both sides (or the zoomed one) into the pane area `rect`.
    static func render(
        _ model: DashboardModel, in rect: Rect, focused: Bool, screens: (any PaneScreens)?, buffer: inout ScreenBuffer,
        theme: Theme
    ) {
        guard let split = model.split else { return }
        let (left, right) = split.sides(in: rect)
        let sides: [(PaneSplit.Side, Rect?, ChildTab.ID?)] = [
            (.left, left, split.leftTabID), (.right, right, model.shownTabID),
        ]
        for (side, frame, id) in sides {
            guard let frame, let id, let tab = model.tab(id) else { continue }
            let broadcasting = split.broadcast && !split.zoomed
            let hasKeys = focused && (split.keys == side || broadcasting)
            let inner = PanelFrame.draw("", in: frame, focused: hasKeys, buffer: &buffer, theme: theme)
            var label = " \(title(of: tab))"
            if split.keys == side { label += " · keys" }
            if broadcasting { label += " · BROADCAST" }
            if split.zoomed { label += " · zoomed" }
            if let offset = screens?.screen(of: id)?.scrollOffset, offset > 0 { label += " ↑\(offset)" }
            label += " "
            let style =
                tab.isHost
                ? hostStyle(theme, shown: split.keys == side)
                : (split.keys == side ? theme[.selection] : theme[.title])
            let clip = Rect(x: frame.x + 1, y: frame.y, width: max(0, frame.width - 2), height: 1)
            buffer.write(label, x: frame.x + 2, y: frame.y, style: style, clip: clip)
            guard inner.width > 0, inner.height > 0, let terminal = screens?.screen(of: id) else { continue }
            PaneRenderer.draw(terminal, in: inner, buffer: &buffer)
        }
    }
}
