import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// A pane's shell started by the real pane code (`PaneSet.launch`, which builds the spec and adds the shell's
/// wrapper) on a real pty, driven by typed lines; its raw bytes are read from the pty master.
final class MarkedShellSession {
    let update: DashboardUpdate
    let pane: Pane
    private(set) var bytes: [UInt8] = []

    /// Starts `shell` as a pane would for `request`, with `environment` as nslab's own.
    init(
        shell: String, request: LaunchRequest = LaunchRequest(kinds: [], options: NamespaceOptions()),
        environment: [String]
    ) throws {
        let system = DashboardSystem(
            scanner: nil, hostPID: getpid(), launcher: NamespaceLauncher(), shell: shell, scrollback: 100,
            environment: environment)
        update = DashboardUpdate(system: system)
        switch update.panes.launch(request, openTabs: 0, system: system) {
        case .success(let pane): self.pane = pane
        case .failure(let failure): throw ShellSessionError(text: failure.message)
        }
    }

    deinit {
        update.panes.adopt(pane, as: 0)
        update.shutdown()
    }

    /// The marks read so far, in order: "A", "B", "C", "D;1", ...
    var marks: [String] { Self.marks(in: bytes) }

    /// Every `ESC ] 133 ; X BEL` in `bytes`, as "X".
    static func marks(in bytes: [UInt8]) -> [String] {
        var found: [String] = []
        let start: [UInt8] = Array("\u{1b}]133;".utf8)
        var index = 0
        while index + start.count <= bytes.count {
            guard Array(bytes[index..<index + start.count]) == start,
                let end = bytes[(index + start.count)...].firstIndex(of: 0x07)
            else {
                index += 1
                continue
            }
            found.append(String(decoding: bytes[(index + start.count)..<end], as: UTF8.self))
            index = end + 1
        }
        return found
    }

    /// Reads until `done` holds for the bytes so far, or `timeout` seconds pass; returns whether it held.
    @discardableResult
    func read(until done: (MarkedShellSession) -> Bool, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !done(self) {
            if Date() > deadline { return false }
            let fd = pane.fd?.rawValue ?? -1
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { continue }
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count > 0 { bytes += buffer[0..<count] } else if count == 0 || errno != EAGAIN { usleep(20_000) }
        }
        return true
    }

    /// Reads until the marks end with `suffix` (the shell has drawn a prompt, say).
    @discardableResult
    func read(untilMarksEndWith suffix: [String], timeout: Double = 10) -> Bool {
        read(until: { $0.marks.suffix(suffix.count) == ArraySlice(suffix) }, timeout: timeout)
    }

    /// Reads until the text so far contains `text`.
    @discardableResult
    func read(untilText text: String, timeout: Double = 10) -> Bool {
        read(until: { String(decoding: $0.bytes, as: UTF8.self).contains(text) }, timeout: timeout)
    }

    /// Types `line` and Enter.
    func type(_ line: String) {
        if let fd = pane.fd { _ = SystemCall.writeAll(fd, line + "\r") }
    }

    /// Everything read, as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

struct ShellSessionError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

/// A temporary home directory with the given files, readable by every user (a child may run as another uid).
/// It is under /var/tmp, not /tmp: a test hides /tmp from a shell (a tmpfs over it) to stand for a container.
final class TemporaryHome {
    let path: String

    init(files: [String: String] = [:]) throws {
        var template = Array("/var/tmp/nslab-home.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw ShellSessionError(text: "mkdtemp failed") }
        path = String(cString: template)
        chmod(path, 0o755)
        for (name, text) in files {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o755])
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            chmod(file, 0o644)
        }
    }

