import Glibc

/// Whether this process can create a kind of namespace here.
public enum Availability: String, Sendable, Hashable {
    /// In its own user namespace, as it is.
    case yes
    /// Only inside a new user namespace (`--user`).
    case insideUserNamespace = "inside-user-namespace"
    /// Not at all.
    case no
    /// The probe could not run.
    case unknown
}

/// The doctor's answer for one kind.
public struct KindVerdict: Sendable, Hashable {
    /// The kind.
    public var kind: NamespaceKind
    /// Whether it can be created.
    public var availability: Availability
    /// What stops it in this user namespace; nil when it can be created there.
    public var direct: DoctorFinding?
    /// What stops it inside a new user namespace; nil when it can be created there (for the user kind: nesting one
    /// more user namespace).
    public var insideNewUser: DoctorFinding?

    /// A verdict.
    public init(
        kind: NamespaceKind, availability: Availability, direct: DoctorFinding? = nil,
        insideNewUser: DoctorFinding? = nil
    ) {
        self.kind = kind
        self.availability = availability
        self.direct = direct
        self.insideNewUser = insideNewUser
    }

    /// The rule to tell first: for `no`, the reason the route through a new user namespace fails when the direct
    /// one only lacks CAP_SYS_ADMIN (that is the one to fix), else the direct one.
    public var main: DoctorFinding? {
        switch availability {
        case .yes, .unknown: nil
        case .insideUserNamespace: direct
        case .no: direct?.rule == .missingCapSysAdmin ? insideNewUser ?? direct : direct ?? insideNewUser
        }
    }
}

/// Everything `nslab doctor` reports.
public struct DoctorReport: Sendable, Hashable {
    /// The facts read.
    public var environment: DoctorEnvironment
    /// The probe's raw result; nil when the probe child could not run (`probeError` says why).
    public var probe: ProbeResult?
    public var probeError: Errno?
    /// One verdict per kind, in nslab's order.
    public var kinds: [KindVerdict]
    /// What in the environment a user should know though it stops no kind (no_new_privs, the locale, ...).
    public var notes: [DoctorFinding]

    /// The verdict for `kind`.
    public func verdict(_ kind: NamespaceKind) -> KindVerdict? { kinds.first { $0.kind == kind } }
}

/// Probes and reads, and names the rules. Every answer comes from the probe child or a file; nothing is guessed.
public enum Doctor {
    /// The whole report: probe, every fact, verdicts and notes. `countInUse` also scans /proc to count the
    /// namespaces in use per kind.
    public static func examine(countInUse: Bool = true, probeTimeoutMilliseconds: Int32? = nil) -> DoctorReport {
        var environment = DoctorEnvironment.read()
        if countInUse, let scanner = try? ProcScanner() {
            let snapshot = scanner.refresh(relations: false)
            for namespace in snapshot.namespaces { environment.inUse[namespace.kind, default: 0] += 1 }
        }
        switch DoctorProbe.run(timeoutMilliseconds: probeTimeoutMilliseconds) {
        case .success(let probe): return report(environment, probe)
        case .failure(let error): return report(environment, nil, probeError: error)
        }
    }

    /// A report from facts and a probe result: the pure part, which tests feed made-up inputs.
    public static func report(_ environment: DoctorEnvironment, _ probe: ProbeResult?, probeError: Errno? = nil)
        -> DoctorReport
    {
        let kinds = NamespaceKind.allCases.map { kind in
            probe.map { verdict(kind, $0, environment) } ?? KindVerdict(kind: kind, availability: .unknown)
        }
        return DoctorReport(
            environment: environment, probe: probe, probeError: probeError, kinds: kinds, notes: notes(environment))
    }

    /// The verdict for one kind from the probe.
    public static func verdict(_ kind: NamespaceKind, _ probe: ProbeResult, _ environment: DoctorEnvironment)
        -> KindVerdict
    {
        var direct = probe.directError(kind).map {
            finding(kind, $0, insideNewUser: false, probe: probe, environment)
        }
        let userError = probe.directError(.user)
        let nestedError = probe.nestedError(kind)
        // A user namespace whose maps cannot be written is no way in: nslab writes them before anything runs.
        let mapFinding = userError == nil ? probe.mapWrite.map { mapRefused($0, environment) } : nil
        if kind == .user, direct == nil, let mapFinding { direct = mapFinding }
        let nested: DoctorFinding?
        if kind != .user, let mapFinding {
            nested = mapFinding
        } else if let nestedError {
            // When the new user namespace itself failed, that is what stops the route through one.
            nested =
                kind != .user && userError != nil
                ? finding(.user, userError!, insideNewUser: false, probe: probe, environment)
                : finding(kind, nestedError, insideNewUser: true, probe: probe, environment)
        } else {
            nested = nil
        }
        let availability: Availability
        if direct == nil {
            availability = .yes
        } else if kind != .user, userError == nil, nestedError == nil, mapFinding == nil {
            availability = .insideUserNamespace
        } else {
            availability = .no
        }
        return KindVerdict(kind: kind, availability: availability, direct: direct, insideNewUser: nested)
    }

