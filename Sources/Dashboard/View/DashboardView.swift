/// The whole screen: panels per the layout, the status bar and any overlay. Pure: the model (and the panes'
/// screens, read only) in, a buffer out.
public enum DashboardView {
    /// Renders the dashboard for `state`; `screens` gives the children's screens (nil: no pane has one).
    public static func render(_ state: DashboardModel, theme: Theme, screens: (any PaneScreens)? = nil) -> ScreenBuffer
    {
        var buffer = ScreenBuffer(size: state.size, fill: Cell(" ", style: theme[.normal]))
        let layout = state.layout
        if layout.tooSmall {
            TooSmallScreen.render(size: state.size, buffer: &buffer, theme: theme)
            return buffer
        }
        // The network map covers everything above the status bar: what it covers is not drawn (with 1,000
        // namespaces idle, drawing the tree beneath each interval cost a third of the map's own drawing).
        let covered = state.overlay == .network
        if !covered, let bar = layout.tabBar {
            buffer.fill(bar, style: theme[.status])
            for (panel, rect) in layout.tabs(including: state.focusablePanels) {
                let style = panel == state.focus ? theme[.selection] : theme[.status]
                buffer.write(" " + panel.title + " ", x: rect.x, y: rect.y, style: style, clip: rect)
            }
            PresenterPanel.renderNote(state, in: bar, buffer: &buffer, theme: theme)
        }
        for (panel, rect) in layout.panels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !covered {
            let focused = panel == state.focus
            switch panel {
            case .namespaces:
                NamespacesPanel.render(state: state, in: rect, focused: focused, buffer: &buffer, theme: theme)
            case .processes:
                ProcessTreePanel.render(state: state, in: rect, focused: focused, buffer: &buffer, theme: theme)
            case .maps:
                MapPanel.render(state: state, in: rect, focused: focused, buffer: &buffer, theme: theme)
            case .comparison where layout.presenter:
                PresenterPanel.render(state: state, in: rect, focused: focused, buffer: &buffer, theme: theme)
            case .comparison:
                ComparisonPanel.render(
                    state.comparison.view, in: rect, focused: focused, buffer: &buffer, theme: theme,
                    ascii: state.asciiGlyphs)
            case .child:
                ChildPaneView.render(state, in: rect, focused: focused, screens: screens, buffer: &buffer, theme: theme)
            }
        }
        if !covered, let session = state.lessonShown {
            if let card = layout.lessonCard {
                LessonCard.render(session, state: state, in: card, buffer: &buffer, theme: theme)
            } else if let line = layout.lessonLine {
                LessonCard.renderLine(session, state: state, in: line, buffer: &buffer, theme: theme)
            }
        }
        var mapOpen = false
        if case .network = state.overlay { mapOpen = true }
        if !mapOpen { StatusBar.render(state: state, in: layout.statusBar, buffer: &buffer, theme: theme) }
        switch state.overlay {
        case .help: HelpOverlay.render(in: buffer.bounds, scroll: state.helpScroll, buffer: &buffer, theme: theme)
        case .dialog(let dialog): DialogView.render(dialog, in: buffer.bounds, buffer: &buffer, theme: theme)
        case .lessons(let picker):
            LessonListView.render(state, picker: picker, in: buffer.bounds, buffer: &buffer, theme: theme)
        case .network: NetworkMapView.render(state, buffer: &buffer, theme: theme)
        case .confirmQuit, .confirmReset, .none: break
        }
        // The map covers everything above the bar; an error of its own keys (w's refusals) too long for the row goes
        // in a box above the bar, which must be drawn over the map, not under it.
        if mapOpen { StatusBar.render(state: state, in: layout.statusBar, buffer: &buffer, theme: theme) }
        return buffer
    }
}
