import Foundation
import Glibc
import Testing

@testable import TestSupport

/// A root file system like a minimal image's: the static busybox at `/bin/busybox` and its applets as absolute
/// links to it (as `busybox --install -s` and Alpine make them). No /usr: the host's /usr/bin/hostname has no
/// counterpart here. Removed on deinit.
final class BusyboxRootfs {
    let directory = NSTemporaryDirectory() + "nslab-busybox-\(UUID().uuidString.prefix(8))"
    var rootfs: String { directory + "/rootfs" }

    init() throws {
        for name in ["bin", "proc", "dev", "sys", "tmp", "etc"] {
            try FileManager.default.createDirectory(atPath: rootfs + "/" + name, withIntermediateDirectories: true)
        }
        Binary.copyExecutable(from: "/bin/busybox", to: rootfs + "/bin/busybox")
        for applet in ["sh", "ash", "hostname", "sleep", "cat", "ls", "env", "pwd"] {
            try FileManager.default.createSymbolicLink(
                atPath: rootfs + "/bin/" + applet, withDestinationPath: "/bin/busybox")
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A runc container over a `BusyboxRootfs` (pivot_root, as every engine does), running `sleep SECONDS` as its
/// init, with its own hostname. Deleted on deinit.
final class RuncBusybox {
    let image: BusyboxRootfs
    let id = "nslab-bb-\(getpid())-\(UUID().uuidString.prefix(4))"
    let hostname: String
    let pid: Int32

    init(hostname: String, seconds: String = "600") throws {
        image = try BusyboxRootfs()
        self.hostname = hostname
        let spec = try Binary.runProgram("/usr/sbin/runc", ["spec"], directory: image.directory)
        guard spec.status == 0 else { throw SpawnError(description: "runc spec: \(spec.stderr)") }
        let configPath = image.directory + "/config.json"
        var config =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any]
            ?? [:]
        config["root"] = ["path": "rootfs", "readonly": true]
        config["hostname"] = hostname
        var process = config["process"] as? [String: Any] ?? [:]
        process["args"] = ["sleep", seconds]
        process["terminal"] = false
        config["process"] = process
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let started = try Binary.runProgram(
            "/bin/sh", ["-c", "exec /usr/sbin/runc run -d \(id) </dev/null >/dev/null 2>&1"],
            directory: image.directory)
        let state = try Binary.runProgram("/usr/sbin/runc", ["state", id])
        let found =
            (try? JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])?["pid"] as? Int
        guard started.status == 0, let found else {
            _ = try? Binary.runProgram("/usr/sbin/runc", ["delete", "-f", id])
            throw SpawnError(description: "runc run: \(started.stderr) \(state.stderr)")
        }
        pid = Int32(found)
    }

    deinit {
        _ = try? Binary.runProgram("/usr/sbin/runc", ["delete", "-f", id])
    }
}

/// The live processes whose command line is `words`, from /proc.
private func processes(running words: [String]) -> [Int32] {
    let wanted = words.joined(separator: "\0") + "\0"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter {
        (try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8)) == wanted
    }
}

/// `nslab enter` and `run --inside` against real containers whose image is a busybox root file system: the
/// command is found inside the container's root as nsenter finds it (issue 25). Before, it was looked up on the
/// host, and `enter PID --all -- hostname` failed with "command not found inside the new namespaces".
@Suite("nslab enter into busybox containers", .serialized)
struct BusyboxEnterTests {
    /// The environment nslab runs with in these tests: a host PATH, which names /usr/bin first.
    static let hostPATH = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/"]

