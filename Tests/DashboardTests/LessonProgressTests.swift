import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// A clock the tests move by hand: the update step's `now`.
final class TestClock: @unchecked Sendable {
    var nanoseconds: UInt64 = 1_000_000_000
    func advance(seconds: Double) { nanoseconds += UInt64(seconds * 1e9) }
}

/// Lesson steps that tick on the learner's commands, through the real update step on the `lab` fixture (its
/// child, pid 2002, has UTS, PID, Mount, Net, User and Time namespaces of its own and shares IPC and cgroup), and
/// the progress logic alone where timing matters.
@Suite("Lesson progress")
struct LessonProgressTests {
    /// The repository's lessons, all of them.
    static func shipped() -> [Lesson] {
        LessonLoader(environment: ["NSLAB_LESSON_PATH": LessonParserTests.repoLessons], executableDirectory: nil)
            .load().lessons
    }

    /// A harness on the fixture with `lessons`, its clock under the test's hand, the lesson `number` started
    /// (L, digits, Enter) and the facts refreshed.
    static func started(
        _ lessons: [Lesson], number: Int, clock: TestClock = TestClock(), size: TerminalSize? = nil,
        keys: Int32? = nil, before: (Harness) -> Void = { _ in }
    ) throws -> Harness {
        let system = try LabFixture.system(keys: keys)
        let harness = size.map { Harness(system: system, size: $0) } ?? Harness(system: system)
        harness.update.now = { clock.nanoseconds }
        harness.model.isRoot = true
        harness.model.lessons = LoadedLessons(lessons: lessons)
        before(harness)
        harness.press(.character("L"))
        for digit in String(number) { harness.press(.character(digit)) }
        harness.press(.enter)
        harness.send(.refresh)
        return harness
    }

    static func states(_ harness: Harness) throws -> [StepState] {
        harness.model.lessonStates(try #require(harness.model.lesson))
    }

    /// The learner ran `text` in tab `tab` (the lesson's when nil), started a moment ago.
    static func ran(
        _ harness: Harness, _ text: String, status: Int32? = 0, output: [String] = [], tab: ChildTab.ID? = nil,
        clock: TestClock
    ) throws {
        let id = try tab ?? #require(harness.model.lesson).tabID
        clock.advance(seconds: 0.1)
        let command = LearnerCommand(
            tabID: id, text: text, status: status, outputRows: output, started: clock.nanoseconds)
        clock.advance(seconds: 0.1)
        harness.update.learnerRan(command, model: &harness.model)
    }

    /// A lesson of `steps`, number 1.
    static func lesson(_ steps: [LessonStep]) -> Lesson {
        Lesson(number: 1, name: "t", title: "T", goal: "A goal.", kinds: [.uts], steps: steps)
    }

    /// Bug: the check read only state, so lesson 1's first step was ✓ at launch before anything was typed (and
    /// the same held for every classic lesson). Now no shipped lesson ticks a step until the learner acts, with
    /// or without prompt marks, however many refreshes pass.
    @Test("no shipped lesson ticks a step before the learner types, with marks or without", arguments: [true, false])
    func nothingBeforeTyping(marks: Bool) throws {
        let lessons = Self.shipped()
        #expect(lessons.count == 15)
        for lesson in lessons {
            let clock = TestClock()
            let harness = try Self.started(lessons, number: lesson.number, clock: clock)
            guard let session = harness.model.lesson else { throw Failure("lesson \(lesson.number) did not start") }
            harness.model.setPromptMarks(tab: session.tabID, given: marks)
            for _ in 0..<3 {
                clock.advance(seconds: 2)
                harness.send(.refresh)
            }
            let states = try Self.states(harness)
            #expect(!states.contains(.done), "lesson \(lesson.number): \(states)")
            #expect(states.first != .done && states.dropFirst().allSatisfy { $0 == .ahead }, "lesson \(lesson.number)")
        }
    }

    @Test("lesson 3: echo $$ printing 1 ticks step 1, and the observe step after it ticks once reached")
    func rightCommandTicks() throws {
        let clock = TestClock()
        let harness = try Self.started(Self.shipped(), number: 3, clock: clock)
        #expect(try Self.states(harness) == [.current, .ahead])
        try Self.ran(harness, "echo $$", output: ["1"], clock: clock)
        #expect(try Self.states(harness) == [.done, .done])
        let screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("✓ all 2 steps done"), "\(screen)")
    }

