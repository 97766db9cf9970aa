import Foundation
import Glibc
import TestSupport
import Testing

@testable import NamespaceKit

/// The kinds in which `pid` differs from this test process.
private func differingKinds(_ pid: pid_t) -> Set<NamespaceKind> {
    Set(Processes.differingKinds(pid).compactMap(NamespaceKind.init(argument:)))
}

private func launchSleeper(_ kinds: Set<NamespaceKind>, _ change: (inout LaunchSpec) -> Void = { _ in }) throws -> Child
{
    var spec = LaunchSpec(kinds: kinds, command: ["sleep", "1000"])
    change(&spec)
    return try Launcher.launch(spec)
}

/// The launcher itself, checked from outside through /proc, as root.
@Suite("launcher, as root")
struct LauncherTests {
    @Test("each kind alone is new, and only that kind", arguments: NamespaceKind.allCases)
    func eachKindAlone(kind: NamespaceKind) throws {
        try #require(getuid() == 0, "needs root")
        let child = try launchSleeper([kind])
        defer {
            child.kill()
            _ = child.wait()
        }
        #expect(differingKinds(child.pid) == [kind])
    }

    @Test("all eight kinds together")
    func allKinds() throws {
        try #require(getuid() == 0, "needs root")
        let child = try launchSleeper(Set(NamespaceKind.allCases))
        defer {
            child.kill()
            _ = child.wait()
        }
        #expect(differingKinds(child.pid) == Set(NamespaceKind.allCases))
        // With a new time namespace the command is the keeper's child; it is still PID 1 inside.
        #expect(child.leaderPID != child.pid)
        let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
        let nspid = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") }
        #expect(nspid?.split(whereSeparator: \.isWhitespace).last == "1", "\(nspid ?? "")")
    }

    @Test("the user namespace gets root mapped to the caller, and given maps as written")
    func maps() throws {
        try #require(getuid() == 0, "needs root")
        let child = try launchSleeper([.user]) {
            $0.uidMap = [IDMapEntry(inside: 0, outside: 100_000, count: 65536)]
        }
        defer {
            child.kill()
            _ = child.wait()
        }
        let uidMap = try String(contentsOfFile: "/proc/\(child.pid)/uid_map", encoding: .utf8)
        let gidMap = try String(contentsOfFile: "/proc/\(child.pid)/gid_map", encoding: .utf8)
        #expect(uidMap.split(whereSeparator: \.isWhitespace) == ["0", "100000", "65536"])
        #expect(gidMap.split(whereSeparator: \.isWhitespace) == ["0", "0", "1"])
        // Root may keep setgroups allowed.
        #expect(try String(contentsOfFile: "/proc/\(child.pid)/setgroups", encoding: .utf8) == "allow\n")
    }

    @Test("the child has fds 0-2 and nothing else, with inherited stdio and with a pty", arguments: [false, true])
    func onlyStandardFDs(pty: Bool) throws {
        try #require(getuid() == 0, "needs root")
        // A stray fd without close-on-exec must not leak into the child.
        let stray = open("/dev/null", O_RDONLY)
        defer { close(stray) }
        let child = try launchSleeper([.uts]) { if pty { $0.terminalSize = WindowSize(rows: 30, columns: 100) } }
        defer {
            child.kill()
            _ = child.wait()
            child.terminalFD?.close()
        }
        // sleep itself may hold a file open for a moment while it starts (the locale archive);
        // a leaked fd would stay, so wait for the list to settle before judging it.
        var fds: [Int] = []
        for _ in 0..<100 {
            fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd").compactMap(Int.init)
                .sorted()
            if fds == [0, 1, 2] { break }
            usleep(10_000)
        }
        #expect(fds == [0, 1, 2])
        #expect(pty == (child.terminalFD != nil))
    }

    @Test("a pty child sees its window size and a controlling terminal")
    func ptyAttached() throws {
        try #require(getuid() == 0, "needs root")
        var spec = LaunchSpec(kinds: [.uts], command: ["/bin/sh", "-c", "stty size; tty; exit 3"])
        spec.terminalSize = WindowSize(rows: 33, columns: 101)
        let child = try Launcher.launch(spec)
        let master = try #require(child.terminalFD?.rawValue)
        defer { close(master) }
        // Read until EIO: the slave side is closed when the command exits, and nothing is lost.
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n > 0 { output += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("33 101\r\n/dev/pts/"), "\(text)")
        #expect(child.wait() == .exited(3))
    }

    @Test("no zombie remains after the child ends")
    func reaped() throws {
        try #require(getuid() == 0, "needs root")
        for kinds: Set<NamespaceKind> in [[.pid], [.time, .pid]] {
            let child = try Launcher.launch(LaunchSpec(kinds: kinds, command: ["true"]))
            #expect(child.wait() == .exited(0))
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(child.leaderPID)"))
            #expect(Processes.endsSoon(child.pid))
        }
    }

    @Test("a child that is dropped is killed and reaped")
    func droppedChildIsKilled() throws {
        try #require(getuid() == 0, "needs root")
        var pids: [pid_t] = []
        do {
            let child = try launchSleeper([.pid, .time])
            pids = [child.pid, child.leaderPID]
        }
        // The keeper is our child and reaped at once; the command dies of its death signal.
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pids[1])"))
        #expect(Processes.endsSoon(pids[0]), "pid \(pids[0]) lives on")
    }

    @Test("a failing step is reported with its name, and the child is reaped")
    func failingStep() throws {
        try #require(getuid() == 0, "needs root")
        // A file that passes every check before the launch (a regular file with execute permission) but
        // is no program: execve fails with ENOEXEC. (A directory, used before, is now refused up front.)
        let path = "/tmp/nslab-launch-test-\(getpid())"
        try Spawn.writeExecutable("not a program\n", to: path)
        defer { unlink(path) }
        #expect {
            _ = try Launcher.launch(LaunchSpec(kinds: [.uts], command: [path]))
        } throws: { error in
            guard case LaunchError.step(.exec, Errno(ENOEXEC), _, _) = error else { return false }
            return true
        }
    }
}
