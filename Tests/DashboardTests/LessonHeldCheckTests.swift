import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// A copy of the `lab` fixture the held checks' tests change between refreshes: an nsfs bind mount added to
/// the child's mount table and taken away, a process put into the held namespace, the mount namespace shared.
final class LabCopy {
    let path: String
    /// The held namespace the tests bind: no process of the fixture is in it.
    static let held = NamespaceKey(kind: .uts, id: 4_026_532_999)
    static let line = "40 22 0:4 uts:[4026532999] /mnt/uts rw,relatime - nsfs nsfs rw\n"

    init() throws {
        var template = Array("/tmp/nslab-held-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made) + "/lab"
        try FileManager.default.copyItem(atPath: LabFixture.path, toPath: path)
    }

    /// The child's (pid 2002's) mountinfo.
    var mountinfo: String { path + "/2002/mountinfo" }

    func append(_ text: String, to file: String) throws {
        let old = try String(contentsOfFile: file, encoding: .utf8)
        try (old + text).write(toFile: file, atomically: false, encoding: .utf8)
    }

    func remove(_ text: String, from file: String) throws {
        let old = try String(contentsOfFile: file, encoding: .utf8)
        try old.replacingOccurrences(of: text, with: "").write(toFile: file, atomically: false, encoding: .utf8)
    }

    /// Points `pid`'s `ns/NAME` link at `target` (`mnt:[4026531832]`).
    func relink(_ pid: Int32, _ name: String, to target: String) throws {
        let link = "\(path)/\(pid)/ns/\(name)"
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    }

    /// A new process 2030, a copy of the child's sleep (2010) that is in the held namespace: a scanner that
    /// has seen 2010 keeps its record, so a new pid is how a process "enters" here.
    func addEnteredProcess() throws {
        let dir = path + "/2030"
        try FileManager.default.copyItem(atPath: path + "/2010", toPath: dir)
        let stat = try String(contentsOfFile: dir + "/stat", encoding: .utf8)
        try stat.replacingOccurrences(of: "2010 (sleep)", with: "2030 (sleep)")
            .write(toFile: dir + "/stat", atomically: false, encoding: .utf8)
        let status = try String(contentsOfFile: dir + "/status", encoding: .utf8)
        try status.replacingOccurrences(of: "Pid:\t2010", with: "Pid:\t2030")
            .write(toFile: dir + "/status", atomically: false, encoding: .utf8)
        try relink(2030, "uts", to: "uts:[4026532999]")
    }

    func removeEnteredProcess() throws { try FileManager.default.removeItem(atPath: path + "/2030") }

    deinit { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
}

/// The held checks (lesson 15) on a changing copy of the `lab` fixture, through the real scanner and update
/// step; the compact layout's lesson line; the card once the lesson's tab ends or closes.
@Suite("Lesson held checks")
struct LessonHeldCheckTests {
    static let checks: [LessonCheck] = [.heldNamespace(.uts), .heldEntered(.uts), .heldReleased(.uts)]

    /// A harness on `copy` with one lesson whose steps are the three held checks, started and refreshed.
    static func started(_ copy: LabCopy, size: TerminalSize? = nil) throws -> Harness {
        let system = try LabFixture.system(root: copy.path)
        let harness = size.map { Harness(system: system, size: $0) } ?? Harness(system: system)
        harness.model.isRoot = true
        // Observe steps: they tick on their check once reached, so the story runs on the fixture alone.
        let steps = checks.map { LessonStep(kind: .observe, command: "", expect: "e", check: $0) }
        harness.model.lessons = LoadedLessons(lessons: [
            Lesson(number: 15, name: "held", title: "Held", goal: "g", kinds: [.mount, .uts], steps: steps)
        ])
        harness.press(.character("L"), .character("1"), .character("5"), .enter)
        harness.send(.refresh)
        return harness
    }

    static func results(_ harness: Harness) throws -> [StepState] {
        harness.model.lessonStates(try #require(harness.model.lesson))
    }

    /// What each of the three checks finds now, in any order of the steps.
    static func checkResults(_ harness: Harness) throws -> [CheckResult] {
        let session = try #require(harness.model.lesson)
        return checks.map { harness.model.evaluateLessonCheck($0, output: nil, session: session) }
    }

    @Test("▸ until a bind mount holds a namespace; then ✓ held, ✓ entered by a process, ✓ released after umount")
    func wholeStory() throws {
        let copy = try LabCopy()
        let harness = try Self.started(copy)
        #expect(try Self.results(harness) == [.current, .ahead, .ahead], "no nsfs mount in the fixture")
        #expect(harness.model.lesson?.held == [])

        try copy.append(LabCopy.line, to: copy.mountinfo)
        harness.send(.refresh)
        #expect(try Self.results(harness) == [.done, .current, .ahead], "held, nobody in it, still mounted")
        #expect(harness.model.lesson?.held == [HeldMount(namespace: LabCopy.held, path: "/mnt/uts")])
        let session = try #require(harness.model.lesson)
        let card = LessonCard.lines(session, facts: LessonCard.Facts(session, state: harness.model), width: 60).lines
        #expect(card.contains { $0.0 == "   uts:[4026532999] at /mnt/uts" }, "\(card.map(\.0))")

        try copy.addEnteredProcess()
        harness.send(.refresh)
        #expect(try Self.results(harness) == [.done, .done, .current], "pid 2030 joined it")

        // Unmounted while 2030 is still in it: the namespace lives on, which is ✗ for "released".
        try copy.remove(LabCopy.line, from: copy.mountinfo)
        harness.send(.refresh)
        guard case .failed(let hint) = try Self.results(harness)[2] else {
            Issue.record("released while a process is in it: \(try Self.results(harness))")
            return
        }
        #expect(hint.contains("pid 2030 is still in it"), "\(hint)")

        try copy.removeEnteredProcess()
        harness.send(.refresh)
        #expect(try Self.results(harness) == [.done, .done, .done], "no mount, no process: gone")
    }

    /// Regression: lesson 15 counted a namespace held by a bind mount the child's mount namespace copied from the
    /// host at launch (another program's, since removed on the host) and ticked before the learner made one.
    @Test("a bind mount the child started with is not the lesson's: only mounts made after launch count")
    func inheritedMountIsNotCounted() throws {
        let copy = try LabCopy()
        try copy.append(LabCopy.line, to: copy.mountinfo)
        let harness = try Self.started(copy)
        #expect(harness.model.lesson?.inherited == [LabCopy.held])
        #expect(harness.model.lesson?.held == [])
        #expect(try Self.results(harness) == [.current, .ahead, .ahead])
        #expect(try Self.checkResults(harness)[0] == .unknown)
        // One the learner makes later counts.
        let made = "41 22 0:4 uts:[4026532998] /mnt/made rw,relatime - nsfs nsfs rw\n"
        try copy.append(made, to: copy.mountinfo)
        harness.send(.refresh)
        #expect(harness.model.lesson?.held.map(\.path) == ["/mnt/made"])
        #expect(try Self.results(harness)[0] == .done)
    }

    @Test("✗ for every held check when the child's mount namespace is the host's")
    func hostMounts() throws {
        let copy = try LabCopy()
        try copy.append(LabCopy.line, to: copy.mountinfo)
        try copy.relink(LabFixture.child, "mnt", to: "mnt:[4026531832]")  // the host's (pid 2001's)
        let harness = try Self.started(copy)
        #expect(try Self.results(harness)[1...] == [.ahead, .ahead], "steps become current in order")
        guard case .failed = try Self.results(harness)[0] else {
            Issue.record("the current step should show ✗: \(try Self.results(harness))")
            return
        }
        for result in try Self.checkResults(harness) {
            guard case .fails(let hint) = result else {
                Issue.record("should fail on the host's mounts: \(result)")
                continue
            }
            #expect(hint.contains("shares the host's mount namespace"), "\(hint)")
        }
        #expect(harness.model.lesson?.held == [], "nothing is remembered from the host's mount table")
    }

    @Test("not held: the child's own namespace, one a process is in, one the host's table holds too")
    func notHeld() throws {
        let own = "41 22 0:4 uts:[4026532201] /mnt/own rw - nsfs nsfs rw\n"  // the child's UTS namespace
        let busy = "42 22 0:4 uts:[4026532301] /mnt/busy rw - nsfs nsfs rw\n"  // nginx (pid 3100) is in it
        let copy = try LabCopy()
        try copy.append(own + busy + LabCopy.line, to: copy.mountinfo)
        try copy.append(LabCopy.line, to: copy.path + "/2001/mountinfo")  // the host holds it too
        let harness = try Self.started(copy)
        #expect(try Self.results(harness) == [.current, .ahead, .ahead])
        #expect(try Self.checkResults(harness) == [.unknown, .unknown, .unknown])
        #expect(harness.model.lesson?.held == [])
    }

    @Test("the compact layout (80x24) has no card but a lesson line: the current step with its mark")
    func compactLine() throws {
        let copy = try LabCopy()
        let harness = try Self.started(copy, size: TerminalSize(columns: 80, rows: 24))
        let layout = harness.model.layout
        #expect(layout.lessonCard == nil)
        let line = try #require(layout.lessonLine)
        #expect(line.height == 1 && line.y == layout.statusBar.y - 1 && line.width == 80)
        let panel = try #require(layout.panels[harness.model.focus])
        #expect(panel.maxY <= line.y, "the panel leaves the line's row")
        var screen = DashboardView.render(harness.model, theme: .builtinDefault).lines()
        #expect(screen[line.y].hasPrefix("Lesson 15 ▸ 1/3 e"), "\(screen[line.y])")
        try copy.append(LabCopy.line, to: copy.mountinfo)
        harness.send(.refresh)
        screen = DashboardView.render(harness.model, theme: .builtinDefault).lines()
        #expect(screen[line.y].hasPrefix("Lesson 15 ▸ 2/3 e"), "the next step: \(screen[line.y])")
        let session = try #require(harness.model.lesson)
        let failing = LessonCard.line(session, facts: LessonCard.Facts(states: [.done, .failed("no"), .ahead]))
        #expect(failing.0 == "Lesson 15 ✗ 2/3 e ✗ no" && failing.1 == .error)
        let done = LessonCard.line(session, facts: LessonCard.Facts(states: [.done, .done, .done]))
        #expect(done.0.contains("✓ all 3 steps done"))
        let unmarked = LessonCard.line(
            session, facts: LessonCard.Facts(states: [.done, .current, .ahead], noMarks: true))
        #expect(unmarked.0.hasPrefix("Lesson 15 (no prompt marks: checks count after you type) ▸ 2/3 e"), "\(unmarked.0)")
    }

    @Test("the card says the lesson ended when its child exits, and goes when its tab is closed")
    func endsAndCloses() throws {
        let copy = try LabCopy()
        let harness = try Self.started(copy)
        let session = try #require(harness.model.lesson)
        #expect(harness.model.layout.lessonCard != nil)
        harness.model.tabEnded(session.tabID, status: .exited(0))
        var screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("Lesson 15: Held") && screen.contains("ended: the lesson's"), "\(screen)")
        _ = harness.model.closeShownTab()
        #expect(harness.model.layout.lessonCard == nil && harness.model.lessonShown == nil)
        screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(!screen.contains("Lesson 15"), "\(screen)")
        // In the compact layout the line goes too.
        harness.model.size = TerminalSize(columns: 80, rows: 24)
        #expect(harness.model.layout.lessonLine == nil)
    }
}
