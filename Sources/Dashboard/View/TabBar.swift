import TerminalKit

/// The child pane's title row: one label per open tab. The one on show says it all ("2 Child 4711 [pid,net]",
/// how it ended, how far the view is scrolled back); the others are short ("3 uts"), so nine fit beside it.
public enum TabBar {
    /// Where each tab's label sits in the title row of a pane drawn in `rect`, with its text: pure, so the
    /// drawing and the mouse agree.
    public static func labels(
        _ model: DashboardModel, in rect: Rect, screens: (any PaneScreens)?
    ) -> [(id: ChildTab.ID, text: String, x: Range<Int>)] {
        guard rect.width > 4 else { return [] }
        let clip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
        var x = rect.x + 2
        var result: [(ChildTab.ID, String, Range<Int>)] = []
        for (index, tab) in model.openTabs.enumerated() where x < clip.maxX {
            var label = " \(index + 1) "
            if tab.id == model.shownTabID {
                label += "Child \(tab.pid) [\(tab.kindList)]" + (tab.exit.map { " \($0)" } ?? "")
                if let offset = screens?.screen(of: tab.id)?.scrollOffset, offset > 0 { label += " ↑\(offset)" }
            } else {
                label += tab.kindList + (tab.exit == nil ? "" : " ended")
            }
            label += " "
            let width = min(DisplayWidth.width(of: label), clip.maxX - x)
            result.append((tab.id, label, x..<(x + width)))
            x += width + 1
        }
        return result
    }

    /// Draws the labels into the title row of `rect`.
    static func render(
        _ model: DashboardModel, in rect: Rect, focused: Bool, screens: (any PaneScreens)?, buffer: inout ScreenBuffer,
        theme: Theme
    ) {
        let clip = Rect(x: rect.x + 1, y: rect.y, width: max(0, rect.width - 2), height: 1)
        for label in labels(model, in: rect, screens: screens) {
            let style =
                label.id == model.shownTabID ? theme[.selection] : (focused ? theme[.focusedBorder] : theme[.title])
            buffer.write(label.text, x: label.x.lowerBound, y: rect.y, style: style, clip: clip)
        }
    }
}

/// The child pane: the idle screen before the first launch and after the last tab closed, else the frame,
/// the tabs and the screen of the tab on show.
public enum ChildPaneView {
    /// Where the child's screen is drawn inside the pane's `rect`.
    public static func screenArea(in rect: Rect) -> Rect { rect.inset(by: 1) }

    /// Draws the pane into `rect`.
    public static func render(
        _ model: DashboardModel, in rect: Rect, focused: Bool, screens: (any PaneScreens)?, buffer: inout ScreenBuffer,
        theme: Theme
    ) {
        guard let tab = model.shownTab else {
            IdleChildPane.render(in: rect, focused: focused, buffer: &buffer, theme: theme)
            return
        }
        let inner = PanelFrame.draw("", in: rect, focused: focused, buffer: &buffer, theme: theme)
        TabBar.render(model, in: rect, focused: focused, screens: screens, buffer: &buffer, theme: theme)
        guard inner.width > 0, inner.height > 0, let terminal = screens?.screen(of: tab.id) else { return }
        PaneRenderer.draw(terminal, in: inner, buffer: &buffer)
    }

    /// Where the child's cursor is on screen while its pane has the keyboard; nil when it shows none.
    public static func cursor(_ model: DashboardModel, screens: (any PaneScreens)?) -> (x: Int, y: Int)? {
        guard model.focus == .child, model.overlay == .none, let tab = model.shownTab, tab.exit == nil,
            let rect = model.layout.panels[.child], let terminal = screens?.screen(of: tab.id)
        else { return nil }
        let cursor = terminal.cursor
        guard cursor.visible, terminal.scrollOffset == 0 else { return nil }
        let area = screenArea(in: rect)
        return (area.x + cursor.col, area.y + cursor.row)
    }
}