    /// Every file under the home with its bytes and modification time, to show nothing was touched.
    func state() -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let name = enumerator?.nextObject() as? String {
            let file = path + "/" + name
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            let contents = (try? String(contentsOfFile: file, encoding: .utf8)) ?? "(directory)"
            result[name] = "\(modified) \(contents)"
        }
        return result
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The shells nslab starts emit OSC 133 prompt marks (A prompt, B command, C output, D;STATUS end): bash, zsh,
/// fish, dash and busybox sh, each started exactly as a pane starts it, typed `echo hi; false` and `true`.
/// Needs root (the launcher's namespaces), and zsh, fish and busybox installed (scripts/setup.sh).
@Suite("shell prompt marks", .serialized)
struct ShellMarksTests {
    /// A minimal environment with `home` as HOME: the test's own would bring its PROMPT_COMMAND, ENV or ZDOTDIR.
    static func environment(home: String) -> [String] {
        ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=\(home)", "LANG=C.UTF-8"]
    }

    /// busybox started by the name `sh`, as Alpine's /bin/sh is: a link in a directory of its own.
    static func busyboxShell() throws -> (path: String, directory: TemporaryHome) {
        let directory = try TemporaryHome()
        let candidates: [String] = ["/usr/bin/busybox", "/bin/busybox"]
        let busybox = try #require(candidates.first { access($0, X_OK) == 0 }, "busybox is not installed")
        let link = directory.path + "/sh"
        try #require(symlink(busybox, link) == 0)
        return (link, directory)
    }

