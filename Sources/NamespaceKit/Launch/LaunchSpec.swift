import Glibc

/// Everything that describes one launch: the kinds of namespace and their options, and the command.
/// The same value drives `nslab run` and the dashboard's launch button.
public struct LaunchSpec: Sendable, Equatable {
    /// The kinds of namespace the child gets new; every other kind is shared with nslab.
    public var kinds: Set<NamespaceKind>
    /// The hostname set inside the new UTS namespace.
    public var hostname: String?
    /// The uid map; nil maps root inside to the caller's uid (used only with `.user`).
    public var uidMap: [IDMapEntry]?
    /// The gid map; nil maps root inside to the caller's gid (used only with `.user`).
    public var gidMap: [IDMapEntry]?
    /// False to leave a new user namespace's uid and gid maps unwritten (everyone is 65534 inside until
    /// someone writes them): the lesson on what a user namespace without maps can do.
    public var writeMaps = true
    /// Mount a fresh proc on /proc, so `ps` shows only the child's processes.
    public var mountProc: Bool
    /// Bring `lo` up in a new network namespace.
    public var loopbackUp: Bool
    /// Offset of CLOCK_MONOTONIC inside a new time namespace, in seconds.
    public var monotonicOffset: Double?
    /// Offset of CLOCK_BOOTTIME (and /proc/uptime) inside a new time namespace, in seconds.
    public var boottimeOffset: Double?
    /// The command and its arguments; the first word is looked up in PATH unless it has a slash.
    public var command: [String]
    /// The environment of the command; nil passes nslab's own on.
    public var environment: [String]?
    /// Attach the child to a new pty of this size (rows, columns) instead of inheriting stdio.
    public var terminalSize: WindowSize?
    /// A running process whose namespaces the child joins before anything else (`nslab enter`).
    public var joining: JoinTarget?

    /// A spec with the given kinds and command, loopback up, and nothing else set.
    public init(kinds: Set<NamespaceKind>, command: [String]) {
        self.kinds = kinds
        self.command = command
        self.mountProc = false
        self.loopbackUp = true
    }
}

/// The namespaces of a running process that a launch joins, as `nsenter -t PID` does.
public struct JoinTarget: Sendable, Equatable {
    /// The process, as nslab sees it.
    public var pid: Int32
    /// The kinds to join; kinds shared with nslab are left out by the caller (setns into one's own user
    /// namespace is refused).
    public var kinds: Set<NamespaceKind>

    /// A target.
    public init(pid: Int32, kinds: Set<NamespaceKind>) {
        self.pid = pid
        self.kinds = kinds
    }
}

/// The size of a pty window in character cells (struct winsize).
public struct WindowSize: Sendable, Equatable, Hashable {
    /// Rows, at least 1.
    public var rows: UInt16
    /// Columns, at least 1.
    public var columns: UInt16

    /// A size; zeros are raised to 1.
    public init(rows: UInt16, columns: UInt16) {
        self.rows = max(rows, 1)
        self.columns = max(columns, 1)
    }
}

/// Why a spec cannot be launched. Raised before anything is launched; each reads as one sentence.
public enum LaunchSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    case hostnameNeedsUTS
    case badHostname(String, reason: String)
    case mountProcNeeds(missing: [NamespaceKind])
    case offsetNeedsTime(clock: String)
    case badOffset(clock: String, Double)
    case mapNeedsUser(IDKind)
    case badMap(IDMapError)
    case emptyCommand

    public var description: String {
        switch self {
        case .hostnameNeedsUTS:
            "a hostname needs a new UTS namespace (--uts, or tick UTS), so the host keeps its own"
        case .badHostname(let name, let reason):
            "hostname \(name.quoted) \(reason)"
        case .mountProcNeeds(let missing):
            "a fresh /proc needs new PID and mount namespaces; add "
                + missing.map { "--\($0.rawValue)" }.joined(separator: " and ")
        case .offsetNeedsTime(let clock):
            "a \(clock) offset needs a new time namespace (--time, or tick Time)"
        case .badOffset(let clock, let value):
            "\(clock) offset \(value) is not a number of seconds between -\(Int(LaunchSpec.maxOffset)) "
                + "and \(Int(LaunchSpec.maxOffset))"
        case .mapNeedsUser(let kind):
            "a \(kind) map needs a new user namespace (--user, or tick User)"
        case .badMap(let error):
            error.description
        case .emptyCommand:
            "no command to run"
        }
    }
}

