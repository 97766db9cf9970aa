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

/// Keys and the mouse for a pane's child: encoded by its VT (so modes like application cursor keys and
/// bracketed paste are honoured), then written to its pty.
extension PaneSet {
    /// Scrolls tab `id`'s view a page back (`forward` false) or forward.
    func scroll(_ id: ChildTab.ID, forward: Bool) {
        guard let terminal = panes[id]?.terminal else { return }
        let page = max(1, terminal.rows - 1)
        if forward { terminal.scrollViewDown(page) } else { terminal.scrollViewUp(page) }
    }

    /// Sends a key to tab `id`'s child, the view back at the bottom first; false for keys a terminal cannot
    /// send (the pane's own, a mouse event).
    @discardableResult
    func send(_ key: Key, to id: ChildTab.ID) -> Bool {
        guard let pane = panes[id] else { return false }
        let terminal = pane.terminal
        switch key {
        case .paste(let text):
            terminal.scrollViewToBottom()
            write(terminal.encodePaste(Array(text.utf8)), to: pane)
        default:
            guard let (terminalKey, modifiers) = key.terminalKey else { return false }
            terminal.scrollViewToBottom()
            write(terminal.encode(key: terminalKey, modifiers: modifiers), to: pane)
        }
        return true
    }

    /// A mouse event inside tab `id`'s screen area `area`: the child gets it when it asked for the mouse,
    /// else the wheel scrolls the view.
    func mouse(_ mouse: MouseEvent, to id: ChildTab.ID, area: Rect) {
        guard let pane = panes[id], area.contains(x: mouse.x, y: mouse.y) else { return }
        let row = mouse.y - area.y
        let col = mouse.x - area.x
        let terminal = pane.terminal
        guard terminal.mouseMode != .none else {
            if mouse.kind == .scrollUp { terminal.scrollViewUp(3) }
            if mouse.kind == .scrollDown { terminal.scrollViewDown(3) }
            return
        }
        let button: Int
        switch mouse.kind {
        case .leftClick: button = 1
        case .otherClick: button = 3
        case .scrollUp: button = 4
        case .scrollDown: button = 5
        }
        var bytes = terminal.encodeMouseButton(button, pressed: true, row: row, col: col)
        if button <= 3 { bytes += terminal.encodeMouseButton(button, pressed: false, row: row, col: col) }
        write(bytes, to: pane)
    }
}
