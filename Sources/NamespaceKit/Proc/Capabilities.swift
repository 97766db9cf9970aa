/// A process's effective, permitted and bounding capability sets from `/proc/PID/status` (`CapEff`, `CapPrm`,
/// `CapBnd`, 64-bit hex masks), and the user namespace they hold in: a capability counts only over objects that
/// namespace owns, which is how a process in a fresh user namespace can be uid 65534 yet have every one.
public struct CapabilitySets: Sendable, Hashable {
    /// `CapEff`: what permission checks use.
    public var effective: UInt64
    /// `CapPrm`: what the process may make effective.
    public var permitted: UInt64
    /// `CapBnd`: the most any program it executes can gain.
    public var bounding: UInt64
    /// The highest capability number the kernel knows (`/proc/sys/kernel/cap_last_cap`).
    public var lastCapability: Int
    /// The user namespace in which the sets hold.
    public var userNamespace: Fact<UInt64>

    /// Sets as read.
    public init(
        effective: UInt64, permitted: UInt64, bounding: UInt64, lastCapability: Int,
        userNamespace: Fact<UInt64> = .unknown
    ) {
        self.effective = effective
        self.permitted = permitted
        self.bounding = bounding
        self.lastCapability = lastCapability
        self.userNamespace = userNamespace
    }

    /// Every capability the kernel has, as a mask.
    public var allMask: UInt64 {
        lastCapability >= 63 ? .max : (UInt64(1) << UInt64(lastCapability + 1)) - 1
    }

    /// A set as text: `all`, `none`, `all but cap_sys_module`, or the names joined with commas.
    public func text(_ mask: UInt64) -> String {
        let all = allMask
        if mask & all == all { return "all" }
        if mask == 0 { return "none" }
        let missing = Self.names(all & ~mask)
        if missing.count <= 3 { return "all but " + missing.joined(separator: ",") }
        return Self.names(mask).joined(separator: ",")
    }

    /// The names of the bits of `mask` (`cap_chown`, ...; `cap_N` for a number newer than this table).
    public static func names(_ mask: UInt64) -> [String] {
        (0..<64).compactMap { bit in
            guard mask & (UInt64(1) << UInt64(bit)) != 0 else { return nil }
            return bit < names.count ? names[bit] : "cap_\(bit)"
        }
    }

    /// Capability names by number, as `<linux/capability.h>` numbers them.
    public static let names = [
        "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid", "cap_kill",
        "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable", "cap_net_bind_service",
        "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module",
        "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot",
        "cap_sys_nice", "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease",
        "cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog",
        "cap_wake_alarm", "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
    ]
}

/// Parser for the capability lines of `/proc/<pid>/status`.
enum CapabilityParser {
    /// The three sets, nil when a line is missing; `lastCapability` comes from the caller.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, lastCapability: Int) -> CapabilitySets? {
        var effective: UInt64?
        var permitted: UInt64?
        var bounding: UInt64?
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            if cursor.startsWith("CapEff:") {
                cursor.index += 7
                effective = UInt64(cursor.string(cursor.word()), radix: 16)
            } else if cursor.startsWith("CapPrm:") {
                cursor.index += 7
                permitted = UInt64(cursor.string(cursor.word()), radix: 16)
            } else if cursor.startsWith("CapBnd:") {
                cursor.index += 7
                bounding = UInt64(cursor.string(cursor.word()), radix: 16)
            }
            cursor.nextLine()
        }
        guard let effective, let permitted, let bounding else { return nil }
        return CapabilitySets(
            effective: effective, permitted: permitted, bounding: bounding, lastCapability: lastCapability)
    }

    /// `cap_last_cap`'s number; the table's last when the file cannot be read (a fixture tree).
    static func lastCapability(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var cursor = ByteCursor(bytes)
        return cursor.integer().map { Int($0) } ?? (CapabilitySets.names.count - 1)
    }
}

extension ProcScanner {
    /// The capability sets of `process`, and the user namespace they hold in.
    func capabilities(of process: ProcessRecord) -> Fact<CapabilitySets> {
        let last =
            reader.read(path: "sys/kernel/cap_last_cap", CapabilityParser.lastCapability).value
            ?? CapabilitySets.names.count - 1
        guard
            case .success(let sets?) = reader.read(
                path: "\(process.pid)/status",
                {
                    CapabilityParser.parse($0, lastCapability: last)
                })
        else { return .unknown }
        var result = sets
        result.userNamespace = process.namespaces[.user]
        return .known(result)
    }
}
