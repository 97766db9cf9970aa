import Foundation
import TestSupport
import Testing

/// The repository's lessons/ folder, for `nslab lesson 1`.
private let lessons: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/") + "/lessons"
}()

/// The lab notebook with the real binary in tmux: `--notebook DIR` writes a recording asciinema plays and a
/// notebook; a `kill -9` leaves both readable; a directory that cannot be written is refused before the terminal.
@Suite("lab notebook end to end", .serialized)
struct NotebookEndToEndTests {
    /// A fresh directory under /tmp (not made: nslab makes it), removed by the caller.
    func scratch() -> String { "/tmp/nslab-nb-e2e-\(getpid())-\(UUID().uuidString.prefix(8))" }

    /// Starts the dashboard with `--notebook directory` and a child in a new UTS namespace, and runs a command
    /// whose output ("hello") differs from what was typed.
    func startLab(_ directory: String) throws -> TmuxSession {
        let tmux = try TmuxSession(
            "exec \(Binary.path) --notebook \(directory) --ns uts --hostname nbhost --shell /bin/sh --launch",
            environment: ["PS1": "child$ "])
        try tmux.waitFor("child$")
        try tmux.send("echo hel''lo-$(hostname)", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("hello-nbhost")
        return tmux
    }

    /// Every line of the recording parsed by python3's json module: the events as Python sees them, one per line
    /// as `CODE<TAB>DATA` (the header as `header<TAB>version`). Throws when a line is not JSON.
    func parsedByPython(_ path: String) throws -> [(code: String, data: String)] {
        let script = """
            import json, sys
            lines = open(sys.argv[1], encoding="utf-8").read().split("\\n")
            assert lines[-1] == "", "the last line is not complete"
            header = json.loads(lines[0])
            print("header\\t%d %d %d" % (header["version"], header["width"], header["height"]))
            last = 0
            for line in lines[1:-1]:
                time, code, data = json.loads(line)
                assert time >= last, "times go back"
                last = time
                print(code + "\\t" + json.dumps(data))
            """
        let result = try Binary.runProgram("/usr/bin/python3", ["-c", script, path])
        guard result.status == 0 else { throw TmuxError(message: "python3 rejects \(path): \(result.stderr)") }
        return result.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let data = parts.count > 1 ? String(parts[1]) : ""
            let decoded =
                (try? JSONSerialization.jsonObject(with: Data(data.utf8), options: .fragmentsAllowed)) as? String
            return (String(parts[0]), decoded ?? data)
        }
    }

    @Test("--notebook DIR: lab.cast is asciicast v2 that asciinema plays, with markers; notebook.md has the lab")
    func recordsAndPlays() throws {
        try requireRoot()
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = try startLab(directory)
        let screen = try tmux.screen()
        #expect(screen.contains("● REC notebook \(directory)"), "\(screen)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        usleep(500_000)
        let events = try parsedByPython(directory + "/lab.cast")
        #expect(events.first?.code == "header" && events.first?.data.hasPrefix("2 ") == true, "\(events.prefix(1))")
        #expect(events.contains { $0.code == "o" && $0.data.contains("hello-nbhost") })
        #expect(events.contains { $0.code == "m" && $0.data.hasPrefix("launch: Child ") }, "\(events)")
        // asciinema wants a terminal: it plays the file inside tmux, and the output shows there.
        let player = try TmuxSession("asciinema cat \(directory)/lab.cast; echo END-OF-CAT")
        let played = try player.waitFor("END-OF-CAT", timeout: 15)
        #expect(played.contains("hello-nbhost"), "\(played)")
        let notebook = try String(contentsOfFile: directory + "/notebook.md", encoding: .utf8)
        #expect(notebook.hasPrefix("## Lab, "))
        #expect(notebook.contains("unshare --fork --kill-child --uts sh -c 'hostname nbhost"), "\(notebook)")
        // The command, from the shell's prompt marks: as typed, its output and its status.
        #expect(notebook.contains("$ echo hel''lo-$(hostname)"), "\(notebook)")
        #expect(notebook.contains("hello-nbhost") && notebook.contains("exit 0"), "\(notebook)")
    }

