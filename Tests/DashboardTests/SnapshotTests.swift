import NamespaceKit
import Testing

@testable import Dashboard

@Suite("Rendered screens")
struct SnapshotTests {
    static let sizes = [TerminalSize(columns: 100, rows: 30), TerminalSize(columns: 140, rows: 40)]

    @Test("the whole dashboard at 100x30 and 140x40, in two themes", arguments: sizes)
    func dashboard(size: TerminalSize) {
        for theme in snapshotThemes {
            let state = sampleState(size: size)
            expectSnapshot(DashboardView.render(state, theme: theme), named: "dashboard-\(size)")
        }
    }

    @Test("each panel alone, at its size in both layouts, in two themes", arguments: sizes)
    func panels(size: TerminalSize) {
        for theme in snapshotThemes {
            var state = sampleState(size: size)
            state.focus = .processes
            let layout = state.layout
            for panel in [Panel.namespaces, .processes, .maps] {
                let rect = layout.panels[panel]!
                var buffer = ScreenBuffer(size: TerminalSize(columns: rect.width, rows: rect.height))
                let area = Rect(x: 0, y: 0, width: rect.width, height: rect.height)
                switch panel {
                case .namespaces:
                    NamespacesPanel.render(state: state, in: area, focused: false, buffer: &buffer, theme: theme)
                case .processes:
                    ProcessTreePanel.render(state: state, in: area, focused: true, buffer: &buffer, theme: theme)
                default: MapPanel.render(state: state, in: area, focused: false, buffer: &buffer, theme: theme)
                }
                expectSnapshot(buffer, named: "panel-\(panel)-\(size)")
            }
        }
    }

    @Test("not root, a kind the kernel lacks, the cursor on Launch", arguments: sizes)
    func nonRoot(size: TerminalSize) {
        for theme in snapshotThemes {
            var state = sampleState(size: size, root: false)
            state.unavailable[.time] = "kernel before 5.6"
            state.namespaceCursor = DashboardModel.launchIndex
            state.options.uidMaps = ["0 1000 1"]
            let buffer = DashboardView.render(state, theme: theme)
            let rect = state.layout.panels[.namespaces]!
            var panel = ScreenBuffer(size: TerminalSize(columns: rect.width, rows: rect.height))
            for y in 0..<rect.height {
                for x in 0..<rect.width { panel.set(x, y, buffer[rect.x + x, rect.y + y]) }
            }
            expectSnapshot(panel, named: "namespaces-nonroot-\(size)")
        }
    }

    @Test("help, the hostname dialog with a bad entry, the search and an error", arguments: sizes)
    func overlays(size: TerminalSize) {
        for theme in snapshotThemes {
            var state = sampleState(size: size)
            state.overlay = .help
            expectSnapshot(DashboardView.render(state, theme: theme), named: "help-\(size)")
            state.overlay = .none
            _ = state.handle(.key(.character("h")))
            _ = state.handle(.key(.character(" ")))  // launch refuses a blank in a hostname
            expectSnapshot(DashboardView.render(state, theme: theme), named: "dialog-hostname-\(size)")
            _ = state.handle(.key(.escape))
            state.focus = .processes
            _ = state.handle(.key(.character("/")))
            for c in "bash" { _ = state.handle(.key(.character(c))) }
            state.show("Creating a user namespace failed: not permitted. Tick User (6).", isError: true)
            expectSnapshot(DashboardView.render(state, theme: theme), named: "search-error-\(size)")
        }
    }

    @Test("the compact layout and the too-small screen")
    func smallSizes() {
        for theme in snapshotThemes {
            var state = sampleState(size: TerminalSize(columns: 70, rows: 22))
            expectSnapshot(DashboardView.render(state, theme: theme), named: "compact-70x22")
            state.size = TerminalSize(columns: 30, rows: 8)
            expectSnapshot(DashboardView.render(state, theme: theme), named: "too-small-30x8")
        }
    }

