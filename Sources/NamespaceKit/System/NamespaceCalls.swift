import CNamespaces

/// The namespace and pidfd calls of the C target (nsfs ioctls, `pidfd_open`, `pidfd_send_signal`), which fail
/// with errno as libc's do, wrapped with the rest of `SystemCall` so no other file handles their raw results.
extension SystemCall {
    /// The parent of the pid or user namespace open as `namespace` (NS_GET_PARENT), as a new fd the caller
    /// closes; nil when the kernel refused (EPERM: the parent is outside the caller's view, so this is its top).
    public static func namespaceParent(of namespace: FileDescriptor) -> FileDescriptor? {
        descriptor(nsl_ns_get_parent(namespace.rawValue))
    }

    /// The user namespace that owns the namespace open as `namespace` (NS_GET_USERNS), as a new fd the caller
    /// closes; nil when the kernel refused.
    public static func namespaceOwner(of namespace: FileDescriptor) -> FileDescriptor? {
        descriptor(nsl_ns_get_userns(namespace.rawValue))
    }

    /// The uid that created the user namespace open as `namespace` (NS_GET_OWNER_UID); nil when refused.
    public static func namespaceOwnerUID(of namespace: FileDescriptor) -> UInt32? {
        var uid: UInt32 = 0
        return nsl_ns_get_owner_uid(namespace.rawValue, &uid) == 0 ? uid : nil
    }

    /// The inode (namespace id) of a namespace fd just returned by one of the calls above, which is closed;
    /// nil for nil or when fstat fails.
    public static func inodeClosing(_ namespace: FileDescriptor?) -> UInt64? {
        guard let namespace else { return nil }
        defer { close(namespace) }
        return inode(of: namespace)
    }

    /// A pidfd for `pid` (pidfd_open), close-on-exec; why not when the kernel refused.
    public static func openPIDFD(_ pid: Int32) -> Result<FileDescriptor, Errno> {
        let fd = nsl_pidfd_open(pid)
        return fd < 0 ? .failure(.current) : .success(FileDescriptor(rawValue: fd))
    }

    /// Sends `signal` to the process behind `pidfd` (pidfd_send_signal): unlike a pid, it cannot reach a
    /// stranger that reused the number. Nil when it was sent.
    @discardableResult
    public static func sendSignal(_ signal: Int32, toPIDFD pidfd: FileDescriptor) -> Errno? {
        nsl_pidfd_send_signal(pidfd.rawValue, signal) == 0 ? nil : .current
    }

    /// A descriptor for a call's result, nil for -1.
    private static func descriptor(_ raw: Int32) -> FileDescriptor? {
        raw < 0 ? nil : FileDescriptor(rawValue: raw)
    }
}
