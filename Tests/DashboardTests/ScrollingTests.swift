import NamespaceKit
import Testing

@testable import Dashboard

/// A child in a user namespace with four ranges per map, read from the host and by itself: more lines than
/// the map viewer has rows at 100x24.
func manyRangeMaps() -> [MapView] {
    func ranges(base: UInt32) -> [MapLine] {
        [
            MapLine(inside: 0, outside: base, count: 1),
            MapLine(inside: 1, outside: 100_000, count: 999),
            MapLine(inside: 1000, outside: base + 1, count: 1),
            MapLine(inside: 1001, outside: 101_000, count: 64_535),
        ]
    }
    // Read by the child itself, every range maps onto itself.
    let identity = ranges(base: 1000).map { MapLine(inside: $0.inside, outside: $0.inside, count: $0.count) }
    return [
        MapView(
            subject: "pid 4242 (bash), read from the host", uidLines: ranges(base: 1000), gidLines: ranges(base: 1000),
            setgroups: "deny"),
        MapView(
            subject: "the same files, read by pid 4242 itself", uidLines: identity, gidLines: identity,
            setgroups: "deny"),
    ]
}

/// Guards against the map viewer showing only its first screenful: below 36 rows its panel has five lines,
/// and the second reader's view (and any long map) could not be reached at all.
@Suite("Scrolling the map viewer and the help")
struct ScrollingTests {
    static let sizes = [
        TerminalSize(columns: 60, rows: 20), TerminalSize(columns: 100, rows: 24), TerminalSize(columns: 100, rows: 30),
        TerminalSize(columns: 100, rows: 35), TerminalSize(columns: 140, rows: 40),
    ]

    @Test("every map line is reachable by scrolling, at every size down to the minimum", arguments: sizes)
    func everyMapLineReachable(size: TerminalSize) throws {
        var state = makeState(size: size)
        state.maps = manyRangeMaps()
        _ = state.press(.tab, .tab, .tab)  // Processes, Host vs child, maps: the screen's order
        #expect(state.focus == .maps)
        let rect = try #require(state.layout.panels[.maps])
        let inner = rect.inset(by: 1)
        let expected = MapPanel.lines(for: state.maps, width: inner.width).map(\.text)
        #expect(expected.count > inner.height, "the maps must overflow the panel at \(size)")
        var seen: Set<String> = []
        var previous = -1
        while state.mapScroll != previous {
            previous = state.mapScroll
            let screen = DashboardView.render(state, theme: .builtinMono)
            seen.formUnion(text(of: inner, in: screen).map { String($0.reversed().drop { $0 == " " }.reversed()) })
            _ = state.press(.down)
        }
        for line in expected { #expect(seen.contains(line), "never shown at \(size): \(line)") }
        // The last line sits on the last row: no scrolling into emptiness.
        #expect(state.mapScroll == expected.count - inner.height)
        _ = state.press(.home)
        #expect(state.mapScroll == 0)
        _ = state.press(.end)
        #expect(state.mapScroll == expected.count - inner.height)
        _ = state.press(.pageUp)
        #expect(state.mapScroll == max(0, expected.count - inner.height - (inner.height - 1)))
    }

    @Test("the readings wrap instead of being cut, so every word can be read")
    func readingsWrap() {
        let lines = MapPanel.lines(for: manyRangeMaps(), width: 48).map(\.text)
        #expect(lines.allSatisfy { DisplayWidth.width(of: $0) <= 48 })
        let reading = MapPanel.reading(MapLine(inside: 1001, outside: 101_000, count: 64_535), idName: "uid")
        #expect(lines.joined(separator: " ").split(separator: " ").joined(separator: " ").contains(reading))
        // Wide enough, each map line stays whole.
        let wide = MapPanel.lines(for: manyRangeMaps(), width: 200).map(\.text)
        #expect(wide.contains { $0.hasPrefix("uid    1001  101000   64535  ") && $0.hasSuffix(reading) })
    }

    @Test("the panel scrolled at 100x24 and at 100x30, with where it is and the keys on its border")
    func mapSnapshots() {
        for theme in snapshotThemes {
            var compact = sampleState(size: TerminalSize(columns: 100, rows: 24))
            compact.maps = manyRangeMaps()
            compact.focus = .maps
            _ = compact.press(.pageDown)
            expectSnapshot(DashboardView.render(compact, theme: theme), named: "maps-scrolled-100x24")
            var full = sampleState(size: TerminalSize(columns: 100, rows: 30))
            full.focus = .maps
            _ = full.press(.end)
            expectSnapshot(DashboardView.render(full, theme: theme), named: "maps-end-100x30")
        }
    }

    @Test("selecting another process starts its maps at the top; the wheel scrolls them")
    func scrollResets() throws {
        var state = makeState()
        state.maps = manyRangeMaps()
        state.focus = .maps
        _ = state.press(.end)
        #expect(state.mapScroll > 0)
        state.focus = .processes
        _ = state.press(.down)
        #expect(state.mapScroll == 0)
        let rect = try #require(state.layout.panels[.maps])
        _ = state.handle(.mouse(MouseEvent(x: rect.x + 2, y: rect.y + 2, kind: .scrollDown)))
        #expect(state.focus == .maps)
        #expect(state.mapScroll == 1)
    }

    @Test(
        "every help row is reachable at the minimum size, and no text is cut",
        arguments: [
            TerminalSize(columns: 60, rows: 20), TerminalSize(columns: 100, rows: 24),
        ])
    func helpReachable(size: TerminalSize) {
        var state = makeState(size: size)
        _ = state.press(.function(1))
        var shown: [String] = []
        var previous = -1
        while state.helpScroll != previous {
            previous = state.helpScroll
            shown += DashboardView.render(state, theme: .builtinMono).lines()
            _ = state.press(.down)
        }
        #expect(state.overlay == .help)
        let words = Set(shown.joined(separator: " ").split(separator: " ").map(String.init))
        for binding in KeyBindings.all {
            #expect(shown.contains { $0.contains(binding.label) }, "\(binding.label) never shown at \(size)")
            for word in binding.does.split(separator: " ") {
                #expect(words.contains(String(word)), "'\(word)' of '\(binding.does)' cut at \(size)")
            }
        }
        for kind in NamespaceKind.allCases {
            #expect(shown.contains { $0.contains(kind.title) })
            for word in kind.isolates.split(separator: " ") { #expect(words.contains(String(word))) }
        }
        _ = state.press(.home)
        #expect(state.helpScroll == 0)
        _ = state.press(.escape)
        #expect(state.overlay == .none)
    }

    @Test("the help at the minimum size, top and bottom")
    func helpSnapshots() {
        for theme in snapshotThemes {
            var state = sampleState(size: TerminalSize(columns: 60, rows: 20))
            _ = state.press(.function(1))
            expectSnapshot(DashboardView.render(state, theme: theme), named: "help-60x20")
            _ = state.press(.end)
            expectSnapshot(DashboardView.render(state, theme: theme), named: "help-end-60x20")
        }
    }
}