    /// Types `echo hi; false` and `true` into `session` and returns the marks, after the prompt that follows.
    static func runTwoCommands(_ session: MarkedShellSession) throws -> [String] {
        try #require(session.read(untilMarksEndWith: ["B"]), "no first prompt: \(session.text.debugDescription)")
        session.type("echo hi; false")
        try #require(
            session.read(untilMarksEndWith: ["D;1", "A", "B"]), "no D;1: \(session.text.debugDescription)")
        session.type("true")
        try #require(
            session.read(untilMarksEndWith: ["D;0", "A", "B"]), "no D;0: \(session.text.debugDescription)")
        return session.marks
    }

    static let withOutputMark = ["A", "B", "C", "D;1", "A", "B", "C", "D;0", "A", "B"]
    static let withoutOutputMark = ["A", "B", "D;1", "A", "B", "D;0", "A", "B"]

    @Test(
        "each shell, started as a pane starts it, marks prompt, command, output and status in order",
        arguments: ["bash", "zsh", "fish", "dash", "busybox"])
    func marksInOrder(shell: String) throws {
        try #require(getuid() == 0, "needs root")
        let home = try TemporaryHome()
        let busybox = shell == "busybox" ? try Self.busyboxShell() : nil
        let path = busybox?.path ?? "/usr/bin/\(shell)"
        let session = try MarkedShellSession(shell: path, environment: Self.environment(home: home.path))
        let marks = try Self.runTwoCommands(session)
        let full = ["bash", "zsh", "fish"].contains(shell)
        #expect(marks == (full ? Self.withOutputMark : Self.withoutOutputMark), "\(session.text.debugDescription)")
        #expect(session.pane.promptMarks == (full ? .full : .noOutputMark))
        // The output comes after C (where there is one) and before D;1.
        let text = session.text
        let output = try #require(text.range(of: "\r\nhi\r\n") ?? text.range(of: "hi\r\n"))
        let end = try #require(text.range(of: "\u{1b}]133;D;1\u{07}"))
        #expect(output.upperBound <= end.lowerBound)
        if full {
            let start = try #require(text.range(of: "\u{1b}]133;C\u{07}"))
            #expect(start.upperBound <= output.upperBound)
        }
    }

    /// Regression: dash's wrapper made its escape bytes with `$(printf ...)`, two forks at start-up, so in a new
    /// PID namespace lesson 9's `sh -c 'sleep 300 & echo started $!'` said 5 instead of 3.
    @Test(
        "no wrapper forks: in a new PID namespace the first command the learner types is pid 2",
        arguments: ["bash", "zsh", "dash", "busybox"])
    func wrapperDoesNotFork(shell: String) throws {
        try #require(getuid() == 0, "needs root")
        let home = try TemporaryHome()
        let busybox = shell == "busybox" ? try Self.busyboxShell() : nil
        let session = try MarkedShellSession(
            shell: busybox?.path ?? "/usr/bin/\(shell)",
            request: LaunchRequest(kinds: [.pid], options: NamespaceOptions()),
            environment: Self.environment(home: home.path))
        try #require(session.read(untilMarksEndWith: ["B"]), "\(session.text.debugDescription)")
        session.type("/bin/sh -c 'echo started-$$'")
        try #require(session.read(untilMarksEndWith: ["D;0", "A", "B"]), "\(session.text.debugDescription)")
        #expect(session.text.contains("started-2\r\n"), "\(session.text.debugDescription)")
    }

    @Test(
        "a tab records what its shell gives: F5's child and the split's host shell",
        arguments: [("/bin/bash", PromptMarks.full), ("/bin/sh", .noOutputMark), ("/bin/cat", .none)])
    func tabRecordsMarks(shell: String, marks: PromptMarks) throws {
        try #require(getuid() == 0, "needs root")
        let harness = Harness(system: .live(shell: shell, scrollback: 100), size: TerminalSize(columns: 120, rows: 35))
        defer { harness.update.shutdown() }
        let child = try #require(harness.launch([.uts]), "\(String(describing: harness.model.message))")
        #expect(child.promptMarks == marks)
        harness.press(.function(7))
        let host = try #require(harness.model.openTabs.first { $0.isHost }, "F7 started no host shell")
        #expect(host.promptMarks == marks)
    }

    @Test("bash in a pane still reads the user's ~/.bashrc: its alias works, its PS1 shows inside the marks")
    func userBashrcStillRead() throws {
        try #require(getuid() == 0, "needs root")
        let home = try TemporaryHome(files: [
            ".bashrc": "alias hello='echo hello-from-the-user'\nPS1='MYPROMPT\\$ '\n"
        ])
        let before = home.state()
        let session = try MarkedShellSession(shell: "/bin/bash", environment: Self.environment(home: home.path))
        try #require(session.read(untilMarksEndWith: ["B"]), "\(session.text.debugDescription)")
        session.type("hello")
        try #require(session.read(untilMarksEndWith: ["D;0", "A", "B"]), "\(session.text.debugDescription)")
        #expect(session.text.contains("hello-from-the-user\r\n"))
        #expect(
            session.text.contains("\u{1b}]133;A\u{07}MYPROMPT# \u{1b}]133;B\u{07}"), "\(session.text.debugDescription)")
        #expect(home.state() == before, "the user's files were changed")
    }

    @Test("a user's bashrc with set -u and a PROMPT_COMMAND array (bash 5.1) keeps both, and the marks")
    func userPromptCommandArray() throws {
        try #require(getuid() == 0, "needs root")
        let home = try TemporaryHome(files: [".bashrc": "set -u\nmine() { :; }\nPROMPT_COMMAND=(mine)\n"])
        let session = try MarkedShellSession(shell: "/bin/bash", environment: Self.environment(home: home.path))
        #expect(try Self.runTwoCommands(session) == Self.withOutputMark, "\(session.text.debugDescription)")
        session.type("echo \"${PROMPT_COMMAND[*]}\"")
        #expect(
            session.read(untilText: "__nslab_prompt_start mine __nslab_prompt_end\r\n"),
            "\(session.text.debugDescription)")
        #expect(!session.text.contains("unbound variable"), "\(session.text.debugDescription)")
    }

    @Test(
        "a user's prompt command ending in ; or & (pyenv's does) stays valid, from ~/.bashrc and from the environment",
        arguments: ["mine;", "mine &", "mine ; "])
    func userPromptCommandEndingInSeparator(command: String) throws {
        try #require(getuid() == 0, "needs root")
        let home = try TemporaryHome(files: [".bashrc": "mine() { :; }\nPROMPT_COMMAND='\(command)'\n"])
        let fromFile = try MarkedShellSession(shell: "/bin/bash", environment: Self.environment(home: home.path))
        #expect(try Self.runTwoCommands(fromFile) == Self.withOutputMark, "\(fromFile.text.debugDescription)")
        #expect(!fromFile.text.contains("syntax error"), "\(fromFile.text.debugDescription)")

        // From the environment (a shell in another mount namespace): nslab's inline marks around the user's part.
        let target = try Self.processWithOwnTmp()
        defer {
            target.kill()
            _ = target.wait()
        }
        var request = LaunchRequest(kinds: [], options: NamespaceOptions())
        request.joining = JoinTarget(pid: target.pid, kinds: [.mount])
        let bare = try TemporaryHome()
        let fromEnvironment = try MarkedShellSession(
            shell: "/bin/bash", request: request,
            environment: Self.environment(home: bare.path) + ["PROMPT_COMMAND=\(command.replacingOccurrences(of: "mine", with: "true"))"])
        #expect(try Self.runTwoCommands(fromEnvironment) == Self.withOutputMark, "\(fromEnvironment.text.debugDescription)")
        #expect(!fromEnvironment.text.contains("syntax error"), "\(fromEnvironment.text.debugDescription)")
    }

    @Test("zsh in a pane reads the user's .zshrc and leaves ZDOTDIR as it was; dash reads the user's ENV")
    func userZshrcAndENV() throws {
        try #require(getuid() == 0, "needs root")
        let home = try TemporaryHome(files: [
            ".zshrc": "alias hello='echo hello-from-zshrc'\n",
            "shrc": "hello() { echo hello-from-env; }\n",
        ])
        let before = home.state()
        let zsh = try MarkedShellSession(shell: "/usr/bin/zsh", environment: Self.environment(home: home.path))
        try #require(zsh.read(untilMarksEndWith: ["B"]), "\(zsh.text.debugDescription)")
        zsh.type("hello; echo \"[${ZDOTDIR-unset}]\"")
        try #require(zsh.read(untilMarksEndWith: ["D;0", "A", "B"]), "\(zsh.text.debugDescription)")
        #expect(zsh.text.contains("hello-from-zshrc\r\n[unset]"), "\(zsh.text.debugDescription)")

        let dash = try MarkedShellSession(
            shell: "/bin/sh", environment: Self.environment(home: home.path) + ["ENV=$HOME/shrc"])
        try #require(dash.read(untilMarksEndWith: ["B"]), "\(dash.text.debugDescription)")
        dash.type("hello; echo \"[$ENV]\"")
        try #require(dash.read(untilMarksEndWith: ["D;0", "A", "B"]), "\(dash.text.debugDescription)")
        #expect(dash.text.contains("hello-from-env\r\n[$HOME/shrc]"), "\(dash.text.debugDescription)")
        #expect(home.state() == before, "the user's files were changed")
    }

    @Test(
        "a shell that runs as uid 65534 (root of a joined user namespace) still reads the wrapper's files",
        arguments: ["bash", "dash"])
    func unprivilegedInUserNamespace(shell: String) throws {
        try #require(getuid() == 0, "needs root")
        // A user namespace whose root is 65534 outside. A shell that joins it becomes its root, so nslab's files
        // (owned by root outside, which that namespace does not map) reach it through their "other" bits only.
        var spec = LaunchSpec(kinds: [.user], command: ["/bin/sleep", "600"])
        spec.uidMap = [IDMapEntry(inside: 0, outside: 65534, count: 1)]
        spec.gidMap = [IDMapEntry(inside: 0, outside: 65534, count: 1)]
        let target = try Launcher.launch(spec)
        defer {
            target.kill()
            _ = target.wait()
        }
        let home = try TemporaryHome()
        var request = LaunchRequest(kinds: [], options: NamespaceOptions())
        request.joining = JoinTarget(pid: target.pid, kinds: [.user])
        let session = try MarkedShellSession(
            shell: "/usr/bin/\(shell)", request: request, environment: Self.environment(home: home.path))
        let marks = try Self.runTwoCommands(session)
        #expect(marks == (shell == "bash" ? Self.withOutputMark : Self.withoutOutputMark))
        let status = try String(contentsOfFile: "/proc/\(session.pane.pid)/status", encoding: .utf8)
        let uidLine = status.split(separator: "\n").first { $0.hasPrefix("Uid:") } ?? ""
        #expect(uidLine == "Uid:\t65534\t65534\t65534\t65534")
        // And it read them: the wrapper is on its command line (bash) or in its environment (dash).
        let cmdline = try String(contentsOfFile: "/proc/\(session.pane.pid)/cmdline", encoding: .utf8)
        let environ = try String(contentsOfFile: "/proc/\(session.pane.pid)/environ", encoding: .utf8)
        #expect(shell == "bash" ? cmdline.contains("--rcfile") : environ.contains("ENV=/tmp/nslab-shell."))
    }

    /// A process in a mount namespace of its own with a fresh tmpfs on /tmp: nslab's wrapper files are out of
    /// its sight, as in a container. Its propagation is private (unshare's default), so nothing reaches the host.
    static func processWithOwnTmp() throws -> Child {
        let spec = LaunchSpec(
            kinds: [],
            command: [
                "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs nslabtest /tmp && exec sleep 600",
            ])
        let child = try Launcher.launch(spec)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let comm = (try? String(contentsOfFile: "/proc/\(child.pid)/comm", encoding: .utf8)) ?? ""
            if comm == "sleep\n" { return child }
            usleep(20_000)
        }
        child.kill()
        throw ShellSessionError(text: "the process with its own /tmp did not start")
    }

    @Test("bash entered into another mount namespace (an e tab) gets every mark from the environment alone")
    func bashEnteredIntoMountNamespace() throws {
        try #require(getuid() == 0, "needs root")
        let target = try Self.processWithOwnTmp()
        defer {
            target.kill()
            _ = target.wait()
        }
        let home = try TemporaryHome(files: [".bashrc": "PS1='ENTERED\\$ '\n"])
        var request = LaunchRequest(kinds: [], options: NamespaceOptions())
        request.joining = JoinTarget(pid: target.pid, kinds: [.mount])
        let session = try MarkedShellSession(
            shell: "/bin/bash", request: request, environment: Self.environment(home: home.path))
        #expect(session.pane.promptMarks == .full)
        let marks = try Self.runTwoCommands(session)
        #expect(marks == Self.withOutputMark, "\(session.text.debugDescription)")
        // The user's PS1 from ~/.bashrc (visible there: /tmp is the target's, HOME is not under it) is kept.
        #expect(session.text.contains("ENTERED# \u{1b}]133;B"), "\(session.text.debugDescription)")
        // It really is the other mount namespace, and there the wrapper's directory does not exist.
        session.type("echo \"[$(ls /tmp | wc -l)]\"; env | grep -c -e ^PROMPT_COMMAND= -e ^PS0=")
        try #require(session.read(untilMarksEndWith: ["D;1", "A", "B"]), "\(session.text.debugDescription)")
        #expect(session.text.contains("[0]\r\n0\r\n"), "\(session.text.debugDescription)")
    }

    @Test("zsh entered into another mount namespace runs unmarked, and the pane says so")
    func zshUnmarkedWhenEntered() throws {
        try #require(getuid() == 0, "needs root")
        let target = try Self.processWithOwnTmp()
        defer {
            target.kill()
            _ = target.wait()
        }
        let home = try TemporaryHome()
        var request = LaunchRequest(kinds: [], options: NamespaceOptions())
        request.joining = JoinTarget(pid: target.pid, kinds: [.mount])
        let session = try MarkedShellSession(
            shell: "/usr/bin/zsh", request: request, environment: Self.environment(home: home.path))
        #expect(session.pane.promptMarks == .none)
        session.type("echo marker-$((6*7))")
        try #require(session.read(untilText: "marker-42\r\n"), "\(session.text.debugDescription)")
        session.type("echo done-$((6*7))")
        try #require(session.read(untilText: "done-42\r\n"), "\(session.text.debugDescription)")
        #expect(session.marks.isEmpty, "\(session.text.debugDescription)")
    }

    @Test(
        "dash and busybox entered into another mount namespace mark prompt and status through PS1 alone",
        arguments: ["dash", "busybox"])
    func promptOnlyWhenEntered(shell: String) throws {
        try #require(getuid() == 0, "needs root")
        let target = try Self.processWithOwnTmp()
        defer {
            target.kill()
            _ = target.wait()
        }
        let home = try TemporaryHome()
        var request = LaunchRequest(kinds: [], options: NamespaceOptions())
        request.joining = JoinTarget(pid: target.pid, kinds: [.mount])
        let path = shell == "busybox" ? "/usr/bin/busybox" : "/usr/bin/dash"
        let session = try MarkedShellSession(
            shell: path, request: request, environment: Self.environment(home: home.path))
        #expect(session.pane.promptMarks == .noOutputMark)
        #expect(try Self.runTwoCommands(session) == Self.withoutOutputMark, "\(session.text.debugDescription)")
        // The prompt is the shell's own for root (busybox's names the directory first), between the marks.
        let prompt = shell == "dash" ? "\u{1b}]133;A\u{07}# \u{1b}]133;B\u{07}" : "# \u{1b}]133;B\u{07}"
        #expect(session.text.contains(prompt), "\(session.text.debugDescription)")
    }

    @Test("fish entered into another mount namespace keeps every mark: they come on its command line")
    func fishEnteredIntoMountNamespace() throws {
        try #require(getuid() == 0, "needs root")
        let target = try Self.processWithOwnTmp()
        defer {
            target.kill()
            _ = target.wait()
        }
        let home = try TemporaryHome()
        var request = LaunchRequest(kinds: [], options: NamespaceOptions())
        request.joining = JoinTarget(pid: target.pid, kinds: [.mount])
        let session = try MarkedShellSession(
            shell: "/usr/bin/fish", request: request, environment: Self.environment(home: home.path))
        #expect(session.pane.promptMarks == .full)
        #expect(try Self.runTwoCommands(session) == Self.withOutputMark, "\(session.text.debugDescription)")
    }
}

