import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Hints that fit the situation they are shown in.
@Suite struct HintTests {
    static func namespacesPanel(_ state: DashboardModel) -> String {
        var buffer = ScreenBuffer(size: TerminalSize(columns: 60, rows: 12))
        NamespacesPanel.render(state: state, in: buffer.bounds, focused: true, buffer: &buffer, theme: .builtinDefault)
        return buffer.snapshot()
    }

    /// Guards against "Not root: the other kinds need User (6)" staying on screen after the user ticked User.
    @Test("the not-root hint shows until User is ticked")
    func notRootHintGoesOnceUserIsTicked() {
        var state = DashboardModel(size: TerminalSize(columns: 120, rows: 35), isRoot: false)
        #expect(Self.namespacesPanel(state).contains("Not root"))
        state.ticked = [.user, .uts]
        #expect(!Self.namespacesPanel(state).contains("Not root"))
        state.isRoot = true
        state.ticked = []
        #expect(!Self.namespacesPanel(state).contains("Not root"))
    }

    /// Guards against "tick Time (8) and launch again" offered for any process: launching again only changes
    /// nslab's own children, so a process selected in the tree gets the plain statement.
    @Test("tick-and-launch-again only for nslab's own children")
    func launchAgainOnlyForOwnChildren() {
        let rows = ComparisonRows.rows(sampleComparison())
        let time = NamespaceKind.allCases.firstIndex(of: .time)!
        let own = ComparisonView(subject: "pid 4242 (bash)", rows: rows, cursor: time, expanded: .time)
        var other = own
        other.isOwnChild = false
        let ownText = ComparisonPanel.lines(own, width: 60).lines.map(\.text).joined(separator: " ")
        let otherText = ComparisonPanel.lines(other, width: 60).lines.map(\.text).joined(separator: " ")
        #expect(ownText.contains("launch again"), "\(ownText)")
        #expect(!otherText.contains("launch again") && otherText.contains("shares the host's Time namespace"))
    }

    /// The update step marks a process selected in the tree as not nslab's own child.
    @Test("a selected process is not an own child; a tab's child is")
    func updateMarksTheSubject() throws {
        let harness = Harness(system: try LabFixture.system())
        harness.launch([.uts])
        #expect(harness.model.comparison.latest?.isOwnChild == true)
        harness.model.focus = .processes
        harness.model.selectedPID = 1
        harness.send(.input(.key(.down)))
        #expect(harness.model.comparison.target == .process(412))
        #expect(harness.model.comparison.latest?.isOwnChild == false)
    }
}
