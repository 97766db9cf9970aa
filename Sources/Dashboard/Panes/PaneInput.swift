import TerminalKit

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
