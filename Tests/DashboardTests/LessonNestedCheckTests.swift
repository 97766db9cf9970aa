import NamespaceKit
import Testing

@testable import Dashboard

/// The checks of the nested-PID and joining lessons, which read the processes around the lesson's child:
/// on a small hand-made snapshot (nslab 100, its child 200, what the learner adds), and through the card.
@Suite("Lesson checks on nesting and joining")
struct LessonNestedCheckTests {
    static let host: [NamespaceKind: UInt64] = Dictionary(
        uniqueKeysWithValues: NamespaceKind.allCases.enumerated().map { ($1, 4_026_531_000 + UInt64($0)) })
    /// The child's: its own UTS and PID namespaces, the host's others.
    static let child = host.merging([.uts: 7_001, .pid: 7_002]) { $1 }

    static func record(_ pid: Int32, parent: Int32, _ nspid: [Int32], _ ids: [NamespaceKind: UInt64]) -> ProcessRecord {
        ProcessRecord(
            pid: pid, ppid: parent, comm: "sh", state: "S", startTime: 1, nspid: .known(nspid),
            namespaces: NamespaceSet(ids))
    }

    /// nslab (100) and its child (200, pid 1 inside), plus `more`.
    static func snapshot(_ more: [ProcessRecord] = [], childLevels: [Int32] = [200, 1]) -> Snapshot {
        let base = [
            record(100, parent: 1, [100], host),
            record(200, parent: 100, childLevels, childLevels.count > 1 ? child : host.merging([.uts: 7_001]) { $1 }),
        ]
        return Snapshot(root: ProcRoot("/nonexistent"), processes: base + more, namespaces: [], unavailableKinds: [])
    }

    @Test("pid-levels-at-least: ✓ once a process in the child's tree has that many pids, · before, ✗ without PID")
    func pidLevels() {
        let check = LessonCheck.pidLevelsAtLeast(3)
        let inner = Self.record(201, parent: 200, [201, 2, 1], Self.child.merging([.pid: 7_003]) { $1 })
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot([inner])) == .holds)
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot()) == .unknown)
        // Three levels outside the child's tree do not count.
        let elsewhere = Self.record(201, parent: 100, [201, 2, 1], Self.child)
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot([elsewhere])) == .unknown)
        guard case .fails = check.evaluate(child: 200, snapshot: Self.snapshot(childLevels: [200])) else {
            Issue.record("a child in nslab's PID namespace must fail")
            return
        }
        #expect(check.evaluate(child: 999, snapshot: Self.snapshot()) == .unknown)
    }

    @Test("joined-by-another: ✓ for a process outside the tree in every namespace the child made, not for part")
    func joined() {
        let check = LessonCheck.joinedByAnother
        let entered = Self.record(300, parent: 100, [300, 5], Self.child)
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot([entered])) == .holds)
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot()) == .unknown)
        let descendant = Self.record(201, parent: 200, [201, 2], Self.child)
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot([descendant])) == .unknown)
        let utsOnly = Self.record(300, parent: 100, [300], Self.host.merging([.uts: 7_001]) { $1 })
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot([utsOnly])) == .unknown)
        var zombie = entered
        zombie.state = "Z"
        #expect(check.evaluate(child: 200, snapshot: Self.snapshot([zombie])) == .unknown)
        let flat = Snapshot(
            root: ProcRoot("/nonexistent"),
            processes: [
                Self.record(100, parent: 1, [100], Self.host), Self.record(200, parent: 100, [200], Self.host),
            ],
            namespaces: [], unavailableKinds: [])
        guard case .fails = check.evaluate(child: 200, snapshot: flat) else {
            Issue.record("a child with no namespace of its own must fail")
            return
        }
    }

    @Test("on the card: the fixture child's tree has two pid levels, not three; the names parse")
    func throughTheCard() throws {
        let lessons = LessonCheckTests.lessons([.pidLevelsAtLeast(2), .pidLevelsAtLeast(3), .joinedByAnother])
        for (number, expected) in [(1, CheckResult.holds), (2, .unknown), (3, .unknown)] {
            let harness = try LessonCheckTests.started(lessons, number: number)
            #expect(try LessonCheckTests.result(harness) == expected, "lesson \(number)")
        }
        #expect(LessonCheck.make("pid-levels-at-least", kind: nil, text: nil, number: 3) == .pidLevelsAtLeast(3))
        #expect(LessonCheck.make("joined-by-another", kind: nil, text: nil, number: nil) == .joinedByAnother)
        #expect(LessonCheck.vocabulary.contains { $0.name == "joined-by-another" && $0.argument == .none })
    }

    @Test("mount-seen, mount-shared and mount-private read the fixture child's mountinfo: / shared, /tmp private")
    func mounts() throws {
        let cases: [(LessonCheck, CheckResult)] = [
            (.mountSeen("/tmp"), .holds), (.mountSeen("/mnt"), .unknown), (.mountShared("/"), .holds),
            (.mountShared("/tmp"), .unknown), (.mountPrivate("/tmp"), .holds), (.mountPrivate("/"), .unknown),
            (.mountPrivate("/mnt"), .unknown),
        ]
        let lessons = LessonCheckTests.lessons(cases.map(\.0), kinds: [.mount])
        for (index, (check, expected)) in cases.enumerated() {
            let harness = try LessonCheckTests.started(lessons, number: index + 1)
            #expect(try LessonCheckTests.result(harness) == expected, "\(check)")
        }
        #expect(LessonCheck.make("mount-shared", kind: nil, text: "/mnt", number: nil) == .mountShared("/mnt"))
    }
}
