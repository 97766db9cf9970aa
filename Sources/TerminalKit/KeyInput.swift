import CVTerm

/// Modifier keys held with a key or mouse event; the raw values are libvterm's.
public struct Modifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    /// Makes modifiers from their raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Shift.
    public static let shift = Modifiers(rawValue: UInt8(VTERM_MOD_SHIFT.rawValue))
    /// Alt (Meta); libvterm sends it as an ESC prefix or a modifier parameter.
    public static let alt = Modifiers(rawValue: UInt8(VTERM_MOD_ALT.rawValue))
    /// Control.
    public static let ctrl = Modifiers(rawValue: UInt8(VTERM_MOD_CTRL.rawValue))

    var vterm: VTermModifier { VTermModifier(rawValue: UInt32(rawValue) & VTERM_ALL_MODS_MASK.rawValue) }
}

/// A key on the numeric keypad, which sends different bytes in application keypad mode (DECKPAM).
public enum KeypadKey: Hashable, Sendable {
    /// A digit key 0–9.
    case digit(Int)
    /// `*`, `+`, `,`, `-`, `.`, `/`, Enter and `=` on the keypad.
    case multiply, plus, comma, minus, period, divide, enter, equal
}

/// A key the user pressed, before encoding; `encode(key:modifiers:)` turns it into bytes for the child.
public enum TerminalKey: Hashable, Sendable {
    /// A character key; with `.ctrl`, letters become control codes (Ctrl-C is 0x03).
    case character(Unicode.Scalar)
    /// Return.
    case enter
    /// Tab; with `.shift` it is back-tab.
    case tab
    /// Backspace (sent as DEL, like xterm).
    case backspace
    /// Escape.
    case escape
    /// Arrow keys; their bytes follow cursor-key mode (DECCKM).
    case up, down, left, right
    /// The editing block.
    case insert, delete, home, end, pageUp, pageDown
    /// F1, F2, ...; `function(1)` is F1.
    case function(Int)
    /// A keypad key.
    case keypad(KeypadKey)
}

extension Terminal {
    /// The bytes a key sends to the child, in the child's current modes (cursor keys, keypad, newline).
    /// Empty when there is nothing to send, such as F13 and beyond.
    public func encode(key: TerminalKey, modifiers: Modifiers = []) -> [UInt8] {
        let bytes = capture {
            switch key {
            case .character(let scalar):
                vterm_keyboard_unichar(vt, scalar.value, modifiers.vterm)
            default:
                if let code = key.vtermKey {
                    vterm_keyboard_key(vt, code, modifiers.vterm)
                }
            }
        }
        // libvterm 0.1.4 sends LF for keypad Enter in numeric mode; xterm and tmux send Enter's bytes (CR),
        // which is what line editors expect.
        if key == .keypad(.enter), bytes == [0x0A] {
            return encode(key: .enter, modifiers: modifiers)
        }
        return bytes
    }

    /// The bytes for pasting `text`: wrapped in ESC[200~ ... ESC[201~ when the child enabled bracketed
    /// paste, in which case an end marker inside the text is removed so a paste cannot end itself early.
    public func encodePaste(_ text: [UInt8]) -> [UInt8] {
        let start = capture { vterm_keyboard_start_paste(vt) }
        let end = capture { vterm_keyboard_end_paste(vt) }
        guard !start.isEmpty else { return text }
        return start + Terminal.removing(end, from: text) + end
    }

    /// The bytes for a mouse button press or release at (row, col), or [] when the child did not ask for
    /// the mouse. Buttons: 1 left, 2 middle, 3 right, 4 and 5 the wheel.
    public func encodeMouseButton(
        _ button: Int, pressed: Bool, row: Int, col: Int, modifiers: Modifiers = []
    ) -> [UInt8] {
        guard mouseMode != .none, (1...5).contains(button) else { return [] }
        return capture {
            vterm_mouse_move(vt, Int32(row), Int32(col), modifiers.vterm)
            vterm_mouse_button(vt, Int32(button), pressed, modifiers.vterm)
        }
    }

    /// The bytes for the mouse moving to (row, col); only sent in drag mode with a button held, or move mode.
    public func encodeMouseMove(row: Int, col: Int, modifiers: Modifiers = []) -> [UInt8] {
        guard mouseMode != .none else { return [] }
        return capture { vterm_mouse_move(vt, Int32(row), Int32(col), modifiers.vterm) }
    }

    /// Runs a libvterm input call and returns exactly the bytes it produced, apart from pending answers.
    private func capture(_ body: () -> Void) -> [UInt8] {
        capturingInput = true
        capturedInput.removeAll(keepingCapacity: true)
        body()
        capturingInput = false
        return capturedInput
    }

    /// `text` with every occurrence of `marker` removed.
    static func removing(_ marker: [UInt8], from text: [UInt8]) -> [UInt8] {
        guard !marker.isEmpty, text.count >= marker.count else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == marker[0], index + marker.count <= text.count,
                text[index..<(index + marker.count)].elementsEqual(marker)
            {
                index += marker.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}

extension TerminalKey {
    /// libvterm's key code, or nil for keys it has no code for.
    var vtermKey: VTermKey? {
        switch self {
        case .character: return nil
        case .enter: return VTERM_KEY_ENTER
        case .tab: return VTERM_KEY_TAB
        case .backspace: return VTERM_KEY_BACKSPACE
        case .escape: return VTERM_KEY_ESCAPE
        case .up: return VTERM_KEY_UP
        case .down: return VTERM_KEY_DOWN
        case .left: return VTERM_KEY_LEFT
        case .right: return VTERM_KEY_RIGHT
        case .insert: return VTERM_KEY_INS
        case .delete: return VTERM_KEY_DEL
        case .home: return VTERM_KEY_HOME
        case .end: return VTERM_KEY_END
        case .pageUp: return VTERM_KEY_PAGEUP
        case .pageDown: return VTERM_KEY_PAGEDOWN
        case .function(let number):
            guard (1...255).contains(number) else { return nil }
            return VTermKey(rawValue: VTERM_KEY_FUNCTION_0.rawValue + UInt32(number))
        case .keypad(let key):
            return key.vtermKey
        }
    }
}

extension KeypadKey {
    var vtermKey: VTermKey? {
        switch self {
        case .digit(let digit):
            guard (0...9).contains(digit) else { return nil }
            return VTermKey(rawValue: VTERM_KEY_KP_0.rawValue + UInt32(digit))
        case .multiply: return VTERM_KEY_KP_MULT
        case .plus: return VTERM_KEY_KP_PLUS
        case .comma: return VTERM_KEY_KP_COMMA
        case .minus: return VTERM_KEY_KP_MINUS
        case .period: return VTERM_KEY_KP_PERIOD
        case .divide: return VTERM_KEY_KP_DIVIDE
        case .enter: return VTERM_KEY_KP_ENTER
        case .equal: return VTERM_KEY_KP_EQUAL
        }
    }
}
