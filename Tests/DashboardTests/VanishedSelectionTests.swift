import Testing

@testable import Dashboard
@testable import NamespaceKit

/// What the panels show when the process they were pointed at is gone.
@Suite struct VanishedSelectionTests {
    /// Guards against a selected process that exits (a nested `unshare -u sh` in the child, then `exit`) moving
    /// the selection to PID 1 and leaving the panels on a process that is gone (`? [?]`): both go back to the
    /// child of the tab on show.
    @Test("a selected process that exits hands the selection and the panels back to the tab's child")
    func backToTheTabsChild() throws {
        let harness = Harness(system: try LabFixture.system())
        let tab = try #require(harness.launch([.uts]))
        // As if the tree had a nested shell 4999 in the child, selected and compared, which then exited.
        harness.model.selectedPID = 4999
        harness.model.comparison.point(at: .process(4999))
        harness.send(.refresh)
        #expect(harness.model.selectedPID == LabFixture.child)
        #expect(harness.model.comparison.target == .tab(tab.id))
        #expect(harness.model.comparison.latest?.subject.contains("pid \(LabFixture.child)") == true)
    }
}
