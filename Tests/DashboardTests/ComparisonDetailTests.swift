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
