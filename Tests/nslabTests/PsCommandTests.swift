import Foundation
import Glibc
import NamespaceKit
import Testing

/// The result of running the built `nslab` binary.
struct NslabRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as a JSON object.
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }
}

/// Runs the built `nslab` (found by the shared `Binary` helper) with `arguments`.
func runNslab(_ arguments: [String]) throws -> NslabRun {
    try #require(FileManager.default.isExecutableFile(atPath: Binary.path), "build the nslab product first")
    let result = try Binary.runProgram(Binary.path, arguments)
    return NslabRun(status: result.status, stdout: result.stdout, stderr: result.stderr)
}

/// `readlink /proc/<pid>/ns/<name>` as an inode number.
func linkedNamespace(_ pid: Int32, _ name: String) -> UInt64? {
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(name)"),
        let open = target.firstIndex(of: "["), let close = target.firstIndex(of: "]")
    else { return nil }
    return UInt64(target[target.index(after: open)..<close])
}

/// The ns file names nslab's JSON uses, in order.
let namespaceNames = ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"]

/// Launches `sleep 100` in new namespaces of `kinds` (root only) for the duration of `body`.
func withSleeper(_ kinds: Set<NamespaceKind>, hostname: String? = nil, _ body: (Child) throws -> Void) throws {
    try #require(getuid() == 0, "these tests launch children into namespaces and need root")
    var spec = LaunchSpec(kinds: kinds, command: ["sleep", "100"])
    spec.hostname = hostname
    let child = try Launcher.launch(spec)
    defer {
        child.kill()
        _ = child.wait()
    }
    for _ in 0..<200 {
        if (try? String(contentsOfFile: "/proc/\(child.pid)/comm", encoding: .utf8)) == "sleep\n" { break }
        usleep(10_000)
    }
    try body(child)
}

@Suite(.serialized) struct PsCommandTests {
    @Test func jsonMatchesReadlinkForAChild() throws {
        try withSleeper([.uts, .net]) { child in
            let document = try runNslab(["ps", "--json"])
            #expect(document.status == 0)
            let processes = try #require(try document.json()["processes"] as? [[String: Any]])
            let row = try #require(processes.first { $0["pid"] as? Int32 == child.pid })
            let ns = try #require(row["ns"] as? [String: Any])
            for name in namespaceNames {
                #expect(ns[name] as? UInt64 == linkedNamespace(child.pid, name), "\(name)")
            }
            #expect(ns["pid_for_children"] as? UInt64 == linkedNamespace(child.pid, "pid_for_children"))
            #expect(row["ppid"] as? Int32 == getpid())
            #expect(row["differs_from_parent"] as? [String] == ["uts", "net"])
            #expect(row["comm"] as? String == "sleep")
            #expect(row["cmdline"] as? [String] == ["sleep", "100"])
            #expect((row["uid"] as? [String: Any])?["real"] as? Int == 0)
            #expect(row["nspid"] as? [Int32] == [child.pid])
            // Our own row: the test process is nslab's parent.
            let me = try #require(processes.first { $0["pid"] as? Int32 == getpid() })
            #expect((me["ns"] as? [String: Any])?["mnt"] as? UInt64 == linkedNamespace(getpid(), "mnt"))
        }
    }

    @Test func treeAndFlatText() throws {
        try withSleeper([.uts, .pid]) { child in
            let tree = try runNslab(["ps"])
            #expect(tree.status == 0)
            let line = try #require(
                tree.stdout.split(separator: "\n").first { $0.hasPrefix(String(format: "%7d", child.pid)) })
            #expect(line.contains("U.P....."))
            #expect(line.contains("sleep 100"))
            // The pid inside a new pid namespace is 1.
            #expect(line.split(separator: " ", omittingEmptySubsequences: true)[1] == "1")

            let flat = try runNslab(["ps", "--flat"])
            #expect(flat.stdout.hasPrefix("    PID    PPID"))
            let flatLine = try #require(
                flat.stdout.split(separator: "\n").first { $0.hasPrefix(String(format: "%7d", child.pid)) })
            #expect(flatLine.contains(String(linkedNamespace(child.pid, "uts") ?? 0)))
        }
    }

    /// Unprivileged, root's namespace links are unreadable: those ids are null, never a crash.
    @Test func unprivilegedGetsUnknownNotErrors() throws {
        try #require(getuid() == 0, "switching to an unprivileged user needs root")
        let run = try Binary.runUnprivileged(["ps", "--json"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let document = try NslabRun(status: run.status, stdout: run.stdout, stderr: run.stderr).json()
        let processes = try #require(document["processes"] as? [[String: Any]])
        let me = try #require(processes.first { $0["pid"] as? Int32 == getpid() })
        #expect((me["ns"] as? [String: Any])?["uts"] is NSNull)
        // Found by its command line: other tests may run nslab as uid 65534 at the same time.
        let itself = try #require(
            processes.first {
                ($0["uid"] as? [String: Any])?["real"] as? Int == 65534
                    && $0["cmdline"] as? [String] == [Binary.publicCopy, "ps", "--json"]
            })
        for name in namespaceNames {
            #expect((itself["ns"] as? [String: Any])?[name] as? UInt64 == linkedNamespace(getpid(), name), "\(name)")
        }
    }

    @Test func helpDescribesEveryOption() throws {
        let help = try runNslab(["ps", "--help"])
        #expect(help.stdout.contains("--flat"))
        #expect(help.stdout.contains("flat table"))
        #expect(help.stdout.contains("--json"))
    }
}

