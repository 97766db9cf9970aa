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
    /// vt220's Find and Select, which rxvt's and vt220's terminfo give the sequences of Home and End (ESC [ 1 ~,
    /// ESC [ 4 ~): tmux and the Linux console send those for Home and End.
    static let keyFind: UInt32 = 0o552, keySelect: UInt32 = 0o601
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
    /// `functionKeys` holds what this terminal's F13 and up stand for (see `functionKeys(sequences:)`); codes
    /// it lacks follow xterm's numbering.
    public static func decode(
        _ code: UInt32, kind: Kind, name: String? = nil, functionKeys: [Int: Key] = [:]
    ) -> Decoded? {
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
            case keyFind: return .key(.home)
            case keySelect: return .key(.end)
            case keyBackspace: return .key(.backspace)
            case keyDC: return .key(.delete)
            case keyIC: return .key(.insert)
            case keyNPage: return .key(.pageDown)
            case keyPPage: return .key(.pageUp)
            case keyEnter: return .key(.enter)
            case keyBTab: return .key(.backTab)
            case keyF0 + 1...keyF0 + 12: return .key(.function(Int(code - keyF0)))
            case keyF0 + 13...keyF0 + 63:
                let number = Int(code - keyF0)
                return .key(functionKeys[number] ?? modifiedFunction(number))
            case keyMouse: return .mouse
            case keyResize: return .resize
            case keyMax + 1...UInt32.max: return name.flatMap(extendedKey).map(Decoded.key)
            default: return shiftedCodes[code].map { .key($0.with(.shift)) }
            }
        }
    }

    /// What F13 and up stand for on this terminal, from the sequences its terminfo gives them (kf13 ... kf63),
    /// decoded as if they had come raw. Terminals number them differently: xterm's kf15 (`ESC [ 1 ; 2 R`) is
    /// Shift-F3, rxvt's kf15 (`ESC [ 28 ~`) is Shift-F5, since rxvt's Shift-F1 and Shift-F2 are its F11 and
    /// F12. Numbering by xterm's blocks alone made Shift-F5 under rxvt arrive as Shift-F3.
    public static func functionKeys(sequences: [Int: [UInt8]]) -> [Int: Key] {
        var keys: [Int: Key] = [:]
        for (number, sequence) in sequences where sequence.first == 0x1b {
            if case .key(let key) = decodeEscapeSequence(Array(sequence.dropFirst())) { keys[number] = key }
        }
        return keys
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

// MARK: - Escape sequences terminfo does not describe

extension KeyDecoder {
    /// What the bytes after an ESC amount to so far, for sequences ncurses handed over byte by byte.
    ///
    /// ncurses decodes only the sequences TERM's terminfo entry lists; any other one arrives as ESC and its
    /// bytes as characters, so under TERM=xterm tmux's End (`ESC [ 4 ~`) would be the keys `[`, `4`, `~`.
    public enum EscapeSequence: Equatable, Sendable {
        /// A sequence has begun and needs more bytes.
        case incomplete
        /// A whole sequence that stands for this key.
        case key(Key)
        /// `ESC [ 200 ~`: the start of a bracketed paste.
        case pasteStart
        /// A whole sequence the dashboard does not know (focus reports, mouse reports, `ESC [ 99 ~`): it is
        /// swallowed, never delivered as its bytes.
        case unknown
        /// Not a sequence: ESC and this byte are Alt plus the character.
        case notASequence
    }

    /// Longest sequence decoded; a longer one is unknown, and `InputAssembler` drops it up to its final byte.
    static let sequenceLimit = 32

    /// Decodes the bytes after an ESC: CSI (`ESC [`) and SS3 (`ESC O`) sequences in their xterm, vt220, rxvt
    /// and Linux console forms, whatever TERM says. `body` excludes the ESC.
    public static func decodeEscapeSequence(_ body: [UInt8]) -> EscapeSequence {
        guard let introducer = body.first else { return .incomplete }
        switch introducer {
        case UInt8(ascii: "["): return decodeCSI(body.dropFirst())
        case UInt8(ascii: "O"): return decodeSS3(body.dropFirst())
        default: return .notASequence
        }
    }

    /// ECMA-48 byte classes: parameters 0x30-0x3F, intermediates 0x20-0x2F, finals 0x40-0x7E.
    private static func isParameter(_ byte: UInt8) -> Bool { (0x30...0x3F).contains(byte) }
    private static func isIntermediate(_ byte: UInt8) -> Bool { (0x20...0x2F).contains(byte) }
    private static func isFinal(_ byte: UInt8) -> Bool { (0x40...0x7E).contains(byte) }

    /// The bytes after `ESC [`.
    private static func decodeCSI(_ rest: ArraySlice<UInt8>) -> EscapeSequence {
        guard let first = rest.first else { return .incomplete }
        // The Linux console's F1-F5: ESC [ [ A .. ESC [ [ E (one byte after the second '[').
        if first == UInt8(ascii: "[") {
            guard rest.count >= 2 else { return .incomplete }
            let final = rest[rest.startIndex + 1]
            guard (UInt8(ascii: "A")...UInt8(ascii: "E")).contains(final) else { return .unknown }
            return .key(.function(Int(final - UInt8(ascii: "A")) + 1))
        }
        // An X10 mouse report, ESC [ M and three raw bytes, when ncurses did not take it as the mouse.
        if first == UInt8(ascii: "M") { return rest.count >= 4 ? .unknown : .incomplete }
        var index = rest.startIndex
        while index < rest.endIndex, isParameter(rest[index]) { index += 1 }
        let parameters = rest[rest.startIndex..<index]
        guard index < rest.endIndex else { return .incomplete }
        let byte = rest[index]
        // rxvt ends Shift-modified keys with '$' after a plain number (ESC [ 2 $), where ECMA-48 has an
        // intermediate byte; after anything else (a report such as ESC [ ? 1 ; 2 $ y) it stays one.
        if byte == UInt8(ascii: "$"), !parameters.isEmpty, parameters.allSatisfy({ (0x30...0x39).contains($0) }) {
            return csiKey(parameters, final: byte).map(EscapeSequence.key) ?? .unknown
        }
        if isIntermediate(byte) {
            // No key has intermediates: whatever the sequence turns out to be, it is unknown once it ends.
            while index < rest.endIndex, isIntermediate(rest[index]) { index += 1 }
            return index == rest.endIndex ? .incomplete : .unknown
        }
        guard isFinal(byte) else { return .unknown }  // a control or non-ASCII byte cuts the sequence off
        if byte == UInt8(ascii: "~") && Array(parameters) == Array("200".utf8) { return .pasteStart }
        if rest.count > sequenceLimit { return .unknown }
        return csiKey(parameters, final: byte).map(EscapeSequence.key) ?? .unknown
    }

    /// Numbers of `ESC [ n ~` (vt220, also rxvt's `$ ^ @` endings) and their keys.
    static let tildeKeys: [Int: Key] = [
        1: .home, 7: .home, 2: .insert, 3: .delete, 4: .end, 8: .end, 5: .pageUp, 6: .pageDown,
        11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4), 15: .function(5),
        17: .function(6), 18: .function(7), 19: .function(8), 20: .function(9), 21: .function(10),
        23: .function(11), 24: .function(12),
        // rxvt and the Linux console: Shift-F3 to Shift-F10 (their Shift-F1 and Shift-F2 are F11 and F12).
        25: .function(3).with(.shift), 26: .function(4).with(.shift), 28: .function(5).with(.shift),
        29: .function(6).with(.shift), 31: .function(7).with(.shift), 32: .function(8).with(.shift),
        33: .function(9).with(.shift), 34: .function(10).with(.shift),
    ]

    /// Final bytes of `ESC [ 1 ; m X` (xterm) and `ESC O X` (SS3) that name a key of their own.
    static let letterKeys: [UInt8: Key] = [
        UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right, UInt8(ascii: "D"): .left,
        UInt8(ascii: "H"): .home, UInt8(ascii: "F"): .end,
        UInt8(ascii: "P"): .function(1), UInt8(ascii: "Q"): .function(2), UInt8(ascii: "R"): .function(3),
        UInt8(ascii: "S"): .function(4),
    ]

    /// rxvt's Shift-arrows (`ESC [ a`..`d`) and, after SS3, its Ctrl-arrows (`ESC O a`..`d`).
    static let rxvtArrows: [UInt8: Key] = [
        UInt8(ascii: "a"): .up, UInt8(ascii: "b"): .down, UInt8(ascii: "c"): .right, UInt8(ascii: "d"): .left,
    ]

    /// The key of a complete CSI sequence, nil when it names none the dashboard knows.
    private static func csiKey(_ parameters: ArraySlice<UInt8>, final: UInt8) -> Key? {
        // A private marker first (< = > ?) means a report (SGR mouse, device attributes), not a key.
        if let first = parameters.first, (0x3C...0x3F).contains(first) { return nil }
        guard let numbers = numbers(parameters), let modifiers = modifierBits(numbers.count >= 2 ? numbers[1] : nil)
        else { return nil }
        switch final {
        case UInt8(ascii: "~"), UInt8(ascii: "$"), UInt8(ascii: "^"), UInt8(ascii: "@"):
            guard let number = numbers.first ?? nil, let key = tildeKeys[number] else { return nil }
            let rxvt: KeyModifiers =
                switch final {
                case UInt8(ascii: "$"): .shift
                case UInt8(ascii: "^"): .ctrl
                case UInt8(ascii: "@"): [.ctrl, .shift]
                default: []
                }
            guard numbers.count <= 2, rxvt.isEmpty || numbers.count == 1 else { return nil }
            return key.with(modifiers.union(rxvt))
        case UInt8(ascii: "Z"):
            return numbers.count <= 1 && (numbers.first ?? nil) == nil ? .backTab : nil
        default:
            if let key = rxvtArrows[final], numbers.count <= 1, (numbers.first ?? nil) == nil {
                return key.with(.shift)
            }
            // xterm: no parameters, or 1 ; modifier.
            guard let key = letterKeys[final], numbers.count <= 2 else { return nil }
            if let number = numbers.first ?? nil, number != 1 { return nil }
            return key.with(modifiers)
        }
    }

    /// The bytes after `ESC O`: xterm's application cursor and keypad keys, F1-F4, rxvt's Ctrl-arrows.
    private static func decodeSS3(_ rest: ArraySlice<UInt8>) -> EscapeSequence {
        guard !rest.isEmpty else { return .incomplete }
        var index = rest.startIndex
        while index < rest.endIndex, isParameter(rest[index]) { index += 1 }
        guard index < rest.endIndex else { return .incomplete }
        let final = rest[index]
        guard isFinal(final) else { return .unknown }
        // Some terminals put the modifier straight after SS3: ESC O 5 P is Ctrl-F1.
        let parameters = rest[rest.startIndex..<index]
        guard let numbers = numbers(parameters), numbers.count <= 1, let modifiers = modifierBits(numbers.first ?? nil)
        else { return .unknown }
        if let key = letterKeys[final] { return .key(key.with(modifiers)) }
        guard modifiers.isEmpty else { return .unknown }
        if let key = rxvtArrows[final] { return .key(key.with(.ctrl)) }
        if final == UInt8(ascii: "M") { return .key(.enter) }
        // The application keypad: ESC O p..y are 0-9, and j k l m n o X are * + , - . / =.
        let keypad: [UInt8: Character] = [
            UInt8(ascii: "j"): "*", UInt8(ascii: "k"): "+", UInt8(ascii: "l"): ",", UInt8(ascii: "m"): "-",
            UInt8(ascii: "n"): ".", UInt8(ascii: "o"): "/", UInt8(ascii: "X"): "=",
        ]
        if (UInt8(ascii: "p")...UInt8(ascii: "y")).contains(final) {
            return .key(.character(Character(Unicode.Scalar(final - UInt8(ascii: "p") + UInt8(ascii: "0")))))
        }
        if let character = keypad[final] { return .key(.character(character)) }
        return .unknown
    }

    /// The numbers of a parameter string split at ';' (nil for an empty one); nil when it is malformed.
    private static func numbers(_ parameters: ArraySlice<UInt8>) -> [Int?]? {
        guard !parameters.isEmpty else { return [] }
        var result: [Int?] = []
        for field in parameters.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
            if field.isEmpty {
                result.append(nil)
                continue
            }
            guard field.count <= 6, field.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            result.append(field.reduce(0) { $0 * 10 + Int($1 - 0x30) })
        }
        return result
    }

    /// xterm's modifier parameter (1 + bits: 1 Shift, 2 Alt, 4 Ctrl, 8 Meta taken as Alt); nil when invalid.
    private static func modifierBits(_ parameter: Int?) -> KeyModifiers? {
        guard let parameter else { return [] }
        guard (1...16).contains(parameter) else { return nil }
        let bits = UInt8(parameter - 1)
        var modifiers = KeyModifiers(rawValue: bits & 7)
        if bits & 8 != 0 { modifiers.insert(.alt) }
        return modifiers
    }
}
