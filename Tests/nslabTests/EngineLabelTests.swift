import Foundation
import Glibc
import TestSupport
import Testing

/// A busybox root filesystem in `directory/rootfs` (the static busybox of scripts/setup.sh, with the applets the
/// tests run), for engines that run a directory (`ctr run --rootfs`) or import a tar of it (`podman import`).
private func makeBusyboxRoot(in directory: String) throws -> String {
    let rootfs = directory + "/rootfs"
    try FileManager.default.createDirectory(atPath: rootfs + "/bin", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
    for applet in ["sh", "sleep", "hostname", "cat"] {
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
    }
    return rootfs
}

/// Whether `pid` has ended (gone, or a zombie nobody reaps: PID 1 here does not).
private func hasEnded(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
}

/// The `container` object of `pid` in `nslab ps --json`.
private func containerOf(_ pid: Int) throws -> [String: Any]? {
    let processes = try #require(try runNslab(["ps", "--json"]).json()["processes"] as? [[String: Any]])
    let entry = try #require(processes.first { $0["pid"] as? Int == pid }, "pid \(pid) not in ps --json")
    return entry["container"] as? [String: Any]
}

/// Container labels against real engines: rootless Podman as an ordinary user (its own store under
/// `~/.local/share/containers`) and containerd's `ctr` with a private daemon. The labels must say what the
/// engines' own tools say (`podman inspect`, `ctr task ls`, `runc list`).
@Suite(.serialized) struct EngineLabelTests {
    /// Regression: a rootless Podman container was labelled `runc` with no name, as only the machine's store was
    /// read. A user made for the test (with subordinate ids) imports a busybox image and runs a container; nslab
    /// names it as `podman inspect` does. The user, its containers and its files go afterwards.
    @Test func rootlessPodmanIsNamed() throws {
        try requireRoot()
        let user = "nslabpod\(getpid() % 100_000)"
        let scratch = NSTemporaryDirectory() + "nslab-podman-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let added = try Binary.runProgram(
            "/usr/sbin/useradd", ["-m", "-s", "/bin/sh", user])
        #expect(added.status == 0, "\(added.stderr)")
        let uid = try #require(getpwnam(user)?.pointee.pw_uid, "useradd made no \(user)")
        let home = "/home/\(user)"
        let runtime = "/run/user/\(uid)"
        var conmon: Int32?
        defer {
            // The container, its monitor, the user's pause process (it holds the rootless user namespace), the
            // user with its home and subordinate ids, and the scratch files.
            _ = try? asUser(["/usr/bin/podman", "rm", "-f", "-t", "0", "--all"])
            if let conmon { kill(conmon, SIGKILL) }
            if let pause = try? String(contentsOfFile: runtime + "/libpod/tmp/pause.pid", encoding: .utf8),
                let pid = Int32(pause.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(pid, SIGKILL)
            }
            _ = try? Binary.runProgram("/usr/sbin/userdel", ["-r", "-f", user])
            try? FileManager.default.removeItem(atPath: runtime)
            try? FileManager.default.removeItem(atPath: scratch)
        }
        func asUser(_ command: [String]) throws -> RunResult {
            try Binary.runProgram(
                "/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--init-groups"] + command,
                environment: [
                    "HOME": home, "XDG_RUNTIME_DIR": runtime, "USER": user, "PATH": "/usr/local/bin:/usr/bin:/bin",
                ],
                directory: home)
        }
        // Subordinate ids for the user namespace, as a distribution's useradd gives them.
        let subids = try String(contentsOfFile: "/etc/subuid", encoding: .utf8)
        #expect(subids.contains("\(user):"), "useradd gave \(user) no subordinate uids")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        chown(runtime, uid, uid)
        chmod(runtime, 0o700)
        let rootfs = try makeBusyboxRoot(in: scratch)
        let tar = scratch + "/busybox.tar"
        let packed = try Binary.runProgram("/usr/bin/tar", ["-C", rootfs, "-cf", tar, "."])
        #expect(packed.status == 0, "\(packed.stderr)")
        chmod(scratch, 0o755)
        chmod(tar, 0o644)
        let imported = try asUser(["/usr/bin/podman", "import", tar, "localhost/nslab-busybox:test"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let name = "nslab-rootless-\(getpid())"
        let started = try asUser([
            "/usr/bin/podman", "run", "-d", "--network", "none", "--name", name, "--runtime", "runc",
            "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096", "localhost/nslab-busybox:test",
            "/bin/sleep", "600",
        ])
        #expect(started.status == 0, "\(started.stderr)")
        let inspected = try asUser([
            "/usr/bin/podman", "inspect", name, "--format", "{{.Id}} {{.Name}} {{.State.Pid}} {{.State.ConmonPid}}",
        ])
        let fields = inspected.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(fields.count == 4, "podman inspect: \(inspected.stdout) \(inspected.stderr)")
        conmon = Int32(fields[3])
        let pid = try #require(Int(fields[2]))
        let container = try #require(try containerOf(pid), "no label on the container's init \(pid)")
        #expect(container["engine"] as? String == "podman", "\(container)")
        #expect(container["name"] as? String == fields[1], "\(container)")
        #expect(container["full_id"] as? String == fields[0], "\(container)")
        #expect(container["id"] as? String == String(fields[0].prefix(12)), "\(container)")
        let tree = try runNslab(["ps"]).stdout.split(separator: "\n")
        let row = tree.first { $0.split(separator: " ").first == Substring(String(pid)) }
        #expect(row?.contains("{podman:\(name)} ") == true, "\(row ?? "no row for \(pid)")")
        // A second process, started with `podman exec`: the same name, as `podman top` lists it in the container.
        let exec = try asUser(["/usr/bin/podman", "exec", "-d", name, "/bin/sleep", "601"])
        #expect(exec.status == 0, "\(exec.stderr)")
        var second: Int?
        for _ in 0..<50 where second == nil {
            let top = try asUser(["/usr/bin/podman", "top", name, "hpid", "args"]).stdout.split(separator: "\n")
            second = top.first { $0.contains("601") }.flatMap { Int($0.split(separator: " ").first ?? "") }
            if second == nil { usleep(100_000) }
        }
        let other = try #require(second, "podman top shows no second process")
        #expect(try containerOf(other)?["name"] as? String == name)
    }

    /// Regression: a `ctr run` container got no label, as containerd's runc directory was not read. A private
    /// containerd (its own root, state and socket) runs a busybox root filesystem in a namespace of the test's;
    /// nslab labels it `containerd:NAMESPACE/ID`, the id and pid as `ctr task ls` and `runc list` give them.
    @Test func containerdContainerIsLabelled() throws {
        try requireRoot()
        let scratch = "/tmp/nslab-ctrd-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let socket = scratch + "/containerd.sock"
        // Not `nslabtest<pid>`: that is the runc test's container id, and so its cgroup, which would hold this one.
        let namespace = "nslabctr\(getpid())"
        let id = "web\(getpid())"
        // containerd's shim keeps its runc state under /run/containerd, whatever the daemon's own state says:
        // what did not exist before goes afterwards.
        let sharedDirectories = ["/run/containerd/runc", "/run/containerd/fifo", "/run/containerd/s", "/run/containerd"]
        let existing = Set(sharedDirectories.filter { FileManager.default.fileExists(atPath: $0) })
        // ctr leaves the stdio fifos of detached tasks there, one directory each.
        let fifos = "/run/containerd/fifo"
        let fifosBefore = Set((try? FileManager.default.contentsOfDirectory(atPath: fifos)) ?? [])
        try """
        version = 2
        root = "\(scratch)/root"
        state = "\(scratch)/state"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]
        [grpc]
          address = "\(socket)"
        [ttrpc]
          address = "\(socket).ttrpc"
        """.write(toFile: scratch + "/config.toml", atomically: true, encoding: .utf8)
        let rootfs = try makeBusyboxRoot(in: scratch)
        let daemon = try Binary.runProgram(
            "/bin/sh", ["-c", "/usr/bin/containerd --config \(scratch)/config.toml >\(scratch)/log 2>&1 & echo $!"])
        let daemonPID = try #require(Int32(daemon.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        func ctr(_ arguments: [String]) throws -> RunResult {
            try Binary.runProgram("/usr/bin/ctr", ["--address", socket, "-n", namespace] + arguments)
        }
        defer {
            _ = try? ctr(["task", "kill", "-s", "KILL", id])
            for _ in 0..<50 where (try? ctr(["task", "rm", id]))?.status != 0 { usleep(100_000) }
            _ = try? ctr(["container", "rm", id])
            _ = try? ctr(["namespace", "rm", namespace])
            kill(daemonPID, SIGTERM)
            for _ in 0..<100 where !hasEnded(daemonPID) { usleep(50_000) }
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: fifos)) ?? []
            where !fifosBefore.contains(entry) {
                try? FileManager.default.removeItem(atPath: fifos + "/" + entry)
            }
            rmdir("/run/containerd/runc/\(namespace)")
            // runc removes the container's cgroups but not the namespace's directory above them (`/NAMESPACE/ID`).
            for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
                rmdir("/sys/fs/cgroup/\(hierarchy)/\(namespace)")
            }
            rmdir("/sys/fs/cgroup/\(namespace)")
            for directory in sharedDirectories where !existing.contains(directory) { rmdir(directory) }
            try? FileManager.default.removeItem(atPath: scratch)
        }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? ctr(["version"]))?.status == 0
            if !ready { usleep(100_000) }
        }
        let log = (try? String(contentsOfFile: scratch + "/log", encoding: .utf8)) ?? ""
        try #require(ready, "containerd did not start: \(log)")
        let started = try ctr(["run", "-d", "--rootfs", rootfs, id, "/bin/sleep", "600"])
        #expect(started.status == 0, "\(started.stderr)")
        // `ctr task ls`: TASK PID STATUS.
        let tasks = try ctr(["task", "ls"]).stdout.split(separator: "\n").map { $0.split(separator: " ") }
        let task = try #require(tasks.first { $0.first == Substring(id) }, "ctr task ls: \(tasks)")
        let pid = try #require(Int(task[1]))
        // runc's own view of containerd's state directory for the namespace: the same id and pid.
        let runc = try Binary.runProgram(
            "/usr/sbin/runc", ["--root", "/run/containerd/runc/\(namespace)", "list", "-q"])
        #expect(runc.stdout.split(separator: "\n").contains(Substring(id)), "runc list: \(runc.stdout)")
        let container = try #require(try containerOf(pid), "no label on the task \(pid)")
        #expect(container["engine"] as? String == "containerd", "\(container)")
        #expect(container["id"] as? String == id, "\(container)")
        #expect(container["namespace"] as? String == namespace, "\(container)")
        let tree = try runNslab(["ps"]).stdout.split(separator: "\n")
        let row = tree.first { $0.split(separator: " ").first == Substring(String(pid)) }
        #expect(row?.contains("{containerd:\(namespace)/\(id)} ") == true, "\(row ?? "no row for \(pid)")")
        // A process of the container that is not its init is known by the cgroup the state names.
        let exec = try ctr(["task", "exec", "-d", "--exec-id", "second", id, "/bin/sleep", "601"])
        #expect(exec.status == 0, "\(exec.stderr)")
        var second: Int?
        for _ in 0..<50 where second == nil {
            let processes = try ctr(["task", "ps", id]).stdout.split(separator: "\n").dropFirst()
            second = processes.compactMap { Int($0.split(separator: " ").first ?? "") }.first { $0 != pid }
            if second == nil { usleep(100_000) }
        }
        let other = try #require(second, "ctr task ps shows no second process")
        #expect(try containerOf(other)?["namespace"] as? String == namespace)
    }
}
