import Foundation
import Glibc
import Testing

@testable import TestSupport

/// What a probe run inside the launched child reports: which kinds differ from the test's own namespaces,
/// and the facts each kind's experiment looks at.
private let probe = """
    for k in uts ipc pid mnt net user cgroup time; do
        [ "$(readlink /proc/self/ns/$k)" = "$(readlink /proc/$HOSTPID/ns/$k)" ] && echo "$k same" || echo "$k new"
    done
    echo "hostname $(hostname)"
    [ $$ = 1 ] && echo "pid 1" || echo "pid of the host's kind"
    echo "uid_map $(cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')"
    echo "links $(ip -o link | cut -d: -f2 | tr -d ' ' | tr '\\n' ',')"
    echo "lo $(ip -o link show lo | grep -c 'UP,')"
    [ "$(ls /proc | grep -c '^[0-9]')" -le 5 ] && echo "ps only the child's" || echo "ps the host's"
    echo "boot $(awk '{print int($1 / 86400)}' /proc/uptime)"
    """

/// Guards the bridge back to the standard tools: `nslab export` must describe exactly the launch `nslab run`
/// makes, so the unshare line and the C program, run, give the child the same namespaces and facts.
@Suite("nslab export", .serialized)
struct ExportCommandTests {
    /// Each kind alone (with its option where it has one), and all of them together.
    static let launches: [[String]] = [
        ["--uts", "--hostname", "exported"], ["--ipc"], ["--pid"], ["--mount"], ["--pid", "--mount", "--mount-proc"],
        ["--net"], ["--user"], ["--cgroup"], ["--time", "--boottime", "172800"],
        ["--all", "--hostname", "everything", "--mount-proc", "--boottime", "86400"],
    ]

    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOSTPID": String(getpid())]

    /// `nslab export --c FLAGS -- COMMAND`, compiled with gcc -Wall -Wextra -Werror in a folder of its own that
    /// anyone may enter (the unprivileged test runs the program as nobody).
    func compiledExport(_ flags: [String], command: [String]) throws -> (folder: String, program: String) {
        let exported = try Binary.run(["export", "--c"] + flags + ["--"] + command)
        try #require(exported.status == 0, "\(exported.stderr)")
        let folder = "/tmp/nslab-export-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o755)
        try exported.stdout.write(toFile: folder + "/launch.c", atomically: true, encoding: .utf8)
        let compiled = try Binary.runProgram(
            "/usr/bin/gcc", ["-Wall", "-Wextra", "-Werror", "-o", folder + "/launch", folder + "/launch.c"])
        try #require(compiled.status == 0, "gcc: \(compiled.stderr)")
        return (folder, folder + "/launch")
    }

    /// Runs `nslab run FLAGS -- sh -c PROBE` and returns the probe's lines.
    func viaRun(_ flags: [String]) throws -> RunResult {
        try Binary.run(["run"] + flags + ["--", "sh", "-c", probe], environment: Self.environment)
    }

    @Test(
        "the C program compiles with -Wall -Wextra -Werror and gives the child what nslab run gives",
        arguments: launches)
    func cProgram(flags: [String]) throws {
        try requireRoot()
        let launch = try compiledExport(flags, command: ["sh", "-c", probe])
        defer { try? FileManager.default.removeItem(atPath: launch.folder) }
        let program = try Binary.runProgram(launch.program, [], environment: Self.environment)
        let nslab = try viaRun(flags)
        #expect(program.status == 0 && nslab.status == 0, "\(program.stderr) \(nslab.stderr)")
        #expect(program.stdout == nslab.stdout, "C program:\n\(program.stdout)\nnslab run:\n\(nslab.stdout)")
        #expect(nslab.stdout.contains(" new"), "the probe saw no new namespace:\n\(nslab.stdout)")
    }

    @Test("the unshare line, run by a shell, gives the child what nslab run gives", arguments: launches)
    func unshareLine(flags: [String]) throws {
        try requireRoot()
        let exported = try Binary.run(["export", "--unshare"] + flags + ["--", "sh", "-c", probe])
        try #require(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("unshare --fork "))
        let line = try Binary.runProgram("/bin/sh", ["-c", exported.stdout], environment: Self.environment)
        let nslab = try viaRun(flags)
        #expect(line.status == 0, "\(line.stderr)")
        #expect(line.stdout == nslab.stdout, "unshare:\n\(line.stdout)\nnslab run:\n\(nslab.stdout)")
    }

    @Test("the C program runs as an ordinary user with a user namespace, as nslab run does")
    func unprivileged() throws {
        try requireRoot()
        let flags = ["--user", "--uts", "--hostname", "mine", "--pid", "--mount", "--mount-proc"]
        let launch = try compiledExport(flags, command: ["sh", "-c", "id -u; hostname; cat /proc/self/uid_map"])
        defer { try? FileManager.default.removeItem(atPath: launch.folder) }
        let asNobody = try Binary.runProgram(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", launch.program],
            environment: Self.environment)
        let nslab = try Binary.runUnprivileged(
            ["run"] + flags + ["--", "sh", "-c", "id -u; hostname; cat /proc/self/uid_map"])
        #expect(asNobody.status == 0, "\(asNobody.stderr)")
        #expect(asNobody.stdout == nslab.stdout, "C program:\n\(asNobody.stdout)\nnslab run:\n\(nslab.stdout)")
        #expect(asNobody.stdout.hasPrefix("0\nmine\n"))
    }

    @Test("bad flags are refused as run refuses them, and one of --unshare and --c is needed")
    func badInput() throws {
        let neither = try Binary.run(["export", "--uts"])
        #expect(neither.status != 0 && neither.stderr.contains("--unshare") && neither.stderr.contains("--c"))
        let hostname = try Binary.run(["export", "--unshare", "--hostname", "x"])
        #expect(hostname.status != 0 && hostname.stderr.contains("UTS"), "\(hostname.stderr)")
        let quoted = try Binary.run(["export", "--unshare", "--uts", "--", "echo", "it's"])
        #expect(quoted.stdout == "unshare --fork --kill-child --uts echo 'it'\\''s'\n", "\(quoted.stdout)")
        // The export would leave out the link, so it is refused rather than printed without it.
        let wired = try Binary.run(["export", "--unshare", "--net", "--wire-to", "1"])
        #expect(wired.status != 0 && wired.stderr.contains("--wire-to is not exported"), "\(wired.stderr)")
        #expect(wired.stdout.isEmpty)
    }
}