    @Test("a wrong status, a wrong output and a failing check each get ✗ with their own hint")
    func failures() throws {
        let step = LessonStep(
            kind: .child, command: "uname -n", expect: "lab", check: .ownNamespace(.uts), hint: "GENERAL",
            alternatives: ["hostname"], output: try OutputPattern("^lab$"), hintStatus: "STATUS-HINT",
            hintOutput: "OUTPUT-HINT")
        let failing = LessonStep(
            kind: .child, command: "ipcs -q", expect: "e", check: .ownNamespace(.ipc), hint: "IPC-HINT")
        let clock = TestClock()
        let harness = try Self.started([Self.lesson([step, failing])], number: 1, clock: clock)
        try Self.ran(harness, "uname -n", status: 1, output: ["uname: boom"], clock: clock)
        guard case .failed(let why) = try Self.states(harness)[0] else {
            throw Failure("status: \(try Self.states(harness))")
        }
        #expect(why.contains("status 1") && why.hasSuffix("STATUS-HINT"), "\(why)")
        try Self.ran(harness, "uname -n", output: ["elsewhere"], clock: clock)
        guard case .failed(let why) = try Self.states(harness)[0] else { throw Failure("output") }
        #expect(why.contains("^lab$") && why.hasSuffix("OUTPUT-HINT"), "\(why)")
        // A command that is not the step's changes nothing.
        try Self.ran(harness, "ls", clock: clock)
        guard case .failed = try Self.states(harness)[0] else { throw Failure("ls must not clear the ✗") }
        try Self.ran(harness, "uname -n", output: ["lab"], clock: clock)
        #expect(try Self.states(harness) == [.done, .current])
        try Self.ran(harness, "ipcs -q", clock: clock)
        guard case .failed(let why) = try Self.states(harness)[1] else { throw Failure("check") }
        #expect(why == "the child shares the host's IPC namespace: IPC-HINT", "\(why)")
    }

    @Test("the typed line matches the command or an alternative with runs of blanks collapsed, nothing else")
    func matching() throws {
        let step = LessonStep(
            kind: .child, command: "ip  link", expect: "e", check: nil, alternatives: ["ip a", "echo > /proc/{pid}/x"])
        for typed in ["ip link", "  ip \t link  ", "ip a", "ip    a", "echo > /proc/2002/x"] {
            #expect(LessonProgress.matches(typed, step: step, pid: 2002), "\(typed)")
        }
        for typed in ["ip links", "iplink", "ip link show", "", "   ", "echo > /proc/{pid}/x", "echo > /proc/2003/x"] {
            #expect(!LessonProgress.matches(typed, step: step, pid: 2002), "\(typed)")
        }
    }

    @Test("a command started before its step became current does not count for it")
    func typedBefore() throws {
        let steps = [
            LessonStep(kind: .child, command: "one", expect: "e", check: nil),
            LessonStep(kind: .child, command: "two", expect: "e", check: nil),
        ]
        let clock = TestClock()
        let harness = try Self.started([Self.lesson(steps)], number: 1, clock: clock)
        let tab = try #require(harness.model.lesson).tabID
        let early = clock.nanoseconds  // "two" typed and started while step 1 was current
        try Self.ran(harness, "one", clock: clock)
        #expect(try Self.states(harness) == [.done, .current])
        let late = LearnerCommand(tabID: tab, text: "two", status: 0, started: early)
        harness.update.learnerRan(late, model: &harness.model)
        #expect(try Self.states(harness) == [.done, .current], "it ran before step 2 was current")
        try Self.ran(harness, "two", clock: clock)
        #expect(try Self.states(harness) == [.done, .done])
    }

