import Foundation
import Glibc

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
        try run(["-L", socket, "-f", config.path, "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)", script],
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
    enum TmuxError: Error { case timedOut, spawnFailed }

    /// Runs tmux with `arguments` and returns its standard output. posix_spawn and waitpid rather than
    /// Foundation's Process, whose waitUntilExit was seen to hang here when the client exits at once.
    @discardableResult
    private static func run(_ arguments: [String], readOutput: Bool = true) throws -> String {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw TmuxError.spawnFailed }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The server forked by new-session would inherit a pipe and keep it open; give it /dev/null instead.
        if readOutput {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // TMUX from an enclosing session would redirect the commands to it.
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        // Test threads run with most signals blocked and a spawned tmux server would inherit that, then ignore
        // kill-server and SIGTERM alike; start it with an empty mask and default handlers.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environment)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard status == 0 else { throw TmuxError.spawnFailed }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while readOutput {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }
}