    /// The rule behind `error` from creating `kind` (inside a new user namespace when `insideNewUser`).
    public static func finding(
        _ kind: NamespaceKind, _ error: Errno, insideNewUser: Bool, probe: ProbeResult?,
        _ environment: DoctorEnvironment
    ) -> DoctorFinding {
        let name = kind.title
        // unshare(0) changes nothing: only a filter refuses it. A filter that checks the flags lets it through, so
        // an EPERM the kernel's own rules would not give (capability held, or none needed) is also the filter's.
        if probe?.filter != nil { return seccomp(environment) }
        switch error {
        case .notPermitted, .accessDenied:
            if kind == .user {
                if environment.unprivilegedUsernsClone.number == 0, environment.hasSysAdmin != true {
                    return DoctorFinding(
                        .unprivilegedUsernsDisabled,
                        "kernel.unprivileged_userns_clone is 0: this kernel lets only privileged users create user "
                            + "namespaces",
                        fix: "run as root, or enable them with sysctl -w kernel.unprivileged_userns_clone=1")
                }
                if environment.apparmorRestrictUserns.number == 1, environment.hasSysAdmin != true {
                    return apparmor()
                }
                if environment.chrooted == true {
                    return DoctorFinding(
                        .chrooted, "a chrooted process may not create a user namespace",
                        fix: "run nslab outside the chroot (or in a mount namespace with pivot_root)")
                }
                if environment.idsMapped == false {
                    return DoctorFinding(
                        .unmappedID,
                        "uid \(environment.euid) or gid \(environment.egid) has no mapping in this user namespace, "
                            + "so no user namespace can be nested in it",
                        fix: "run nslab as a user the namespace maps (write its uid_map and gid_map first)")
                }
                if environment.filtered == true { return seccomp(environment) }
            } else if insideNewUser {
                if environment.apparmorRestrictUserns.number == 1, environment.hasSysAdmin != true {
                    return apparmor()
                }
                if environment.filtered == true { return seccomp(environment) }
            } else {
                if environment.hasSysAdmin == false {
                    return DoctorFinding(
                        .missingCapSysAdmin,
                        "creating \(name) namespaces needs CAP_SYS_ADMIN, which this process lacks",
                        fix: "run as root, or add --user to create them inside a new user namespace",
                        dashboardFix: "run nslab as root, or tick User to create them inside a new user namespace")
                }
                if environment.filtered == true { return seccomp(environment) }
            }
        case .noSpace where kind == .user && environment.limits[.user] != 0:
            // Since Linux 4.9 the depth limit gives ENOSPC too (EUSERS before). With room in this namespace's own
            // limit, the depth is what is left; an enclosing namespace's lower limit cannot be read from here.
            return DoctorFinding(
                .depthLimit,
                "user namespaces are nested as deep as the kernel allows here (33 levels), or an enclosing user "
                    + "namespace's user.max_user_namespaces is reached (this one's is "
                    + "\(environment.limits[.user].map(String.init) ?? "?"))",
                fix: "start from a shallower user namespace (run nslab from an outer one)")
        case .noSpace:
            let sysctl = "user.max_\(kind.limitName)_namespaces"
            let limit = environment.limits[kind]
            let summary =
                limit == 0
                ? "\(sysctl) is 0 in this user namespace: no \(name) namespace may be created"
                : "the \(name) namespaces in use reached \(sysctl) (\(limit.map(String.init) ?? "?") here, or a "
                    + "lower limit in an enclosing user namespace)"
            return DoctorFinding(
                .namespaceLimit, summary,
                fix: "raise it as root where it was set: sysctl -w \(sysctl)=10000")
        case .tooManyUsers:
            return DoctorFinding(
                .depthLimit, "user namespaces are nested as deep as the kernel allows here (33 levels)",
                fix: "start from a shallower user namespace (run nslab from an outer one)")
        case .invalidArgument:
            if kind == .time, environment.kernelHasTime == false {
                return DoctorFinding(
                    .kernelTooOld,
                    "time namespaces need Linux 5.6; this is \(environment.kernelRelease ?? "an older kernel")",
                    fix: "boot a kernel of version 5.6 or later, or leave Time out")
            }
            return DoctorFinding(
                .kernelLacksKind, "this kernel was built without \(name) namespaces",
                fix: "use a kernel with CONFIG_\(kind.configName)_NS=y, or leave \(name) out")
        default:
            break
        }
        return DoctorFinding(
            .unexplained, "the kernel refused a new \(name) namespace with \(error) for a reason nslab cannot see",
            fix: "check the kernel log (dmesg) and any security module (SELinux, AppArmor) in force")
    }

