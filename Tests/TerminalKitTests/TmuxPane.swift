import Foundation
import Glibc
import TestSupport

/// Runs bytes through a real tmux pane of a given size and reads back the text and cursor, for differential
/// tests. Each use gets its own server socket (`-L`), which is killed afterwards.
struct TmuxPane {
    /// What tmux showed: lines with trailing spaces trimmed, trailing empty lines dropped, and the cursor.
    struct Snapshot: Equatable {
        var lines: [String]
        var cursorRow: Int
        var cursorCol: Int
    }

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    private static func uniqueSocket() -> String {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return "nslab-tk-\(getpid())-\(counter)"
    }

    /// Shows `bytes` in a fresh tmux pane of `rows` x `cols` and captures it once tmux has drawn them.
    static func capture(_ bytes: [UInt8], rows: Int, cols: Int) throws -> Snapshot {
        let socket = uniqueSocket()
        let directory = FileManager.default.temporaryDirectory
        let input = directory.appendingPathComponent("\(socket).bin")
        let config = directory.appendingPathComponent("\(socket).conf")
        try Data(bytes).write(to: input)
        // No status line, so the pane is exactly rows x cols from the start.
        try Data("set -g status off\n".utf8).write(to: config)
        defer {
            _ = try? run(["-L", socket, "kill-server"])
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: config)
        }
        // Raw mode so the pty does not turn LF into CRLF: the model gets exactly the same bytes.
        let script = "stty raw -echo; cat '\(input.path)'; exec sleep 100"
        try run(
            ["-L", socket, "-f", config.path, "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)", script],
            readOutput: false)
        // Once the pane runs sleep, cat has finished; then wait until two captures agree, so tmux has drawn it all.
        var previous: Snapshot?
        for _ in 0..<250 {
            usleep(20_000)
            let command = try run(["-L", socket, "display", "-p", "#{pane_current_command}"])
            guard command.hasPrefix("sleep") else { continue }
            let text = try run(["-L", socket, "capture-pane", "-p"])
            let cursor = try run(["-L", socket, "display", "-p", "#{cursor_x} #{cursor_y}"])
            let numbers = cursor.split(separator: " ").compactMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            var lines = text.components(separatedBy: "\n")
            if text.hasSuffix("\n") { lines.removeLast() }
            lines = lines.map { line in
                var line = line
                while line.last == " " { line.removeLast() }
                return line
            }
            while lines.last == "" { lines.removeLast() }
            let snapshot = Snapshot(
                lines: lines, cursorRow: numbers.count == 2 ? numbers[1] : -1,
                cursorCol: numbers.count == 2 ? numbers[0] : -1)
            if snapshot == previous { return snapshot }
            previous = snapshot
        }
        throw TmuxError.timedOut
    }

    /// tmux never finished showing the bytes.
    enum TmuxError: Error { case timedOut }

    /// Runs tmux with `arguments` and returns its standard output; the spawn starts it with a clean
    /// signal mask and no pipes a forked server could hold open.
    @discardableResult
    private static func run(_ arguments: [String], readOutput: Bool = true) throws -> String {
        let result = try Spawn.run("/usr/bin/tmux", arguments)
        return readOutput ? result.stdout : ""
    }
}
