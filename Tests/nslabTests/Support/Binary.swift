import Foundation
import TestSupport
import Testing

/// The `nslab` executable built next to this test bundle, and ways to run it.
enum Binary {
    /// The build folder that holds both the test bundle and `nslab`.
    static let buildDirectory: URL = {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent()
    }()

    /// The `nslab` under test: `NSLAB_TEST_BINARY` when set (scripts/test.sh sets it to the release
    /// binary for a second pass), else the one built next to this test bundle.
    static var path: String {
        if let binary = ProcessInfo.processInfo.environment["NSLAB_TEST_BINARY"], !binary.isEmpty { return binary }
        return buildDirectory.appendingPathComponent("nslab").path
    }

    /// The checkout this test bundle was built from (its lessons/ and themes/).
    static let checkout: String = {
        let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        return parts.dropLast(4).joined(separator: "/")
    }()

    /// A copy of `nslab` in a world-readable folder, with the checkout's lessons/ and themes/ beside it (where
    /// nslab looks next to its binary), so an unprivileged user can run it, and find what it reads, wherever the
    /// checkout lives: a clone under root's home (0700) is out of uid 65534's reach.
    static let publicCopy: String = {
        let directory = "/tmp/nslab-test-bin-\(getpid())"
        mkdir(directory, 0o755)
        chmod(directory, 0o755)
        for folder in ["lessons", "themes"] { copyReadable(checkout + "/" + folder, to: directory + "/" + folder) }
        let target = directory + "/nslab"
        copyExecutable(from: path, to: target)
        return target
    }()

    /// The lessons beside `publicCopy`, readable by every user: the folder unprivileged runs name in
    /// NSLAB_LESSON_PATH.
    static var publicLessons: String {
        URL(fileURLWithPath: publicCopy).deletingLastPathComponent().appendingPathComponent("lessons").path
    }

    /// Copies the folder `source` (its regular files, one level) to `target`, every file readable by all.
    private static func copyReadable(_ source: String, to target: String) {
        try? FileManager.default.removeItem(atPath: target)
        mkdir(target, 0o755)
        chmod(target, 0o755)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? [] {
            copyExecutable(from: source + "/" + name, to: target + "/" + name, mode: 0o644)
        }
    }

    /// Copies a file with `install` (mode `mode`), in a process of its own: the copy's write fd then never exists
    /// in this multi-threaded test process, where a program another test thread forks at that moment inherits it
    /// until its exec, and an exec of the copy meanwhile fails with ETXTBSY ("Text file busy": seen as a flaky
    /// setuid test and status 126 from the uid-65534 copy). Close-on-exec alone does not cover that window.
    static func copyExecutable(from source: String, to target: String, mode: mode_t = 0o755) {
        unlink(target)
        _ = try? Spawn.run("/usr/bin/install", ["-m", String(mode, radix: 8), source, target])
    }

    /// Runs `executable` with `arguments`, waits, and collects both outputs.
    static func runProgram(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String = "/"
    ) throws -> RunResult {
        try Spawn.run(executable, arguments, environment: environment, directory: directory)
    }

    /// Runs the built nslab as the invoking user.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> RunResult {
        try runProgram(path, arguments, environment: environment)
    }

    /// Runs nslab as the unprivileged user 65534 through setpriv, with no supplementary groups.
    static func runUnprivileged(_ arguments: [String]) throws -> RunResult {
        try runProgram(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", publicCopy] + arguments,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": "/"])
    }

    /// Runs a shell script with the built nslab as `$NSLAB`.
    static func runScript(_ script: String) throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        environment["NSLAB"] = path
        return try runProgram("/bin/sh", ["-c", script], environment: environment)
    }
}

/// Fails the calling test unless it runs as root: CI runs as root, so a root-only test must not skip.
func requireRoot() throws {
    try #require(getuid() == 0, "this test needs root: run the suite as root (CI does)")
}

/// Expects `result` to be a refusal worded as nslab words them: a non-zero status, one line on stderr that starts
/// with `nslab: ` and contains `fragment`, and nothing on stdout.
func expectRefusal(_ result: RunResult, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation)
{
    #expect(result.status != 0, sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("nslab: "), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(
        result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
}
