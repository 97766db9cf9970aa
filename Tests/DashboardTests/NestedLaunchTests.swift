import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// A launcher that records every spec and reports `pid` (a fixture process) as the child.
final class RecordingLauncher: ChildLauncher, @unchecked Sendable {
    let pid: Int32
    private(set) var specs: [LaunchSpec] = []

    init(pid: Int32) { self.pid = pid }

    func start(_ spec: LaunchSpec) throws -> StartedChild {
        specs.append(spec)
        return StartedChild(pid: pid, terminalFD: nil, process: nil)
    }
}

/// A launcher whose targets' roots have no shell but /bin/sh (a busybox image): it records what it is asked.
final class BusyboxRootLauncher: ChildLauncher, @unchecked Sendable {
    private(set) var specs: [LaunchSpec] = []
    private(set) var asked: [(String, JoinTarget)] = []

    func start(_ spec: LaunchSpec) throws -> StartedChild {
        specs.append(spec)
        return StartedChild(pid: 2010, terminalFD: nil, process: nil)
    }

    func shell(_ preferred: String, inside target: JoinTarget) throws -> ShellChoice {
        asked.append((preferred, target))
        return ShellChoice(path: "/bin/sh", fellBack: preferred != "/bin/sh", file: "/var/lib/image/bin/busybox")
    }
}

/// `e` in the tree, Shift-F5 in a child's tab and `r` in the comparison, through the real update step on the
/// lab fixture: what is launched (the spec the C side gets) and what the tab and the comparison say.
@Suite("entering and nesting from the dashboard")
struct NestedLaunchTests {
    /// A harness over the lab fixture whose launcher records and "starts" pid `reported`.
    static func harness(reporting reported: Int32) throws -> (Harness, RecordingLauncher) {
        let launcher = RecordingLauncher(pid: reported)
        let scanner = try ProcScanner(root: ProcRoot(LabFixture.path), inside: LabInside())
        let system = DashboardSystem(
            scanner: scanner, hostPID: LabFixture.host, launcher: launcher, shell: "/bin/sh", scrollback: 100,
            environment: ["PATH=/usr/bin:/bin"])
        return (Harness(system: system), launcher)
    }

    /// The kinds in which `pid` differs from the host, as the tree has them.
    static func differing(_ pid: Int32, _ model: DashboardModel) -> Set<NamespaceKind> {
        model.processes.first { $0.pid == pid }?.differingKinds ?? []
    }

    @Test("e joins every namespace of the selected process that differs from the host, in a titled tab")
    func enterSelected() throws {
        let (harness, launcher) = try Self.harness(reporting: 2010)
        let kinds = Self.differing(LabFixture.child, harness.model)
        try #require(!kinds.isEmpty)
        harness.model.focus = .processes
        harness.press(.character("/"), .character("2"), .character("0"), .character("0"), .character("2"), .enter)
        #expect(harness.model.selectedPID == LabFixture.child)
        harness.press(.character("e"))
        let spec = try #require(launcher.specs.last)
        #expect(spec.joining == JoinTarget(pid: LabFixture.child, kinds: kinds))
        #expect(spec.kinds.isEmpty && spec.command == ["/bin/sh"])
        let tab = try #require(harness.model.tabs.last)
        #expect(tab.kindList == "entered 2002 (bash)")
        // The comparison is with the target: every kind the same (2010 lives in 2002's namespaces).
        let view = try #require(harness.model.comparison.latest)
        #expect(view.rows.allSatisfy { $0.same == true }, "\(view.rows.map { ($0.kind, $0.same) })")
        // Regression: the title read `pid 2010 (sleep) vs pid 2002 (bash)` while the left column showed 2002's
        // namespaces, and the PID row gave 2010's host pid where its pid in 2002's namespace (NSpid 2010 7) is
        // meant. The title names the columns in the order shown, the child by its pid in 2002's namespace.
        #expect(ComparisonPanel.title(view) == "pid 2002 (bash) vs child: pid 7 (sleep)")
        let pidRow = try #require(view.rows.first { $0.kind == .pid })
        #expect(pidRow.hostFact == "pid 7" && pidRow.childFact == "pid 7", "\(pidRow)")
        // r: against the host, where the joined kinds differ.
        harness.model.focus = .comparison
        harness.press(.character("r"))
        let host = try #require(harness.model.comparison.latest)
        #expect(ComparisonPanel.title(host) == "Host vs child: pid 2010 (sleep)")
        #expect(host.rows.first { $0.kind == .pid }?.hostFact == "pid 2010")
        #expect(Set(host.rows.filter { $0.same == false }.map(\.kind)) == kinds)
    }

    @Test("e with kinds ticked joins only those; a process in the host's namespaces has nothing to enter")
    func enterTickedOnly() throws {
        let (harness, launcher) = try Self.harness(reporting: 2010)
        let kinds = Self.differing(LabFixture.child, harness.model)
        let one = try #require(NamespaceKind.allCases.first { kinds.contains($0) })
        harness.model.ticked = [one]
        harness.model.focus = .processes
        harness.press(.character("/"), .character("2"), .character("0"), .character("0"), .character("2"), .enter)
        harness.press(.character("e"))
        #expect(launcher.specs.last?.joining == JoinTarget(pid: LabFixture.child, kinds: [one]))
        harness.model.ticked = []
        harness.model.focus = .processes  // the launch gave the new pane the keys
        // 412 is in the host's namespaces (pid 1's cannot be read: that is not "shared", see enterUnreadable).
        harness.press(.escape, .character("/"), .character("4"), .character("1"), .character("2"), .enter)
        #expect(harness.model.selectedPID == 412)
        let launches = launcher.specs.count
        harness.press(.character("e"))
        #expect(launcher.specs.count == launches, "nothing to join, nothing launched")
        #expect(harness.model.message?.isError == true && harness.model.message?.text.contains("nothing") == true)
    }

