import Testing

@testable import TerminalKit

/// A terminal of the given size that has already been fed `input`.
func terminal(rows: Int = 5, cols: Int = 20, scrollback: Int = 100, _ input: String = "") -> Terminal {
    let terminal = Terminal(rows: rows, cols: cols, scrollback: scrollback)
    terminal.feed(input)
    return terminal
}

/// The live screen as text lines, trailing spaces and trailing empty lines removed (the shape of
/// `tmux capture-pane -p` output after the same trimming).
func screenLines(_ terminal: Terminal) -> [String] {
    trimTrailingEmpty((0..<terminal.rows).map { terminal.rowText($0) })
}

/// What the renderer would show, scrollback view included.
func visibleLines(_ terminal: Terminal) -> [String] {
    trimTrailingEmpty((0..<terminal.rows).map { terminal.visibleRowText($0) })
}

func trimTrailingEmpty(_ lines: [String]) -> [String] {
    var lines = lines
    while lines.last == "" { lines.removeLast() }
    return lines
}

/// Bytes of a string, for comparing encoded keys.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A small deterministic generator, so random-input tests replay the same bytes on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
