import NamespaceKit

/// What the panes' sizes depend on: the terminal size and the split. The update step fits them again only when
/// this changed, so a pty's output (the hot path) never computes the layout.
struct PaneFit: Equatable {
    var size: TerminalSize
    var split: PaneSplit?
    var shown: ChildTab.ID?
    /// A lesson's card narrows the pane beside it (or takes a row in the compact layout).
    var lessonCard: Bool
    /// The presenter layout gives the pane another box.
    var presenter: Bool

    init(_ model: DashboardModel) {
        size = model.size
        split = model.splitShown ? model.split : nil
        shown = model.shownTabID
        lessonCard = model.lessonShown != nil
        presenter = model.presenter
    }

    /// The size of one pane's screen inside its frame `rect`.
    static func screenSize(_ rect: Rect) -> WindowSize? {
        let area = ChildPaneView.screenArea(in: rect)
        guard area.width > 0, area.height > 0 else { return nil }
        return WindowSize(rows: UInt16(clamping: area.height), columns: UInt16(clamping: area.width))
    }

    /// Every pane's size: `shown` for the tab on show and the hidden tabs (and new children), `sides` for the
    /// split's left side. A side zoomed away keeps its half, so zooming back sends it no SIGWINCH.
    static func sizes(_ model: DashboardModel) -> (shown: WindowSize, sides: [ChildTab.ID: WindowSize])? {
        // The layout drawn, so that the pty's size is the box on screen: a lesson card beside the pane narrows it
        // (`stty size` in the pane said 64 columns in a 38-column box before this took the card into account).
        let layout = DashboardLayout(
            size: model.size, focus: .child, split: model.splitShown, lessonCard: model.lessonShown != nil,
            presenter: model.presenter)
        guard let rect = layout.panels[.child] else { return nil }
        guard let split = model.split, model.splitShown else { return screenSize(rect).map { ($0, [:]) } }
        var halves = split
        halves.zoomed = false
        let (leftHalf, rightHalf) = halves.sides(in: rect)
        let (left, right) = split.sides(in: rect)
        guard let leftSize = (left ?? leftHalf).flatMap(screenSize),
            let rightSize = (right ?? rightHalf).flatMap(screenSize)
        else { return nil }
        return (rightSize, [split.leftTabID: leftSize])
    }
}

/// The split's I/O: starting the host shell (its keys and mouse are pure handlers, `Update/PaneKeys.swift`).
extension DashboardUpdate {
    /// Starts the host shell and puts it on the left of the split, the tab on show on the right.
    func openSplit(_ model: inout DashboardModel, outcome: inout UpdateOutcome) {
        switch panes.launchHost(openTabs: model.openTabs.count, system: system) {
        case .success(let pane):
            let tab = model.addHostTab(pid: pane.pid, request: PaneSet.hostRequest, promptMarks: pane.promptMarks)
            panes.adopt(pane, as: tab.id)
            if let fd = pane.fd { outcome.effects.append(.watch(fd)) }
            model.split = PaneSplit(left: tab.id, right: model.shownTabID)
            notebookLaunched(tab, model: model)
            model.announceSplit()
            refresh(&model)
        case .failure(let failure):
            model.show("The host shell did not start: \(failure.message)", isError: true)
        }
    }

}