    @Test("a shell without prompt marks: the card says so, and the check counts only after a key typed in the pane")
    func noMarks() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let step = LessonStep(kind: .child, command: "hostname", expect: "e", check: .ownNamespace(.uts))
        let clock = TestClock()
        let harness = try Self.started([Self.lesson([step, step])], number: 1, clock: clock, keys: fds[1])
        let tab = try #require(harness.model.lesson).tabID
        harness.model.setPromptMarks(tab: tab, given: false)
        harness.send(.refresh)
        #expect(try Self.states(harness) == [.current, .ahead], "the check holds, but nothing was typed")
        let screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("no prompt marks"), "\(screen)")
        harness.model.focus = .child
        harness.press(.character("h"))
        #expect(try Self.states(harness) == [.done, .current], "a key in the pane, and the check holds")
        harness.send(.refresh)
        #expect(try Self.states(harness) == [.done, .current], "step 2 wants its own key")
    }

    @Test("a host step: state only without nslab's host shell; with one, only a command typed there ticks it")
    func hostStep() throws {
        let steps = [
            LessonStep(
                kind: .host, command: "echo '0 0 1' > /proc/{pid}/uid_map", expect: "e", check: .ownNamespace(.user)),
            LessonStep(kind: .observe, command: "", expect: "ids", check: .ownNamespace(.net)),
        ]
        let alone = try Self.started([Self.lesson(steps)], number: 1)
        #expect(try Self.states(alone) == [.done, .done], "state only: the check alone")
        let card = LessonCard.lines(
            try #require(alone.model.lesson), facts: LessonCard.Facts(states: [.current, .ahead]), width: 80
        ).lines.map(\.0)
        #expect(card.contains("▸ 1. on the host (state only): $ echo '0 0 1' > /proc/{pid}/uid_map"), "\(card)")

        let clock = TestClock()
        var hostTab: ChildTab.ID = -1
        let harness = try Self.started([Self.lesson(steps)], number: 1, clock: clock) { harness in
            hostTab = harness.model.addHostTab(pid: 2001, request: LaunchRequest(kinds: [], options: .init())).id
            harness.model.setPromptMarks(tab: hostTab, given: true)
            harness.model.focus = .namespaces  // the host tab took the keys; L is a dashboard key
        }
        #expect(try Self.states(harness) == [.current, .ahead], "waits for the host shell")
        let shown = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(shown.contains("in the host shell:") || harness.model.layout.lessonCard == nil, "\(shown)")
        try Self.ran(harness, "echo '0 0 1' > /proc/2002/uid_map", clock: clock)
        #expect(try Self.states(harness) == [.current, .ahead], "typed in the child's pane, not the host shell")
        try Self.ran(harness, "echo '0 0 1' > /proc/2002/uid_map", tab: hostTab, clock: clock)
        #expect(try Self.states(harness) == [.done, .done])
    }

    @Test("a matched command waits for its check: ✓ when it holds within the grace, ✗ when it never does")
    func pending() throws {
        let steps = [LessonStep(kind: .child, command: "go", expect: "e", check: .hostname("x"), hint: "H")]
        var result = CheckResult.unknown
        let evaluate: (LessonCheck, [String]?) -> CheckResult = { _, _ in result }
        let command = LearnerCommand(tabID: 1, text: "go", status: 0, started: 10)
        var progress = LessonProgress()
        progress.record(command, from: .lessonPane, steps: steps, at: LessonMoment(now: 20), evaluate: evaluate)
        #expect(progress.states(steps) == [.checking])
        result = .holds
        progress.advance(steps, at: LessonMoment(now: 20 + LessonProgress.grace / 2), evaluate: evaluate)
        #expect(progress.states(steps) == [.done])

        progress = LessonProgress()
        result = .unknown
        progress.record(command, from: .lessonPane, steps: steps, at: LessonMoment(now: 20), evaluate: evaluate)
        progress.advance(steps, at: LessonMoment(now: 21), evaluate: evaluate)
        #expect(progress.states(steps) == [.checking])
        progress.advance(steps, at: LessonMoment(now: 20 + LessonProgress.grace), evaluate: evaluate)
        #expect(progress.states(steps) == [.failed("it ran, but the panels do not show it: H")])
        result = .holds
        progress.advance(steps, at: LessonMoment(now: 30 + LessonProgress.grace), evaluate: evaluate)
        #expect(progress.states(steps) == [.failed("it ran, but the panels do not show it: H")], "judged: run it again")

        // ✗ at once when the check shows the opposite; facts read before the command may be corrected in time.
        progress = LessonProgress()
        result = .fails("no")
        progress.record(command, from: .lessonPane, steps: steps, at: LessonMoment(now: 20), evaluate: evaluate)
        #expect(progress.states(steps) == [.failed("no: H")])
        result = .holds
        progress.advance(steps, at: LessonMoment(now: 21), evaluate: evaluate)
        #expect(progress.states(steps) == [.done])
    }

    @Test("lesson 4 counts the rows of the learner's ps; lesson 10's unreachable ping is ✗ with its hint")
    func shippedFailures() throws {
        let lessons = Self.shipped()
        let mount = try #require(lessons.first { $0.number == 4 })
        let clock = TestClock()
        let harness = try Self.started(lessons, number: 4, clock: clock)
        let four = [
            "    PID TTY          TIME CMD", "      1 pts/0    00:00:00 bash", "      5 pts/0    00:00:00 sleep",
            "      6 pts/0    00:00:00 sleep", "      7 pts/0    00:00:00 ps",
        ]
        try Self.ran(harness, "ps", output: four, clock: clock)
        guard case .failed(let why) = try Self.states(harness)[0] else { throw Failure("four processes") }
        #expect(why.hasPrefix("ps listed 4 processes: "), "\(why)")
        try Self.ran(harness, "ps -e", output: [four[0], four[1], four[4]], clock: clock)
        #expect(try Self.states(harness)[0] == .done)
        #expect(mount.steps[0].check?.evaluate(output: ["no header", "1 x"]) == nil, "not a ps listing")

        let veth = try #require(lessons.first { $0.number == 10 })
        var progress = LessonProgress()
        progress.current = 3
        let ping = LearnerCommand(
            tabID: 1, text: "ping -c 2 10.250.0.2", status: 2, outputRows: ["ping: connect: Network is unreachable"],
            started: 1)
        progress.record(ping, from: .lessonPane, steps: veth.steps, at: LessonMoment(now: 2)) { _, _ in .holds }
        guard case .failed(let why) = progress.states(veth.steps)[3] else { throw Failure("ping") }
        #expect(why.contains("status 2") && why.contains("Network is unreachable"), "\(why)")
        let replies = LearnerCommand(
            tabID: 1, text: "ping -c 2 10.250.0.2", status: 0,
            outputRows: ["64 bytes from 10.250.0.2: icmp_seq=1 ttl=64 time=0.05 ms"], started: 3)
        progress.record(replies, from: .lessonPane, steps: veth.steps, at: LessonMoment(now: 4)) { _, _ in .holds }
        #expect(progress.states(veth.steps)[3] == .done)
    }

    @Test("the card at 100x30 and 120x35: step 2 of 4, every step's command, and a scroll marker, never a cut")
    func cardSizes() throws {
        let long = "a long expectation that takes several lines on a narrow card, so the card must scroll"
        let steps = (1...4).map { LessonStep(kind: .child, command: "cmd\($0)", expect: long, check: nil) }
        for size in [TerminalSize(columns: 100, rows: 30), TerminalSize(columns: 120, rows: 35)] {
            let clock = TestClock()
            let harness = try Self.started([Self.lesson(steps)], number: 1, clock: clock, size: size)
            try Self.ran(harness, "cmd1", clock: clock)
            let card = try #require(harness.model.layout.lessonCard, "\(size)")
            #expect(card.width >= 28, "\(size): \(card)")
            let screen = DashboardView.render(harness.model, theme: .builtinDefault).lines()
            let inside = screen[(card.y + 1)..<(card.maxY - 1)].map {
                String($0.dropFirst(card.x + 1).prefix(card.width - 2))
            }
            #expect(inside[0].hasPrefix("step 2 of 4"), "\(size): \(inside)")
            #expect(inside.contains { $0.hasPrefix("▸ 2. $ cmd2") }, "\(size): \(inside)")
            let bottom = String(screen[card.maxY - 1].dropFirst(card.x))
            let marker = try #require(
                bottom.firstMatch(of: /(\d+)-(\d+) of (\d+)/), "\(size): no marker in \(bottom)")
            let (first, last, all) = (Int(marker.1)!, Int(marker.2)!, Int(marker.3)!)
            // The marker counts the body lines (goal and steps); the head line above them always shows.
            #expect(first >= 1 && last < all && last - first + 1 == card.height - 3, "\(size): \(bottom)")
            // Every line of the card, shown or scrolled, is whole: nothing is cut at the card's edge.
            let lines = LessonCard.text(
                try #require(harness.model.lesson),
                facts: LessonCard.Facts(
                    try #require(harness.model.lesson),
                    state: harness.model), width: card.width - 2, collapseDone: true)
            #expect(lines.body.allSatisfy { DisplayWidth.width(of: $0.0) <= card.width - 2 })
            #expect(lines.body.contains { $0.0 == "✓ 1. $ cmd1" }, "a done step keeps its command")
        }
    }
}

