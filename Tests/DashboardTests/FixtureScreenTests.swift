import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// Whole screens from the `lab` fixture /proc tree, through the real scanner, the update step and the
/// view: a child launched in six kinds, so the Host vs child panel, the maps and the tree show the ids and
/// facts a scan finds (not hand-made rows).
@Suite("Whole screens from a fixture /proc")
struct FixtureScreenTests {
    static let sizes = [
        TerminalSize(columns: 80, rows: 24), TerminalSize(columns: 120, rows: 35), TerminalSize(columns: 160, rows: 45),
    ]

    /// The dashboard after `nslab --ns uts,pid,mount,net,user,time --launch` on the fixture, the child's
    /// screen showing two commands, the keyboard back on the dashboard (Ctrl-]).
    static func launched(size: TerminalSize) throws -> Harness {
        let harness = Harness(system: try LabFixture.system(), size: size)
        harness.model.options.hostname = "lab"
        harness.model.options.boottimeOffset = 86_400
        harness.model.options.uidMaps = ["0 100000 65536"]
        harness.model.options.gidMaps = ["0 100000 65536"]
        let tab = try #require(harness.launch([.uts, .pid, .mount, .net, .user, .time]))
        let screen = try #require(harness.update.panes.screen(of: tab.id))
        screen.feed("root@lab:/# hostname\r\nlab\r\nroot@lab:/# echo $$\r\n1\r\nroot@lab:/# ")
        harness.press(Key.leavePane)
        return harness
    }

    @Test("the dashboard with a launched child, at three sizes, in two themes", arguments: sizes)
    func launchedChild(size: TerminalSize) throws {
        let harness = try Self.launched(size: size)
        for theme in snapshotThemes {
            let screen = DashboardView.render(harness.model, theme: theme, screens: harness.update.panes)
            expectSnapshot(screen, named: "fixture-launched-\(size)")
        }
    }

    @Test("the compact layout's Host vs child and maps panels, in two themes")
    func compactPanels() throws {
        let harness = try Self.launched(size: TerminalSize(columns: 80, rows: 24))
        for panel in [Panel.comparison, .maps] {
            harness.model.focus = panel
            for theme in snapshotThemes {
                let screen = DashboardView.render(harness.model, theme: theme, screens: harness.update.panes)
                expectSnapshot(screen, named: "fixture-\(panel)-80x24")
            }
        }
    }

    @Test("the scan's facts reach the panels: ids, hostnames, pids, maps, clocks, unknown as ?")
    func factsReachPanels() throws {
        let harness = try Self.launched(size: TerminalSize(columns: 160, rows: 45))
        let model = harness.model
        let rows = try #require(model.comparison.view?.rows)
        let byKind = Dictionary(uniqueKeysWithValues: rows.map { ($0.kind, $0) })
        #expect(byKind[.uts]?.hostFact == "vm" && byKind[.uts]?.childFact == "lab")
        #expect(byKind[.uts]?.childID == "[4026532201]" && byKind[.uts]?.same == false)
        #expect(byKind[.ipc]?.same == true)
        #expect(byKind[.pid]?.childFact == "pid 1" && byKind[.pid]?.hostFact == "pid 2002")
        #expect(byKind[.mount]?.childFact == "3 mounts, own /proc")
        #expect(byKind[.net]?.childFact == "lo up" && byKind[.net]?.hostFact == "lo up, eth0 up")
        #expect(byKind[.user]?.childFact == "0 100000 65536")
        #expect(byKind[.time]?.childFact == "up 1d 1:02:03 mono +0s boot +86400s")
        #expect(byKind[.time]?.hostFact == "up 1:02:03 mono +0s boot +0s")
        // Both readers' maps: the host's, then the child's own and the host's as read inside.
        #expect(
            model.maps.map(\.subject) == [
                "pid 2002 (bash), read from the host", "pid 2002 (bash), read by the child itself",
                "the host's maps (pid 2001), read by the child",
            ])
        // The tree: the child and its sleep marked, kinds against the host, PID 1's unreadable links as ?.
        let child = try #require(model.processes.first { $0.pid == LabFixture.child })
        #expect(child.isChild && child.differingKinds == [.uts, .pid, .mount, .net, .user, .time])
        #expect(model.processes.first { $0.pid == 2010 }?.pidInside == 7)
        let initRow = try #require(model.processes.first { $0.pid == 1 })
        #expect(initRow.unknownKinds == Set(NamespaceKind.allCases) && initRow.differingKinds.isEmpty)
        #expect(ProcessTreePanel.line(for: initRow, collapsed: false).contains("????????"))
    }
}
