import Testing

@testable import Dashboard

@Suite("Screen buffer")
struct ScreenBufferTests {
    @Test("text is clipped to the rect and the buffer")
    func clipping() {
        var buffer = ScreenBuffer(size: TerminalSize(columns: 10, rows: 2))
        let advanced = buffer.write(
            "hello world", x: 2, y: 0, style: .plain, clip: Rect(x: 0, y: 0, width: 8, height: 1))
        #expect(advanced == 6)
        #expect(buffer.lines() == ["  hello   ", "          "])
        buffer.write("far away", x: 50, y: 7, style: .plain)
        buffer.write("negative", x: -3, y: 1, style: .plain)
        #expect(buffer.lines()[1] == "ative     ")
    }

    @Test("wide characters take two cells and never split at the edge")
    func wideCharacters() {
        var buffer = ScreenBuffer(size: TerminalSize(columns: 5, rows: 1))
        buffer.write("a漢字", x: 0, y: 0, style: .plain)
        #expect(buffer.lines() == ["a漢字"])
        #expect(buffer[1, 0].text == "漢")
        #expect(buffer[2, 0].isContinuation)
        var narrow = ScreenBuffer(size: TerminalSize(columns: 4, rows: 1))
        narrow.write("ab漢字", x: 0, y: 0, style: .plain)
        #expect(narrow.lines() == ["ab漢"])
        narrow.write("x", x: 3, y: 0, style: .plain)  // overwrite the right half: the left half is blanked
        #expect(narrow.lines() == ["ab x"])
    }

    @Test("display widths of ASCII, CJK, combining marks and emoji")
    func widths() {
        #expect(DisplayWidth.width(of: "abc") == 3)
        #expect(DisplayWidth.width(of: "漢字") == 4)
        #expect(DisplayWidth.width(of: "e\u{301}") == 1)
        #expect(DisplayWidth.width(of: "🙂") == 2)
        #expect(DisplayWidth.width(of: "한") == 2)
        #expect(DisplayWidth.truncated("namespaces", to: 6) == "names…")
        #expect(DisplayWidth.truncated("漢字漢字", to: 4) == "漢…")
        #expect(DisplayWidth.padded("ab", to: 4) == "ab  ")
    }

    @Test("a box with a title, and boxes too small to draw")
    func box() {
        var buffer = ScreenBuffer(size: TerminalSize(columns: 12, rows: 3))
        buffer.box(Rect(x: 0, y: 0, width: 12, height: 3), style: .plain, title: "Title")
        #expect(buffer.lines() == ["┌ Title ───┐", "│          │", "└──────────┘"])
        var tiny = ScreenBuffer(size: TerminalSize(columns: 1, rows: 1))
        tiny.box(Rect(x: 0, y: 0, width: 1, height: 1), style: .plain, title: "x")
        #expect(tiny.lines() == [" "])
    }

    @Test("restyle keeps text; fill replaces it")
    func restyleAndFill() {
        var buffer = ScreenBuffer(size: TerminalSize(columns: 4, rows: 1))
        let bold = Style(attributes: .bold)
        buffer.write("abcd", x: 0, y: 0, style: .plain)
        buffer.restyle(Rect(x: 1, y: 0, width: 2, height: 1), style: bold)
        #expect(buffer[1, 0] == Cell("b", style: bold))
        #expect(buffer[3, 0].style == .plain)
        buffer.fill(Rect(x: 2, y: 0, width: 9, height: 9), with: ".", style: bold)
        #expect(buffer.lines() == ["ab.."])
    }

    @Test("rect arithmetic never makes negative sizes")
    func rects() {
        let rect = Rect(x: 0, y: 0, width: 3, height: 3)
        #expect(rect.inset(by: 2).isEmpty)
        #expect(rect.splitTop(10).1.height == 0)
        #expect(rect.centered(width: 1, height: 1) == Rect(x: 1, y: 1, width: 1, height: 1))
        #expect(rect.intersection(Rect(x: 5, y: 5, width: 2, height: 2)).isEmpty)
    }
}
