import TerminalKit

/// The keys the child pane keeps for itself; every other key goes to the child.
enum PaneCommand: Equatable {
    /// F6: the next tab.
    case nextTab
    /// Shift-F6: the previous tab.
    case previousTab
    /// Alt-1..9: tab N (0-based here).
    case showTab(Int)
    /// F8: close the tab on show (a running child is killed first).
    case closeTab
    /// Shift-PgUp: back through the pane's history.
    case scrollBack
    /// Shift-PgDn: forward again.
    case scrollForward
    /// F7: split host and child; in a split, the left side shows the next tab.
    case split
    /// Shift-F7: back to one pane with tabs.
    case unsplit
    /// F9: in a split, the keys go to the other side.
    case otherSide
    /// Shift-F9: in a split, the side with the keys fills the pane area, and back.
    case zoom
    /// F10: in a split, every key typed goes to both sides, and back.
    case broadcast

    /// The pane's command for `key`; nil for a key meant for the child.
    init?(_ key: Key) {
        switch key {
        case .function(6): self = .nextTab
        case .modified(.function(6), .shift): self = .previousTab
        case .modified(.character(let c), .alt) where ("1"..."9").contains(c): self = .showTab(c.wholeNumberValue! - 1)
        case .function(8): self = .closeTab
        case .modified(.pageUp, .shift): self = .scrollBack
        case .modified(.pageDown, .shift): self = .scrollForward
        case .function(7): self = .split
        case .modified(.function(7), .shift): self = .unsplit
        case .function(9): self = .otherSide
        case .modified(.function(9), .shift): self = .zoom
        case .function(10): self = .broadcast
        default: return nil
        }
    }
}

/// The child pane's keys and mouse (tabs, split, zoom, close, scrollback, typing), as pure changes of the model,
/// like the dashboard's other keys: what needs the panes' I/O (writing to a child, killing one, scrolling its
/// view, a launch) comes back as actions that `DashboardUpdate` carries out.
extension DashboardModel {
    /// A key or mouse event the focused pane took (`.forwardToChild`): the pane's own keys act on the tabs, the
    /// split and the view, the rest are typed into the child with the keys; Enter on an ended child relaunches
    /// it. `screens` is only read: the tab bar's labels are as wide as the titles the children set.
    mutating func handlePaneKey(_ key: Key, screens: (any PaneScreens)?) -> [DashboardAction] {
        // Shift-F5 is the pane's own: a new child inside the shown child's namespaces.
        if key == Key.launchInside { return launchInsideShownTab() }
        if let command = PaneCommand(key) { return handlePaneCommand(command) }
        guard let id = keyboardTabID, let tab = tab(id) else { return [] }
        if case .mouse(let mouse) = key {
            return splitShown ? mouseInSplit(mouse) : mouseInPane(mouse, tab: tab, screens: screens)
        }
        // While broadcasting, the other side may still be running: keys go on to it.
        if tab.exit != nil && !(split?.broadcast == true && splitShown) {
            guard key == .enter else { return [] }
            guard !tab.isHost else {
                show("The host shell ended: S-F7 then F7 starts a new one.")
                return []
            }
            return [.launch(tab.request)]
        }
        let running = typingTabIDs.filter { self.tab($0)?.exit == nil }
        return running.isEmpty ? [] : [.type(key, into: running)]
    }

    /// The pane's own keys: tabs, the split's keys, close and scrollback.
    mutating func handlePaneCommand(_ command: PaneCommand) -> [DashboardAction] {
        if command == .split { return pressSplit() }
        if splitCommand(command) { return [] }
        var actions: [DashboardAction] = []
        switch command {
        case .nextTab: showTab(by: 1)
        case .previousTab: showTab(by: -1)
        case .showTab(let index): showTab(at: index)
        case .closeTab:
            // Ended or not: an ended shell's background jobs still hold the session (and the pty). In a split,
            // the side with the keys is the one closed.
            if let id = keyboardTabID, let closed = closeTab(id) { actions.append(.kill(closed.id)) }
        case .scrollBack, .scrollForward:
            if let id = keyboardTabID { actions.append(.scroll(id, forward: command == .scrollForward)) }
        case .split, .unsplit, .otherSide, .zoom, .broadcast: break  // handled above
        }
        return actions + followShownTab()
    }

    /// The panels follow the tab on show: its child is compared with the host, read again (`.recompute`).
    mutating func followShownTab() -> [DashboardAction] {
        guard let tab = shownTab, comparison.target != .tab(tab.id) else { return [] }
        comparison.point(at: .tab(tab.id))
        return [.recompute]
    }

    /// A mouse event over the pane (no split): a click on a tab's label shows it; the rest is the child's (or
    /// scrolls its view, when it did not ask for the mouse).
    private mutating func mouseInPane(
        _ mouse: MouseEvent, tab: ChildTab, screens: (any PaneScreens)?
    ) -> [DashboardAction] {
        guard let rect = layout.panels[.child] else { return [] }
        if mouse.kind == .leftClick, mouse.y == rect.y,
            let label = TabBar.labels(self, in: rect, screens: screens).first(where: { $0.x.contains(mouse.x) })
        {
            showTab(id: label.id)
            return followShownTab()
        }
        return [.mouse(mouse, to: tab.id, area: ChildPaneView.screenArea(in: rect))]
    }

    /// A mouse event over the split: a click gives that side the keys; the event goes to that side's child.
    private mutating func mouseInSplit(_ mouse: MouseEvent) -> [DashboardAction] {
        guard var current = split, let rect = layout.panels[.child] else { return [] }
        let (left, right) = current.sides(in: rect)
        let side: PaneSplit.Side
        let frame: Rect
        if let left, left.contains(x: mouse.x, y: mouse.y) {
            (side, frame) = (.left, left)
        } else if let right, right.contains(x: mouse.x, y: mouse.y) {
            (side, frame) = (.right, right)
        } else {
            return []
        }
        if mouse.kind == .leftClick, current.keys != side {
            current.keys = side
            split = current
        }
        guard let id = side == .left ? current.leftTabID : shownTabID else { return [] }
        return [.mouse(mouse, to: id, area: ChildPaneView.screenArea(in: frame))]
    }
}
