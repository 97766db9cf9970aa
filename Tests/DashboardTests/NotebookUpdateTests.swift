import Foundation
import Glibc
import NamespaceKit
import TerminalKit
import Testing

@testable import Dashboard

/// The notebook through the real update step: `N` starts and stops it, a real child's output is recorded, a
/// launch is marked, a tab switch writes the new pane's screen, and a failed write stops it with one status line.
@Suite("Lab notebook in the update step", .serialized)
struct NotebookUpdateTests {
    /// A temporary directory, removed by the caller.
    func temporaryDirectory() throws -> String {
        var template = Array("/tmp/nslab-notebook-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil)
        return String(cString: template)
    }

    /// Reads tab `id`'s pty as the loop would until its screen shows `text` (up to 5 s).
    func waitFor(_ text: String, in id: ChildTab.ID, _ harness: Harness) -> Bool {
        waitFor(in: id, harness) { rows in rows.contains { $0.contains(text) } }
    }

    /// Feeds the tab's output until `ready` holds for its screen's rows, for up to 5 s.
    func waitFor(in id: ChildTab.ID, _ harness: Harness, until ready: ([String]) -> Bool) -> Bool {
        for _ in 0..<500 {
            if let fd = harness.fd(of: id) { harness.send(.ptyReadable(fd)) }
            if let screen = harness.update.panes.screen(of: id), ready((0..<screen.rows).map { screen.rowText($0) }) {
                return true
            }
            usleep(10_000)
        }
        return false
    }

    /// Stops the notebook with N from the Processes panel (in the child's pane N is the child's key), and
    /// requires that it stopped: its files are then whole.
    func stop(_ harness: Harness) throws {
        harness.model.focus = .processes
        harness.press(.character("N"))
        try #require(harness.model.notebook == nil, "N stopped the notebook")
    }

    /// The recording's events after the header, as arrays.
    func events(_ path: String) throws -> [[Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        return try lines.dropFirst().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "\(line)")
        }
    }

    @Test("N starts the notebook in the --notebook directory and stops it; the status bar says REC meanwhile")
    func keyTogglesNotebook() throws {
        let directory = try temporaryDirectory() + "/made"
        defer { try? FileManager.default.removeItem(atPath: NotebookFiles.parentOf(directory)) }
        let harness = Harness(system: try LabFixture.system())
        harness.update.notebookDirectory = directory
        harness.press(.character("N"))
        #expect(harness.model.notebook == directory)
        #expect(harness.update.panes.lab != nil)
        var buffer = ScreenBuffer(size: harness.model.size)
        StatusBar.render(
            state: harness.model, in: Rect(x: 0, y: 34, width: 120, height: 1), buffer: &buffer, theme: .builtinDefault)
        let bar = buffer.lines()[34]
        #expect(bar.contains("● REC notebook \(directory)"), "\(bar)")
        harness.press(.character("N"))
        #expect(harness.model.notebook == nil && harness.update.panes.lab == nil)
        #expect(harness.model.message?.text.contains("Notebook stopped") == true)
        #expect(FileManager.default.fileExists(atPath: directory + "/notebook.md"))
        #expect(FileManager.default.fileExists(atPath: directory + "/lab.cast"))
    }

    @Test("a directory that cannot be written is one error line, and the dashboard goes on")
    func unwritableDirectory() throws {
        let harness = Harness(system: try LabFixture.system())
        harness.update.notebookDirectory = "/proc/self/nslab-notebook"
        harness.press(.character("N"))
        #expect(harness.model.notebook == nil)
        #expect(harness.model.message?.isError == true)
        #expect(harness.model.message?.text.hasPrefix("Notebook not started: cannot create the directory") == true)
    }

    @Test("a real child's output, its launch and a tab switch are recorded; typed keys are not")
    func recordsLiveChild() throws {
        try #require(getuid() == 0, "needs root")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = Harness(system: .live(shell: "/bin/sh", scrollback: 200))
        harness.update.notebookDirectory = directory
        harness.press(.character("N"))
        let first = try #require(harness.launch([.uts]))
        // The shell echoes what is typed; the command's output is what only the shell prints.
        for character in "echo rec$((6*7))" { harness.press(.character(character)) }
        harness.press(.enter)
        // The command ends at the prompt after its output: the prompt's mark comes with it, in the same read or before.
        #expect(
            waitFor(in: first.id, harness) { rows in
                guard let output = rows.lastIndex(where: { $0.hasPrefix("rec42") }) else { return false }
                return rows[(output + 1)...].contains { $0.hasPrefix("#") }
            })
        let second = try #require(harness.launch([.ipc]))
        #expect(waitFor("#", in: second.id, harness))
        harness.model.focus = .child
        harness.press(.modified(.character("1"), .alt))  // back to the first tab: its screen is written again
        try stop(harness)
        let events = try events(directory + "/lab.cast")
        let output = events.filter { $0[1] as? String == "o" }.compactMap { $0[2] as? String }.joined()
        #expect(output.contains("rec42"))
        let markers = events.filter { $0[1] as? String == "m" }.compactMap { $0[2] as? String }
        // Two launches and the command, whose end the shell's prompt marks tell.
        #expect(markers.count == 3, "\(markers)")
        #expect(markers.first?.hasPrefix("launch: Child \(first.pid) [uts]") == true, "\(markers)")
        #expect(markers.contains { $0.hasPrefix("$ echo rec$((6*7))") }, "\(markers)")
        let snapshots = events.compactMap { $0[2] as? String }.filter { $0.hasPrefix("\u{1b}[0m\u{1b}[H\u{1b}[2J") }
        #expect(snapshots.count >= 2, "a switch writes a clear screen and the pane's cells")
        #expect(snapshots.last?.contains("rec42") == true)
        let notebook = try String(contentsOfFile: directory + "/notebook.md", encoding: .utf8)
        #expect(notebook.contains("unshare --fork --kill-child --uts"), "\(notebook)")
        #expect(notebook.contains("unshare --fork --kill-child --ipc"), "\(notebook)")
    }

    @Test("record(command:) and markStep reach both files; the command's entry names its tab's unshare line")
    func commandAndStepEntries() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = Harness(system: try LabFixture.system())
        harness.update.notebookDirectory = directory
        harness.press(.character("N"))
        let tab = try #require(harness.launch([.uts, .pid]))
        let command = NotebookCommand(
            tab: tab, model: harness.model, command: "hostname", output: ["lab"], status: 0, started: 1, ended: 2)
        #expect(command.namespaces?.hasPrefix("unshare --fork --kill-child --uts --pid") == true)
        #expect(command.differences.contains { $0.kind == .uts }, "\(command.differences)")
        harness.update.record(command: command)
        harness.update.markStep(NotebookStep(lesson: "1 UTS", number: 1, of: 2, text: "$ hostname", passed: true))
        try stop(harness)
        let notebook = try String(contentsOfFile: directory + "/notebook.md", encoding: .utf8)
        #expect(notebook.contains("`hostname` · exit 0"))
        #expect(notebook.contains("| UTS"))
        #expect(notebook.contains("- ✓ "))
        let markers = try events(directory + "/lab.cast").filter { $0[1] as? String == "m" }.compactMap {
            $0[2] as? String
        }
        #expect(markers.contains("$ hostname (exit 0)"))
        #expect(markers.contains { $0.hasPrefix("✓ lesson 1 UTS, step 1 of 2") })
    }
}
