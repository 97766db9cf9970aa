import Glibc
import NamespaceKit
import Testing

/// The doctor's rules from made-up probe results and facts: the pure part, where each rule's condition is checked
/// without having to make the restriction.
@Suite("Doctor rules")
struct DoctorRuleTests {
    /// An environment of root on a plain machine (all capabilities, no filter, no sysctl switches).
    static func root() -> DoctorEnvironment {
        var environment = DoctorEnvironment()
        environment.seccompMode = 0
        environment.seccompFilters = 0
        environment.effectiveCapabilities = 0x1ff_ffff_ffff
        environment.unprivilegedUsernsClone = .absent
        environment.apparmorRestrictUserns = .absent
        environment.kernelVersion = KernelVersion(major: 6, minor: 1)
        environment.idsMapped = true
        environment.chrooted = false
        return environment
    }

    /// A probe where every kind fails with `error` in both ways.
    static func failing(_ error: Errno, filter: Errno? = nil) -> ProbeResult {
        var direct: [NamespaceKind: Errno?] = [:]
        var nested: [NamespaceKind: Errno?] = [:]
        for kind in NamespaceKind.allCases {
            direct[kind] = error
            nested[kind] = error
        }
        return ProbeResult(filter: filter, direct: direct, nested: nested)
    }

    @Test("unshare(0) refused: every kind is the filter's, even for root, and no fix says --user")
    func filterAll() {
        let report = Doctor.report(Self.root(), Self.failing(.notPermitted, filter: .notPermitted))
        for verdict in report.kinds {
            #expect(verdict.availability == .no)
            #expect(verdict.main?.rule == .seccompFilter)
            #expect(verdict.main?.fix.contains("--user") == false)
        }
    }

    @Test("an EPERM with CAP_SYS_ADMIN under a filter is the filter's, though unshare(0) passed")
    func filterOnFlags() {
        var environment = Self.root()
        environment.seccompMode = 2
        environment.seccompFilters = 1
        let report = Doctor.report(environment, Self.failing(.notPermitted))
        #expect(report.verdict(.uts)?.main?.rule == .seccompFilter)
        #expect(report.verdict(.user)?.main?.rule == .seccompFilter)
    }

    @Test("without CAP_SYS_ADMIN the kinds need a new user namespace, which works")
    func missingCapability() {
        var environment = Self.root()
        environment.effectiveCapabilities = 0
        var probe = ProbeResult()
        for kind in NamespaceKind.allCases where kind != .user { probe.direct[kind] = .notPermitted }
        let report = Doctor.report(environment, probe)
        #expect(report.verdict(.uts)?.availability == .insideUserNamespace)
        #expect(report.verdict(.uts)?.main?.rule == .missingCapSysAdmin)
        #expect(report.verdict(.user)?.availability == .yes)
        let finding = Doctor.launchFinding(for: [.uts], probe, environment)
        #expect(finding?.fix.contains("add --user") == true)
    }

    @Test("without CAP_SYS_ADMIN and with user namespaces switched off: no, and --user is not advised")
    func userNamespacesDisabled() {
        var environment = Self.root()
        environment.effectiveCapabilities = 0
        environment.unprivilegedUsernsClone = .value(0)
        let report = Doctor.report(environment, Self.failing(.notPermitted))
        #expect(report.verdict(.uts)?.availability == .no)
        #expect(report.verdict(.uts)?.main?.rule == .unprivilegedUsernsDisabled)
        #expect(report.verdict(.user)?.main?.rule == .unprivilegedUsernsDisabled)
        let finding = Doctor.launchFinding(for: [.uts], Self.failing(.notPermitted), environment)
        #expect(finding?.rule == .missingCapSysAdmin)
        #expect(finding?.fix.contains("--user") == false, "\(finding?.fix ?? "")")
        #expect(finding?.fix.contains("unprivileged_userns_clone") == true, "\(finding?.fix ?? "")")
    }

    @Test("AppArmor's restriction: a user namespace without capabilities")
    func apparmor() {
        var environment = Self.root()
        environment.effectiveCapabilities = 0
        environment.apparmorRestrictUserns = .value(1)
        var probe = ProbeResult()
        for kind in NamespaceKind.allCases where kind != .user {
            probe.direct[kind] = .notPermitted
            probe.nested[kind] = .notPermitted
        }
        let report = Doctor.report(environment, probe)
        #expect(report.verdict(.net)?.availability == .no)
        #expect(report.verdict(.net)?.main?.rule == .apparmorRestriction)
    }

    @Test("ENOSPC names the limit and its value; EUSERS the depth; EINVAL for time on 5.4 the kernel")
    func limitsDepthKernel() {
        var environment = Self.root()
        environment.limits[.ipc] = 0
        environment.kernelVersion = KernelVersion(release: "5.4.0-150-generic")
        environment.kernelRelease = "5.4.0-150-generic"
        var probe = ProbeResult()
        probe.direct[.ipc] = .noSpace
        probe.nested[.ipc] = .noSpace
        probe.direct[.time] = .invalidArgument
        probe.nested[.time] = .invalidArgument
        probe.nested[.user] = .tooManyUsers
        let report = Doctor.report(environment, probe)
        #expect(report.verdict(.ipc)?.main?.rule == .namespaceLimit)
        #expect(report.verdict(.ipc)?.main?.summary.contains("user.max_ipc_namespaces is 0") == true)
        #expect(report.verdict(.time)?.main?.rule == .kernelTooOld)
        #expect(report.verdict(.user)?.availability == .yes)
        #expect(report.verdict(.user)?.insideNewUser?.rule == .depthLimit)
        #expect(report.verdict(.uts)?.availability == .yes)
    }

    @Test("notes: no_new_privs and a non-UTF-8 locale stop no kind")
    func notes() {
        var environment = Self.root()
        environment.noNewPrivs = true
        environment.localeIsUTF8 = false
        environment.localeVariable = "LANG=C"
        environment.term = "xterm"
        environment.terminfoPath = "/usr/share/terminfo/x/xterm"
        let report = Doctor.report(environment, ProbeResult())
        #expect(report.notes.map(\.rule) == [.noNewPrivs, .localeNotUTF8])
        #expect(report.kinds.allSatisfy { $0.availability == .yes })
    }

    @Test("a launch error names the diagnosed rule instead of the generic advice")
    func launchErrorUsesDiagnosis() {
        let error = LaunchError.step(.clone, .notPermitted, kinds: [.uts, .user], command: "sh")
        let finding = DoctorFinding(.seccompFilter, "unshare is filtered", fix: "start it unconfined")
        let message = error.message(for: .commandLine) { _, _ in finding }
        #expect(
            message
                == "clone: Operation not permitted: unshare is filtered: start it unconfined [doctor: seccomp-filter]")
        #expect(error.message(for: .commandLine) { _, _ in nil } == error.message(for: .commandLine))
    }

    @Test("the probe runs here: every kind is answered, and the child is reaped")
    func liveProbe() throws {
        let result = try DoctorProbe.run().get()
        #expect(result.direct.count == NamespaceKind.allCases.count)
        #expect(result.nested.count == NamespaceKind.allCases.count)
        var status: Int32 = 0
        // No child of this process is left to reap (ECHILD), or only other tests' running ones (0).
        #expect(waitpid(-1, &status, WNOHANG) <= 0)
    }
}