/// What the shell integration changes in a launch, and what it leaves alone. Pure: no shell is started.
@Suite("shell integration of a launch")
struct ShellIntegrationSpecTests {

    static func spec(_ shell: String, joining: JoinTarget? = nil, environment: [String] = ["HOME=/root"])
        -> LaunchSpec
    {
        var request = LaunchRequest(kinds: [.uts], options: NamespaceOptions())
        request.joining = joining
        return try! request.spec(shell: shell, size: WindowSize(rows: 24, columns: 80), environment: environment)
    }

    @Test("a program nslab does not know as a shell runs exactly as today", arguments: ["/bin/cat", "python3"])
    func unknownProgramUntouched(program: String) throws {
        let files = try #require(ShellStartupFiles.create())
        let before = Self.spec(program)
        var after = before
        #expect(ShellIntegration.addPromptMarks(to: &after, files: files) == .none)
        #expect(after == before)
    }

    @Test("the request's spec (what export and y show) names the bare shell; only the pane adds the wrapper")
    func requestSpecStaysTheUsers() throws {
        let files = try #require(ShellStartupFiles.create())
        var spec = Self.spec("/bin/bash")
        #expect(spec.command == ["/bin/bash"])
        #expect(ShellIntegration.addPromptMarks(to: &spec, files: files) == .full)
        #expect(spec.command == ["/bin/bash", "--rcfile", files.bashRC])
        var model = DashboardModel(size: TerminalSize(columns: 120, rows: 40), isRoot: true)
        model.ticked = [.uts]
        model.exportShell = "/bin/bash"
        let line = try #require(ExportLine.unshare(model))
        #expect(line.hasSuffix(" /bin/bash") && !line.contains("rcfile"), "\(line)")
    }

