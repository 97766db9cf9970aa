/// A colour as a theme names it; the backend maps it to what the terminal can show.
public enum Color: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background (ncurses' -1 after use_default_colors).
    case terminalDefault
    /// An indexed colour 0-255 (0-7 the classic ANSI colours, 8-15 their bright forms).
    case indexed(UInt8)
    /// A 24-bit colour, shown exactly on direct-colour terminals and approximated elsewhere.
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes a cell can carry.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public let rawValue: UInt8
    /// Makes attributes from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold (often also brighter).
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Dim / faint.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    /// Underlined.
    public static let underline = TextAttributes(rawValue: 1 << 2)
    /// Foreground and background swapped; the only highlight mono terminals have.
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    /// Italic, where the terminal has it.
    public static let italic = TextAttributes(rawValue: 1 << 4)
    /// Struck through (SGR 9 in the child pane); ncurses cannot draw it, so the backend shows it dim.
    public static let strike = TextAttributes(rawValue: 1 << 5)

    /// Attribute names as themes spell them.
    public static let names: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]
}

/// How a cell looks: foreground, background and attributes.
public struct Style: Equatable, Hashable, Sendable {
    /// Text colour.
    public var foreground: Color
    /// Background colour.
    public var background: Color
    /// Bold, reverse, ...
    public var attributes: TextAttributes

    /// Makes a style; everything defaults to the terminal's own look.
    public init(
        foreground: Color = .terminalDefault, background: Color = .terminalDefault, attributes: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default look.
    public static let plain = Style()

    /// This style with extra attributes added.
    public func adding(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }

    /// This style drawn on another background, keeping the rest.
    public func on(_ background: Color) -> Style {
        var copy = self
        copy.background = background
        return copy
    }
}