/// A test's own failure with a message.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension LessonProgressTests {
    @Test("output, status and alternatives are parsed; a bad expression or type is reported at its line and column")
    func parsing() throws {
        let head = """
            number = 1
            name = "t"
            title = "T"
            goal = "g"
            kinds = ["uts"]

            [[step]]
            command = "ip link"

            """
        let good = try LessonParser.parse(
            head + """
                alternatives = ["ip l", "ip a"]
                status = 1
                output = "^[0-9]+: lo"
                expect = "e"
                hint_status = "S"
                hint_output = "O"
                """, file: "t.toml")
        let step = good.steps[0]
        #expect(step.alternatives == ["ip l", "ip a"] && step.status == 1 && step.output?.source == "^[0-9]+: lo")
        #expect(step.hintStatus == "S" && step.hintOutput == "O")
        #expect(step.output?.matches("1: lo: <LOOPBACK>") == true && step.output?.matches("2: eth0") == false)
        let cases: [(String, Int, Int, String)] = [
            ("output = \"((\"\nexpect = \"e\"", 9, 10, "is not a POSIX extended regular expression"),
            ("expect = \"e\"\noutput = \"a{2,1}\"", 10, 10, "is not a POSIX extended regular expression"),
            ("alternatives = \"ip l\"\nexpect = \"e\"", 9, 16, "alternatives is a list of strings"),
            ("alternatives = [\"ip l\", 3]\nexpect = \"e\"", 9, 25, "an alternative is a command line"),
            ("status = \"0\"\nexpect = \"e\"", 9, 10, "status is an integer"),
            ("status = 300\nexpect = \"e\"", 9, 10, "not between 0 and 255"),
            ("output = 3\nexpect = \"e\"", 9, 10, "output is a string"),
        ]
        for (body, line, column, words) in cases {
            do {
                _ = try LessonParser.parse(head + body, file: "t.toml")
                Issue.record("accepted: \(body)")
            } catch {
                #expect(error.line == line && error.column == column, "\(body): \(error)")
                #expect(error.message.contains(words), "\(body): \(error)")
                #expect(error.description.hasPrefix("t.toml:\(line):\(column): "))
            }
        }
        let observe = head.replacingFirst("command = \"ip link\"", with: "kind = \"observe\"")
        do {
            _ = try LessonParser.parse(observe + "output = \"x\"\nexpect = \"e\"", file: "t.toml")
            Issue.record("an observe step took an output")
        } catch {
            #expect(error.message.contains("observe step has none"), "\(error)")
        }
    }
}

