import Foundation
import Glibc
import Testing

@testable import TestSupport

/// A process in new UTS, net, PID and mount namespaces made by util-linux, not by nslab: `unshare` runs
/// `sh`, PID 1 inside, which names its host and waits in a `sleep` that this returns.
final class ForeignTarget {
    let unshare: pid_t
    let pid: pid_t

    /// `seconds` lets a test find its own target by the sleep's argument (`600.1234`) among other sleeps.
    init(
        unshareFlags: [String] = ["--uts", "--net", "--pid", "--fork", "--mount-proc"], seconds: String = "600"
    ) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ["unshare"] + unshareFlags + ["sh", "-c", "hostname inner; sleep \(seconds)"]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, "/usr/bin/unshare", nil, &attributes, &cArgs, environ) == 0 else {
            throw SpawnError(description: "cannot start unshare")
        }
        unshare = child
        // The sleep is the grandchild: unshare forks sh (PID 1 inside), sh runs sleep.
        var found: pid_t = 0
        for _ in 0..<200 where found == 0 {
            usleep(10_000)
            // sh runs hostname first: wait for the sleep, not a child that is about to exit.
            found =
                ForeignTarget.children(of: ForeignTarget.children(of: child).first ?? -1).first {
                    (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) == "sleep\n"
                } ?? 0
        }
        guard found > 0 else { throw SpawnError(description: "the target did not start") }
        pid = found
    }

    deinit {
        kill(pid, SIGKILL)
        kill(unshare, SIGKILL)
        var status: Int32 = 0
        waitpid(unshare, &status, 0)
    }

    static func children(of parent: pid_t) -> [pid_t] {
        let tasks = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
        return tasks.split(separator: " ").compactMap { pid_t($0) }
    }
}

/// What a probe says inside the joined namespaces: the hostname, whether its pid is a small (inside) one, for
/// each kind whether its namespace is the target's (read by the test beforehand, since the target's /proc
/// entry may not be visible from inside), and the working directory.
private func probe(_ target: pid_t) -> String {
    var script = """
        hostname
        [ $$ -lt 100 ] && echo "pid inside" || echo "pid $$ outside"

        """
    for kind in ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"] {
        let link = Processes.namespaceLink(target, kind) ?? "unreadable"
        script +=
            "[ \"$(readlink /proc/self/ns/\(kind))\" = '\(link)' ] && echo '\(kind) joined' || echo '\(kind) own'\n"
    }
    return script + "pwd\n"
}

/// Guards `nslab enter` against drifting from util-linux's `nsenter -a -t PID`: the same namespaces joined, the
/// same view, the same exit status, on a target that another tool made.
@Suite("nslab enter", .serialized)
struct EnterCommandTests {
    @Test("enter joins the same namespaces nsenter -a joins and passes the status on")
    func likeNsenter() throws {
        try requireRoot()
        let target = try ForeignTarget()
        let script = probe(target.pid)
        let nslab = try Binary.run(["enter", String(target.pid), "--", "sh", "-c", script])
        // nsenter's -r and -w take the target's root and working directory, which nslab does with its mount namespace.
        let nsenter = try Binary.runProgram(
            "/usr/bin/nsenter", ["-a", "-r", "-w", "-t", String(target.pid), "sh", "-c", script])
        #expect(nslab.status == 0, "\(nslab.stderr)")
        #expect(nslab.stdout == nsenter.stdout, "nslab:\n\(nslab.stdout)\nnsenter:\n\(nsenter.stdout)")
        #expect(nslab.stdout.hasPrefix("inner\npid inside\nuts joined\n"), "\(nslab.stdout)")
        #expect(nslab.stdout.contains("net joined") && nslab.stdout.contains("mnt joined"))
        for code in ["0", "7", "130"] {
            let ours = try Binary.run(["enter", String(target.pid), "--", "sh", "-c", "exit \(code)"])
            let theirs = try Binary.runProgram(
                "/usr/bin/nsenter", ["-a", "-t", String(target.pid), "sh", "-c", "exit \(code)"])
            #expect(ours.status == theirs.status && ours.status == Int32(code)!)
        }
    }

    @Test("kind flags join only those kinds; the rest stay nslab's")
    func onlyAskedKinds() throws {
        try requireRoot()
        let target = try ForeignTarget()
        let result = try Binary.run(["enter", String(target.pid), "--uts", "--", "sh", "-c", probe(target.pid)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("inner\npid "), "\(result.stdout)")
        #expect(result.stdout.contains("uts joined") && result.stdout.contains("net own"), "\(result.stdout)")
    }

    @Test("a pid that does not exist, pid 0, a kernel thread and a zombie each get one clear line")
    func badTargets() throws {
        try requireRoot()
        let gone = try Binary.run(["enter", "4194303"])
        #expect(gone.status == 1 && gone.stderr.contains("no process with pid 4194303"), "\(gone.stderr)")
        let zero = try Binary.run(["enter", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("positive number"), "\(zero.stderr)")
        let thread = try Binary.run(["enter", "2"])
        #expect(thread.status == 1 && thread.stderr.contains("kernel thread"), "\(thread.stderr)")
        // A zombie: sh's background child exits while sh, exec'd into sleep, never reaps it.
        let maker = try Binary.runProgram("/bin/sh", ["-c", "(sleep 0 & exec sleep 30) >/dev/null 2>&1 & echo $!"])
        let sleeper = pid_t(maker.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        defer { kill(sleeper, SIGKILL) }
        var zombie: pid_t = 0
        for _ in 0..<200 where zombie == 0 {
            usleep(10_000)
            zombie =
                ForeignTarget.children(of: sleeper).first {
                    ((try? String(contentsOfFile: "/proc/\($0)/stat", encoding: .utf8)) ?? "").contains(") Z ")
                } ?? 0
        }
        try #require(zombie > 0, "no zombie to try")
        let dead = try Binary.run(["enter", String(zombie)])
        #expect(dead.status == 1 && dead.stderr.contains("zombie"), "\(dead.stderr)")
        for result in [gone, zero, thread, dead] {
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        }
    }

    @Test("an ordinary user is told what joining root's namespaces needs")
    func unprivileged() throws {
        try requireRoot()
        let target = try ForeignTarget()
        let result = try Binary.runUnprivileged(["enter", String(target.pid), "--", "true"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains("CAP_SYS_ADMIN") || result.stderr.contains("Permission denied"), "\(result.stderr)")
    }
}