    @Test("runc: enter --all -- hostname and -- /bin/ash -c hostname print what nsenter -a prints")
    func runcHostname() throws {
        try requireRoot()
        let container = try RuncBusybox(hostname: "runcbox")
        for command in [["hostname"], ["/bin/ash", "-c", "hostname"], ["sh", "-c", "hostname"]] {
            let theirs = try Binary.runProgram(
                "/usr/bin/nsenter", ["-t", String(container.pid), "-a"] + command, environment: Self.hostPATH)
            let ours = try Binary.run(["enter", String(container.pid), "--all", "--"] + command, environment: Self.hostPATH)
            #expect(theirs.status == 0 && theirs.stdout == "runcbox\n", "nsenter: \(theirs.stderr)")
            #expect(ours.status == 0, "\(command): \(ours.stderr)")
            #expect(ours.stdout == theirs.stdout, "\(command)")
        }
        // run --inside: a new UTS namespace on top of the container's starts with its hostname.
        let nested = try Binary.run(
            ["run", "--inside", String(container.pid), "--uts", "--", "hostname"], environment: Self.hostPATH)
        #expect(nested.status == 0 && nested.stdout == "runcbox\n", "\(nested.stderr)")
    }

    /// util-linux's `unshare --root` chroots instead of pivoting: the mount namespace's root stays the host's, and
    /// only the process's root is the image. nsenter needs -r -w to take it; nslab enter always does, as its README
    /// says (`nsenter -a -r -w -t PID`).
    @Test("unshare --root: enter --all prints what nsenter -a -r -w prints, inside the chroot'd image")
    func unshareRootHostname() throws {
        try requireRoot()
        let image = try BusyboxRootfs()
        let marker = "600.\(getpid())7"
        let started = try Binary.runProgram(
            "/bin/sh",
            [
                "-c",
                "unshare --uts --ipc --pid --mount --net --fork --root='\(image.rootfs)' /bin/sh -c "
                    + "'hostname chrootbox; exec sleep \(marker)' </dev/null >/dev/null 2>&1 &",
            ], environment: ["PATH": "/bin:/usr/bin"])
        try #require(started.status == 0, "\(started.stderr)")
        var pid: Int32 = 0
        for _ in 0..<300 where pid == 0 {
            usleep(10_000)
            pid = processes(running: ["sleep", marker]).first ?? 0
        }
        defer { if pid > 0 { kill(pid, SIGKILL) } }
        try #require(pid > 0, "the chroot'd sleep did not start")
        let root = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/root")
        #expect(root == image.rootfs, "the target's root is the image")
        for command in [["hostname"], ["/bin/ash", "-c", "hostname; pwd"]] {
            let theirs = try Binary.runProgram(
                "/usr/bin/nsenter", ["-t", String(pid), "-a", "-r", "-w"] + command, environment: Self.hostPATH)
            let ours = try Binary.run(["enter", String(pid), "--all", "--"] + command, environment: Self.hostPATH)
            #expect(theirs.status == 0 && theirs.stdout.hasPrefix("chrootbox\n"), "nsenter: \(theirs.stderr)")
            #expect(ours.status == 0, "\(command): \(ours.stderr)")
            #expect(ours.stdout == theirs.stdout, "\(command)")
        }
    }

