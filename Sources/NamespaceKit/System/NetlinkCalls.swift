import CNamespaces
import Glibc
import CRouteNetlink

/// The network map's two calls into C: sockets opened inside other network namespaces (a CNamespaces helper
/// task), and one namespace read over such a socket with libnl-route-3 (CRouteNetlink). libnl reports its own
/// error codes, not errno; `NetlinkFailure` keeps its code and sentence.
extension SystemCall {
    /// One network namespace to open a socket in: its fd and, for a reader that is not root, the fd of the user
    /// namespace that owns it (joined first).
    public struct NetnsSocketRequest: Sendable {
        /// The network namespace.
        public var namespace: FileDescriptor
        /// Its owning user namespace, or nil (root needs none).
        public var owner: FileDescriptor?

        /// A request.
        public init(namespace: FileDescriptor, owner: FileDescriptor?) {
            self.namespace = namespace
            self.owner = owner
        }
    }

    /// Opens a NETLINK_ROUTE socket inside each requested namespace, all in one helper task; per request the
    /// socket (the caller's to close, or to hand to `readNetworkNamespace`) or why not. A request with an owner
    /// must be alone in its batch (joining a user namespace cannot be undone).
    public static func openRouteSockets(in requests: [NetnsSocketRequest]) -> [Result<FileDescriptor, Errno>] {
        var raw = requests.map {
            nsl_netns_socket(
                user_fd: $0.owner?.rawValue ?? -1, net_fd: $0.namespace.rawValue, socket_fd: -1, error: 0)
        }
        let started = raw.withUnsafeMutableBufferPointer {
            nsl_open_netns_sockets($0.baseAddress!, Int32($0.count))
        }
        if started != 0 {
            let failure = Errno.current
            return requests.map { _ in .failure(failure) }
        }
        return raw.map { $0.socket_fd >= 0 ? .success(FileDescriptor(rawValue: $0.socket_fd)) : .failure(Errno($0.error)) }
    }

    /// Reads the namespace behind `socket` (taken over and closed): links and addresses, the peers of veths in
    /// other namespaces (`askPeers`), the main table's routes (`routes`) and the neighbour table (`neighbours`).
    /// The C reading, to be freed with `freeNetworkReading`; or the libnl failure when the socket could not be
    /// used.
    public static func readNetworkNamespace(
        _ socket: FileDescriptor, askPeers: Bool, routes: Bool = true, neighbours: Bool
    ) -> Result<nsl_net_reading, NetlinkFailure> {
        var reading = nsl_net_reading()
        let status = nsl_net_read(socket.rawValue, askPeers ? 1 : 0, routes ? 1 : 0, neighbours ? 1 : 0, &reading)
        return status == 0 ? .success(reading) : .failure(NetlinkFailure(code: status))
    }

    /// Joins `socket` (from `openRouteSockets`) to its namespace's link and address notifications, which
    /// `readLinkCounters` then counts.
    public static func watchNetworkNamespace(_ socket: FileDescriptor) -> Result<Void, Errno> {
        let status = nsl_net_watch(socket.rawValue)
        return status == 0 ? .success(()) : .failure(Errno(-status))
    }

    /// Every link's counters in the namespace of a watched `socket` (kept open), from one RTM_GETSTATS dump, and
    /// whether links or addresses changed there since the last call (notifications were waiting).
    public static func readLinkCounters(_ socket: FileDescriptor)
        -> Result<(counters: [Int32: InterfaceCounters], changed: Bool), Errno>
    {
        var list: UnsafeMutablePointer<nsl_net_counters>?
        var count: Int32 = 0
        var changed: Int32 = 0
        let status = nsl_net_read_counters(socket.rawValue, &list, &count, &changed)
        defer { free(list) }
        guard status == 0 else { return .failure(Errno(-status)) }
        var counters: [Int32: InterfaceCounters] = [:]
        counters.reserveCapacity(Int(count))
        for position in 0..<Int(count) {
            let entry = list![position]
            counters[entry.index] = InterfaceCounters(
                rxBytes: entry.rx_bytes, txBytes: entry.tx_bytes, rxPackets: entry.rx_packets,
                txPackets: entry.tx_packets)
        }
        return .success((counters, changed != 0))
    }

    /// Frees a reading from `readNetworkNamespace`.
    public static func freeNetworkReading(_ reading: inout nsl_net_reading) {
        nsl_net_reading_free(&reading)
    }
}

/// A libnl error code (negative `NLE_*`) with its sentence and, where it has one, the errno it stands for.
public struct NetlinkFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// libnl's code.
    public var code: Int32

    /// Wraps a code.
    public init(code: Int32) { self.code = code }

    /// libnl's sentence, e.g. "Operation not permitted".
    public var description: String { String(cString: nsl_net_error_text(code)) }

    /// The errno it stands for (EPERM for NLE_PERM), when there is one.
    public var errno: Errno? {
        let value = nsl_net_error_errno(code)
        return value == 0 ? nil : Errno(value)
    }
}

extension SystemCall {
    /// An IPv4 or IPv6 address in its usual text form (inet_ntop: `10.77.0.1`, `fe80::1`); nil for another
    /// family or length.
    public static func addressText(family: Int32, _ bytes: [UInt8]) -> String? {
        guard (family == AF_INET && bytes.count == 4) || (family == AF_INET6 && bytes.count == 16) else { return nil }
        var text = [CChar](repeating: 0, count: 64)
        let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
        guard written != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
