import CNamespaces
import CRouteNetlink

/// The wiring's calls into C: a network namespace made for nslab's bridge (a CNamespaces helper task), and the
/// rtnetlink changes over a socket opened inside the namespace they change (CRouteNetlink, libnl-route-3).
/// Each change returns nil when it was made, else libnl's failure.
extension SystemCall {
    /// A new network namespace, held by the fd returned (close it and the namespace goes once nothing inside
    /// keeps it). `owner`: for a caller that is not root, the user namespace to make it in (joined first).
    public static func createNetworkNamespace(owner: FileDescriptor?) -> Result<FileDescriptor, Errno> {
        let fd = nsl_create_netns(owner?.rawValue ?? -1)
        return fd < 0 ? .failure(.current) : .success(FileDescriptor(rawValue: fd))
    }

    /// Creates the veth pair `name` (in `socket`'s namespace) and `peerName`, born in `peerNamespace`.
    public static func addVeth(
        _ socket: FileDescriptor, name: String, peerName: String, peerNamespace: FileDescriptor
    ) -> NetlinkFailure? {
        failure(nsl_wire_add_veth(socket.rawValue, name, peerName, peerNamespace.rawValue))
    }

    /// Creates the bridge `name` in `socket`'s namespace.
    public static func addBridge(_ socket: FileDescriptor, name: String) -> NetlinkFailure? {
        failure(nsl_wire_add_bridge(socket.rawValue, name))
    }

    /// Makes `port` a port of the bridge `bridge`.
    public static func enslave(_ socket: FileDescriptor, port: String, bridge: String) -> NetlinkFailure? {
        failure(nsl_wire_enslave(socket.rawValue, port, bridge))
    }

    /// Adds the IPv4 address `bytes`/`prefixLength` to the link `name`.
    public static func addAddress(
        _ socket: FileDescriptor, name: String, bytes: [UInt8], prefixLength: Int
    ) -> NetlinkFailure? {
        precondition(bytes.count == 4, "an IPv4 address has four bytes")
        return failure(nsl_wire_add_address(socket.rawValue, name, bytes, Int32(prefixLength)))
    }

    /// Sets the link `name` up.
    public static func setLinkUp(_ socket: FileDescriptor, name: String) -> NetlinkFailure? {
        failure(nsl_wire_set_up(socket.rawValue, name))
    }

    /// Deletes the link `name` (a veth's peer goes with it).
    public static func deleteLink(_ socket: FileDescriptor, name: String) -> NetlinkFailure? {
        failure(nsl_wire_delete(socket.rawValue, name))
    }

    private static func failure(_ status: Int32) -> NetlinkFailure? {
        status == 0 ? nil : NetlinkFailure(code: status)
    }
}