/// The VS-NSLAB letters and `differs_from_*` of `nslab ps` (issue 13, points 1 and 11).
@Suite(.serialized) struct PsMarksTests {
    /// Guards point 11: the letters compared a process with its parent, the dashboard with the host. Now both
    /// compare with nslab's own namespaces, so a process inside a child's UTS namespace is marked U even
    /// where its parent is in that namespace too.
    @Test func lettersCompareWithNslabNotTheParent() throws {
        try #require(getuid() == 0, "this test launches a child into a UTS namespace and needs root")
        let child = try Launcher.launch(LaunchSpec(kinds: [.uts], command: ["/bin/sh", "-c", "sleep 101; :"]))
        defer {
            child.kill()
            _ = child.wait()
        }
        var grandchild: Int32?
        for _ in 0..<200 where grandchild == nil {
            let children = (try? String(contentsOfFile: "/proc/\(child.pid)/task/\(child.pid)/children", encoding: .utf8)) ?? ""
            grandchild = children.split(separator: " ").first.flatMap { Int32($0) }
            if grandchild == nil { usleep(10_000) }
        }
        let sleeper = try #require(grandchild)
        // `sleep` shares its parent's namespaces and differs from nslab's in UTS.
        waitForComm(sleeper, "sleep")
        let tree = try runNslab(["ps"])
        #expect(tree.stdout.hasPrefix("    PID  INSIDE USER      VS-NSLAB  COMMAND\n"))
        let line = try #require(tree.stdout.split(separator: "\n").first { $0.hasPrefix(String(format: "%7d", sleeper)) })
        #expect(line.contains(" U....... "), "\(line)")

        let processes = try #require(try runNslab(["ps", "--json"]).json()["processes"] as? [[String: Any]])
        let row = try #require(processes.first { $0["pid"] as? Int32 == sleeper })
        #expect(row["differs_from_parent"] as? [String] == [])
        #expect(row["differs_from_nslab"] as? [String] == ["uts"])
    }

    /// Guards point 1: where the namespace links cannot be read (root's processes, for an ordinary user),
    /// the tree said `........` (nothing differs) and JSON `[]`. Unknown is `?` in text and null in JSON.
    @Test func unreadableIsQuestionMarksAndNull() throws {
        try #require(getuid() == 0, "switching to an unprivileged user needs root")
        let tree = try Binary.runUnprivileged(["ps"])
        #expect(tree.status == 0, "\(tree.stderr)")
        // This test process runs as root: its links are unreadable to uid 65534.
        let line = try #require(tree.stdout.split(separator: "\n").first { $0.hasPrefix(String(format: "%7d", getpid())) })
        #expect(line.contains(" ???????? "), "\(line)")

        let run = try Binary.runUnprivileged(["ps", "--json"])
        let document = try NslabRun(status: run.status, stdout: run.stdout, stderr: run.stderr).json()
        let processes = try #require(document["processes"] as? [[String: Any]])
        let me = try #require(processes.first { $0["pid"] as? Int32 == getpid() })
        #expect(me["differs_from_nslab"] is NSNull)
        #expect(me["differs_from_parent"] is NSNull)
    }
}

/// Waits until `pid` runs `comm` (after its exec), up to two seconds.
private func waitForComm(_ pid: Int32, _ comm: String) {
    for _ in 0..<200 {
        if (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == comm + "\n" { return }
        usleep(10_000)
    }
}
