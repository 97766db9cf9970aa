import Foundation
import Glibc
import Testing

/// Real containers and sandboxes from outside: runc (a bundle whose root is a bind of `/`, no image), bwrap,
/// capabilities in a user namespace without maps, and mount propagation against findmnt.
@Suite(.serialized) struct ContainerCommandTests {
    /// Starts `arguments` in the background and waits until `ready` (by default: it has exec'd `sleep`); the caller
    /// kills it.
    private func startSleeper(_ arguments: [String], ready: ((Int32) -> Bool)? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let isReady =
            ready ?? { (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) == "sleep\n" }
        for _ in 0..<300 where !isReady(pid) { usleep(10_000) }
        return process
    }

    private func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func psEntry(_ pid: Int32) throws -> [String: Any] {
        let ps = try runNslab(["ps", "--json"])
        let processes = try #require(try ps.json()["processes"] as? [[String: Any]])
        return try #require(processes.first { $0["pid"] as? Int == Int(pid) }, "pid \(pid) not in ps --json")
    }

    /// `runc run -d` on a bundle whose rootfs is a read-only bind of `/` (made in a private mount namespace, so the
    /// host never sees the bind): nslab labels the container's init as runc with the container's id, in ps, ls and
    /// inspect JSON, and the host's processes carry no label.
    @Test func runcContainerIsLabelled() throws {
        try requireRoot()
        let bundle = NSTemporaryDirectory() + "nslab-runc-\(UUID().uuidString.prefix(8))"
        let id = "nslabtest\(getpid())"
        defer {
            _ = try? Binary.runProgram("/usr/sbin/runc", ["delete", "-f", id])
            try? FileManager.default.removeItem(atPath: bundle)
        }
        let pid = try RuncContainer.start(id: id, bundle: bundle, arguments: ["sleep", "100"])
        let entry = try psEntry(Int32(pid))
        let container = try #require(entry["container"] as? [String: Any], "\(entry)")
        #expect(container["engine"] as? String == "runc")
        #expect(container["id"] as? String == id)
        #expect(try psEntry(getpid())["container"] is NSNull)

        let ls = try runNslab(["ls", "--json"])
        let namespaces = try #require(try ls.json()["namespaces"] as? [[String: Any]])
        let pidNamespace = try #require(namespaces.first { $0["type"] as? String == "pid" && $0["pid"] as? Int == pid })
        #expect((pidNamespace["container"] as? [String: Any])?["id"] as? String == id)

        let inspect = try runNslab(["inspect", String(pid), "--json"])
        let left = try #require(try inspect.json()["left"] as? [String: Any])
        #expect((left["container"] as? [String: Any])?["engine"] as? String == "runc")
        let text = try runNslab(["inspect", String(pid)])
        #expect(text.stdout.contains("container: runc:\(id)"), "\(text.stdout)")

        // The text of ps and ls labels the init as the dashboard's tree does; nslab's own row has no label.
        let psText = try runNslab(["ps"]).stdout.split(separator: "\n")
        let initRow = psText.first { $0.split(separator: " ").first == Substring(String(pid)) }
        #expect(initRow?.contains("{runc:\(id)} ") == true, "\(initRow ?? "no row for \(pid)")")
        let ownRow = psText.first { $0.split(separator: " ").first == Substring(String(getpid())) }
        #expect(ownRow.map { !$0.contains("{runc:") } == true)
        let lsText = try runNslab(["ls"]).stdout.split(separator: "\n")
        let pidID = try #require(pidNamespace["id"] as? UInt64)
        let pidRow = lsText.first { $0.split(separator: " ").prefix(2) == [Substring(String(pidID)), "pid"] }
        #expect(pidRow?.contains("{runc:\(id)} ") == true, "\(lsText.joined(separator: "\n"))")
    }

    /// bwrap leaves no engine state and no cgroup of its own: its sandbox is in new namespaces yet is no one's
    /// container, and nslab does not invent a label for it.
    @Test func bwrapSandboxHasNamespacesButNoLabel() throws {
        try requireRoot()
        // bwrap forks, so it is ready once it has a child.
        let sandbox = try startSleeper(
            [
                "/usr/bin/bwrap", "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--unshare-pid", "--unshare-uts", "--", "sleep", "100",
            ],
            ready: { FileManager.default.fileExists(atPath: "/proc/\($0)/task/\($0)/children") })
        var sleeperPID: Int32?
        defer {
            stop(sandbox)
            if let sleeperPID { kill(sleeperPID, SIGKILL) }
        }
        // bwrap forks: its pid 1 inside is a child of the bwrap process; find the sleep below it.
        var sleeper: [String: Any]?
        for _ in 0..<300 where sleeper == nil {
            let current = try #require(try runNslab(["ps", "--json"]).json()["processes"] as? [[String: Any]])
            sleeper = current.first { entry in
                let parent = current.first { $0["pid"] as? Int == entry["ppid"] as? Int }
                return entry["comm"] as? String == "sleep"
                    && (entry["differs_from_nslab"] as? [String])?.contains("uts") == true
                    && parent?["comm"] as? String == "bwrap"
            }
            if sleeper == nil { usleep(20_000) }
        }
        let found = try #require(sleeper, "no sleep under bwrap in ps --json")
        sleeperPID = (found["pid"] as? Int).map { Int32($0) }
        #expect((found["differs_from_nslab"] as? [String])?.contains("pid") == true)
        #expect(found["container"] is NSNull, "\(found)")
    }

