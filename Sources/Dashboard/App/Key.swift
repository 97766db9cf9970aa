/// A key press as the dashboard understands it, independent of ncurses' codes.
public enum Key: Equatable, Hashable, Sendable {
    /// A printable character (letters, digits, '/', '?', space).
    case character(Character)
    /// Ctrl plus a key, as the ASCII control code 0-31 (Ctrl-] is 29).
    case control(UInt8)
    /// Enter / Return.
    case enter
    /// Escape on its own (after ESCDELAY).
    case escape
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Backspace.
    case backspace
    /// Delete.
    case delete
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Home.
    case home
    /// End.
    case end
    /// Page up.
    case pageUp
    /// Page down.
    case pageDown
    /// Insert.
    case insert
    /// A function key F1-F12.
    case function(Int)

    /// Ctrl-], the one key the child pane keeps for itself: it leaves the pane.
    public static let leavePane = Key.control(29)
}

/// A mouse event in screen cells.
public struct MouseEvent: Equatable, Sendable {
    /// What happened.
    public enum Kind: Equatable, Sendable {
        /// A left click (press or click; the dashboard acts on presses).
        case leftClick
        /// A right or middle click, ignored by the dashboard but forwarded to a child that wants it.
        case otherClick
        /// Wheel up.
        case scrollUp
        /// Wheel down.
        case scrollDown
    }

    /// The column.
    public var x: Int
    /// The row.
    public var y: Int
    /// What happened.
    public var kind: Kind

    /// Makes a mouse event.
    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}

/// Everything the user can do to the dashboard.
public enum InputEvent: Equatable, Sendable {
    /// A key.
    case key(Key)
    /// A mouse event.
    case mouse(MouseEvent)
    /// The terminal changed size.
    case resize(TerminalSize)
}
