import Foundation
import Glibc
import Testing

@testable import TestSupport

/// `nslab run ... -- sleep SECONDS` left running in a session of its own (as root, or as uid 65534 through
/// setpriv); `pid` is the sleep, found by its unique duration. The whole session is killed when the value goes.
private final class Sleeper {
    let session: pid_t
    let pid: pid_t

    init(_ arguments: [String], seconds: Int, unprivileged: Bool = false) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        // POSIX_SPAWN_SETSID (0x80, glibc 2.26) is a macro Swift does not import.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK) | 0x80)
        let nslab = unprivileged ? Binary.publicCopy : Binary.path
        let prefix = unprivileged ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let argv = prefix + [nslab] + arguments + ["--", "sleep", String(seconds)]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArgs { free(pointer) } }
        var child: pid_t = 0
        guard posix_spawn(&child, argv[0], nil, &attributes, &cArgs, environ) == 0 else {
            throw SpawnError(description: "cannot start \(argv[0])")
        }
        session = child
        var found: pid_t = 0
        for _ in 0..<300 where found == 0 {
            usleep(10_000)
            found =
                Processes.liveMembers(ofSession: child).first {
                    (try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8)) == "sleep\0\(seconds)\0"
                } ?? 0
        }
        guard found > 0 else {
            Processes.killSession(child)
            throw SpawnError(description: "the sleep of \(argv.joined(separator: " ")) did not start")
        }
        pid = found
    }

    deinit {
        Processes.killSession(session)
        var status: Int32 = 0
        waitpid(session, &status, 0)
    }
}

/// The inode of a namespace file, and of its parent namespace (ioctl NS_GET_PARENT), nil when unreadable.
private func namespaceInode(_ path: String, parent: Bool = false) -> ino_t? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var target = fd
    if parent {
        // NS_GET_PARENT = _IO(0xb7, 0x2).
        target = ioctl(fd, UInt(0xb702))
        guard target >= 0 else { return nil }
    }
    defer { if parent { close(target) } }
    var info = stat()
    guard fstat(target, &info) == 0 else { return nil }
    return info.st_ino
}

/// The NSpid line of /proc/PID/status: the pid at every PID namespace level, outermost first.
private func nspid(_ pid: pid_t) -> [String] {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") } ?? ""
    return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().map(String.init)
}

/// Checks that `nested` runs in new user, PID and UTS namespaces whose parents are `target`'s, and shares every
/// other namespace with `target`.
private func expectNested(_ nested: pid_t, in target: pid_t, sourceLocation: SourceLocation = #_sourceLocation) {
    for kind in ["user", "pid"] {
        let own = namespaceInode("/proc/\(nested)/ns/\(kind)")
        let theirs = namespaceInode("/proc/\(target)/ns/\(kind)")
        let parent = namespaceInode("/proc/\(nested)/ns/\(kind)", parent: true)
        #expect(own != nil && own != theirs, "\(kind) is new", sourceLocation: sourceLocation)
        #expect(
            parent != nil && parent == theirs, "the new \(kind)'s parent is the target's",
            sourceLocation: sourceLocation)
    }
    #expect(
        Processes.namespaceLink(nested, "uts") != Processes.namespaceLink(target, "uts"), "uts is new",
        sourceLocation: sourceLocation)
    for kind in ["mnt", "net", "ipc", "cgroup", "time"] {
        let own = Processes.namespaceLink(nested, kind)
        #expect(
            own != nil && own == Processes.namespaceLink(target, kind), "\(kind) joined",
            sourceLocation: sourceLocation)
    }
    // Three PID levels: the host's, the target's, the new one's, where the command is 1.
    let levels = nspid(nested)
    #expect(levels.count == nspid(target).count + 1 && levels.last == "1", "\(levels)", sourceLocation: sourceLocation)
}

/// `nslab run --inside PID`: new kinds created on top of a running process's namespaces, checked from outside.
@Suite("nslab run --inside", .serialized)
struct RunInsideTests {
    static let outer = ["run", "--user", "--pid", "--uts", "--mount", "--mount-proc", "--hostname", "outer"]

    @Test("as root: new user, PID and UTS namespaces whose parents are the target's; the rest joined")
    func nestedAsRoot() throws {
        try requireRoot()
        let target = try Sleeper(Self.outer, seconds: 611)
        let nested = try Sleeper(["run", "--inside", String(target.pid), "--user", "--pid", "--uts"], seconds: 612)
        expectNested(nested.pid, in: target.pid)
        // In the foreground: the hostname is the new one's, the outer one is untouched, the status passes through.
        let result = try Binary.run([
            "run", "--inside", String(target.pid), "--uts", "--hostname", "inner", "--", "sh", "-c",
            "hostname; echo $$; exit 7",
        ])
        #expect(result.status == 7, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "inner", "\(result.stdout)")
        // The command runs in the target's PID namespace (joined): a small pid there, not nslab's.
        #expect(lines.count == 2 && (Int(lines[1]) ?? 0) < 100, "\(result.stdout)")
        let outerName = try Binary.run(["enter", String(target.pid), "--", "hostname"])
        #expect(outerName.stdout == "outer\n", "\(outerName.stdout) \(outerName.stderr)")
    }

    @Test("as uid 65534: nested inside its own child, maps written from the joined user namespace")
    func nestedUnprivileged() throws {
        try requireRoot()  // setpriv needs root to switch to uid 65534
        let target = try Sleeper(Self.outer, seconds: 613, unprivileged: true)
        let nested = try Sleeper(
            ["run", "--inside", String(target.pid), "--user", "--pid", "--uts"], seconds: 614, unprivileged: true)
        expectNested(nested.pid, in: target.pid)
        let map = try String(contentsOfFile: "/proc/\(nested.pid)/uid_map", encoding: .utf8)
        // Seen from the host: root inside is 65534, through both levels.
        #expect(map.split(whereSeparator: \.isWhitespace) == ["0", "65534", "1"], "\(map)")
        let result = try Binary.runUnprivileged([
            "run", "--inside", String(target.pid), "--user", "--net", "--", "sh", "-c",
            "id -u; cat /proc/self/uid_map",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // Seen from inside: root, mapped to root of the joined namespace.
        #expect(result.stdout.split(whereSeparator: \.isWhitespace) == ["0", "0", "0", "1"], "\(result.stdout)")
    }

    @Test("a target that is gone, and a pid that is not a number, each get one clear line")
    func badTargets() throws {
        expectRefusal(try Binary.run(["run", "--inside", "4194303", "--uts", "--", "true"]), containing: "no process")
        let word = try Binary.run(["run", "--inside", "abc", "--", "true"])
        #expect(word.status != 0 && word.stderr.contains("positive number"), "\(word.stderr)")
    }

    @Test("an ordinary user cannot nest inside root's namespaces, and is told why")
    func unprivilegedIntoRoot() throws {
        try requireRoot()
        let target = try Sleeper(Self.outer, seconds: 615)
        let result = try Binary.runUnprivileged(["run", "--inside", String(target.pid), "--uts", "--", "true"])
        expectRefusal(result, containing: "CAP_SYS_ADMIN")
    }
}
