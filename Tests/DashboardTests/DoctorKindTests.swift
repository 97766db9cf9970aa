import NamespaceKit
import Testing

@testable import Dashboard

/// A kind the doctor found cannot be created here: one word in the Namespaces panel, its line on tick and Enter.
@Suite("Doctor verdicts in the dashboard")
struct DoctorKindTests {
    /// The model as `DashboardUpdate.start` leaves it when the probe found a seccomp filter stopping Net.
    static func filteredNet() -> DashboardModel {
        var state = makeState()
        let line = DoctorFinding(.seccompFilter, "unshare is filtered", fix: "start it unconfined").line(
            for: .dashboard)
        state.unavailable[.net] = DashboardSystem.oneWord(.seccompFilter)
        state.doctorLines[.net] = line
        return state
    }

    @Test("ticking it stays off and shows the doctor's line")
    func tick() {
        var state = Self.filteredNet()
        _ = state.type("5")
        #expect(!state.ticked.contains(.net))
        #expect(state.message?.isError == true)
        #expect(
            state.message?.text.contains("[doctor: seccomp-filter]") == true, "\(String(describing: state.message))")
    }

    @Test("Enter on it shows the doctor's line before any option")
    func enter() {
        var state = Self.filteredNet()
        state.namespaceCursor = 4
        _ = state.press(.enter)
        #expect(state.message?.text.hasPrefix("Net cannot be created here: unshare is filtered") == true)
    }

    @Test("the panel shows the one word")
    func panel() {
        let state = Self.filteredNet()
        #expect(HintTests.namespacesPanel(state).contains("Net    unavailable: seccomp"))
    }
}

/// `start` asks the doctor once (with a bounded probe) and marks what it says cannot be created.
@Suite("Doctor verdicts when the dashboard starts")
struct DoctorStartTests {
    @Test("a kind the doctor says no to is marked from the first frame, with its line")
    func marked() throws {
        let scanner = try ProcScanner(root: ProcRoot(LabFixture.path), inside: LabInside())
        let system = DashboardSystem(
            scanner: scanner, hostPID: LabFixture.host, launcher: StandInLauncher(pid: LabFixture.child, terminalFD: nil),
            shell: "/bin/bash", scrollback: 100, environment: ["PATH=/usr/bin:/bin"], probesKinds: true)
        system.doctorWork = {
            let filtered = DoctorFinding(.seccompFilter, "unshare is filtered", fix: "start it unconfined")
            return [KindVerdict(kind: .net, availability: .no, direct: filtered), KindVerdict(kind: .uts, availability: .yes)]
        }
        let harness = Harness(system: system)
        #expect(harness.model.unavailable[.net] == DashboardSystem.oneWord(.seccompFilter))
        #expect(harness.model.doctorLines[.net]?.contains("[doctor: seccomp-filter]") == true)
        #expect(harness.model.unavailable[.uts] == nil)
    }
}