extension LessonProgressTests {
    /// What each shipped child step's command prints when the experiment works, as a screen shows it (tabs
    /// expanded to spaces), and a row that must not match: the patterns pin the experiment, not any output.
    static let outputs: [Int: [(works: String, fails: String)]] = [
        1: [("myhost", "vm")],
        2: [("Message queue id: 0", "ipcmk: permission denied")],
        3: [("1", "2002")],
        5: [("uid=0(root) gid=0(root) groups=0(root),65534(nogroup)", "uid=1000(ann) gid=1000(ann)")],
        6: [("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN", "2: eth0: <UP> mtu 1500")],
        7: [("0::/", "0::/user.slice/user-1000.slice")],
        8: [
            ("boottime        86400         0", "boottime            0         0"),
            ("86512.34 170000.00", "512.34 900.00"),
        ],
        9: [("started 5", "sh: 1: sleep: not found"), ("      5       1 sleep", "      5       3 sleep")],
        10: [
            ("peer 12", "[1] 12"),
            ("64 bytes from 10.250.0.2: icmp_seq=1 ttl=64 time=0.045 ms", "ping: connect: Network is unreachable"),
        ],
        11: [
            ("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", "uid=0(root) gid=0(root)"),
            ("CapEff: 000001ffffffffff", "CapEff: 0000000000000000"),
        ],
        12: [("1", "2002"), ("NSpid:  9       1", "NSpid:  9")],
        13: [("joinme", "vm"), ("joinme", "vm")],
        14: [
            (
                "123 45 0:52 / /mnt rw,relatime shared:200 - tmpfs nsl-prop rw",
                "123 45 0:52 / /mnt rw,relatime - tmpfs nsl-prop rw"
            ),
            (
                "130 123 0:53 / /mnt/a rw,relatime shared:201 - tmpfs inner rw",
                "123 45 0:52 / /mnt rw,relatime shared:200"
            ),
            ("0", "1"),
        ],
        15: [("kept", "lab"), ("0", "1")],
    ]

    @Test("each shipped output pattern matches what its experiment prints and not what a failed one does")
    func shippedPatterns() throws {
        for lesson in Self.shipped() {
            let patterns = lesson.steps.compactMap(\.output)
            let samples = Self.outputs[lesson.number] ?? []
            #expect(patterns.count == samples.count, "lesson \(lesson.number): \(patterns.count) patterns")
            for (pattern, sample) in zip(patterns, samples) {
                #expect(pattern.matches(sample.works), "lesson \(lesson.number): \(pattern) on \(sample.works)")
                #expect(!pattern.matches(sample.fails), "lesson \(lesson.number): \(pattern) on \(sample.fails)")
            }
        }
    }
}