    static func seccomp(_ environment: DoctorEnvironment) -> DoctorFinding {
        let summary =
            "unshare is filtered by this process's seccomp profile (as Docker's default profile does)"
        if environment.containerEngine != nil {
            return DoctorFinding(
                .seccompFilter, summary,
                fix: "start the container with --security-opt seccomp=unconfined or --privileged")
        }
        return DoctorFinding(
            .seccompFilter, summary,
            fix: "start nslab outside whatever installed the filter (a container with --security-opt "
                + "seccomp=unconfined or --privileged, a sandbox, a service's SystemCallFilter=)")
    }

    static func mapRefused(_ error: Errno, _ environment: DoctorEnvironment) -> DoctorFinding {
        let capSetfcap: UInt64 = 1 << 31
        if error == .notPermitted, environment.euid == 0,
            let effective = environment.effectiveCapabilities, effective & capSetfcap == 0
        {
            return DoctorFinding(
                .mapRefused,
                "a new user namespace's uid_map '0 0 1' is refused: mapping uid 0 needs CAP_SETFCAP (Linux 5.12), "
                    + "which this process lacks",
                fix: "run as root with its capabilities (not under a dropped bounding set), or as an ordinary user")
        }
        return DoctorFinding(
            .mapRefused,
            "a new user namespace's maps cannot be written (\(error))",
            fix: "check /proc/sys/kernel and any security module: nslab maps root inside to your own uid")
    }

    static func apparmor() -> DoctorFinding {
        DoctorFinding(
            .apparmorRestriction,
            "kernel.apparmor_restrict_unprivileged_userns is 1: AppArmor gives unprivileged user namespaces no "
                + "capabilities",
            fix: "run as root, give nslab an AppArmor profile with 'userns,', or sysctl -w "
                + "kernel.apparmor_restrict_unprivileged_userns=0")
    }

    /// Facts that stop no kind but matter elsewhere.
    static func notes(_ environment: DoctorEnvironment) -> [DoctorFinding] {
        var notes: [DoctorFinding] = []
        if environment.noNewPrivs == true {
            notes.append(
                DoctorFinding(
                    .noNewPrivs,
                    "no_new_privs is set: setuid helpers such as newuidmap and newgidmap cannot gain privilege "
                        + "(user namespaces with a one-line map still work)",
                    fix: "start nslab from a process without no_new_privs (not under setpriv --no-new-privs or "
                        + "NoNewPrivileges=)"))
        }
        if environment.euid != 0 {
            let noRanges = environment.subuidRanges?.isEmpty == true || environment.subgidRanges?.isEmpty == true
            let missing = [("newuidmap", environment.newuidmap), ("newgidmap", environment.newgidmap)]
                .filter { $0.1 == nil }.map(\.0)
            if noRanges || !missing.isEmpty {
                var what: [String] = []
                if noRanges { what.append("no /etc/subuid or /etc/subgid range for uid \(environment.euid)") }
                if !missing.isEmpty { what.append(missing.joined(separator: " and ") + " not found") }
                notes.append(
                    DoctorFinding(
                        .noSubordinateIDs,
                        what.joined(separator: ", ") + ": a user namespace maps only your own uid and gid",
                        fix: "install the uidmap package and add ranges with usermod --add-subuids and "
                            + "--add-subgids"))
            }
        }
        if let error = environment.ptyError {
            let full = environment.ptyMax != nil && environment.ptyInUse ?? 0 >= environment.ptyMax!
            let instance = environment.devptsMax.map { ": /dev/pts is mounted with max=\($0)" } ?? ""
            notes.append(
                DoctorFinding(
                    .noPty,
                    "/dev/ptmx cannot be opened (\(error))" + (full ? ": kernel.pty.max is reached" : instance)
                        + "; the dashboard's panes need a pty (nslab run does not)",
                    fix: full
                        ? "close other terminals or raise kernel.pty.max"
                        : "mount a devpts on /dev/pts with room (max=) and /dev/ptmx linked to it"))
        }
        if environment.localeIsUTF8 == false {
            notes.append(
                DoctorFinding(
                    .localeNotUTF8,
                    "the locale (\(environment.localeVariable ?? "unset")) is not UTF-8: the dashboard's lines and "
                        + "marks show as plain characters or ?",
                    fix: "set LANG=C.UTF-8 (or another UTF-8 locale)"))
        }
        if environment.term == nil || environment.terminfoPath == nil {
            let what = environment.term.map { "TERM=\($0) is unknown to terminfo" } ?? "TERM is not set"
            notes.append(
                DoctorFinding(
                    .unknownTerminal, "\(what): the dashboard cannot start (nslab run and the others can)",
                    fix: "set TERM to your terminal's type (xterm-256color is common) or install ncurses-term"))
        }
        if environment.cgroupWritable == false {
            notes.append(
                DoctorFinding(
                    .cgroupNotWritable,
                    "this user cannot create a child cgroup in \(environment.cgroupDirectory ?? "its cgroup")",
                    fix: "run as root, or delegate the cgroup (systemd-run --user --scope -p Delegate=yes)"))
        }
        if environment.procHidepid != nil || environment.procSubset != nil {
            let options = [
                environment.procHidepid.map { "hidepid=\($0)" }, environment.procSubset.map { "subset=\($0)" },
            ].compactMap { $0 }.joined(separator: ",")
            notes.append(
                DoctorFinding(
                    .procRestricted,
                    "/proc is mounted with \(options): nslab sees only some processes or files",
                    fix: "remount /proc without them (as root: mount -o remount,hidepid=0 /proc)"))
        }
        return notes
    }

