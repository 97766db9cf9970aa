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
        let path = "\(root.path)/\(pid)/ns/\(key.kind.procName)"
        guard case .success(let fd) = SystemCall.open(path, O_RDONLY) else { return nil }
        defer { fd.close() }
        var relations = NamespaceRelations()
        if key.kind == .pid || key.kind == .user {
            // EPERM means the parent is outside the reader's view: for the reader, this is the top.
            relations.parent = SystemCall.inodeClosing(SystemCall.namespaceParent(of: fd))
        }
        relations.owner = SystemCall.inodeClosing(SystemCall.namespaceOwner(of: fd))
        if key.kind == .user { relations.ownerUID = SystemCall.namespaceOwnerUID(of: fd) }
        return relations
    }
}
