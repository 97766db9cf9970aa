import NamespaceKit
import Testing

@testable import Dashboard

/// The lesson list and card driven through the real update step on the `lab` fixture, whose child (pid 2002)
/// has UTS, PID, Mount, Net, User and Time namespaces of its own and shares the host's IPC and cgroup ones.
@Suite("Lesson checks")
struct LessonCheckTests {
    /// A one-step lesson per check, numbered from 1 in the order given.
    static func lessons(_ checks: [LessonCheck], kinds: Set<NamespaceKind> = [.uts]) -> LoadedLessons {
        LoadedLessons(
            lessons: checks.enumerated().map { index, check in
                Lesson(
                    number: index + 1, name: "l\(index + 1)", title: "T\(index + 1)", goal: "g", kinds: kinds,
                    steps: [LessonStep(kind: .observe, command: "", expect: "e", check: check)])
            })
    }

    /// A harness with `lessons`, the lesson `number` started with `L`, digits and Enter, and a refresh done.
    static func started(_ lessons: LoadedLessons, number: Int, root: Bool = true) throws -> Harness {
        let harness = Harness(system: try LabFixture.system())
        harness.model.isRoot = root
        harness.model.lessons = lessons
        harness.press(.character("L"))
        for digit in String(number) { harness.press(.character(digit)) }
        harness.press(.enter)
        harness.send(.refresh)
        return harness
    }

    /// What the check of the started lesson's one step finds now, as the progress evaluates it.
    static func result(_ harness: Harness) throws -> CheckResult {
        let session = try #require(harness.model.lesson)
        let check = try #require(session.lesson.steps.first?.check)
        return harness.model.evaluateLessonCheck(check, output: nil, session: session)
    }

    @Test("L, a digit and Enter set the lesson's kinds and options, launch, and put the card beside the pane")
    func startsALesson() throws {
        var loaded = Self.lessons([.ownNamespace(.uts), .boottimeOffset(86_400)], kinds: [.time, .pid])
        loaded.lessons[1].options.boottimeOffset = 86_400
        let harness = try Self.started(loaded, number: 2)
        let session = try #require(harness.model.lesson)
        #expect(session.lesson.number == 2)
        #expect(harness.model.ticked == [.time, .pid])
        #expect(harness.model.options.boottimeOffset == 86_400)
        let tab = try #require(harness.model.tabs.last)
        #expect(tab.id == session.tabID && tab.pid == LabFixture.child)
        #expect(harness.model.overlay == .none)
        let layout = harness.model.layout
        let card = try #require(layout.lessonCard)
        let pane = try #require(layout.panels[.child])
        #expect(card.x == pane.x + pane.width && card.y == pane.y && card.height == pane.height)
        let screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("Lesson 2: T2"))
    }

    @Test(
        "✓ where the fixture child has its own namespace or fact",
        arguments: [
            LessonCheck.ownNamespace(.uts), .ownNamespace(.net), .pidInside(1), .onlyLoopback, .sameNamespace(.ipc),
            .adoptedByInit("sleep"),
        ])
    func holds(_ check: LessonCheck) throws {
        let harness = try Self.started(Self.lessons([check]), number: 1)
        #expect(try Self.result(harness) == .holds, "\(check)")
    }

    @Test(
        "✗ with a hint where the fixture shows the opposite",
        arguments: [
            LessonCheck.ownNamespace(.ipc), .ownNamespace(.cgroup), .sameNamespace(.uts), .pidInside(7),
            .ipcQueuesIsolated,
        ])
    func fails(_ check: LessonCheck) throws {
        let harness = try Self.started(Self.lessons([check]), number: 1)
        guard case .fails(let hint) = try Self.result(harness) else {
            Issue.record("\(check) should fail, got \(try Self.result(harness))")
            return
        }
        #expect(!hint.isEmpty && !hint.contains("\n"))
    }

    @Test("neutral before the launch, and for a check the model cannot decide yet")
    func unknown() throws {
        let harness = Harness(system: try LabFixture.system())
        let lesson = Self.lessons([.ownNamespace(.uts)]).lessons[0]
        let session = LessonSession(lesson: lesson, tabID: harness.model.nextTabID)
        #expect(harness.model.evaluateLessonCheck(.ownNamespace(.uts), output: nil, session: session) == .unknown)
        #expect(harness.model.lessonStates(session) == [.current])
        #expect(LessonCheck.hostname("never-this-name").evaluate(nil) == .unknown)
        for check in [LessonCheck.hostname("never-this-name"), .adoptedByInit("no-such-command")] {
            let started = try Self.started(Self.lessons([check]), number: 1)
            #expect(try Self.result(started) == .unknown, "\(check)")
        }
    }

    @Test("a lesson that needs root is refused for an ordinary user, and greyed in the list")
    func needsRoot() throws {
        var loaded = Self.lessons([.ownNamespace(.uts)])
        loaded.lessons[0].needsRoot = true
        let harness = try Self.started(loaded, number: 1, root: false)
        #expect(harness.model.lesson == nil && harness.model.tabs.isEmpty)
        #expect(harness.model.message?.isError == true && harness.model.message?.text.contains("needs root") == true)
        #expect(LessonListView.line(loaded.lessons[0]).hasSuffix("(root)"))
    }

    @Test("an observe step that held stays ✓ when the model no longer shows it")
    func sticky() throws {
        let harness = try Self.started(Self.lessons([.ownNamespace(.uts)]), number: 1)
        #expect(harness.model.lesson?.progress.current == 1)
        harness.model.lastComparison = nil  // the model no longer shows it; the step stays done
        harness.send(.refresh)
        #expect(harness.model.lessonStates(try #require(harness.model.lesson)) == [.done])
    }

    @Test("the card marks ✓ done, ✗ with what went wrong, ▸ current and · ahead")
    func cardLines() {
        let steps = [
            LessonStep(kind: .child, command: "hostname", expect: "myhost", check: .hostname("myhost")),
            LessonStep(kind: .host, command: "ipcmk -Q", expect: "a queue", check: .ipcQueuesIsolated),
            LessonStep(kind: .observe, command: "", expect: "ids", check: .ownNamespace(.uts)),
        ]
        let lesson = Lesson(number: 1, name: "x", title: "X", goal: "Goal.", kinds: [.uts], steps: steps)
        let facts = LessonCard.Facts(states: [.done, .failed("shared"), .ahead])
        let lines = LessonCard.lines(LessonSession(lesson: lesson, tabID: 1), facts: facts, width: 40).lines.map(\.0)
        #expect(lines.first == "step 2 of 3")
        #expect(lines.contains("✓ 1. $ hostname"))
        #expect(lines.contains("✗ 2. on the host (state only): $ ipcmk"), "\(lines)")
        #expect(lines.contains("   ✗ shared"))
        #expect(lines.contains { $0.hasPrefix("· 3.") })
    }
}
