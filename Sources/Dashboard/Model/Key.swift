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
    /// A key pressed with modifiers the plain cases cannot carry: Ctrl/Alt/Shift with arrows, the editing
    /// block and function keys, and Alt with a character (sent as an ESC prefix).
    indirect case modified(Key, KeyModifiers)
    /// Text the outer terminal delivered as one bracketed paste (ESC[200~ ... ESC[201~).
    case paste(String)
    /// A mouse event routed to the child pane, in screen cells.
    case mouse(MouseEvent)

    /// Ctrl-], the one key the child pane keeps for itself: it leaves the pane.
    public static let leavePane = Key.control(29)

    /// This key with `extra` modifiers; plain keys get wrapped, modified ones gain the bits.
    public func with(_ extra: KeyModifiers) -> Key {
        if extra.isEmpty { return self }
        if case .modified(let base, let modifiers) = self { return .modified(base, modifiers.union(extra)) }
        return .modified(self, extra)
    }
}

/// Modifier keys held with a key, as terminals report them (xterm's 1 + bits parameter).
public struct KeyModifiers: OptionSet, Hashable, Sendable {
    /// The raw bits: 1 Shift, 2 Alt, 4 Ctrl, as in xterm's modifier parameter minus one.
    public let rawValue: UInt8
    /// Makes modifiers from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Shift.
    public static let shift = KeyModifiers(rawValue: 1)
    /// Alt (Meta).
    public static let alt = KeyModifiers(rawValue: 2)
    /// Control.
    public static let ctrl = KeyModifiers(rawValue: 4)
}

/// A mouse event in screen cells.
public struct MouseEvent: Equatable, Hashable, Sendable {
    /// What happened.
    public enum Kind: Equatable, Hashable, Sendable {
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