    @Test("kill -9 of nslab mid-lab leaves lab.cast parsable up to that point and notebook.md readable")
    func killNine() throws {
        try requireRoot()
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = try startLab(directory)
        let pid = try tmux.panePID()
        #expect(kill(pid, SIGKILL) == 0)
        for _ in 0..<100 where !(try tmux.paneDead()) { usleep(50_000) }
        #expect(try tmux.paneDead())
        let events = try parsedByPython(directory + "/lab.cast")
        #expect(events.contains { $0.code == "o" && $0.data.contains("hello-nbhost") })
        let notebook = try String(contentsOfFile: directory + "/notebook.md", encoding: .utf8)
        #expect(notebook.hasPrefix("## Lab, ") && notebook.contains("started"), "\(notebook)")
    }

    /// `nslab ARGS` in a mount namespace of its own (`unshare --mount`, private, so nothing reaches the host) where
    /// /mnt is a fresh tmpfs made by `setup`.
    func inOwnMounts(_ setup: String, _ arguments: String) throws -> RunResult {
        try Binary.runProgram(
            "/usr/bin/unshare",
            [
                "--mount", "--propagation", "private", "/bin/sh", "-c",
                "\(setup) && NSLAB_LESSON_PATH=\(lessons) exec \(Binary.path) \(arguments)",
            ])
    }

    @Test(
        "a read-only, full or non-directory DIR: one line on stderr and exit 2, before the terminal is touched",
        arguments: [
            ("mount -t tmpfs -o ro,size=64k nslab-ro /mnt", "--notebook /mnt/lab", "Read-only file system"),
            ("mount -t tmpfs -o ro,size=64k nslab-ro /mnt", "lesson 1 --notebook /mnt/lab", "Read-only file system"),
            (
                "mount -t tmpfs -o size=64k nslab-full /mnt && (dd if=/dev/zero of=/mnt/fill bs=4k 2>/dev/null; true)",
                "--notebook /mnt/lab", "No space left on device"
            ),
            (
                "mount -t tmpfs -o size=64k nslab-file /mnt && touch /mnt/file", "--notebook /mnt/file",
                "not a directory"
            ),
        ])
    func unwritable(setup: String, arguments: String, fragment: String) throws {
        try requireRoot()
        // No terminal at all: a dashboard that got as far as the terminal would say so instead.
        let result = try inOwnMounts(setup, arguments)
        #expect(result.status == 2, "\(result.stderr)")
        expectRefusal(result, containing: fragment)
        #expect(result.stderr.contains("--notebook /mnt/"), "\(result.stderr)")
    }
}

/// A disk that fills up while the lab runs.
@Suite("lab notebook on a full disk", .serialized)
struct NotebookFullDiskTests {
    @Test("a write that fails mid-lab (ENOSPC) stops the notebook with one status bar line; the dashboard goes on")
    func fillsUp() throws {
        try requireRoot()
        // /mnt is a small tmpfs in a mount namespace of nslab's own (private: nothing reaches the host).
        let tmux = try TmuxSession(
            "exec unshare --mount --propagation private /bin/sh -c 'mount -t tmpfs -o size=128k nslab-small /mnt && "
                + "exec \(Binary.path) --notebook /mnt/lab --ns uts --shell /bin/sh --launch'",
            environment: ["PS1": "child$ "])
        try tmux.waitFor("● REC notebook /mnt/lab")
        try tmux.send("seq 1 100000; echo after-$((1+1))", literal: true)
        try tmux.send("Enter")
        let screen = try tmux.waitFor(
            "Notebook stopped: writing /mnt/lab/lab.cast failed: No space left on", timeout: 20)
        #expect(!screen.contains("● REC"), "\(screen)")
        try tmux.waitFor("after-2")
        // The dashboard lives on: the pane still takes keys and shows their output.
        try tmux.send("echo still-$((2+1))", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("still-3")
    }
}
