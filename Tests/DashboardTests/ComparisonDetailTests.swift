import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Enter on the user and mount rows of the host-vs-child panel: capabilities, propagation, mounts that differ.
@Suite struct ComparisonDetailTests {
    private func mount(_ point: String, shared: Int? = nil) -> MountEntry {
        MountEntry(
            mountPoint: point, root: "/", fsType: "tmpfs", source: "none", sharedGroup: shared, masterGroup: nil,
            unbindable: false)
    }

    private func comparison() -> Comparison {
        var comparison = sampleComparison()
        let common = mount("/", shared: 1)
        var host = MountFacts(mountCount: 2, procIsOwn: true)
        host.mounts = [common, mount("/boot", shared: 3)]
        host.propagation = PropagationCounts(host.mounts)
        var child = MountFacts(mountCount: 2, procIsOwn: false)
        child.mounts = [common, mount("/mnt")]
        child.propagation = PropagationCounts(child.mounts)
        comparison.rightFacts.mount = .known(host)
        comparison.leftFacts.mount = .known(child)
        if var user = comparison.leftFacts.user.value {
            user.capabilities = .known(
                CapabilitySets(
                    effective: .max, permitted: .max, bounding: .max, lastCapability: 40,
                    userNamespace: .known(4_026_532_204)))
            comparison.leftFacts.user = .known(user)
        }
        return comparison
    }

    @Test("the mount row's detail gives both sides' propagation and the mounts added and removed")
    func mountDetail() {
        let rows = ComparisonRows.rows(comparison())
        let detail = rows.first { $0.kind == .mount }!.detail
        #expect(detail.contains("child shared 1 (1) slave 0 private 1 unbindable 0"))
        #expect(detail.contains("host  shared 2 (1,3) slave 0 private 0 unbindable 0"))
        #expect(detail.contains("+ /mnt tmpfs (none) private"))
        #expect(detail.contains("- /boot tmpfs (none) shared:3"))
        #expect(!detail.contains { $0.contains(" / tmpfs") }, "the mount both have is not listed")
    }

    /// Guards against the mount row's explanation stopping at twelve mounts with `… N more` that could not be
    /// read anywhere: it lists every one, and the panel scrolls to them with its position on the border.
    @Test("every mount that differs is listed, and the panel scrolls to the last")
    func everyMount() throws {
        var comparison = comparison()
        var child = try #require(comparison.leftFacts.mount.value)
        child.mounts += (1...30).map { mount("/srv/m\($0)") }
        comparison.leftFacts.mount = .known(child)
        let detail = ComparisonRows.rows(comparison).first { $0.kind == .mount }!.detail
        #expect(detail.contains("+ /srv/m30 tmpfs (none) private"), "\(detail)")
        #expect(!detail.contains { $0.contains("more") })
        var state = DashboardModel(size: TerminalSize(columns: 120, rows: 35), isRoot: true)
        state.comparison.point(at: .process(4242))
        state.comparison.latest = ComparisonRows.view(comparison)
        state.focus = .comparison
        for _ in 0..<3 { _ = state.handle(.key(.down)) }
        _ = state.handle(.key(.enter))
        let rect = try #require(state.layout.panels[.comparison])
        var shown = text(of: rect, in: DashboardView.render(state, theme: .builtinDefault))
        #expect(shown.last!.contains(/\d+-\d+ of \d+/), "\(shown)")
        for _ in 0..<10 { _ = state.handle(.key(.pageDown)) }
        shown = text(of: rect, in: DashboardView.render(state, theme: .builtinDefault))
        #expect(shown.contains { $0.contains("+ /srv/m30") }, "\(shown.joined(separator: "\n"))")
    }

    @Test("the user row's detail gives the child's capabilities and the user namespace they hold in")
    func userDetail() {
        let rows = ComparisonRows.rows(comparison())
        let detail = rows.first { $0.kind == .user }!.detail
        #expect(
            detail == [
                "child cap eff: all", "child cap prm: all", "child cap bnd: all",
                "child caps in: user ns 4026532204",
            ])
        // Open, the panel shows the detail under the lesson; closed, it does not.
        var view = ComparisonView(subject: "pid 4242 (bash)", rows: rows)
        let closed = ComparisonPanel.lines(view, width: 100).lines.map(\.text)
        #expect(!closed.contains { $0.contains("caps in") })
        view.expanded = .user
        let open = ComparisonPanel.lines(view, width: 100).lines.map(\.text)
        #expect(open.contains { $0.contains("child caps in: user ns 4026532204") })
    }
}
