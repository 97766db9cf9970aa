import Glibc

/// The check `nslab run --net --wire-to PID` makes before anything is created: PID's network namespace must be
/// one a running nslab created for a child. Read in /proc: the namespace is not the host's (PID 1's, when it can
/// be read) nor nslab's own; the topmost process of PID's ancestry still in it (the one that was created with
/// it) has as parent a live process whose executable is nslab (the same file as this one, or one named `nslab`);
/// and no process in the namespace started before that one (else it joined a namespace that was there already, as
/// `nslab enter` and the dashboard's `e` do). A namespace made by `unshare` or `ip netns add` fails; so does a
/// dead pid.
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
        if let older = olderMember(than: creator, in: target, root: root) {
            return .failure(
                WiringFailure(
                    "--wire-to \(pid): net:[\(target)] was there before pid \(creator) joined it (pid \(older) in it is "
                        + "older): it was not created by nslab, which wires only network namespaces it created"))
        }
        return .success(target)
    }

    /// A process in `namespace` that started before `creator` did; nil when there is none.
    static func olderMember(than creator: Int32, in namespace: UInt64, root: ProcRoot) -> Int32? {
        guard let start = startTime(of: creator, root: root) else { return nil }
        for entry in SystemCall.directoryEntries(root.path) ?? [] {
            guard let pid = Int32(entry), pid != creator, self.namespace(of: pid, root: root) == namespace,
                let started = startTime(of: pid, root: root), started < start
            else { continue }
            return pid
        }
        return nil
    }

    /// The id of PID's network namespace; nil when it cannot be read (a dead pid, a zombie).
    static func namespace(of pid: Int32, root: ProcRoot) -> UInt64? {
        namespace(path: "\(root.path)/\(pid)/ns/net")
    }

    static func namespace(path: String) -> UInt64? {
        guard case .success(let status) = SystemCall.fileStatus(path) else { return nil }
        return UInt64(status.st_ino)
    }

    /// PID's parent from /proc/PID/stat (the fourth field).
    static func parentPID(of pid: Int32, root: ProcRoot) -> Int32? {
        statField(4, of: pid, root: root).flatMap { Int32($0) }
    }

    /// When PID started, in clock ticks since boot (/proc/PID/stat's 22nd field).
    static func startTime(of pid: Int32, root: ProcRoot) -> UInt64? {
        statField(22, of: pid, root: root).flatMap { UInt64($0) }
    }

    /// Field `number` (counted from 1, as proc(5) does) of /proc/PID/stat, read after the command's closing
    /// parenthesis (a command may hold spaces and parentheses).
    static func statField(_ number: Int, of pid: Int32, root: ProcRoot) -> String? {
        guard case .success(let bytes) = SystemCall.readRegularFile("\(root.path)/\(pid)/stat", limit: 4096),
            let close = bytes.lastIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        // Field 3 (the state) is the first after the parenthesis.
        guard number >= 3, fields.count > number - 3 else { return nil }
        return String(decoding: fields[number - 3], as: UTF8.self)
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
