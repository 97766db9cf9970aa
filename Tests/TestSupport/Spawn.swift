import Foundation
import Glibc

/// The outcome of one program run by the tests.
public struct RunResult: Sendable {
    /// The exit status, or 128 + N when signal N killed it.
    public var status: Int32
    /// Everything it wrote to stdout.
    public var stdout: String
    /// Everything it wrote to stderr.
    public var stderr: String
}

/// Why a program could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
}

/// Starts programs the way a shell would, for tests.
public enum Spawn {
    /// Runs `executable` with `arguments` in `directory` and waits for it.
    ///
    /// Test threads run with most signals blocked, and a child would inherit that mask (a tmux server
    /// then ignores kill-server, a dashboard ignores SIGTERM), so the program starts with an empty mask
    /// and default handlers. Output goes to files, not pipes: a program that leaves a daemon behind
    /// (tmux's server) keeps a pipe open, and reading it to the end would never return.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String = "/"
    ) throws -> RunResult {
        let scratch = FileManager.default.temporaryDirectory.path + "/nslab-spawn-\(UUID().uuidString)"
        defer {
            unlink(scratch + ".out")
            unlink(scratch + ".err")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, scratch + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

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

        // TMUX from an enclosing session would send tmux commands there.
        let variables = (environment ?? ProcessInfo.processInfo.environment).filter { $0.key != "TMUX" }
        // glibc's posix_spawn_file_actions_addchdir_np is not visible from Swift; env -C does the same.
        let words = ["/usr/bin/env", "-C", directory, executable] + arguments
        let argv = words.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, words[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw SpawnError(description: "\(words[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? ""
        return RunResult(status: exit, stdout: out, stderr: err)
    }
}

extension Spawn {
    /// Writes `text` to a new file at `path` with mode `mode`, in a process of its own. A file a test will exec
    /// must never have a write fd in this multi-threaded test process: a program another test thread forks at that
    /// moment inherits the fd until its own exec, and an exec of the file meanwhile fails with ETXTBSY ("Text file
    /// busy"; close-on-exec does not cover that window).
    public static func writeExecutable(_ text: String, to path: String, mode: mode_t = 0o755) throws {
        unlink(path)
        let result = try run(
            "/bin/sh", ["-c", "printf '%s' \"$1\" > \"$2\" && chmod \(String(mode, radix: 8)) \"$2\"", "sh", text, path])
        guard result.status == 0 else { throw SpawnError(description: "writing \(path): \(result.stderr)") }
    }
}
