import Foundation
import Glibc
import NamespaceKit
import Testing

@Suite(.serialized) struct InspectCommandTests {
    @Test func jsonAgainstNslabItself() throws {
        try withSleeper([.uts, .net], hostname: "inspected") { child in
            let run = try runNslab(["inspect", String(child.pid), "--json"])
            #expect(run.status == 0)
            let document = try run.json()
            #expect(document["pid"] as? Int32 == child.pid)
            #expect(document["differs"] as? [String] == ["uts", "net"])
            let rows = try #require(document["kinds"] as? [[String: Any]])
            #expect(rows.map { $0["type"] as? String } == namespaceNames)
            for row in rows {
                let name = try #require(row["type"] as? String)
                #expect(row["left_id"] as? UInt64 == linkedNamespace(child.pid, name), "\(name)")
                // nslab runs in the test's namespaces, so its ids are ours.
                #expect(row["right_id"] as? UInt64 == linkedNamespace(getpid(), name), "\(name)")
            }
            let uts = try #require(rows.first { $0["type"] as? String == "uts" })
            #expect((uts["left_facts"] as? [String: Any])?["hostname"] as? String == "inspected")
            #expect(uts["same"] as? Bool == false)
        }
    }

    @Test func againstAnotherProcessAndText() throws {
        try withSleeper([.ipc]) { child in
            let run = try runNslab(["inspect", String(getpid()), "--against", String(child.pid), "--json"])
            #expect(run.status == 0)
            #expect(try run.json()["differs"] as? [String] == ["ipc"])
            let text = try runNslab(["inspect", String(child.pid)])
            let ipcLine = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("ipc ") })
            #expect(ipcLine.contains("DIFF"))
            #expect(text.stdout.split(separator: "\n").first { $0.hasPrefix("uts ") }?.contains("same") == true)
        }
    }

    @Test func missingOrVanishedPidFailsWithOneLine() throws {
        var vanished: Int32 = 0
        try withSleeper([.uts]) { child in vanished = child.pid }
        for pid in ["999999999", String(vanished)] {
            let run = try runNslab(["inspect", pid])
            #expect(run.status != 0)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(run.stderr.contains("no process with pid \(pid)"))
        }
        let bad = try runNslab(["inspect", "-5"])
        #expect(bad.status != 0)
        let words = try runNslab(["inspect", "abc"])
        #expect(words.status != 0)
    }

    /// The mount facts `nslab inspect PID --json` gives for `pid` (its `left_facts` of the mnt row).
    private func mountFacts(_ pid: Int32) throws -> [String: Any] {
        let rows = try #require(try runNslab(["inspect", String(pid), "--json"]).json()["kinds"] as? [[String: Any]])
        let row = try #require(rows.first { $0["type"] as? String == "mnt" })
        return try #require(row["left_facts"] as? [String: Any])
    }

    /// Guards issue 13, point 3 (and the "/proc: unknown" of point 16): `proc_is_own` was null where the
    /// answer is false, for a PID-namespace child that sees the host's /proc, and for a process of the host's
    /// pid namespace in a mount namespace whose /proc belongs to another pid namespace (`unshare
    /// --mount-proc`'s parent). The text says "inherited /proc" (FactText's words, as the dashboard shows it) instead of "unknown".
    @Test func procIsOwnIsFalseWhereTheProcIsAnotherPidNamespaces() throws {
        try withSleeper([.pid]) { child in
            #expect(try mountFacts(child.pid)["proc_is_own"] as? Bool == false)
            let text = try runNslab(["inspect", String(child.pid)])
            #expect(text.stdout.contains("/proc: inherited /proc"), "\(text.stdout)")
        }
        var spec = LaunchSpec(kinds: [.pid, .mount], command: ["sleep", "100"])
        spec.mountProc = true
        let child = try Launcher.launch(spec)
        defer {
            child.kill()
            _ = child.wait()
        }
        let entered = Process()
        entered.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        entered.arguments = ["-t", String(child.pid), "-m", "sleep", "100"]
        try entered.run()
        defer {
            kill(entered.processIdentifier, SIGKILL)
            entered.waitUntilExit()
        }
        for pid in [child.pid, entered.processIdentifier] {
            for _ in 0..<200 {
                if (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == "sleep\n" { break }
                usleep(10_000)
            }
        }
        #expect(try mountFacts(child.pid)["proc_is_own"] as? Bool == true)
        #expect(try mountFacts(entered.processIdentifier)["proc_is_own"] as? Bool == false)
        #expect(try mountFacts(getpid())["proc_is_own"] as? Bool == true)
    }

    /// The text lists the mounts the inspected process has (+) and lacks (-) against the other, as the dashboard's
    /// mount row detail does: a tmpfs mounted in a private mount namespace is + from its side, - from ours.
    @Test func textListsTheMountsAddedAndRemoved() throws {
        try #require(getuid() == 0, "mounting in a new mount namespace needs root")
        let directory = NSTemporaryDirectory() + "nslab-inspect-mnt-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        // Private propagation: the tmpfs never reaches the host's mount namespace.
        sleeper.arguments = [
            "-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs nslabmnt \(directory) && exec sleep 100",
        ]
        try sleeper.run()
        let pid = sleeper.processIdentifier
        defer {
            kill(pid, SIGKILL)
            sleeper.waitUntilExit()
        }
        for _ in 0..<300 {
            if (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == "sleep\n" { break }
            usleep(10_000)
        }
        let text = try runNslab(["inspect", String(pid)]).stdout
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let own = try #require(ownPID(text), "\(text)")
        #expect(lines.contains("mounts against pid \(own):"), "\(text)")
        #expect(lines.contains { $0.hasPrefix("+ \(directory) tmpfs (nslabmnt)") }, "\(text)")
        #expect(!lines.contains { $0.hasPrefix("- \(directory) ") }, "\(text)")
        let reverse = try runNslab(["inspect", String(getpid()), "--against", String(pid)]).stdout
        #expect(reverse.contains("mounts against pid \(pid):"), "\(reverse)")
        let removed = reverse.split(separator: "\n").contains { $0.contains("- \(directory) tmpfs (nslabmnt)") }
        #expect(removed, "\(reverse)")
        // Processes in one mount namespace have no such list.
        let same = try runNslab(["inspect", String(getpid())]).stdout
        #expect(!same.contains("mounts against"), "\(same)")
    }

    /// The pid of the right-hand column's title (`pid N comm (host)`): the nslab process that ran.
    private func ownPID(_ text: String) -> Int? {
        guard let header = text.split(separator: "\n").first,
            let range = header.range(of: "  pid ", options: .backwards)
        else { return nil }
        return Int(header[range.upperBound...].prefix { $0.isNumber })
    }
}
