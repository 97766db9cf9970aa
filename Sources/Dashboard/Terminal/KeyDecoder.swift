/// Turns ncurses' `get_wch` results into `Key`s; pure, so the mapping is unit tested without a terminal.
///
/// The key codes are ncurses' stable ABI values from <curses.h> (octal there), repeated here so the
/// decoding needs no C import.
public enum KeyDecoder {
    /// What `get_wch` returned besides the code.
    public enum Kind: Sendable {
        /// `OK`: the code is a character.
        case character
        /// `KEY_CODE_YES`: the code is a KEY_* constant.
        case keyCode
    }

    /// A decoded input: a key, a resize or a mouse event (to be fetched with getmouse).
    public enum Decoded: Equatable, Sendable {
        /// A key.
        case key(Key)
        /// KEY_RESIZE.
        case resize
        /// KEY_MOUSE.
        case mouse
    }

    /// KEY_* codes from <ncursesw/curses.h>.
    static let keyDown: UInt32 = 0o402, keyUp: UInt32 = 0o403, keyLeft: UInt32 = 0o404, keyRight: UInt32 = 0o405
    static let keyHome: UInt32 = 0o406, keyBackspace: UInt32 = 0o407, keyF0: UInt32 = 0o410
    static let keyDC: UInt32 = 0o512, keyIC: UInt32 = 0o513, keyNPage: UInt32 = 0o522, keyPPage: UInt32 = 0o523
    static let keyEnter: UInt32 = 0o527, keyBTab: UInt32 = 0o541, keyEnd: UInt32 = 0o550
    static let keyMouse: UInt32 = 0o631, keyResize: UInt32 = 0o632
    /// Shifted keys with codes of their own (the rest come as extended names like kLFT2).
    static let shiftedCodes: [UInt32: Key] = [
        0o521: .up, 0o520: .down, 0o611: .left, 0o622: .right, 0o607: .home, 0o602: .end,
        0o616: .pageUp, 0o614: .pageDown, 0o577: .delete, 0o610: .insert,
    ]
    /// Beyond this, codes are terminfo's extended keys, known only by name.
    static let keyMax: UInt32 = 0o777
    /// Extended key names (without the modifier digit) and their keys.
    static let extendedNames: [String: Key] = [
        "kUP": .up, "kDN": .down, "kLFT": .left, "kRIT": .right, "kHOM": .home, "kEND": .end,
        "kPRV": .pageUp, "kNXT": .pageDown, "kDC": .delete, "kIC": .insert,
    ]

    /// Decodes one `get_wch` result; nil for codes the dashboard does not use. `name` is ncurses'
    /// `keyname` for codes above KEY_MAX, where terminfo puts modified keys such as "kLFT5" (Ctrl-Left).
    public static func decode(_ code: UInt32, kind: Kind, name: String? = nil) -> Decoded? {
        switch kind {
        case .character:
            switch code {
            case 9: return .key(.tab)
            case 10, 13: return .key(.enter)
            case 27: return .key(.escape)
            case 8, 127: return .key(.backspace)
            case 0..<32: return .key(.control(UInt8(code)))
            default:
                guard let scalar = Unicode.Scalar(code) else { return nil }
                return .key(.character(Character(scalar)))
            }
        case .keyCode:
            switch code {
            case keyDown: return .key(.down)
            case keyUp: return .key(.up)
            case keyLeft: return .key(.left)
            case keyRight: return .key(.right)
            case keyHome: return .key(.home)
            case keyEnd: return .key(.end)
            case keyBackspace: return .key(.backspace)
            case keyDC: return .key(.delete)
            case keyIC: return .key(.insert)
            case keyNPage: return .key(.pageDown)
            case keyPPage: return .key(.pageUp)
            case keyEnter: return .key(.enter)
            case keyBTab: return .key(.backTab)
            case keyF0 + 1...keyF0 + 12: return .key(.function(Int(code - keyF0)))
            case keyF0 + 13...keyF0 + 63: return .key(modifiedFunction(Int(code - keyF0)))
            case keyMouse: return .mouse
            case keyResize: return .resize
            case keyMax + 1...UInt32.max: return name.flatMap(extendedKey).map(Decoded.key)
            default: return shiftedCodes[code].map { .key($0.with(.shift)) }
            }
        }
    }

    /// xterm's terminfo numbers modified F1-F12 in blocks of twelve: F13-F24 Shift, F25 Ctrl, F37 Ctrl-Shift,
    /// F49 Alt, F61 Alt-Shift; `.function(18)` is thus Shift-F6.
    static func modifiedFunction(_ number: Int) -> Key {
        let blocks: [KeyModifiers] = [[], .shift, .ctrl, [.ctrl, .shift], .alt, [.alt, .shift]]
        let block = (number - 1) / 12
        return Key.function((number - 1) % 12 + 1).with(blocks[min(block, blocks.count - 1)])
    }

    /// A key from an extended terminfo name such as "kRIT3" (Alt-Right): the digit is xterm's 1 + modifier bits.
    static func extendedKey(_ name: String) -> Key? {
        guard let last = name.last, let digit = last.wholeNumberValue, (2...8).contains(digit),
            let base = extendedNames[String(name.dropLast())]
        else { return nil }
        return base.with(KeyModifiers(rawValue: UInt8(digit - 1)))
    }
}