    @Test("theme roles land on the right cells")
    func styles() {
        for theme in snapshotThemes {
            var state = sampleState(size: TerminalSize(columns: 100, rows: 30))
            state.focus = .processes
            state.show("boom", isError: true)
            let buffer = DashboardView.render(state, theme: theme)
            let namespaces = state.layout.panels[.namespaces]!
            #expect(buffer[namespaces.x + 1, namespaces.y + 1].style == theme[.checkboxOn])  // [x] UTS
            #expect(buffer[namespaces.x + 1, namespaces.y + 2].style == theme[.checkboxOff])  // [ ] IPC
            #expect(buffer[namespaces.x, namespaces.y].style == theme[.border])
            let processes = state.layout.panels[.processes]!
            #expect(buffer[processes.x, processes.y].style == theme[.focusedBorder])
            let rows = state.visibleProcesses
            let selectedY = processes.y + 2 + rows.firstIndex { $0.pid == 3100 }!
            #expect(buffer[processes.x + 2, selectedY].style == theme[.selection])
            let childY = processes.y + 2 + rows.firstIndex { $0.pid == 2002 }!
            #expect(buffer[processes.x + 2, childY].style == theme[.childHighlight])
            #expect(buffer[processes.x + 1 + 25, childY].style == theme[.differs])
            #expect(buffer[1, 29].style == theme[.error])
            #expect(buffer[99, 29].style == theme[.status])
        }
    }

    @Test("plain-words readings of map lines")
    func mapReadings() {
        #expect(
            MapPanel.reading(MapLine(inside: 0, outside: 1000, count: 1), idName: "uid")
                == "uid 0 inside is uid 1000 outside")
        #expect(
            MapPanel.reading(MapLine(inside: 1, outside: 100_000, count: 65536), idName: "gid")
                == "gids 1-65536 inside are gids 100000-165535 outside")
        #expect(
            MapPanel.reading(MapLine(inside: 0, outside: 0, count: UInt32.max), idName: "uid")
                == "every uid is the same inside and outside")
        #expect(MapPanel.setgroupsReading("deny").hasPrefix("setgroups: deny"))
    }

    @Test("the too-small message names both sizes")
    func tooSmallMessage() {
        #expect(
            TooSmallScreen.message(have: TerminalSize(columns: 40, rows: 10))
                == "terminal too small: need 60x20, have 40x10")
        #expect(
            TextWrap.lines("terminal too small: need 60x20", width: 10) == [
                "terminal", "too small:", "need 60x20",
            ])
    }
}

@Suite("Every size renders")
struct SizeSweepTests {
    /// Guards against index arithmetic crashing at odd sizes: every size from 1x1 to 120x40, with and
    /// without overlays, in every focus.
    @Test("all sizes 1...120 x 1...40 render without crashing and fill the screen exactly")
    func allSizes() {
        var state = sampleState(size: TerminalSize(columns: 1, rows: 1))
        var dialogState = state
        _ = dialogState.handle(.key(.character("m")))
        for columns in 1...120 {
            for rows in 1...40 {
                let size = TerminalSize(columns: columns, rows: rows)
                state.size = size
                state.focus = Panel.allCases[(columns + rows) % 4]
                state.overlay = (columns + rows) % 3 == 0 ? .help : .none
                state.search = rows % 2 == 0 ? ProcessSearch(query: "ng", editing: true) : nil
                let buffer = DashboardView.render(state, theme: .builtinDefault)
                #expect(buffer.lines().count == rows)
                dialogState.size = size
                _ = DashboardView.render(dialogState, theme: .builtinMono)
            }
        }
    }
}

@Suite("Layout")
struct LayoutTests {
    /// Guards the mouse: panels that overlapped would steal each other's clicks.
    @Test(
        "full layouts tile the screen above the status bar without overlaps",
        arguments: [
            TerminalSize(columns: 100, rows: 30), TerminalSize(columns: 140, rows: 40),
            TerminalSize(columns: 211, rows: 57),
        ])
    func fullLayout(size: TerminalSize) {
        let layout = DashboardLayout(size: size, focus: .namespaces)
        #expect(layout.tabBar == nil && !layout.tooSmall)
        #expect(Set(layout.panels.keys) == Set(Panel.allCases))
        var covered = 0
        for y in 0..<size.rows - 1 {
            for x in 0..<size.columns {
                let owners = layout.panels.values.filter { $0.contains(x: x, y: y) }.count
                #expect(owners == 1, "cell \(x),\(y) is in \(owners) panels")
                covered += owners
            }
        }
        #expect(covered == size.columns * (size.rows - 1))
        #expect(layout.statusBar == Rect(x: 0, y: size.rows - 1, width: size.columns, height: 1))
        // One row per kind plus the frame, and from 35 rows two more for rows that wrap.
        #expect(layout.panels[.comparison]!.height == (size.rows >= 35 ? 12 : 10))
    }

    @Test("between the minimum and the full size, one panel at a time under a tab bar")
    func compactLayout() {
        let layout = DashboardLayout(size: TerminalSize(columns: 99, rows: 40), focus: .maps)
        #expect(layout.tabBar == Rect(x: 0, y: 0, width: 99, height: 1))
        #expect(layout.panels == [.maps: Rect(x: 0, y: 1, width: 99, height: 38)])
    }
}
