/// The `ip netns` names of net namespaces, cheaply: one `stat` per entry of /run/netns (usually a handful), where
/// a bind-mounted nsfs file's inode is the namespace id. `ps`, `inspect` and the dashboard's net fact use this
/// instead of the bind-mount discovery of `HolderDiscovery`, which reads a mountinfo per mount namespace.
public enum NetnsNames {
    /// Net namespace id → its names, sorted; empty when the directory is missing or unreadable.
    public static func byNamespace(directory: String = "/run/netns") -> [UInt64: [String]] {
        // nsfs is one superblock: every namespace file has the device of our own, and an entry on another
        // device (the empty file `ip netns add` leaves when the mount is gone) is no namespace.
        guard case .success(let own) = SystemCall.fileStatus("/proc/self/ns/net"),
            let entries = SystemCall.directoryEntries(directory)
        else { return [:] }
        var names: [UInt64: [String]] = [:]
        for name in entries {
            guard case .success(let info) = SystemCall.fileStatus(directory + "/" + name), info.st_dev == own.st_dev
            else { continue }
            names[UInt64(info.st_ino), default: []].append(name)
        }
        return names.mapValues { $0.sorted() }
    }
}
