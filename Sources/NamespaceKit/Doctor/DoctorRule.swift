/// The rules `nslab doctor` can name: why a kind of namespace cannot be created here, or what in the
/// environment a user should know. Each name is part of `--json` (docs/json.md) and of launch errors.
public enum DoctorRule: String, Sendable, CaseIterable, Hashable {
    /// A seccomp filter refuses unshare (or its namespace flags), as Docker's default profile does.
    case seccompFilter = "seccomp-filter"
    /// The kind needs CAP_SYS_ADMIN in this user namespace, and this process does not have it.
    case missingCapSysAdmin = "missing-cap-sys-admin"
    /// `user.max_<kind>_namespaces` is reached (0 forbids the kind outright).
    case namespaceLimit = "namespace-limit"
    /// User namespaces are already nested as deep as the kernel allows (32 levels).
    case depthLimit = "userns-depth-limit"
    /// `kernel.unprivileged_userns_clone` is 0 (Debian's and some other kernels' switch).
    case unprivilegedUsernsDisabled = "unprivileged-userns-disabled"
    /// `kernel.apparmor_restrict_unprivileged_userns` is 1 (Ubuntu 23.10 and later).
    case apparmorRestriction = "apparmor-userns-restriction"
    /// Time namespaces need Linux 5.6.
    case kernelTooOld = "kernel-too-old"
    /// The kernel was built without this kind (a CONFIG_*_NS option is off).
    case kernelLacksKind = "kernel-lacks-kind"
    /// A chrooted process may not create a user namespace.
    case chrooted = "chrooted"
    /// This process's uid or gid has no mapping in its user namespace, so it may not create a nested one.
    case unmappedID = "unmapped-id"
    /// A new user namespace can be made but its maps cannot be written (mapping uid 0 needs CAP_SETFCAP).
    case mapRefused = "map-refused"
    /// The kernel refused for a reason none of the other rules explains (the errno is given).
    case unexplained = "unexplained"
    /// no_new_privs is set: setuid helpers (newuidmap, newgidmap) cannot gain privilege.
    case noNewPrivs = "no-new-privs"
    /// No /etc/subuid or /etc/subgid range for this user, or newuidmap/newgidmap missing: only one id maps.
    case noSubordinateIDs = "no-subordinate-ids"
    /// A pseudo-terminal cannot be opened (the dashboard's panes need one; `run` does not).
    case noPty = "no-pty"
    /// The locale's character set is not UTF-8: the dashboard's lines and marks come out as `?`.
    case localeNotUTF8 = "locale-not-utf8"
    /// TERM is unset or unknown to terminfo: the dashboard cannot start.
    case unknownTerminal = "unknown-terminal"
    /// This user cannot create a child cgroup in its own cgroup.
    case cgroupNotWritable = "cgroup-not-writable"
    /// /proc is mounted with hidepid or subset=pid: other users' processes (or non-process files) are hidden.
    case procRestricted = "proc-restricted"
}

/// A rule as found here: the rule, one sentence saying what stops the user, and one sentence saying how to fix it.
public struct DoctorFinding: Sendable, Hashable {
    /// Which rule.
    public var rule: DoctorRule
    /// What was found, e.g. "user.max_uts_namespaces is 0 in this user namespace".
    public var summary: String
    /// The fix on the command line.
    public var fix: String
    /// The fix worded for the dashboard (checkboxes instead of flags); the same as `fix` when no flag is named.
    public var dashboardFix: String

    /// A finding; `dashboardFix` defaults to `fix`.
    public init(_ rule: DoctorRule, _ summary: String, fix: String, dashboardFix: String? = nil) {
        self.rule = rule
        self.summary = summary
        self.fix = fix
        self.dashboardFix = dashboardFix ?? fix
    }

    /// The fix for `audience`.
    public func fix(for audience: Audience) -> String {
        audience == .commandLine ? fix : dashboardFix
    }

    /// "summary: fix [rule]", the line launch errors and the dashboard show.
    public func line(for audience: Audience = .commandLine) -> String {
        "\(summary): \(fix(for: audience)) [doctor: \(rule.rawValue)]"
    }
}
