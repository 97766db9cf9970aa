import Testing

@testable import Dashboard

@Suite("Colour mapping")
struct ColorMappingTests {
    @Test("the xterm palette: ANSI, cube and greys")
    func palette() {
        #expect(ColorMapping.rgb(ofIndex: 1) == (205, 0, 0))
        #expect(ColorMapping.rgb(ofIndex: 16) == (0, 0, 0))
        #expect(ColorMapping.rgb(ofIndex: 21) == (0, 0, 255))
        #expect(ColorMapping.rgb(ofIndex: 231) == (255, 255, 255))
        #expect(ColorMapping.rgb(ofIndex: 232) == (8, 8, 8))
        #expect(ColorMapping.rgb(ofIndex: 255) == (238, 238, 238))
    }

    @Test("#rrggbb goes to the nearest entry at each depth")
    func nearest() {
        let orange = Color.rgb(0xff, 0x87, 0x00)
        #expect(ColorMapping.colorNumber(for: orange, depth: .indexed256) == 208)
        #expect(ColorMapping.colorNumber(for: .rgb(0x80, 0x80, 0x80), depth: .indexed256) == 244)
        #expect(ColorMapping.colorNumber(for: .rgb(0xdc, 0x32, 0x2f), depth: .ansi16) == 1)
        #expect(ColorMapping.colorNumber(for: .rgb(0xff, 0x30, 0x30), depth: .ansi16) == 9)
        #expect(ColorMapping.colorNumber(for: .rgb(0x00, 0x2b, 0x36), depth: .ansi8) == 0)
        #expect(ColorMapping.colorNumber(for: .rgb(0x85, 0x99, 0x00), depth: .ansi8) == 3)
    }

    @Test("indexed colours fold down to 16 and 8, and stay exact at 256")
    func indexed() {
        #expect(ColorMapping.colorNumber(for: .indexed(114), depth: .indexed256) == 114)
        #expect(ColorMapping.colorNumber(for: .indexed(12), depth: .ansi16) == 12)
        #expect(ColorMapping.colorNumber(for: .indexed(12), depth: .ansi8) == 4)
        #expect(ColorMapping.colorNumber(for: .indexed(196), depth: .ansi16) == 9)
        #expect(ColorMapping.colorNumber(for: .indexed(196), depth: .ansi8) == 1)
    }

    @Test("direct colour packs RGB, keeps ANSI 0-7, and never collides with them")
    func direct() {
        #expect(ColorMapping.colorNumber(for: .rgb(0x12, 0x34, 0x56), depth: .direct) == 0x123456)
        #expect(ColorMapping.colorNumber(for: .indexed(3), depth: .direct) == 3)
        #expect(ColorMapping.colorNumber(for: .indexed(21), depth: .direct) == 0x0000ff)
        #expect(ColorMapping.colorNumber(for: .rgb(0, 0, 1), depth: .direct) == 8)
    }

    @Test("the terminal default and monochrome are -1")
    func defaults() {
        #expect(ColorMapping.colorNumber(for: .terminalDefault, depth: .direct) == -1)
        #expect(ColorMapping.colorNumber(for: .indexed(5), depth: .monochrome) == -1)
    }

    @Test("the depth follows ncurses' COLORS")
    func depth() {
        #expect(ColorDepth(colorCount: 0) == .monochrome)
        #expect(ColorDepth(colorCount: 8) == .ansi8)
        #expect(ColorDepth(colorCount: 16) == .ansi16)
        #expect(ColorDepth(colorCount: 256) == .indexed256)
        #expect(ColorDepth(colorCount: 1 << 24) == .direct)
    }
}

@Suite("Colour pairs")
struct ColorPairTableTests {
    @Test("pairs are made once, reused, refused when full, and start over after a reset")
    func pairs() {
        var table = ColorPairTable(limit: 3)
        #expect(table.pair(foreground: -1, background: -1) == .existing(0))
        #expect(table.pair(foreground: 1, background: -1) == .new(1))
        #expect(table.pair(foreground: -1, background: 1) == .new(2))
        #expect(table.pair(foreground: 1, background: -1) == .existing(1))
        #expect(table.pair(foreground: 2, background: 3) == .full)
        table.reset()
        #expect(table.pair(foreground: 2, background: 3) == .new(1))
    }
}