    /// The rule that stops a launch of `kinds` here, from a fresh probe: for a launch with a new user namespace,
    /// the user namespace's own rule or the first kind that fails inside one; without, the first kind that fails
    /// directly. Nil when the probe finds nothing wrong (the failure came from elsewhere) or cannot run.
    public static func launchFinding(for kinds: Set<NamespaceKind>, step: LaunchStep = .clone) -> DoctorFinding? {
        if step == .pty {
            // No probe child: the pty itself is the question.
            var environment = DoctorEnvironment()
            environment.readPty()
            environment.readMounts()
            return notes(environment).first { $0.rule == .noPty }
        }
        guard case .success(let probe) = DoctorProbe.run() else { return nil }
        return launchFinding(for: kinds, step: step, probe, DoctorEnvironment.read(full: false))
    }

    /// The pure part of `launchFinding(for:step:)`.
    public static func launchFinding(
        for kinds: Set<NamespaceKind>, step: LaunchStep = .clone, _ probe: ProbeResult,
        _ environment: DoctorEnvironment
    ) -> DoctorFinding? {
        switch step {
        case .clone, .unshareTime:
            break
        case .uidMap, .gidMap, .setgroups:
            return probe.mapWrite.map { mapRefused($0, environment) }
        default:
            // Joining (enter, run --inside) happens in another process's namespaces, where this probe's answers
            // about limits and capabilities do not hold; a seccomp filter, inherited by every child, does.
            let filtered = probe.filter != nil || (environment.filtered == true && environment.hasSysAdmin == true)
            return filtered ? seccomp(environment) : nil
        }
        let ordered = NamespaceKind.allCases.filter { kinds.contains($0) }
        if kinds.contains(.user) {
            if let error = probe.directError(.user) {
                return finding(.user, error, insideNewUser: false, probe: probe, environment)
            }
            if let error = probe.mapWrite { return mapRefused(error, environment) }
            for kind in ordered where kind != .user {
                if let error = probe.nestedError(kind) {
                    return finding(kind, error, insideNewUser: true, probe: probe, environment)
                }
            }
            return nil
        }
        for kind in ordered {
            if let error = probe.directError(kind) {
                var found = finding(kind, error, insideNewUser: false, probe: probe, environment)
                // Advise --user only when the probe showed that it works here.
                if found.rule == .missingCapSysAdmin {
                    let verdict = verdict(kind, probe, environment)
                    if verdict.availability != .insideUserNamespace, let blocker = verdict.insideNewUser {
                        found.fix = "run as root (a new user namespace does not help here: \(blocker.summary))"
                        found.dashboardFix = found.fix
                    }
                }
                return found
            }
        }
        return nil
    }
}

extension NamespaceKind {
    /// The kernel's CONFIG_<NAME>_NS option name.
    var configName: String {
        switch self {
        case .uts: "UTS"
        case .ipc: "IPC"
        case .pid: "PID"
        case .mount: "MNT"  // mount namespaces have no option of their own; the name is for the sentence's sake
        case .net: "NET"
        case .user: "USER"
        case .cgroup: "CGROUP"
        case .time: "TIME"
        }
    }
}