extension LaunchSpec {
    /// The largest clock offset accepted, in seconds (about 31 years either way).
    public static let maxOffset: Double = 1_000_000_000

    /// The kernel's limit on a hostname, in bytes.
    public static let maxHostnameBytes = 64

    /// Checks a hostname: 1 to 64 bytes, no blanks or control characters.
    public static func validateHostname(_ name: String) throws(LaunchSpecError) {
        let bytes = name.utf8.count
        if bytes == 0 { throw .badHostname(name, reason: "is empty") }
        if bytes > maxHostnameBytes {
            throw .badHostname(name, reason: "is \(bytes) bytes long; the kernel allows at most \(maxHostnameBytes)")
        }
        if name.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f || $0 == "/" }) {
            throw .badHostname(name, reason: "contains a blank, a slash or a control character")
        }
    }

    /// Checks everything that can be checked before launching, in the order a user reads the flags.
    /// `privileged` says whether the caller may write arbitrary id maps (root).
    public func validate(privileged: Bool = LaunchSpec.mayMapAnyIDs()) throws(LaunchSpecError) {
        if let hostname {
            guard kinds.contains(.uts) else { throw .hostnameNeedsUTS }
            try Self.validateHostname(hostname)
        }
        if mountProc {
            let missing = [NamespaceKind.pid, .mount].filter { !kinds.contains($0) }
            if !missing.isEmpty { throw .mountProcNeeds(missing: missing) }
        }
        for (clock, offset) in [("monotonic", monotonicOffset), ("boottime", boottimeOffset)] {
            guard let offset else { continue }
            guard kinds.contains(.time) else { throw .offsetNeedsTime(clock: clock) }
            try Self.validateOffset(offset, clock: clock)
        }
        for (kind, map) in [(IDKind.uid, uidMap), (.gid, gidMap)] {
            guard let map else { continue }
            guard kinds.contains(.user) else { throw .mapNeedsUser(kind) }
            do {
                try Self.validateMap(map, kind: kind, privileged: privileged)
            } catch {
                throw .badMap(error)
            }
        }
        if command.isEmpty || command[0].isEmpty { throw .emptyCommand }
    }

    /// Checks a clock offset in seconds: finite and at most `maxOffset` either way.
    public static func validateOffset(_ offset: Double, clock: String) throws(LaunchSpecError) {
        guard offset.isFinite, abs(offset) <= maxOffset else { throw .badOffset(clock: clock, offset) }
    }

    /// Whether the caller may map any ids, as launch judges it: root may; so may a child whose new user namespace
    /// sits on a joined one (`joiningUser`), whose maps the kernel judges in that namespace, where it is root.
    public static func mayMapAnyIDs(joiningUser: Bool = false) -> Bool {
        SystemCall.effectiveUserID == 0 || joiningUser
    }

    /// Checks a whole uid or gid map as launch does (`IDMap.validate` with the caller's own id): `validate`,
    /// and so `nslab run`, the launcher and the dashboard's maps dialog, all go through here.
    public static func validateMap(_ map: [IDMapEntry], kind: IDKind, privileged: Bool) throws(IDMapError) {
        try IDMap.validate(
            map, kind: kind, privileged: privileged,
            ownID: kind == .uid ? SystemCall.effectiveUserID : SystemCall.effectiveGroupID)
    }

    /// Parses map lines ("INSIDE OUTSIDE COUNT" each) and checks the whole map as `validateMap` does.
    public static func validateMap(lines: [String], kind: IDKind, privileged: Bool) throws(IDMapError) {
        var map: [IDMapEntry] = []
        for line in lines { map.append(try IDMapEntry(parsing: line)) }
        try validateMap(map, kind: kind, privileged: privileged)
    }

    /// The uid map that will be written: the given one, or root inside to the caller's euid.
    public var effectiveUIDMap: [IDMapEntry] { uidMap ?? IDMap.rootTo(SystemCall.effectiveUserID) }
    /// The gid map that will be written: the given one, or root inside to the caller's egid.
    public var effectiveGIDMap: [IDMapEntry] { gidMap ?? IDMap.rootTo(SystemCall.effectiveGroupID) }
}
