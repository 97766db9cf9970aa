import Glibc
import Testing

@testable import NamespaceKit

/// What a failed launch tells the user, and with which status nslab exits (issue 13, points 5, 6 and 16).
@Suite("launch errors")
struct LaunchErrorTests {
    /// Guards against `nslab run -- /nonexistent` and `-- /etc/passwd` exiting 1: shells and unshare exit 127
    /// for a command not found and 126 for one found but not runnable.
    @Test("not found is 127, found but not runnable is 126, other steps 1")
    func exitStatuses() {
        #expect(LaunchError.commandNotFound("x").exitStatus == 127)
        #expect(LaunchError.notExecutable("/etc/passwd", .accessDenied).exitStatus == 126)
        #expect(LaunchError.step(.exec, .noSuchFile, kinds: [.mount], command: "x").exitStatus == 127)
        #expect(LaunchError.step(.exec, .accessDenied, kinds: [], command: "x").exitStatus == 126)
        #expect(LaunchError.step(.exec, Errno(ENOEXEC), kinds: [], command: "x").exitStatus == 126)
        #expect(LaunchError.step(.clone, .notPermitted, kinds: [.uts], command: "x").exitStatus == 1)
    }

    /// Guards against `--shell /tmp` (and `run -- /tmp` as root, for whom access(X_OK) passes on a directory)
    /// being accepted up front and failing only at execve(): a path must be an executable regular file.
    @Test("a path is resolved only when it is an executable regular file")
    func resolvesOnlyExecutableFiles() {
        #expect(throws: LaunchError.notExecutable("/tmp", Errno(EISDIR))) {
            try Launcher.resolveCommand("/tmp", searchPath: nil)
        }
        #expect(throws: LaunchError.notExecutable("/dev/null", .accessDenied)) {
            try Launcher.resolveCommand("/dev/null", searchPath: nil)
        }
        #expect(throws: LaunchError.commandNotFound("/nonexistent/x")) {
            try Launcher.resolveCommand("/nonexistent/x", searchPath: nil)
        }
        #expect(throws: LaunchError.commandNotFound("/etc/passwd/x")) {
            try Launcher.resolveCommand("/etc/passwd/x", searchPath: nil)
        }
        #expect((try? Launcher.resolveCommand("/bin/sh", searchPath: nil)) == "/bin/sh")
    }

    /// Guards against an unprivileged `--time` saying only "unshare(CLONE_NEWTIME): Operation not permitted":
    /// like the other kinds, it names CAP_SYS_ADMIN and the flag or checkbox that makes it possible.
    @Test("an unprivileged time namespace names CAP_SYS_ADMIN and the user namespace")
    func timeNeedsPrivilege() {
        let error = LaunchError.step(.unshareTime, .notPermitted, kinds: [.time], command: "cat")
        #expect(
            error.message(for: .commandLine) == "unshare(CLONE_NEWTIME): Operation not permitted: creating Time "
                + "namespaces needs CAP_SYS_ADMIN; run as root, or add --user to create them inside a new user namespace"
        )
        #expect(error.message(for: .dashboard).hasSuffix("or tick User to create them inside a new user namespace"))
        // With a user namespace the cause is elsewhere; the plain call and errno are all that can be said.
        let withUser = LaunchError.step(.unshareTime, .notPermitted, kinds: [.time, .user], command: "cat")
        #expect(withUser.message() == "unshare(CLONE_NEWTIME): Operation not permitted")
    }
}
