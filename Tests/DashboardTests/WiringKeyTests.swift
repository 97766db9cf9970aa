import Testing

@testable import Dashboard
@testable import NamespaceKit

/// The map's wiring key (`w`): which two children it joins, and each refusal with its reason on the status line.
@Suite("The map's wiring key")
struct WiringKeyTests {
    /// The fixture's map (host, red pid 200, blue pid 300, a container pid 400) with tabs for red and blue, red's
    /// on show, and the cursor on the namespace at `cursor`.
    private func state(cursor: Int, isRoot: Bool = true, tabs: [Int32] = [200, 300]) -> DashboardModel {
        var state = NetworkFixture.state(NetworkFixture.map())
        state.isRoot = isRoot
        for pid in tabs {
            _ = state.addTab(pid: pid, request: LaunchRequest(kinds: [.net], options: NamespaceOptions()), message: "")
        }
        if !tabs.isEmpty { state.showTab(at: 0) }
        state.network.cursor = cursor
        return state
    }

    /// The status line after `w`, when it refused.
    private func refusal(_ state: inout DashboardModel) -> String? {
        let actions = state.handleNetworkMapKey(.character("w"))
        #expect(actions.isEmpty)
        #expect(state.message?.isError == true)
        return state.message?.text
    }

    @Test("w with the cursor on another child's box wires the tab on show to it")
    func wires() {
        var state = state(cursor: 2)
        #expect(
            state.handleNetworkMapKey(.character("w")) == [
                .wire(
                    WireParty(namespace: 2, pid: 200, label: "tab 1"), WireParty(namespace: 3, pid: 300, label: "tab 2"))
            ])
    }

    @Test("the host's namespace, the same namespace, one no child is in, the bridge: refused with the reason")
    func refusals() {
        var host = state(cursor: 0)
        #expect(refusal(&host) == WiringRefusal.hostNamespace.description)
        var same = state(cursor: 1)
        #expect(refusal(&same) == WiringRefusal.sameNamespace("tab 1").description)
        var foreign = state(cursor: 3)
        #expect(refusal(&foreign)?.contains("was not created by nslab") == true)
        var bridge = state(cursor: 2)
        bridge.network.bridgeNamespace = 3
        #expect(refusal(&bridge) == WiringRefusal.bridgeNamespace.description)
    }

    /// A tab opened with `e` has nslab's child in a namespace someone else made (a container's): wiring it would
    /// change that namespace, so it is refused as the tab on show and as the target.
    @Test("a tab that joined a network namespace (e in the tree) is not wired, either way")
    func joinedNamespace() {
        var state = state(cursor: 2)
        var entered = LaunchRequest(kinds: [], options: NamespaceOptions())
        entered.joining = JoinTarget(pid: 400, kinds: [.net])
        _ = state.addTab(pid: 400, request: entered, message: "")
        state.showTab(at: 2)
        #expect(refusal(&state)?.contains("tab 3's network namespace was not created by nslab") == true)
        var target = self.state(cursor: 3)
        _ = target.addTab(pid: 400, request: entered, message: "")
        target.showTab(at: 0)
        #expect(refusal(&target)?.contains("was not created by nslab") == true)
    }

    @Test("no child's tab on show, or a child in nslab's own network namespace: refused")
    func noChild() {
        var none = state(cursor: 2, tabs: [])
        #expect(refusal(&none) == WiringRefusal.noChildTab.description)
        var shared = state(cursor: 2, tabs: [1, 300])
        #expect(refusal(&shared) == WiringRefusal.noOwnNamespace("tab 1").description)
    }

    /// A child launched a moment ago was refused as having no network namespace of its own: the map's last full
    /// reading did not hold it yet. The tree's snapshot names its namespace, or the key says to wait.
    @Test("the tab on show launched since the map's last reading: wired from the snapshot, or asked to wait")
    func launchedSinceReading() {
        var state = state(cursor: 2, tabs: [500, 300])
        #expect(refusal(&state) == WiringRefusal.notReadYet("tab 1").description)
    }

    @Test("a refusal longer than the status row is shown in a box over the map")
    func longRefusalOnTop() {
        var state = state(cursor: 2)
        state.show(WiringRefusal.siblingUserNamespaces.description, isError: true)
        // It was drawn under the map, unseen.
        let screen = DashboardView.render(state, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("Shift-F5"), "\(screen)")
    }

    @Test("nslab's bridge namespace is titled 'nslab bridge' on its box and in its detail")
    func bridgeTitle() throws {
        let state = state(cursor: 2)
        let namespace = try #require(state.network.map?.namespaces[2])
        #expect(NetworkMapView.title(of: namespace, tabs: [], bridge: namespace.id) == "nslab bridge")
        #expect(NetworkMapView.detailLines(namespace, tabs: [], bridge: namespace.id).first?.hasPrefix("nslab bridge") == true)
        #expect(NetworkMapView.title(of: namespace, tabs: [], bridge: 99) != "nslab bridge")
    }

    @Test("the map's hint line and the help name w")
    func listed() {
        #expect(NetworkMapView.hints.contains("w wire"))
        #expect(KeyBindings.all.contains { $0.context == .networkMap && $0.label == "w" })
    }
}
