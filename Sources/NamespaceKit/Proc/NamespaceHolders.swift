import CNamespaces
import Glibc

/// Something other than a member process that keeps a namespace alive.
public struct NamespaceHolder: Sendable, Hashable {
    /// How the namespace is held.
    public enum How: String, Sendable, Hashable {
        /// An nsfs bind mount (`ip netns add`, `unshare --uts=FILE`).
        case bindMount = "bind_mount"
        /// An open file descriptor of some process.
        case fd
        /// Only the namespaces it owns (a user namespace whose processes all moved on or exited).
        case owner
    }

    /// How it is held.
    public var how: How
    /// The bind mount's path inside `mountNamespace`, or `/proc/PID/fd/N` for an fd.
    public var path: String?
    /// The pid whose mount namespace has the bind mount, or that has the fd open.
    public var pid: Int32?
    /// For a bind mount: the mount namespace it is in.
    public var mountNamespace: UInt64?

    /// The `ip netns` name, when this is a bind mount under /run/netns of a net namespace.
    public var netnsName: String? {
        guard how == .bindMount, let path, path.hasPrefix("/run/netns/") else { return nil }
        let name = path.dropFirst("/run/netns/".count)
        return name.isEmpty || name.contains("/") ? nil : String(name)
    }
}

extension Namespace {
    /// The `ip netns` names of this namespace (net kind), from its bind mounts in /run/netns.
    public var netnsNames: [String] { holders.compactMap(\.netnsName) }
}

/// Finds namespaces held without processes: nsfs bind mounts from one mountinfo per mount namespace, open ns fds
/// from every /proc/PID/fd, and owner user namespaces no process is in (found through the ioctls of what they own).
enum HolderDiscovery {
    /// Adds holders to `namespaces` and returns the namespaces that have no member process.
    static func discover(
        root: ProcRoot, reader: ProcReader, processes: [ProcessRecord], namespaces: inout [Namespace]
    ) -> [Namespace] {
        var index: [NamespaceKey: Int] = [:]
        for (position, namespace) in namespaces.enumerated() { index[namespace.key] = position }
        var held: [NamespaceKey: Namespace] = [:]
        /// How to open each held namespace's file later, for its relations.
        var openPaths: [NamespaceKey: String] = [:]
        /// A mount propagated into child mount namespaces is one holder: the first (lowest namespace id) is kept.
        func isNew(_ holder: NamespaceHolder, _ holders: [NamespaceHolder]) -> Bool {
            !holders.contains { $0.how == holder.how && $0.path == holder.path }
        }
        func add(_ key: NamespaceKey, _ holder: NamespaceHolder, openPath: String) {
            if let position = index[key] {
                if isNew(holder, namespaces[position].holders) { namespaces[position].holders.append(holder) }
                return
            }
            var namespace = held[key] ?? Namespace(kind: key.kind, inode: key.id, members: [])
            if isNew(holder, namespace.holders) { namespace.holders.append(holder) }
            held[key] = namespace
            if openPaths[key] == nil { openPaths[key] = openPath }
        }
        // Bind mounts: one reading per mount namespace, through its lowest member.
        for namespace in namespaces where namespace.kind == .mount {
            let pid = namespace.representative
            guard let mounts = reader.read(path: "\(pid)/mountinfo", MountInfoParser.entries).value else { continue }
            for mount in mounts {
                guard let key = mount.heldNamespace else { continue }
                let path = mount.mountPoint
                let holder = NamespaceHolder(how: .bindMount, path: path, pid: pid, mountNamespace: namespace.inode)
                add(key, holder, openPath: "\(root.path)/\(pid)/root\(path)")
            }
        }
        // Open fds of every process (the links read `net:[4026532008]`).
        var buffer = [UInt8](repeating: 0, count: 64)
        for process in processes {
            let directory = "\(root.path)/\(process.pid)/fd"
            guard let names = SystemCall.directoryEntries(directory) else { continue }
            for name in names {
                guard let first = name.first, first.isNumber else { continue }
                let read = buffer.withUnsafeMutableBytes { SystemCall.readLink(directory + "/" + name, into: $0) }
                guard case .success(let count) = read, count > 4 else { continue }
                let target = String(decoding: buffer[0..<count], as: UTF8.self)
                guard let key = nsfsKey(target) else { continue }
                let path = directory + "/" + name
                add(key, NamespaceHolder(how: .fd, path: path, pid: process.pid), openPath: path)
            }
        }
        var result = Array(held.values)
        guard root.isLive else { return result }
        // Relations of the held ones, and owner user namespaces nobody is in (followed up to a known one).
        let known = Set(index.keys).union(held.keys)
        var owners: [UInt64: Namespace] = [:]
        func follow(_ fd: FileDescriptor, _ namespace: inout Namespace) {
            if namespace.kind == .pid || namespace.kind == .user {
                namespace.parent = SystemCall.inodeClosing(SystemCall.namespaceParent(of: fd))
            }
            let ownerFD = SystemCall.namespaceOwner(of: fd)
            namespace.ownerUserNamespace = ownerFD.flatMap(SystemCall.inode(of:))
            if namespace.kind == .user, let uid = SystemCall.namespaceOwnerUID(of: fd) { namespace.ownerUID = uid }
            guard let ownerFD else { return }
            defer { ownerFD.close() }
            guard let ownerID = namespace.ownerUserNamespace,
                !known.contains(NamespaceKey(kind: .user, id: ownerID)), owners[ownerID] == nil
            else { return }
            var owner = Namespace(kind: .user, inode: ownerID, members: [])
            owner.holders = [NamespaceHolder(how: .owner)]
            owners[ownerID] = owner
            follow(ownerFD, &owner)
            owners[ownerID] = owner
        }
        for position in result.indices {
            guard let path = openPaths[result[position].key] else { continue }
            guard case .success(let fd) = SystemCall.open(path, O_RDONLY) else { continue }
            follow(fd, &result[position])
            fd.close()
        }
        for namespace in namespaces {
            guard let owner = namespace.ownerUserNamespace, !known.contains(NamespaceKey(kind: .user, id: owner)),
                owners[owner] == nil
            else { continue }
            let path = "\(root.path)/\(namespace.representative)/ns/\(namespace.kind.procName)"
            guard case .success(let fd) = SystemCall.open(path, O_RDONLY) else { continue }
            var copy = namespace
            follow(fd, &copy)
            fd.close()
        }
        result += owners.values
        return result
    }

    /// `net:[4026532008]` → the key; nil for anything else.
    static func nsfsKey(_ text: String) -> NamespaceKey? {
        guard let colon = text.firstIndex(of: ":"), text.hasSuffix("]") else { return nil }
        let name = text[..<colon]
        guard let kind = NamespaceKind.allCases.first(where: { $0.procName == name }) else { return nil }
        let digits = text[text.index(colon, offsetBy: 2)..<text.index(before: text.endIndex)]
        guard text[text.index(after: colon)] == "[", let id = UInt64(digits) else { return nil }
        return NamespaceKey(kind: kind, id: id)
    }
}
