import TerminalKit

/// The child pane's title row: one label per open tab. The one on show says it all ("2 Child 4711 [pid,net]",
/// how it ended, how far the view is scrolled back); the others are short ("3 uts"), so nine fit beside it.
public enum TabBar {
    /// Where each tab's label sits in the title row of a pane drawn in `rect`, with its text: pure, so the
    /// drawing and the mouse agree. When the labels do not all fit, the row scrolls so that the tab on show is
    /// always in it, and `‹N` / `N›` mark how many tabs are hidden on each side (a click on one shows the
    /// nearest hidden tab).
    public static func labels(
        _ model: DashboardModel, in rect: Rect, screens: (any PaneScreens)?
    ) -> [(id: ChildTab.ID, text: String, x: Range<Int>)] {
        guard rect.width > 4 else { return [] }
        let clip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
        let tabs = model.openTabs
        let texts = tabs.enumerated().map { index, tab in
            var label = " \(index + 1) "
            if tab.id == model.shownTabID {
                label += SplitPaneView.title(of: tab)
                if let offset = screens?.screen(of: tab.id)?.scrollOffset, offset > 0 { label += " ↑\(offset)" }
            } else {
                label += tab.kindList + (tab.exit == nil ? "" : " ended")
            }
            return label + " "
        }
        let widths = texts.map { DisplayWidth.width(of: $0) }
        let (first, last) = window(
            widths: widths, shown: tabs.firstIndex { $0.id == model.shownTabID } ?? 0,
            room: clip.maxX - (rect.x + 2))
        var x = rect.x + 2
        var result: [(ChildTab.ID, String, Range<Int>)] = []
        func place(_ id: ChildTab.ID, _ text: String) {
            guard x < clip.maxX else { return }
            let width = min(DisplayWidth.width(of: text), clip.maxX - x)
            result.append((id, text, x..<(x + width)))
            x += width + 1
        }
        if first > 0 { place(tabs[first - 1].id, " ‹\(first) ") }
        for index in first...max(first, last) where index < tabs.count { place(tabs[index].id, texts[index]) }
        if last < tabs.count - 1 { place(tabs[last + 1].id, " \(tabs.count - 1 - last)› ") }
        return result
    }

    /// The first and last label shown: all when they fit in `room` columns, else the run that holds `shown`,
    /// as far left as it can start, with room for the hidden-tab markers.
    static func window(widths: [Int], shown: Int, room: Int) -> (first: Int, last: Int) {
        guard !widths.isEmpty else { return (0, -1) }
        func marker(_ hidden: Int) -> Int { hidden > 0 ? String(hidden).count + 4 : 0 }  // " ‹N " and a gap
        func fits(_ first: Int, _ last: Int) -> Bool {
            let labels = widths[first...last].reduce(0, +) + (last - first)
            return labels + marker(first) + marker(widths.count - 1 - last) <= room
        }
        if fits(0, widths.count - 1) { return (0, widths.count - 1) }
        for first in 0...shown {
            var last = first
            while last + 1 < widths.count && fits(first, last + 1) { last += 1 }
            if last >= shown { return (first, last) }
        }
        return (shown, shown)  // the shown label alone, cut to the row if it must be
    }

    /// Draws the labels into the title row of `rect`.
    static func render(
        _ model: DashboardModel, in rect: Rect, focused: Bool, screens: (any PaneScreens)?, buffer: inout ScreenBuffer,
        theme: Theme
    ) {
        let clip = Rect(x: rect.x + 1, y: rect.y, width: max(0, rect.width - 2), height: 1)
        for label in labels(model, in: rect, screens: screens) {
            var style =
                label.id == model.shownTabID ? theme[.selection] : (focused ? theme[.focusedBorder] : theme[.title])
            // The host shell stands out in every label, so no one types into the host by mistake.
            if model.tab(label.id)?.isHost == true {
                style = SplitPaneView.hostStyle(theme, shown: label.id == model.shownTabID)
            }
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
        if model.splitShown {
            SplitPaneView.render(model, in: rect, focused: focused, screens: screens, buffer: &buffer, theme: theme)
            return
        }
        let inner = PanelFrame.draw("", in: rect, focused: focused, buffer: &buffer, theme: theme)
        TabBar.render(model, in: rect, focused: focused, screens: screens, buffer: &buffer, theme: theme)
        guard inner.width > 0, inner.height > 0, let terminal = screens?.screen(of: tab.id) else { return }
        PaneRenderer.draw(terminal, in: inner, buffer: &buffer)
    }

    /// Where the child's cursor is on screen while its pane has the keyboard; nil when it shows none.
    public static func cursor(_ model: DashboardModel, screens: (any PaneScreens)?) -> (x: Int, y: Int)? {
        guard model.focus == .child, model.overlay == .none, let id = model.keyboardTabID, let tab = model.tab(id),
            tab.exit == nil, let pane = model.layout.panels[.child], let terminal = screens?.screen(of: tab.id),
            let rect = model.splitShown ? SplitPaneView.keyboardSide(model, in: pane) : pane
        else { return nil }
        let cursor = terminal.cursor
        guard cursor.visible, terminal.scrollOffset == 0 else { return nil }
        let area = screenArea(in: rect)
        return (area.x + cursor.col, area.y + cursor.row)
    }
}
