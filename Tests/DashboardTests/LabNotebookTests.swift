import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// The Markdown notebook: its entries from hand-made commands, and appending to a real file.
@Suite("Lab notebook (notebook.md)")
struct LabNotebookTests {
    /// A notebook into memory that started at 2026-12-07 15:04:00 UTC, monotonic time 1 s.
    func notebook() throws -> (LabNotebook, MemorySink) {
        let sink = MemorySink()
        let notebook = try LabNotebook(
            sink: sink, wallStart: 1_796_655_840, monotonicStart: 1_000_000_000, recording: "lab.cast")
        return (notebook, sink)
    }

    /// A temporary directory, removed by the caller.
    func temporaryDirectory() throws -> String {
        var template = Array("/tmp/nslab-notebook-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil)
        return String(cString: template)
    }

    @Test("a section starts with the date in UTC and names the recording")
    func section() throws {
        let (_, sink) = try notebook()
        #expect(sink.text.hasPrefix("## Lab, 2026-12-07 15:04 UTC\n\n"))
        #expect(sink.text.contains("`lab.cast`"))
    }

    @Test("dates: the epoch, a leap day, the turn of a century")
    func dates() {
        #expect(LabNotebook.date(0) == "1970-01-01 00:00")
        #expect(LabNotebook.date(951_782_400) == "2000-02-29 00:00")
        #expect(LabNotebook.date(4_107_542_340) == "2100-02-28 23:59")
        #expect(LabNotebook.date(1_796_655_840) == "2026-12-07 15:04")
        #expect(DashboardUpdate.defaultNotebookDirectory(unixTime: 1_796_655_840) == "nslab-lab-20261207")
    }

    @Test("a command: its time, the line, the tab and unshare line, output, status and the rows that differ")
    func command() throws {
        let (notebook, sink) = try notebook()
        let rows = [
            ComparisonRow(
                kind: .uts, hostID: "[1]", hostFact: "debian", childID: "[2]", childFact: "myhost", same: false),
            ComparisonRow(
                kind: .ipc, hostID: "[3]", hostFact: "1 queue", childID: "[3]", childFact: "1 queue", same: true),
            ComparisonRow(kind: .net, hostID: "?", hostFact: "?", childID: "?", childFact: "a|b", same: nil),
        ]
        let command = NotebookCommand(
            tab: "Child 4242 [uts]", namespaces: "unshare --fork --kill-child --uts /bin/sh", command: "hostname",
            output: ["myhost"], status: 0, started: 63_000_000_000, ended: 63_020_000_000,
            differences: NotebookCommand.differing(rows))
        #expect(notebook.record(command) == nil)
        let text = sink.text
        #expect(text.contains("#### 15:05:02 · `hostname` · exit 0\n"), "\(text)")
        #expect(text.contains("In `Child 4242 [uts]`: `unshare --fork --kill-child --uts /bin/sh`, 0.02 s."))
        #expect(text.contains("```console\n$ hostname\nmyhost\n```\n"))
        #expect(text.contains("| UTS [1] → [2] | debian | myhost |"))
        #expect(!text.contains("1 queue"), "a row that is the same is left out")
        #expect(text.contains("| a\\|b |"), "unknown is never the same, and | is escaped")
    }

    @Test("long output is cut in the middle, saying how many lines were left out")
    func longOutput() throws {
        let (notebook, sink) = try notebook()
        let output = (1...100).map { "line \($0)" }
        _ = notebook.record(NotebookCommand(tab: "t", namespaces: nil, command: "seq", output: output, status: 0))
        let text = sink.text
        #expect(text.contains("line 20\n… 70 lines left out …\nline 91\n"))
        #expect(!text.contains("line 21\n") && text.contains("line 100\n"))
        #expect(text.contains("(the host's namespaces)"))
        let earlier = LabNotebook.cut(["a"], leftOutBefore: 1)
        #expect(earlier == ["… 1 line left out …", "a"])
        let short = (1...31).map(String.init)
        #expect(LabNotebook.cut(short, leftOutBefore: 0) == short)
    }

    @Test("output holding backticks or control characters stays inside its block")
    func awkwardOutput() throws {
        let (notebook, sink) = try notebook()
        _ = notebook.record(
            NotebookCommand(
                tab: "t", namespaces: nil, command: "echo '```'", output: ["```", "\u{1b}[31mred"], status: 1))
        let text = sink.text
        #expect(text.contains("````console\n$ echo '```'\n```\n^[[31mred\n````\n"), "\(text)")
        #expect(text.contains("#### ") && text.contains("````echo '```'````"), "\(text)")
        #expect(!text.contains("\u{1b}"))
    }

    @Test("steps are listed with ✓ or ✗ and the hint")
    func steps() throws {
        let (notebook, sink) = try notebook()
        _ = notebook.step(NotebookStep(lesson: "1 UTS", number: 1, of: 3, text: "$ hostname", passed: true), at: 0)
        _ = notebook.step(
            NotebookStep(
                lesson: "1 UTS", number: 2, of: 3, text: "$ hostname myhost", passed: false, hint: "run it in the child"
            ),
            at: 0)
        #expect(sink.text.contains("- ✓ "))
        #expect(sink.text.contains("lesson 1 UTS, step 2 of 3: $ hostname myhost (run it in the child)"))
    }

    @Test("a session appends a new section to an existing notebook and never replaces an earlier recording")
    func appendsToExistingFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = "# My class notes\n\nkept as written"
        try old.write(toFile: directory + "/notebook.md", atomically: false, encoding: .utf8)
        try "{\"version\": 2}\n".write(toFile: directory + "/lab.cast", atomically: false, encoding: .utf8)
        let session = try LabSession(directory: directory)
        session.startRecording(columns: 80, rows: 24, title: "t", shell: "/bin/sh")
        session.launched(tab: "Child 1 [uts]", namespaces: "unshare --uts sh")
        session.close()
        let text = try String(contentsOfFile: directory + "/notebook.md", encoding: .utf8)
        #expect(text.hasPrefix(old + "\n\n## Lab, "), "\(text)")
        #expect(text.contains("unshare --uts sh"))
        #expect(session.recordingName == "lab-2.cast")
        #expect(try String(contentsOfFile: directory + "/lab.cast", encoding: .utf8) == "{\"version\": 2}\n")
        let cast = try String(contentsOfFile: directory + "/lab-2.cast", encoding: .utf8)
        #expect(cast.contains("\"m\", \"launch: Child 1 [uts]\""))
        #expect(session.failure == nil)
    }

    @Test("a missing directory is made with its parents; a file in the way is refused")
    func directories() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let deep = directory + "/a/b/c/"
        let session = try LabSession(directory: deep)
        session.close()
        #expect(FileManager.default.fileExists(atPath: deep + "/notebook.md"))
        try "x".write(toFile: directory + "/file", atomically: false, encoding: .utf8)
        #expect(throws: NotebookError.notDirectory(directory + "/file")) {
            _ = try LabSession(directory: directory + "/file")
        }
        #expect(NotebookFiles.parentOf("a") == "." && NotebookFiles.parentOf("/a") == "/")
        #expect(NotebookFiles.parentOf("/a/b//") == "/a")
    }

    @Test("a full disk is known before the lab starts: the section's write fails (notebook.md is /dev/full)")
    func fullDisk() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/notebook.md", withDestinationPath: "/dev/full")
        #expect(throws: NotebookError.file(directory + "/notebook.md", Errno(ENOSPC))) {
            _ = try LabSession(directory: directory)
        }
        #expect(NotebookError.file("d/notebook.md", Errno(ENOSPC)).message.contains("No space left on device"))
    }
}
