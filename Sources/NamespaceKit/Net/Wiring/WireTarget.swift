import Glibc

/// The check `nslab run --net --wire-to PID` makes before anything is created: PID's network namespace must be
/// one a running nslab created for a child. Read in /proc: the namespace is not the host's (PID 1's, when it can
/// be read) nor nslab's own, and the topmost process of PID's ancestry still in it (the one that was created with
/// it) has as parent a live process whose executable is nslab (the same file as this one, or one named `nslab`).
/// A namespace made by `unshare` or `ip netns add` fails the last test; so does a dead pid.
public enum WireTarget {
    /// PID's network namespace id when it may be wired to, else the refusal in one sentence.
    public static func check(pid: Int32, root: ProcRoot = .system) -> Result<UInt64, WiringFailure> {
        guard let target = namespace(of: pid, root: root) else {
            return .failure(WiringFailure("--wire-to \(pid): no such process (or its network namespace cannot be read)"))
        }
        let own = namespace(path: "\(root.path)/self/ns/net")
        let host = namespace(of: 1, root: root)
        if target == own || target == host {
            return .failure(
                WiringFailure(
                    "--wire-to \(pid): pid \(pid) is in the host's network namespace, which nslab only reads; "
                        + "give a pid in a namespace nslab created (a child of nslab run --net or of the dashboard)"))
        }
        // The creator: walk up while the parent is still in the namespace.
        var creator = pid
        var steps = 0
        while let parent = parentPID(of: creator, root: root), parent > 0, namespace(of: parent, root: root) == target,
            steps < 4096
        {
            creator = parent
            steps += 1
        }
        guard let parent = parentPID(of: creator, root: root), parent > 0, isNslab(parent, root: root) else {
            return .failure(
                WiringFailure(
                    "--wire-to \(pid): net:[\(target)] was not created by a running nslab (pid \(creator) made it, "
                        + "and its parent is not nslab): nslab wires only network namespaces it created"))
        }
        return .success(target)
    }

    /// The id of PID's network namespace; nil when it cannot be read (a dead pid, a zombie).
    static func namespace(of pid: Int32, root: ProcRoot) -> UInt64? {
        namespace(path: "\(root.path)/\(pid)/ns/net")
    }

    static func namespace(path: String) -> UInt64? {
        guard case .success(let status) = SystemCall.fileStatus(path) else { return nil }
        return UInt64(status.st_ino)
    }

    /// PID's parent from /proc/PID/stat (the fourth field, after the command's closing parenthesis).
    static func parentPID(of pid: Int32, root: ProcRoot) -> Int32? {
        guard case .success(let bytes) = SystemCall.readRegularFile("\(root.path)/\(pid)/stat", limit: 4096),
            let close = bytes.lastIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 1 else { return nil }
        return Int32(String(decoding: fields[1], as: UTF8.self))
    }

    /// True when PID runs nslab: its executable is this binary's file, or a file named `nslab`.
    static func isNslab(_ pid: Int32, root: ProcRoot) -> Bool {
        guard case .success(let theirs) = SystemCall.fileStatus("\(root.path)/\(pid)/exe") else { return false }
        if case .success(let mine) = SystemCall.fileStatus("\(root.path)/self/exe"), mine.st_ino == theirs.st_ino,
            mine.st_dev == theirs.st_dev
        {
            return true
        }
        guard let path = SystemCall.readLink("\(root.path)/\(pid)/exe") else { return false }
        return path.split(separator: "/").last.map { $0 == "nslab" || $0.hasPrefix("nslab ") } ?? false
    }
}
