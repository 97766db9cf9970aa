/// How many colours a terminal can show; decides how theme colours are approximated.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    /// No colour at all (also what NO_COLOR asks for): only attributes are drawn.
    case monochrome
    /// The eight ANSI colours.
    case ansi8
    /// ANSI colours plus their bright forms.
    case ansi16
    /// The xterm 256-colour palette.
    case indexed256
    /// 24-bit colour (`COLORS` = 2^24, e.g. TERM=xterm-direct).
    case direct

    /// Picks the depth from ncurses' `COLORS`.
    public init(colorCount: Int) {
        switch colorCount {
        case 16_777_216...: self = .direct
        case 256...: self = .indexed256
        case 16...: self = .ansi16
        case 8...: self = .ansi8
        default: self = .monochrome
        }
    }

    /// Orders depths from fewest to most colours.
    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The pure colour arithmetic: the xterm palette and nearest-colour search.
public enum ColorMapping {
    /// The usual RGB values of the 16 ANSI colours (xterm's defaults).
    static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The six levels of each axis of the 6x6x6 colour cube (indices 16-231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value xterm shows for palette index `index`.
    public static func rgb(ofIndex index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 { return ansiPalette[i] }
        if i >= 232 {
            let level = UInt8(8 + 10 * (i - 232))
            return (level, level, level)
        }
        let c = i - 16
        return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }

    /// A perceptual-ish distance ("redmean"), good enough to pick a palette entry.
    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let rMean = (Int(a.0) + Int(b.0)) / 2
        let dr = Int(a.0) - Int(b.0)
        let dg = Int(a.1) - Int(b.1)
        let db = Int(a.2) - Int(b.2)
        // Parenthesised: Swift's >> binds tighter than *.
        return (((512 + rMean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rMean) * db * db) >> 8)
    }

    /// The index among `candidates` whose colour is nearest to `rgb`.
    static func nearest(_ rgb: (UInt8, UInt8, UInt8), among candidates: ClosedRange<Int>) -> Int {
        var best = candidates.lowerBound
        var bestDistance = Int.max
        for index in candidates {
            let d = distance(rgb, self.rgb(ofIndex: UInt8(index)))
            if d < bestDistance {
                best = index
                bestDistance = d
            }
        }
        return best
    }

    /// The ncurses colour number showing `color` at `depth`; -1 means the terminal's default colour.
    ///
    /// 256-colour terminals get the nearest cube or grey entry (16-255: 0-15 are often re-themed by the
    /// user, so exact RGB never lands there); direct colour packs RGB as 0xRRGGBB, except that values 0-7
    /// mean the ANSI colours there, so exact colours that small are nudged to 8.
    public static func colorNumber(for color: Color, depth: ColorDepth) -> Int32 {
        switch (color, depth) {
        case (.terminalDefault, _), (_, .monochrome):
            return -1
        case (.indexed(let index), .direct):
            if index < 8 { return Int32(index) }
            let (r, g, b) = rgb(ofIndex: index)
            return max(8, Int32(r) << 16 | Int32(g) << 8 | Int32(b))
        case (.rgb(let r, let g, let b), .direct):
            return max(8, Int32(r) << 16 | Int32(g) << 8 | Int32(b))
        case (.indexed(let index), .indexed256):
            return Int32(index)
        case (.rgb(let r, let g, let b), .indexed256):
            return Int32(nearest((r, g, b), among: 16...255))
        case (.indexed(let index), .ansi16) where index < 16:
            return Int32(index)
        case (.indexed(let index), .ansi8) where index < 8:
            return Int32(index)
        case (.indexed(let index), .ansi8) where index < 16:
            return Int32(index - 8)  // bright colours become their normal forms
        case (.indexed(let index), _):
            return Int32(nearest(rgb(ofIndex: index), among: depth == .ansi16 ? 0...15 : 0...7))
        case (.rgb(let r, let g, let b), _):
            return Int32(nearest((r, g, b), among: depth == .ansi16 ? 0...15 : 0...7))
        }
    }
}
