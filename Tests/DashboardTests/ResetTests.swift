import Foundation
import Glibc
import NamespaceKit
import TestSupport
import Testing

@testable import Dashboard

/// The reset between students (`R`, then y), through the real update step.
@Suite("Reset", .serialized)
struct ResetTests {
    /// The live system with `count` children in new UTS namespaces (no PID namespace, whose end would take their
    /// jobs with it: only the session kill does here).
    func harness(count: Int) throws -> Harness {
        try #require(getuid() == 0, "needs root")
        let harness = Harness(system: .live(shell: "/bin/sh", scrollback: 500))
        harness.model.startChoices = StartChoices(ticked: [.ipc, .net])
        harness.model.ticked = [.ipc, .net]
        for _ in 0..<count {
            try #require(harness.launch([.uts]) != nil, "launch failed: \(String(describing: harness.model.message))")
        }
        return harness
    }

    /// Types `text` and Enter into the pane on show.
    func type(_ text: String, into harness: Harness) {
        for character in text { harness.press(.character(character)) }
        harness.press(.enter)
    }

    /// The live processes of `session` other than its leader, once there are `count` of them (up to 5 s).
    func jobs(of session: pid_t, count: Int) -> [pid_t] {
        for _ in 0..<250 {
            let jobs = Processes.liveMembers(ofSession: session).filter { $0 != session }
            if jobs.count >= count { return jobs }
            usleep(20_000)
        }
        return Processes.liveMembers(ofSession: session).filter { $0 != session }
    }

    /// The live processes whose command line is exactly `words`, from /proc.
    func processes(running words: [String]) -> [pid_t] {
        let wanted = Array(words.joined(separator: "\0").utf8) + [0]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return [UInt8](data) == wanted && !Processes.endsSoon(pid, within: 0)
        }
    }

    /// Guards against a reset that kills only the children's sessions: a process started in a session of its own
    /// (`setsid`), immune to the hang-up, lived on.
    @Test("R y: a process a child started in a new session of its own ends too")
    func resetEndsWhatLeftTheSession() throws {
        let harness = try harness(count: 1)
        let words = ["sleep", "7779"]
        type("setsid -w nohup sleep 7779 >/dev/null 2>&1 &", into: harness)
        var found: [pid_t] = []
        for _ in 0..<250 where found.isEmpty {
            found = processes(running: words)
            if found.isEmpty { usleep(20_000) }
        }
        defer { for pid in processes(running: words) { kill(pid, SIGKILL) } }
        let stray = try #require(found.first, "the setsid sleep started")
        let child = try #require(harness.model.tabs.first?.pid)
        #expect(!Processes.liveMembers(ofSession: child).contains(stray), "it left the child's session")
        harness.press(Key.leavePane, .character("R"), .character("y"))
        #expect(Processes.endsSoon(stray), "pid \(stray) (setsid sleep) lives on after the reset")
    }

    @Test("R y: every child and every process it started end, every pty is closed, the model is as at start")
    func resetEndsEverything() throws {
        let harness = try harness(count: 3)
        let start = DashboardModel(size: harness.model.size, isRoot: harness.model.isRoot)
        let children = harness.model.tabs.map(\.pid)
        type("sleep 7777 & sleep 7778 &", into: harness)
        let jobs = jobs(of: children[2], count: 2)
        #expect(jobs.count == 2, "two background jobs in the last child's session")
        harness.press(Key.leavePane, .tab)  // the keys on another panel, the process tree
        harness.press(.character("R"))
        #expect(harness.model.overlay == .confirmReset)
        #expect(harness.model.resetQuestion.contains("close 3 tabs"))
        let ids = harness.model.tabs.map(\.id)
        harness.press(.character("y"))
        for pid in children + jobs {
            #expect(Processes.endsSoon(pid), "pid \(pid) lives on after the reset")
        }
        for session in children {
            #expect(Processes.sessionEndsSoon(session), "left alive: \(Processes.liveMembers(ofSession: session))")
        }
        // Nothing left to read or wait for, and the loop watches no pty.
        #expect(harness.watched.isEmpty)
        #expect(harness.update.panes.panes.isEmpty)
        let model = harness.model
        #expect(model.tabs.isEmpty && model.shownTabID == nil && model.split == nil && model.lesson == nil)
        #expect(model.focus == start.focus && model.overlay == .none && model.search == nil)
        #expect(model.ticked == [.ipc, .net], "the start's kinds")
        #expect(model.options == NamespaceOptions())
        #expect(model.comparison == ComparisonState() && model.maps.isEmpty)
        #expect(model.namespaceCursor == start.namespaceCursor && model.collapsed.isEmpty && !model.containersOnly)
        #expect(model.message?.text.hasPrefix("Reset: 3 tabs closed") == true)
        // The next launch works and gets a new id.
        let next = try #require(harness.launch([.uts]))
        #expect(!ids.contains(next.id))
        harness.press(Key.leavePane, .character("q"), .character("y"))
    }

    @Test("any other key than y keeps everything")
    func keep() throws {
        let harness = try harness(count: 1)
        let pid = try #require(harness.model.tabs.first?.pid)
        harness.press(Key.leavePane, .character("R"), .character("n"))
        #expect(harness.model.overlay == .none && harness.model.message?.text == "Reset cancelled.")
        #expect(harness.model.openTabs.count == 1 && kill(pid, 0) == 0)
    }

    @Test("an open notebook gets a new section, and goes on being written")
    func notebookSection() throws {
        let harness = try harness(count: 1)
        let directory = NSTemporaryDirectory() + "nslab-reset-\(getpid())-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        harness.update.startNotebook(try LabSession(directory: directory), model: &harness.model)
        harness.press(Key.leavePane, .character("R"), .character("y"))
        #expect(harness.model.notebook == directory, "the notebook stays on")
        let text = try String(contentsOfFile: directory + "/notebook.md", encoding: .utf8)
        let headings = text.components(separatedBy: "\n").filter { $0.hasPrefix("## Lab, ") }
        #expect(headings.count == 2 && headings[1].hasSuffix("UTC, after a reset"), "\(text)")
        #expect(text.contains("1 tab closed"))
    }

    @Test("starting a lesson again closes that lesson's earlier tabs, and only that lesson's")
    func lessonRestart() throws {
        let loaded = LessonCheckTests.lessons([.ownNamespace(.uts), .ownNamespace(.uts)])
        let harness = try LessonCheckTests.started(loaded, number: 1)
        let first = try #require(harness.model.tabs.last)
        #expect(first.lesson == 1)
        harness.press(Key.leavePane, .character("L"), .character("2"), .enter)
        let second = try #require(harness.model.tabs.last)
        #expect(second.lesson == 2 && harness.model.openTabs.count == 2)
        harness.press(Key.leavePane, .character("L"), .character("1"), .enter)
        let open = harness.model.openTabs
        #expect(open.count == 2, "\(open.map(\.id))")
        #expect(!open.contains { $0.id == first.id }, "lesson 1's earlier tab is closed")
        #expect(open.contains { $0.id == second.id }, "lesson 2's tab stays")
        #expect(harness.model.lesson?.tabID == open.last?.id && open.last?.lesson == 1)
    }
}
