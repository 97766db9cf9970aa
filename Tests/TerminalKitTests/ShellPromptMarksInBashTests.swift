import Foundation
import Glibc
import TestSupport
import Testing

@testable import TerminalKit

/// A real bash (and dash) in a real pty (a tmux pane) with prompt marks from its environment alone, its output bytes recorded
/// with `pipe-pane` and fed to a Terminal.
@Suite("Prompt marks from a real bash and dash", .timeLimit(.minutes(1)))
struct ShellPromptMarksInBashTests {
    /// The environment form of bash's marks: PS1 gives A and B, PS0 gives C, PROMPT_COMMAND gives D with the status.
    static let markedEnvironment = [
        "PS1": "\\[\\e]133;A\\a\\]$ \\[\\e]133;B\\a\\]",
        "PS0": "\\e]133;C\\a",
        "PROMPT_COMMAND": "printf '\\e]133;D;%s\\a' $?",
    ]

    @Test func echoAndFalse() throws {
        let bytes = try TmuxShell.run(
            "bash --norc --noprofile -i", environment: Self.markedEnvironment, typing: ["echo hi; false"],
            until: "133;D;1")
        let terminal = Terminal(rows: 24, cols: 80)
        terminal.feed(bytes)
        let commands = terminal.takeCommands()
        try #require(commands.count == 1, "commands: \(commands)")
        #expect(commands[0].commandLine == "echo hi; false")
        #expect(commands[0].output == ["hi"])
        #expect(commands[0].exitStatus == 1)
        #expect(commands[0].hasOutputMark)
        #expect(commands[0].startTime <= commands[0].endTime)
        #expect(terminal.hasPromptMarks)
        #expect(terminal.shellPhase == .typing)
        for row in 0..<terminal.rows { #expect(!terminal.rowText(row).contains("133")) }
    }

    /// dash has no hook before a command, so no C: D and A come from PS1 (dash expands `$?` there), and the output
    /// is taken to start on the row below the command line.
    @Test func dashWithoutOutputMark() throws {
        let ps1 = "\u{1B}]133;D;$?\u{07}\u{1B}]133;A\u{07}$ \u{1B}]133;B\u{07}"
        let bytes = try TmuxShell.run(
            "dash -i", environment: ["PS1": ps1], typing: ["echo hi; false"], until: "133;D;1")
        let terminal = Terminal(rows: 24, cols: 80)
        terminal.feed(bytes)
        let commands = terminal.takeCommands()
        try #require(commands.count == 1, "commands: \(commands)")
        #expect(commands[0].commandLine == "echo hi; false")
        #expect(commands[0].output == ["hi"])
        #expect(commands[0].exitStatus == 1)
        #expect(!commands[0].hasOutputMark)
        for row in 0..<terminal.rows { #expect(!terminal.rowText(row).contains("133")) }
    }
}

/// Runs a shell in a tmux pane and records everything it writes to its pty.
enum TmuxShell {
    /// The shell never got to the expected output.
    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `command` in a fresh tmux server whose environment is ours plus `environment`, waits for its first
    /// prompt mark B, types each line of `typing` with Enter, and returns the pane's output bytes once they contain
    /// `until`.
    static func run(_ command: String, environment: [String: String], typing: [String], until: String) throws
        -> [UInt8]
    {
        let socket = "nslab-shell-\(getpid())-\(UUID().uuidString.prefix(8))"
        let directory = FileManager.default.temporaryDirectory
        let output = directory.appendingPathComponent("\(socket).out").path
        let go = directory.appendingPathComponent("\(socket).go").path
        let config = directory.appendingPathComponent("\(socket).conf").path
        // The pane's command runs under default-shell -c; a non-interactive bash would drop PS1 from the environment.
        try Data("set -g status off\nset -g default-shell /bin/sh\n".utf8).write(to: URL(fileURLWithPath: config))
        defer {
            _ = try? Spawn.run("/usr/bin/tmux", ["-L", socket, "kill-server"])
            for path in [output, go, config] { unlink(path) }
        }
        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        variables["HISTFILE"] = "/dev/null"
        // The shell starts only once pipe-pane records, so its first prompt is in the recording.
        let script = "while [ ! -e '\(go)' ]; do sleep 0.02; done; exec \(command)"
        try tmux(socket, ["-f", config, "new-session", "-d", "-x", "80", "-y", "24", script], environment: variables)
        try tmux(socket, ["pipe-pane", "-o", "cat >> '\(output)'"])
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        try wait(for: "133;B", in: output)
        for line in typing {
            try tmux(socket, ["send-keys", "-l", line])
            try tmux(socket, ["send-keys", "Enter"])
        }
        try wait(for: until, in: output)
        // The next prompt's B ends the recording, so the command's D and the new prompt are in.
        usleep(200_000)
        return Array(FileManager.default.contents(atPath: output) ?? Data())
    }

    private static func wait(for text: String, in path: String) throws {
        for _ in 0..<500 {
            if let data = FileManager.default.contents(atPath: path),
                String(decoding: data, as: UTF8.self).contains(text)
            {
                return
            }
            usleep(10_000)
        }
        let seen = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        throw TimedOut(description: "no \(text.debugDescription) in the shell's output: \(seen.debugDescription)")
    }

    private static func tmux(_ socket: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let result = try Spawn.run("/usr/bin/tmux", ["-L", socket] + arguments, environment: environment)
        guard result.status == 0 else {
            throw TimedOut(description: "tmux \(arguments.joined(separator: " ")): \(result.stderr)")
        }
    }
}
