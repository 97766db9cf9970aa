import CNamespaces
import Glibc

/// What the probe child found (see `nsl_doctor.h`): each kind tried in this user namespace and inside a new one.
/// A nil errno means the call succeeded.
public struct ProbeResult: Sendable, Hashable {
    /// `unshare(0)`: it fails only when a seccomp filter refuses unshare itself.
    public var filter: Errno?
    /// Each kind created in this process's own user namespace (the user kind: a new user namespace).
    public var direct: [NamespaceKind: Errno?]
    /// Each kind created inside a new user namespace (the user kind: one nested in it).
    public var nested: [NamespaceKind: Errno?]
    /// A failed map write in the new user namespace, which stops the nested-levels count.
    public var mapWrite: Errno?
    /// How many more user namespaces could be nested below the probe's first new one.
    public var moreLevels: Int
    /// What stopped the count (EUSERS at the kernel's depth limit); nil when it never started.
    public var levelsStop: Errno?

    /// A result as probed or made up by a test.
    public init(
        filter: Errno? = nil, direct: [NamespaceKind: Errno?] = [:], nested: [NamespaceKind: Errno?] = [:],
        mapWrite: Errno? = nil, moreLevels: Int = 0, levelsStop: Errno? = nil
    ) {
        self.filter = filter
        self.direct = direct
        self.nested = nested
        self.mapWrite = mapWrite
        self.moreLevels = moreLevels
        self.levelsStop = levelsStop
    }

    /// The errno of creating `kind` directly; nil when it worked.
    public func directError(_ kind: NamespaceKind) -> Errno? { direct[kind] ?? nil }

    /// The errno of creating `kind` inside a new user namespace; nil when it worked.
    public func nestedError(_ kind: NamespaceKind) -> Errno? { nested[kind] ?? nil }
}

/// Runs the throwaway probe child. It costs one fork and a few dozen unshare calls (a few milliseconds).
public enum DoctorProbe {
    /// Probes every kind; nil (with the errno) when the child could not run at all, or (ETIMEDOUT) did not answer
    /// within `timeoutMilliseconds` (nil: as long as it takes).
    public static func run(timeoutMilliseconds: Int32? = nil) -> Result<ProbeResult, Errno> {
        let kinds = NamespaceKind.allCases
        let flags = kinds.map(\.cloneFlag)
        // The child must not format text, so the maps of its first user namespace are written here.
        let uidLine = "0 \(geteuid()) 1\n"
        let gidLine = "0 \(getegid()) 1\n"
        var raw = nsl_doctor_probe()
        let status = flags.withUnsafeBufferPointer { buffer in
            nsl_run_doctor_probe(
                buffer.baseAddress!, Int32(buffer.count), uidLine, gidLine, timeoutMilliseconds ?? -1, &raw)
        }
        guard status == 0 else { return .failure(.current) }
        func errno(_ value: Int32) -> Errno? { value == 0 ? nil : Errno(value) }
        var direct: [NamespaceKind: Errno?] = [:]
        var nested: [NamespaceKind: Errno?] = [:]
        withUnsafeBytes(of: raw.direct_errno) { bytes in
            for (index, kind) in kinds.enumerated() {
                direct[kind] = errno(bytes.load(fromByteOffset: index * 4, as: Int32.self))
            }
        }
        withUnsafeBytes(of: raw.nested_errno) { bytes in
            for (index, kind) in kinds.enumerated() {
                nested[kind] = errno(bytes.load(fromByteOffset: index * 4, as: Int32.self))
            }
        }
        return .success(
            ProbeResult(
                filter: errno(raw.filter_errno), direct: direct, nested: nested, mapWrite: errno(raw.map_errno),
                moreLevels: Int(raw.more_levels), levelsStop: errno(raw.levels_errno)))
    }
}