    @Test("runc: a missing command names the container's root and the PATH searched, and exits 127")
    func runcMissingCommand() throws {
        try requireRoot()
        let container = try RuncBusybox(hostname: "runcbox")
        let pid = container.pid
        let missing = try Binary.run(["enter", String(pid), "--all", "--", "no-such-xyz"], environment: Self.hostPATH)
        #expect(missing.status == 127)
        #expect(
            missing.stderr
                == "nslab: no-such-xyz: command not found inside pid \(pid)'s root (/proc/\(pid)/root), PATH "
                + Self.hostPATH["PATH"]! + "\n")
        // A host program named by its path is not the container's.
        let hostPath = try Binary.run(["enter", String(pid), "--all", "--", "/usr/bin/env"], environment: Self.hostPATH)
        #expect(hostPath.status == 127)
        #expect(hostPath.stderr.contains("/usr/bin/env: command not found inside pid \(pid)'s root"), "\(hostPath.stderr)")
        // Without a PATH of nslab's own, the container's is searched (runc's default) and named.
        let noPath = try Binary.run(["enter", String(pid), "--all", "--", "no-such-xyz"], environment: ["HOME": "/"])
        let theirs = try #require(
            try String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8).split(separator: "\0")
                .first { $0.hasPrefix("PATH=") }?.dropFirst(5))
        #expect(noPath.stderr.hasSuffix(", PATH \(theirs)\n"), "\(noPath.stderr)")
        let found = try Binary.run(["enter", String(pid), "--all", "--", "hostname"], environment: ["HOME": "/"])
        #expect(found.stdout == "runcbox\n", "\(found.stderr)")
    }

    @Test("runc: enter without a command starts $SHELL when the image has it, else /bin/sh, and says so")
    func runcDefaultShell() throws {
        try requireRoot()
        let container = try RuncBusybox(hostname: "runcbox")
        let pid = container.pid
        let result = try Binary.runScript("echo hostname | SHELL=/bin/bash \"$NSLAB\" enter \(pid) --all")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "runcbox\n")
        #expect(
            result.stderr == "nslab: /bin/bash is not in pid \(pid)'s root: starting /bin/sh instead\n",
            "\(result.stderr)")
        let present = try Binary.runScript("echo hostname | SHELL=/bin/ash \"$NSLAB\" enter \(pid) --all")
        #expect(present.stdout == "runcbox\n" && present.stderr.isEmpty, "\(present.stderr)")
    }

    @Test("podman: an image imported from the busybox tarball; enter prints what nsenter -a and podman exec print")
    func podmanHostname() throws {
        try requireRoot()
        let rootfs = try BusyboxRootfs()
        let tag = "localhost/nslab-busybox-test:\(getpid())"
        let name = "nslab-bb-\(getpid())"
        let imported = try Binary.runProgram(
            "/bin/sh", ["-c", "tar -C '\(rootfs.rootfs)' -c . | podman import - \(tag)"])
        try #require(imported.status == 0, "podman import: \(imported.stderr)")
        defer {
            _ = try? Binary.runProgram("/usr/bin/podman", ["rm", "-f", "-t", "0", name])
            _ = try? Binary.runProgram("/usr/bin/podman", ["rmi", "-f", tag])
        }
        let run = try Binary.runProgram(
            "/usr/bin/podman",
            [
                "run", "-d", "--network", "none", "--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit",
                "nproc=4096:4096",
                "--hostname", "podbox", "--name", name, tag, "sleep", "600",
            ])
        try #require(run.status == 0, "podman run: \(run.stderr)")
        let inspect = try Binary.runProgram("/usr/bin/podman", ["inspect", "-f", "{{.State.Pid}}", name])
        let pid = try #require(Int32(inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(inspect.stderr)")
        let exec = try Binary.runProgram("/usr/bin/podman", ["exec", name, "hostname"])
        #expect(exec.stdout == "podbox\n", "\(exec.stderr)")
        for command in [["hostname"], ["/bin/ash", "-c", "hostname"]] {
            let theirs = try Binary.runProgram(
                "/usr/bin/nsenter", ["-t", String(pid), "-a"] + command, environment: Self.hostPATH)
            let ours = try Binary.run(["enter", String(pid), "--all", "--"] + command, environment: Self.hostPATH)
            #expect(ours.status == 0, "\(command): \(ours.stderr)")
            #expect(ours.stdout == theirs.stdout && ours.stdout == exec.stdout, "\(command): \(theirs.stderr)")
        }
    }

    @Test("dashboard: e on a busybox container's process starts /bin/sh there and says why in the status bar")
    func dashboardEnter() throws {
        try requireRoot()
        let marker = "600.\(getpid())"
        let container = try RuncBusybox(hostname: "runcbox", seconds: marker)
        let tmux = try TmuxSession("\(Binary.path) --shell /bin/bash", width: 160, height: 45, environment: ["PS1": "bb$ "])
        try tmux.waitFor("Namespaces", timeout: 15)
        try tmux.send("Tab")  // the process tree
        try tmux.send("/")
        try tmux.send("sleep " + marker, literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("sleep \(marker)", timeout: 15)
        try tmux.send("e")
        let screen = try tmux.waitFor("/bin/sh (no /bin/bash inside)", timeout: 15)
        #expect(screen.contains("entered \(container.pid) (sleep)"), "\(screen)")
        try tmux.waitFor("bb$", timeout: 15)
        try tmux.send("echo \"h=$(hostname)\"", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("h=runcbox", timeout: 15)
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n", timeout: 15)
        try tmux.send("y")
    }
}
