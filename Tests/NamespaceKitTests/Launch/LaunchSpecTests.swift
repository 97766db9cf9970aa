import Glibc
import Testing

@testable import NamespaceKit

@Suite("launch spec validation and error texts")
struct LaunchSpecTests {
    private func spec(_ kinds: Set<NamespaceKind>, _ change: (inout LaunchSpec) -> Void = { _ in }) -> LaunchSpec {
        var spec = LaunchSpec(kinds: kinds, command: ["true"])
        change(&spec)
        return spec
    }

    @Test("options need their kinds")
    func optionsNeedKinds() {
        #expect(throws: LaunchSpecError.hostnameNeedsUTS) { try spec([]) { $0.hostname = "x" }.validate() }
        #expect(throws: LaunchSpecError.mountProcNeeds(missing: [.pid, .mount])) {
            try spec([.uts]) { $0.mountProc = true }.validate()
        }
        #expect(throws: LaunchSpecError.mountProcNeeds(missing: [.mount])) {
            try spec([.pid]) { $0.mountProc = true }.validate()
        }
        #expect(throws: LaunchSpecError.offsetNeedsTime(clock: "boottime")) {
            try spec([.pid]) { $0.boottimeOffset = 1 }.validate()
        }
        #expect(throws: LaunchSpecError.mapNeedsUser(.gid)) {
            try spec([.pid]) { $0.gidMap = IDMap.rootTo(0) }.validate(privileged: true)
        }
        #expect(throws: Never.self) {
            try spec([.uts, .pid, .mount, .time, .user]) {
                $0.hostname = "lab"
                $0.mountProc = true
                $0.monotonicOffset = -3.25
                $0.uidMap = [IDMapEntry(inside: 0, outside: 0, count: 1000)]
            }.validate(privileged: true)
        }
    }

    @Test(
        "hostnames: 1 to 64 bytes, no blanks or control characters",
        arguments: [
            ("", false), ("a", true), (String(repeating: "a", count: 64), true),
            (String(repeating: "a", count: 65), false),
            ("my host", false), ("tab\there", false), ("ok-name.lab_1", true), ("a/b", false), ("日本", true),
        ])
    func hostnames(name: String, valid: Bool) {
        #expect(((try? LaunchSpec.validateHostname(name)) != nil) == valid)
    }

    @Test("offsets must be finite and within range")
    func offsets() {
        for bad in [Double.nan, .infinity, 2e9, -2e9] {
            #expect {
                try spec([.time]) { $0.monotonicOffset = bad }.validate()
            } throws: { error in
                guard case LaunchSpecError.badOffset(clock: "monotonic", let value) = error else { return false }
                return value.isNaN ? bad.isNaN : value == bad
            }
        }
    }

    @Test("an unprivileged map is checked against the caller's own id")
    func unprivilegedMap() {
        let foreign = geteuid() == 0 ? UInt32(4242) : 0
        #expect(throws: LaunchSpecError.badMap(.unprivileged(.uid, own: geteuid()))) {
            try spec([.user]) { $0.uidMap = [IDMapEntry(inside: 0, outside: foreign, count: 1)] }.validate(
                privileged: false)
        }
    }

    @Test("seconds split into whole seconds and a non-negative nanosecond part")
    func splitSeconds() {
        #expect(Launcher.splitSeconds(1.5) == (1, 500_000_000))
        #expect(Launcher.splitSeconds(-1.5) == (-2, 500_000_000))
        #expect(Launcher.splitSeconds(-3) == (-3, 0))
        #expect(Launcher.splitSeconds(0.9999999999) == (1, 0))
    }

    @Test("exit statuses decode like a shell reports them")
    func exitStatus() {
        #expect(ExitStatus(waitStatus: 7 << 8) == .exited(7))
        #expect(ExitStatus(waitStatus: SIGKILL) == .signaled(SIGKILL))
        #expect(ExitStatus.signaled(SIGTERM).shellStatus == 143)
        #expect(ExitStatus.exited(3).description == "exited: status 3")
        #expect(ExitStatus.signaled(9).description == "killed by signal 9")
    }

    @Test("launch errors name the call, the cause and the fix for each audience")
    func errorTexts() {
        let eperm = LaunchError.step(.clone, .notPermitted, kinds: [.uts, .ipc], command: "sh")
        #expect(
            eperm.message(for: .commandLine) == "clone: Operation not permitted: creating UTS, IPC namespaces "
                + "needs CAP_SYS_ADMIN; run as root, or add --user to create them inside a new user namespace")
        #expect(eperm.message(for: .dashboard).contains("tick User"))
        let userRefused = LaunchError.step(.clone, .notPermitted, kinds: [.user], command: "sh").message()
        #expect(
            userRefused.contains("kernel.unprivileged_userns_clone") && userRefused.contains("user.max_user_namespaces")
        )
        let limit = LaunchError.step(.clone, .noSpace, kinds: [.uts, .mount], command: "sh").message()
        #expect(limit.contains("/proc/sys/user/max_uts_namespaces") && limit.contains("max_mnt_namespaces"))
        #expect(
            LaunchError.step(.exec, .noSuchFile, kinds: [], command: "vim").message()
                == "vim: command not found inside the new namespaces")
        #expect(
            LaunchError.step(.uidMap, .notPermitted, kinds: [.user], command: "sh").message()
                .hasPrefix("writing uid_map: Operation not permitted: an unprivileged user can map only its own uid"))
        #expect(LaunchError.commandNotFound("zz").message() == "zz: command not found")
    }

    @Test("commands resolve through PATH like a shell, and missing ones are named")
    func resolve() throws {
        #expect(try Launcher.resolveCommand("sh", searchPath: "/nonexistent:/bin") == "/bin/sh")
        #expect(try Launcher.resolveCommand("/bin/sh", searchPath: nil) == "/bin/sh")
        #expect(throws: LaunchError.commandNotFound("no-such-xyz")) {
            try Launcher.resolveCommand("no-such-xyz", searchPath: "/bin:/usr/bin")
        }
        #expect(throws: LaunchError.commandNotFound("/no/such")) {
            try Launcher.resolveCommand("/no/such", searchPath: nil)
        }
        // A directory on PATH with the right name is not a command.
        #expect(throws: LaunchError.commandNotFound("tmp")) { try Launcher.resolveCommand("tmp", searchPath: "/") }
    }
}
