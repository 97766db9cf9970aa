import Foundation
import Glibc
import Testing

@testable import NamespaceKit

/// A root directory laid out like a busybox image: `/bin/busybox`, applets as absolute links to it, a link that
/// tries to climb out with "..", one that names a host file, a data file, a tool in `/home`. Removed on deinit.
private final class ImageRoot {
    let path: String
    let fd: FileDescriptor

    init() throws {
        let path = NSTemporaryDirectory() + "nslab-lookup-\(UUID().uuidString.prefix(8))"
        self.path = path
        for directory in ["bin", "etc", "home", "opt/box"] {
            try FileManager.default.createDirectory(atPath: path + "/" + directory, withIntermediateDirectories: true)
        }
        func write(_ name: String, mode: Int) throws {
            FileManager.default.createFile(atPath: path + "/" + name, contents: Data("#!/bin/sh\n".utf8))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path + "/" + name)
        }
        func link(_ name: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: path + "/" + name, withDestinationPath: target)
        }
        try write("opt/box/busybox-only-here", mode: 0o755)
        try write("etc/motd", mode: 0o644)
        try write("home/tool", mode: 0o755)
        // Absolute links, as `busybox --install -s` and Alpine make them: they mean the image's files.
        for applet in ["sh", "hostname"] { try link("bin/" + applet, to: "/opt/box/busybox-only-here") }
        try link("bin/escape", to: "../../../../../../../../usr/bin/env")  // ".." stops at the root
        try link("bin/hostfile", to: "/usr/bin/env")  // the host has it, the image not
        fd = try SystemCall.open(path, O_RDONLY | O_DIRECTORY).get()
    }

    deinit {
        fd.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A lookup as `nslab enter` makes it for a process whose root this is (`pid` only names it in messages).
    func lookup(searchPath: String?, workingDirectory: String = "/", pid: Int32 = 4242) -> CommandLookup {
        CommandLookup(
            joining: JoinTarget(pid: pid, kinds: [.mount]), root: fd, workingDirectory: workingDirectory,
            searchPath: searchPath)
    }
}

/// Guards against `nslab enter PID -- hostname` into a busybox container failing with "command not found inside
/// the new namespaces" (issue 25): the command was looked up on the host (its /usr/bin/hostname) and then exec'd in
/// the container's root, which has only /bin/hostname. It is looked up in the target's root now, along the PATH,
/// with every link resolved inside that root.
@Suite("looking a command up inside a target's root")
struct CommandLookupTests {
    @Test("PATH is searched inside the root, absolute links resolve there, host files are never taken")
    func searchInsideRoot() throws {
        let root = try ImageRoot()
        // The host has /usr/bin/sh and /usr/bin/hostname; the image has neither, only /bin's links.
        #expect(try root.lookup(searchPath: "/usr/bin:/bin").resolve("sh") == "/bin/sh")
        #expect(try root.lookup(searchPath: "/usr/bin:/bin").resolve("hostname") == "/bin/hostname")
        #expect(try root.lookup(searchPath: nil).resolve("/bin/sh") == "/bin/sh")
        #expect(throws: LaunchError.commandNotFound("env", rootPID: 4242, searchPath: "/usr/bin:/bin")) {
            try root.lookup(searchPath: "/usr/bin:/bin").resolve("env")
        }
        // A link that climbs with ".." or names a host path finds nothing: it stays inside the root.
        #expect(throws: LaunchError.commandNotFound("/bin/escape", rootPID: 4242, searchPath: nil)) {
            try root.lookup(searchPath: nil).resolve("/bin/escape")
        }
        #expect(throws: LaunchError.commandNotFound("/bin/hostfile", rootPID: 4242, searchPath: nil)) {
            try root.lookup(searchPath: nil).resolve("/bin/hostfile")
        }
        #expect(throws: LaunchError.commandNotFound("/usr/bin/env", rootPID: 4242, searchPath: nil)) {
            try root.lookup(searchPath: nil).resolve("/usr/bin/env")
        }
    }

    @Test("a file without an exec bit or a directory is found but not runnable, named with the root")
    func notRunnable() throws {
        let root = try ImageRoot()
        #expect(throws: LaunchError.notExecutable("/etc/motd", .accessDenied, rootPID: 4242)) {
            try root.lookup(searchPath: nil).resolve("/etc/motd")
        }
        #expect(throws: LaunchError.notExecutable("/home", Errno(EISDIR), rootPID: 4242)) {
            try root.lookup(searchPath: nil).resolve("/home")
        }
        // In a PATH search they are passed over, as a shell does.
        #expect(throws: LaunchError.commandNotFound("motd", rootPID: 4242, searchPath: "/etc")) {
            try root.lookup(searchPath: "/etc").resolve("motd")
        }
    }

    @Test("relative names start at the target's working directory inside its root, and are exec'd as given")
    func relativeNames() throws {
        let root = try ImageRoot()
        #expect(try root.lookup(searchPath: nil, workingDirectory: "/home").resolve("./tool") == "./tool")
        #expect(try root.lookup(searchPath: ":/bin", workingDirectory: "/home").resolve("tool") == "./tool")
        #expect(throws: LaunchError.commandNotFound("./tool", rootPID: 4242, searchPath: nil)) {
            try root.lookup(searchPath: nil, workingDirectory: "/bin").resolve("./tool")
        }
    }

    @Test("not found names the target's root and the PATH searched; nslab's own root keeps the short message")
    func messages() {
        #expect(
            LaunchError.commandNotFound("hostname", rootPID: 42, searchPath: "/usr/bin:/bin").message()
                == "hostname: command not found inside pid 42's root (/proc/42/root), PATH /usr/bin:/bin")
        #expect(
            LaunchError.commandNotFound("/bin/x", rootPID: 42).message()
                == "/bin/x: command not found inside pid 42's root (/proc/42/root)")
        #expect(LaunchError.commandNotFound("x", searchPath: "/bin").message() == "x: command not found in PATH /bin")
        #expect(LaunchError.commandNotFound("x").message() == "x: command not found")
        #expect(
            LaunchError.notExecutable("/etc/motd", .accessDenied, rootPID: 42).message()
                == "/etc/motd (inside pid 42's root): Permission denied")
    }

    @Test("without a PATH of its own the command gets the target's, else the default one")
    func targetPATH() throws {
        #expect(CommandLookup.processPATH(getpid()) == ProcessInfo.processInfo.environment["PATH"])
        // A process started with no environment at all has no PATH to give.
        var child: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30"), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("A=1"), nil]
        defer { (argv + envp).forEach { free($0) } }
        try #require(posix_spawn(&child, "/bin/sleep", nil, nil, argv, envp) == 0)
        defer {
            kill(child, SIGKILL)
            waitpid(child, nil, 0)
        }
        for _ in 0..<200 where (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) != "sleep\n" {
            usleep(5_000)
        }
        #expect(CommandLookup.processPATH(child) == nil)
        let lookup = CommandLookup(
            joining: JoinTarget(pid: child, kinds: [.uts]), root: nil, workingDirectory: ".", searchPath: nil)
        #expect(lookup.searchPath == CommandLookup.defaultSearchPath)
        let own = CommandLookup(
            joining: JoinTarget(pid: getpid(), kinds: [.uts]), root: nil, workingDirectory: ".", searchPath: nil)
        #expect(own.searchPath == ProcessInfo.processInfo.environment["PATH"])
    }

    @Test("a process's working directory is named inside its root")
    func workingDirectoryInsideRoot() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(CommandLookup.workingDirectory(of: getpid()) == cwd)
    }
}
