import CNamespaces
import Glibc

/// Parent, owner and owner uid of a namespace, from the nsfs ioctls on `/proc/<pid>/ns/<kind>`.
struct NamespaceRelations: Sendable, Hashable {
    /// Parent namespace id (pid and user kinds).
    var parent: UInt64?
    /// Owning user namespace id.
    var owner: UInt64?
    /// Creator uid (user kind).
    var ownerUID: UInt32?

    /// Asks the kernel through a member's ns file; nil when the file cannot be opened (process gone,
    /// no permission, or a fixture tree where the links are not real nsfs files).
    static func read(root: ProcRoot, key: NamespaceKey, pid: Int32) -> NamespaceRelations? {
        let fd = ProcSyscalls.openAt(AT_FDCWD, "\(root.path)/\(pid)/ns/\(key.kind.procName)", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var relations = NamespaceRelations()
        if key.kind == .pid || key.kind == .user {
            // EPERM means the parent is outside the reader's view: for the reader, this is the top.
            relations.parent = inode(of: nsl_ns_get_parent(fd))
        }
        relations.owner = inode(of: nsl_ns_get_userns(fd))
        if key.kind == .user {
            var uid: UInt32 = 0
            if nsl_ns_get_owner_uid(fd, &uid) == 0 { relations.ownerUID = uid }
        }
        return relations
    }

    /// The inode of a freshly returned ns fd, closing it; nil for -1.
    private static func inode(of fd: Int32) -> UInt64? {
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        return fstat(fd, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}
