import TerminalKit
import Testing

@testable import Dashboard

/// The VT's cells as the dashboard draws them: wide characters, attributes, clipping.
@Suite("Pane renderer")
struct PaneRendererTests {
    func render(_ bytes: String, rows: Int = 3, cols: Int = 10, rect: Rect? = nil) -> ScreenBuffer {
        let terminal = Terminal(rows: rows, cols: cols)
        terminal.feed(bytes)
        var buffer = ScreenBuffer(size: TerminalSize(columns: cols + 2, rows: rows + 2))
        PaneRenderer.draw(terminal, in: rect ?? Rect(x: 1, y: 1, width: cols, height: rows), buffer: &buffer)
        return buffer
    }

    @Test("wide characters take two cells, the second a continuation, and the next text follows")
    func wideCharacters() {
        let buffer = render("中a文")
        #expect(buffer[1, 1].text == "中")
        #expect(buffer[2, 1].isContinuation)
        #expect(buffer[3, 1].text == "a")
        #expect(buffer[4, 1].text == "文")
        #expect(buffer[5, 1].isContinuation)
        #expect(buffer[6, 1].text == " ")
    }

    @Test("a combining mark stays with its base character in one cell")
    func combining() {
        let buffer = render("e\u{301}x")
        #expect(buffer[1, 1].text == "e\u{301}")
        #expect(buffer[2, 1].text == "x")
    }

    @Test("a wide character cut by the pane's edge becomes a blank, never spilling over the border")
    func wideAtEdge() {
        let buffer = render("abc中", rows: 1, cols: 6, rect: Rect(x: 1, y: 1, width: 4, height: 1))
        #expect(buffer[4, 1].text == " ")
        #expect(buffer[5, 1].text == " ")  // outside the rect: untouched blank
    }

    @Test(
        "attributes map to the dashboard's, strike included",
        arguments: zip(
            ["\u{1b}[1m", "\u{1b}[3m", "\u{1b}[4m", "\u{1b}[21m", "\u{1b}[7m", "\u{1b}[9m", "\u{1b}[1;9m"],
            [TextAttributes.bold, .italic, .underline, .underline, .reverse, .strike, [.bold, .strike]]))
    func attributes(sgr: String, expected: TextAttributes) {
        let buffer = render(sgr + "x\u{1b}[0my")
        #expect(buffer[1, 1].style.attributes == expected)
        #expect(buffer[2, 1].style.attributes == [])
    }

    @Test("colours: default, 16, 256 and RGB pass through")
    func colours() {
        let buffer = render("\u{1b}[31ma\u{1b}[38;5;200;48;5;17mb\u{1b}[38;2;1;2;3mc\u{1b}[0md")
        #expect(buffer[1, 1].style.foreground == .indexed(1))
        #expect(buffer[2, 1].style.foreground == .indexed(200))
        #expect(buffer[2, 1].style.background == .indexed(17))
        #expect(buffer[3, 1].style.foreground == .rgb(1, 2, 3))
        #expect(buffer[4, 1].style.foreground == .terminalDefault)
    }

    @Test("a scrolled-back view draws scrollback lines")
    func scrolledBack() {
        let terminal = Terminal(rows: 2, cols: 10)
        terminal.feed("one\r\ntwo\r\nthree\r\nfour")
        terminal.scrollViewUp(2)
        var buffer = ScreenBuffer(size: TerminalSize(columns: 10, rows: 2))
        PaneRenderer.draw(terminal, in: Rect(x: 0, y: 0, width: 10, height: 2), buffer: &buffer)
        #expect(buffer.lines().map { $0.trimmingTrailingSpaces } == ["one", "two"])
    }
}

extension String {
    /// The string without trailing spaces.
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
