import Glibc

/// The facts behind the doctor's answers, each read from /proc, /sys, /etc or a device, never guessed: a value
/// that could not be read is nil (unknown), and a file the kernel does not have at all is told apart where it
/// matters (`SysctlValue.absent`).
public struct DoctorEnvironment: Sendable, Hashable {
    /// A sysctl as read: its number, absent from this kernel, or unreadable.
    public enum SysctlValue: Sendable, Hashable {
        case value(Int)
        case absent
        case unreadable

        /// The number when read.
        public var number: Int? {
            if case .value(let value) = self { return value }
            return nil
        }
    }

    /// The container engine whose marks this process carries (its cgroup path, /.dockerenv, /run/.containerenv,
    /// pid 1's `container=`), nil when none; `containerEvidence` lists what was seen.
    public var containerEngine: String?
    /// The marks of a container that were found, e.g. `/.dockerenv`, `cgroup docker-<id>.scope`.
    public var containerEvidence: [String] = []
    /// `Seccomp` of /proc/self/status: 0 none, 1 strict, 2 filter.
    public var seccompMode: Int?
    /// `Seccomp_filters`: how many filters are installed.
    public var seccompFilters: Int?
    /// `CapEff` and `CapBnd`.
    public var effectiveCapabilities: UInt64?
    public var boundingCapabilities: UInt64?
    /// `NoNewPrivs`.
    public var noNewPrivs: Bool?
    /// The effective uid and gid, and whether both are mapped in this user namespace (/proc/self/uid_map).
    public var euid: UInt32 = geteuid()
    public var egid: UInt32 = getegid()
    public var idsMapped: Bool?
    /// `user.max_<kind>_namespaces` in this user namespace.
    public var limits: [NamespaceKind: Int] = [:]
    /// How many namespaces of each kind nslab can see in use (a lower bound: the kernel's per-user counts are not
    /// exposed); empty when not counted.
    public var inUse: [NamespaceKind: Int] = [:]
    /// `kernel.unprivileged_userns_clone` and `kernel.apparmor_restrict_unprivileged_userns`.
    public var unprivilegedUsernsClone: SysctlValue = .unreadable
    public var apparmorRestrictUserns: SysctlValue = .unreadable
    /// Whether this process's root is not the root of pid 1's (chroot); nil when /proc/1/root cannot be read.
    public var chrooted: Bool?
    /// The ranges of /etc/subuid and /etc/subgid for this user (start, count); nil when the file is unreadable.
    public var subuidRanges: [SubordinateRange]?
    public var subgidRanges: [SubordinateRange]?
    /// Where newuidmap and newgidmap are, nil when not found on PATH or in /usr/bin.
    public var newuidmap: String?
    public var newgidmap: String?
    /// The kernel's release (`uname -r`) and its major and minor version.
    public var kernelRelease: String?
    public var kernelVersion: KernelVersion?
    /// The cgroup hierarchy: `v1`, `v2` or `hybrid` (from the mount table), nil when none is mounted.
    public var cgroupVersion: String?
    /// The directory of this process's own cgroup that was checked, and whether this user may create a child there.
    public var cgroupDirectory: String?
    public var cgroupWritable: Bool?
    /// /proc's `hidepid=` and `subset=` mount options, nil when not set.
    public var procHidepid: String?
    public var procSubset: String?
    /// Why /dev/ptmx could not be opened; nil when a pty opened.
    public var ptyError: Errno?
    /// `kernel.pty.max` and `kernel.pty.nr`, and /dev/pts's own `max=` option.
    public var ptyMax: Int?
    public var ptyInUse: Int?
    public var devptsMax: Int?
    /// TERM, the terminfo file found for it, and its colour count.
    public var term: String?
    public var terminfoPath: String?
    public var colours: Int?
    /// The locale's variable (LC_ALL, LC_CTYPE or LANG, the first set) and whether it names UTF-8.
    public var localeVariable: String?
    public var localeIsUTF8: Bool?

    /// An environment with nothing read (tests fill in what they need).
    public init() {}

    /// Whether CAP_SYS_ADMIN (bit 21) is effective; nil when CapEff could not be read.
    public var hasSysAdmin: Bool? { effectiveCapabilities.map { $0 & (1 << 21) != 0 } }

    /// Whether a seccomp filter is installed.
    public var filtered: Bool? { seccompMode.map { $0 == 2 } }

    /// Whether the kernel has time namespaces by its version (5.6).
    public var kernelHasTime: Bool? {
        kernelVersion.map { $0.major > 5 || ($0.major == 5 && $0.minor >= 6) }
    }
}

/// One line of /etc/subuid or /etc/subgid for this user: `count` ids from `start`.
public struct SubordinateRange: Sendable, Hashable {
    /// The first id.
    public var start: UInt64
    /// How many ids.
    public var count: UInt64

    /// A range as read.
    public init(start: UInt64, count: UInt64) {
        self.start = start
        self.count = count
    }
}

/// A kernel's major and minor version, from its release string (`6.1.0-18-amd64` is 6.1).
public struct KernelVersion: Sendable, Hashable {
    /// The major number.
    public var major: Int
    /// The minor number.
    public var minor: Int

    /// A version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses the leading `MAJOR.MINOR` of a release string; nil when it does not start that way.
    public init?(release: String) {
        let parts = release.split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, let major = Int(parts[0]),
            let minor = Int(parts[1].prefix(while: { $0.isNumber }))
        else { return nil }
        self.init(major: major, minor: minor)
    }
}
