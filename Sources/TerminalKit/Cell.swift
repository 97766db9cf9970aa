import CVTerm

/// A colour as the child asked for it; mapping to what the outer terminal can show is the renderer's job.
public enum TerminalColor: Equatable, Hashable, Sendable {
    /// The terminal's default foreground or background (SGR 39 / 49, or never set).
    case `default`
    /// An entry of the 256-colour palette: 0–7 normal, 8–15 bright, 16–231 cube, 232–255 grey ramp.
    case indexed(UInt8)
    /// A 24-bit colour (SGR 38;2;r;g;b).
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes of one cell.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    /// Makes attributes from their raw bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// SGR 1.
    public static let bold = CellAttributes(rawValue: 1 << 0)
    /// Any underline style (SGR 4, 4:n, 21); the style bits below say which one.
    public static let underline = CellAttributes(rawValue: 1 << 1)
    /// SGR 3.
    public static let italic = CellAttributes(rawValue: 1 << 2)
    /// SGR 5.
    public static let blink = CellAttributes(rawValue: 1 << 3)
    /// SGR 7.
    public static let reverse = CellAttributes(rawValue: 1 << 4)
    /// SGR 9.
    public static let strike = CellAttributes(rawValue: 1 << 5)
    /// SGR 8; libvterm 0.1.4 does not track it, so it is only ever set with libvterm 0.2 or later.
    public static let conceal = CellAttributes(rawValue: 1 << 6)
    /// Double underline (SGR 21 or 4:2); always comes with `.underline`.
    public static let doubleUnderline = CellAttributes(rawValue: 1 << 7)
    /// Curly underline (SGR 4:3); always comes with `.underline`.
    public static let curlyUnderline = CellAttributes(rawValue: 1 << 8)
}

/// One cell of the screen or of a scrollback line.
public struct Cell: Equatable, Sendable {
    /// The grapheme shown here, base character plus combining marks; " " when blank, "" for the right half
    /// of a wide character.
    public var text: String
    /// Columns the text covers: 1, 2 for a wide (CJK) character, 0 for the right half of a wide character.
    public var width: Int
    /// Bold, italic, underline and friends.
    public var attributes: CellAttributes
    /// Foreground colour.
    public var fg: TerminalColor
    /// Background colour.
    public var bg: TerminalColor

    /// Makes a cell; the defaults are a blank cell in default colours.
    public init(
        text: String = " ", width: Int = 1, attributes: CellAttributes = [],
        fg: TerminalColor = .default, bg: TerminalColor = .default
    ) {
        self.text = text
        self.width = width
        self.attributes = attributes
        self.fg = fg
        self.bg = bg
    }

    /// A blank cell in default colours, used past the end of short lines and outside the screen.
    public static let blank = Cell()

    /// True for the right half of a wide character, which a renderer skips.
    public var isWideContinuation: Bool { width == 0 }
}

/// libvterm marks the right half of a wide character with this value in `chars[0]`.
let continuationScalar = UInt32.max

/// Strings for ASCII cells built once, so reading an ASCII screen does not build a String per cell.
private let asciiText: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

extension Cell {
    /// Converts libvterm's cell; `concealed` comes from the version-gated shim helper.
    init(vterm cell: VTermScreenCell, concealed: Bool) {
        let first = cell.chars.0
        let attributes = CellAttributes(vterm: cell.attrs, concealed: concealed)
        let fg = TerminalColor(vterm: cell.fg)
        let bg = TerminalColor(vterm: cell.bg)
        if first == continuationScalar {
            self.init(text: "", width: 0, attributes: attributes, fg: fg, bg: bg)
            return
        }
        let width = cell.width == 2 ? 2 : 1
        if first == 0 {
            self.init(text: " ", width: width, attributes: attributes, fg: fg, bg: bg)
        } else if first < 128 && cell.chars.1 == 0 {
            self.init(text: asciiText[Int(first)], width: width, attributes: attributes, fg: fg, bg: bg)
        } else {
            let text = withUnsafeBytes(of: cell.chars) { raw in
                Cell.text(of: raw.bindMemory(to: UInt32.self))
            }
            self.init(text: text, width: width, attributes: attributes, fg: fg, bg: bg)
        }
    }

    /// Builds the grapheme from up to VTERM_MAX_CHARS_PER_CELL scalars, stopping at the first 0.
    static func text(of scalars: UnsafeBufferPointer<UInt32>) -> String {
        var text = String.UnicodeScalarView()
        for value in scalars {
            if value == 0 { break }
            // libvterm replaces invalid UTF-8 with U+FFFD, but guard against anything unrepresentable.
            text.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return text.isEmpty ? " " : String(text)
    }
}

extension CellAttributes {
    /// Reads libvterm's bitfields.
    init(vterm attrs: VTermScreenCellAttrs, concealed: Bool) {
        var bits: UInt16 = 0
        if attrs.bold != 0 { bits |= CellAttributes.bold.rawValue }
        switch attrs.underline {
        case 0: break
        case 2: bits |= CellAttributes.underline.rawValue | CellAttributes.doubleUnderline.rawValue
        case 3: bits |= CellAttributes.underline.rawValue | CellAttributes.curlyUnderline.rawValue
        default: bits |= CellAttributes.underline.rawValue
        }
        if attrs.italic != 0 { bits |= CellAttributes.italic.rawValue }
        if attrs.blink != 0 { bits |= CellAttributes.blink.rawValue }
        if attrs.reverse != 0 { bits |= CellAttributes.reverse.rawValue }
        if attrs.strike != 0 { bits |= CellAttributes.strike.rawValue }
        if concealed { bits |= CellAttributes.conceal.rawValue }
        self.init(rawValue: bits)
    }

    /// libvterm's underline number (0 off, 1 single, 2 double, 3 curly).
    var vtermUnderline: UInt32 {
        if !contains(.underline) { return 0 }
        if contains(.doubleUnderline) { return 2 }
        if contains(.curlyUnderline) { return 3 }
        return 1
    }
}

extension TerminalColor {
    /// Reads libvterm's tagged colour; either default flag means "the default colour".
    init(vterm color: VTermColor) {
        let type = UInt32(color.type)
        if type & VTERM_COLOR_DEFAULT_MASK.rawValue != 0 {
            self = .default
        } else if type & VTERM_COLOR_TYPE_MASK.rawValue == VTERM_COLOR_INDEXED.rawValue {
            self = .indexed(color.indexed.idx)
        } else {
            self = .rgb(color.rgb.red, color.rgb.green, color.rgb.blue)
        }
    }
}