    @Test("which shell a path is: by name, else by what a link leads to")
    func shellByName() {
        #expect(MarkedShell.at("/bin/bash") == .bash)
        #expect(MarkedShell.at("/usr/local/bin/zsh") == .zsh)
        #expect(MarkedShell.at("fish") == .fish)
        #expect(MarkedShell.at("/sbin/ash") == .busybox)
        #expect(MarkedShell.at("/bin/busybox") == .busybox)
        #expect(MarkedShell.at("/bin/cat") == nil)
        // Debian's /bin/sh is a link to dash.
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/bin/sh"), target.hasSuffix("dash")
        {
            #expect(MarkedShell.at("/bin/sh") == .dash)
        }
    }

    @Test("each shell's wrapper: the user's own files travel apart; a launch into another mount namespace uses none")
    func wrapperPerShell() throws {
        let files = try #require(ShellStartupFiles.create())
        var zsh = Self.spec("/usr/bin/zsh", environment: ["HOME=/root", "ZDOTDIR=/home/me/.config/zsh"])
        #expect(ShellIntegration.addPromptMarks(to: &zsh, files: files) == .full)
        #expect(zsh.environment?.contains("ZDOTDIR=\(files.zshDirectory)") == true)
        #expect(zsh.environment?.contains("NSLAB_USER_ZDOTDIR=/home/me/.config/zsh") == true)
        var dash = Self.spec("/usr/bin/dash", environment: ["HOME=/root", "ENV=/home/me/.shrc"])
        #expect(ShellIntegration.addPromptMarks(to: &dash, files: files) == .noOutputMark)
        #expect(dash.environment?.contains("ENV=\(files.dashENV)") == true)
        #expect(dash.environment?.contains("NSLAB_USER_ENV=/home/me/.shrc") == true)
        var busybox = Self.spec("/bin/busybox")
        #expect(ShellIntegration.addPromptMarks(to: &busybox, files: files) == .noOutputMark)
        #expect(busybox.command == ["/bin/busybox", "sh"])
        var fish = Self.spec("/usr/bin/fish")
        #expect(ShellIntegration.addPromptMarks(to: &fish, files: files) == .full)
        #expect(fish.command.prefix(2) == ["/usr/bin/fish", "--init-command"])

        let entered = JoinTarget(pid: 1, kinds: [.mount, .uts])
        var bash = Self.spec("/bin/bash", joining: entered)
        #expect(ShellIntegration.addPromptMarks(to: &bash, files: files) == .full)
        #expect(bash.command == ["/bin/bash"])
        #expect(bash.environment?.contains { $0.hasPrefix("PROMPT_COMMAND=") } == true)
        #expect(bash.environment?.contains("PS0=\\e]133;C\\a") == true)
        let zshBefore = Self.spec("/usr/bin/zsh", joining: entered)
        var zshAfter = zshBefore
        #expect(ShellIntegration.addPromptMarks(to: &zshAfter, files: files) == .none)
        #expect(zshAfter == zshBefore)
        var enteredDash = Self.spec("/usr/bin/dash", joining: entered, environment: ["HOME=/root", "PS1=my> "])
        #expect(ShellIntegration.addPromptMarks(to: &enteredDash, files: files) == .noOutputMark)
        #expect(enteredDash.environment?.contains { $0.hasPrefix("ENV=") } == false)
        #expect(
            enteredDash.environment?.contains { $0.hasPrefix("PS1=") && $0.contains("]133;A\u{07}my> \u{1b}]133;B") }
                == true)
        // Joining kinds other than mount: the wrapper files are in sight.
        var utsOnly = Self.spec("/bin/bash", joining: JoinTarget(pid: 1, kinds: [.uts]))
        #expect(ShellIntegration.addPromptMarks(to: &utsOnly, files: files) == .full)
        #expect(utsOnly.command.contains("--rcfile"))
        // No files (/tmp not writable): bash still marks from the environment.
        var noFiles = Self.spec("/bin/bash")
        #expect(ShellIntegration.addPromptMarks(to: &noFiles, files: nil) == .full)
        #expect(noFiles.command == ["/bin/bash"])
    }

    @Test("the wrapper files are readable by everyone, in a directory only nslab writes, and go on remove()")
    func startupFilesModes() throws {
        let files = try #require(ShellStartupFiles.create())
        var info = stat()
        #expect(stat(files.directory, &info) == 0 && info.st_mode & 0o7777 == 0o755)
        for path in [files.bashRC, files.dashENV, files.ashENV, files.zshDirectory + "/.zshrc"] {
            #expect(stat(path, &info) == 0 && info.st_mode & 0o7777 == 0o644, "\(path)")
            #expect(info.st_uid == geteuid())
        }
        files.remove()
        #expect(access(files.directory, F_OK) != 0)
    }
}