    /// The lesson of the user namespace: a process in a new one without maps is uid 65534 (here from outside too,
    /// as setpriv made it so) yet holds every capability, in its own user namespace. The process calls unshare()
    /// itself and does not exec afterwards: an execve as a uid that is not root in the namespace drops them all,
    /// so `unshare --user sleep` would show none.
    @Test func newUserNamespaceHasEveryCapability() throws {
        try requireRoot()
        let hostUser = linkedNamespace(getpid(), "user")
        let script = "import ctypes, time\nassert ctypes.CDLL(None).unshare(0x10000000) == 0\ntime.sleep(100)\n"
        let child = try startSleeper(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script],
            ready: { linkedNamespace($0, "user").map { $0 != hostUser } ?? false })
        defer { stop(child) }
        let pid = child.processIdentifier
        let inspect = try runNslab(["inspect", String(pid), "--json"])
        let kinds = try #require(try inspect.json()["kinds"] as? [[String: Any]])
        let user = try #require(kinds.first { $0["type"] as? String == "user" })
        let facts = try #require(user["left_facts"] as? [String: Any], "\(user)")
        #expect((facts["uid"] as? [String: Any])?["effective"] as? Int == 65534)
        let capabilities = try #require(facts["capabilities"] as? [String: Any], "\(facts)")
        #expect(capabilities["effective_all"] as? Bool == true)
        #expect((capabilities["effective"] as? [String])?.contains("cap_sys_admin") == true)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let capEff = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }?.split(separator: "\t").last
        #expect(capabilities["effective_hex"] as? String == capEff.map(String.init))
        let ownNamespace = try #require(linkedNamespace(pid, "user"))
        #expect(capabilities["user_ns"] as? UInt64 == ownNamespace)
        #expect(ownNamespace != linkedNamespace(getpid(), "user"))
        let text = try runNslab(["inspect", String(pid)])
        #expect(text.stdout.contains("cap eff: all"), "\(text.stdout)")
        #expect(text.stdout.contains("caps in: user ns \(ownNamespace)"), "\(text.stdout)")
    }

    /// Propagation counts as findmnt counts them, for a mount namespace made private and for the host.
    @Test func propagationCountsMatchFindmnt() throws {
        try requireRoot()
        let child = try startSleeper(["/usr/bin/unshare", "-m", "--propagation", "private", "sleep", "100"])
        defer { stop(child) }
        let pid = child.processIdentifier
        let inspect = try runNslab(["inspect", String(pid), "--json"])
        let kinds = try #require(try inspect.json()["kinds"] as? [[String: Any]])
        let mount = try #require(kinds.first { $0["type"] as? String == "mnt" })
        for (side, target) in [("left_facts", pid), ("right_facts", getpid())] {
            let facts = try #require(mount[side] as? [String: Any])
            let counts = try #require(facts["propagation"] as? [String: Any], "\(facts)")
            let findmnt = try Binary.runProgram(
                "/usr/bin/findmnt", ["-N", String(target), "-o", "PROPAGATION", "-n", "-r"])
            let words = findmnt.stdout.split(separator: "\n").map { Set($0.split(separator: ",").map(String.init)) }
            #expect(counts["shared"] as? Int == words.filter { $0.contains("shared") }.count, "\(side)")
            #expect(counts["slave"] as? Int == words.filter { $0.contains("slave") }.count, "\(side)")
            #expect(counts["unbindable"] as? Int == words.filter { $0.contains("unbindable") }.count, "\(side)")
            #expect(counts["private"] as? Int == words.filter { $0 == ["private"] }.count, "\(side)")
        }
        let childCounts = try #require((mount["left_facts"] as? [String: Any])?["propagation"] as? [String: Any])
        #expect(childCounts["shared"] as? Int == 0)
        #expect(childCounts["slave"] as? Int == 0)
    }
}

/// The tree's `c` filter in the real dashboard, driven through tmux.
@Suite struct ContainerFilterEndToEndTests {
    /// A sleeper in its own UTS namespace stays in the filtered tree; the dashboard itself, in every host namespace
    /// and no ancestor of anything kept, goes; `c` again brings it back.
    @Test("c hides the host's processes and keeps one in a namespace of its own")
    func filterInTheDashboard() throws {
        try requireRoot()
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        sleeper.arguments = ["--uts", "sleep", "611"]
        try sleeper.run()
        defer {
            kill(sleeper.processIdentifier, SIGKILL)
            sleeper.waitUntilExit()
        }
        let tmux = try TmuxSession("\(Binary.path) --shell /bin/sh")
        try tmux.waitFor("Namespaces")
        // Focus the process tree (Tab from the Namespaces panel), then filter.
        var screen = try tmux.screen()
        for _ in 0..<4 where !screen.contains("containers and children") {
            try tmux.send("Tab")
            try tmux.send("c")
            usleep(300_000)
            screen = try tmux.screen()
        }
        // The command may be cut at the panel's edge; the pid and its U letter are not.
        let pid = String(sleeper.processIdentifier)
        screen = try tmux.waitFor(" \(pid) ")
        let row = screen.split(separator: "\n").first { $0.contains(" \(pid) ") }
        #expect(row?.contains("U·······") == true, "\(screen)")
        #expect(screen.contains("containers and children"), "\(screen)")
        // The dashboard itself is in every host namespace and the ancestor of nothing kept.
        let dashboard = try tmux.panePID()
        #expect(!screen.contains(" \(dashboard) "), "the dashboard's own row is hidden: \(screen)")
        try tmux.send("c")
        usleep(500_000)
        screen = try tmux.screen()
        #expect(!screen.contains("containers and children"), "\(screen)")
        try tmux.send("q")
    }
}