    /// Guards against `e` starting nslab's shell in a container that lacks it (issue 25: a busybox image has no
    /// bash): the shell is looked for inside the target first, and the status bar says which one runs.
    @Test("e starts nslab's shell when the target has it, else /bin/sh, and the status bar says which")
    func enterFallsBackToBinSh() throws {
        let launcher = BusyboxRootLauncher()
        let scanner = try ProcScanner(root: ProcRoot(LabFixture.path), inside: LabInside())
        let system = DashboardSystem(
            scanner: scanner, hostPID: LabFixture.host, launcher: launcher, shell: "/usr/bin/zsh", scrollback: 100,
            environment: ["PATH=/usr/bin:/bin"])
        let harness = Harness(system: system)
        harness.model.focus = .processes
        harness.press(.character("/"), .character("2"), .character("0"), .character("0"), .character("2"), .enter)
        harness.press(.character("e"))
        let spec = try #require(launcher.specs.last)
        #expect(spec.command.first == "/bin/sh", "\(spec.command)")
        // The image's /bin/sh is busybox, not the host's dash: in a joined mount namespace it gets ash's prompt
        // marks (in \[ \]) through PS1.
        #expect(MarkedShell.at("/bin/sh", file: "/var/lib/image/bin/busybox") == .busybox)
        #expect(MarkedShell.at("/bin/sh", file: "/var/lib/image/usr/bin/dash") == .dash)
        if spec.joining?.kinds.contains(.mount) == true {
            #expect(spec.environment?.contains { $0.hasPrefix("PS1=") && $0.contains(#"\["#) } == true)
        }
        #expect(launcher.asked.last?.0 == "/usr/bin/zsh" && launcher.asked.last?.1.pid == LabFixture.child)
        let text = harness.model.message?.text ?? ""
        #expect(text.hasSuffix("entered 2002 (bash) · /bin/sh (no /usr/bin/zsh inside)"), "\(text)")
        #expect(harness.model.message?.isError == false)
        // A launch that joins nothing asks nothing and says nothing of its shell.
        harness.model.focus = .namespaces
        harness.model.ticked = [.uts]
        let asked = launcher.asked.count
        harness.press(.function(5))
        #expect(launcher.asked.count == asked)
        #expect(launcher.specs.last?.command.first == "/usr/bin/zsh")
    }

    /// Regression: `e` on a process whose namespaces could not be read (another user's, KINDS `????????`) said it
    /// "shares every namespace with nslab": unknown shown as same.
    @Test("e on a process whose namespaces cannot be read says so, and launches nothing")
    func enterUnreadable() throws {
        let copy = try LabCopy()
        try FileManager.default.removeItem(atPath: copy.path + "/600/ns")
        let launcher = RecordingLauncher(pid: 2010)
        let scanner = try ProcScanner(root: ProcRoot(copy.path), inside: LabInside())
        let system = DashboardSystem(
            scanner: scanner, hostPID: LabFixture.host, launcher: launcher, shell: "/bin/sh", scrollback: 100,
            environment: ["PATH=/usr/bin:/bin"])
        let harness = Harness(system: system)
        #expect(harness.model.processes.first { $0.pid == 600 }?.unknownKinds.isEmpty == false)
        harness.model.focus = .processes
        harness.press(.character("/"), .character("6"), .character("0"), .character("0"), .enter)
        #expect(harness.model.selectedPID == 600)
        harness.press(.character("e"))
        #expect(launcher.specs.isEmpty)
        let text = harness.model.message?.text ?? ""
        #expect(text.contains("cannot be read") && !text.contains("shares"), "\(text)")
    }

    @Test("Shift-F5 in a child's tab launches the ticked kinds new inside that child's namespaces")
    func shiftF5() throws {
        let (harness, launcher) = try Self.harness(reporting: LabFixture.child)
        let first = try #require(harness.launch([.uts, .pid]))
        #expect(launcher.specs.last?.joining == nil)
        harness.model.ticked = [.net, .user]
        harness.model.focus = .child
        harness.press(Key.launchInside)
        let spec = try #require(launcher.specs.last)
        #expect(spec.kinds == [.net, .user])
        #expect(spec.joining == JoinTarget(pid: first.pid, kinds: Self.differing(first.pid, harness.model)))
        #expect(harness.model.tabs.last?.kindList == "inside 2002: net,user")
        // From the dashboard's own panels too, while that tab is on show.
        harness.model.focus = .namespaces
        harness.press(Key.launchInside)
        #expect(launcher.specs.count == 3 && launcher.specs.last?.joining?.pid == LabFixture.child)
    }

    @Test("Shift-F5 before a scan has seen the child joins the kinds it was launched with")
    func shiftF5BeforeScan() throws {
        let (harness, launcher) = try Self.harness(reporting: LabFixture.child)
        let first = try #require(harness.launch([.uts, .pid]))
        // As on a busy machine just after F5: the tree has not got the child yet (it said "not running").
        harness.model.setProcesses(harness.model.processes.filter { $0.pid != first.pid })
        harness.model.focus = .child
        harness.press(Key.launchInside)
        #expect(launcher.specs.count == 2, "\(harness.model.message?.text ?? "")")
        #expect(launcher.specs.last?.joining == JoinTarget(pid: first.pid, kinds: [.uts, .pid]))
    }

    @Test("Shift-F5 without a child on show says what it needs and launches nothing")
    func shiftF5WithoutChild() throws {
        let (harness, launcher) = try Self.harness(reporting: LabFixture.child)
        harness.press(Key.launchInside)
        #expect(launcher.specs.isEmpty)
        #expect(harness.model.message?.text.contains("F5 first") == true)
    }
}
