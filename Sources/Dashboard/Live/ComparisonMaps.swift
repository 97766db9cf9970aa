import CNamespaces
import Glibc
import NamespaceKit

/// The uid/gid maps as a process inside another user namespace reads them.
///
/// A map's second column is printed relative to the reader's user namespace, so the same file reads
/// differently from the host and from inside: a short-lived C helper joins the target's user
/// namespace to read them (Swift never runs in that forked child).
enum ComparisonMaps {
    /// What a reader inside `pid`'s user namespace sees in one process's maps.
    struct Reading: Equatable, Sendable {
        /// uid_map lines as read.
        var uidLines: [MapLine]
        /// gid_map lines as read.
        var gidLines: [MapLine]
    }

    /// Reads, from inside `pid`'s user namespace, the maps of each process in `subjects` (at most two).
    /// Nil when the namespace cannot be joined (no privilege over it, or `pid` is gone).
    static func readInside(userNamespaceOf pid: Int32, subjects: [Int32]) -> [Reading]? {
        let namespaceFD = open("/proc/\(pid)/ns/user", O_RDONLY | O_CLOEXEC)
        guard namespaceFD >= 0 else { return nil }
        defer { close(namespaceFD) }
        let paths = subjects.prefix(Int(NSL_USERNS_MAX_FILES) / 2).flatMap {
            ["/proc/\($0)/uid_map", "/proc/\($0)/gid_map"]
        }
        // The helper gets C strings that live until it returns; nothing is allocated after fork.
        let cPaths = paths.map { strdup($0) }
        defer { cPaths.forEach { free($0) } }
        var reads = nsl_userns_reads()
        let status = cPaths.map { UnsafePointer($0!) }.withUnsafeBufferPointer {
            nsl_read_in_userns(namespaceFD, $0.baseAddress!, Int32(paths.count), &reads)
        }
        guard status == 0, reads.setns_errno == 0 else { return nil }
        let errors = withUnsafeBytes(of: reads.file_errno) { Array($0.bindMemory(to: Int32.self)) }
        let lengths = withUnsafeBytes(of: reads.length) { Array($0.bindMemory(to: Int32.self)) }
        let texts = withUnsafeBytes(of: reads.data) { raw -> [String?] in
            (0..<paths.count).map { index in
                guard errors[index] == 0 else { return nil }
                let start = index * Int(NSL_USERNS_FILE_BYTES)
                let length = min(Int(lengths[index]), Int(NSL_USERNS_FILE_BYTES))
                return String(decoding: raw[start..<start + length], as: UTF8.self)
            }
        }
        return stride(from: 0, to: texts.count, by: 2).compactMap { index in
            guard let uid = texts[index], let gid = texts[index + 1] else { return nil }
            return Reading(uidLines: parseMapLines(uid), gidLines: parseMapLines(gid))
        }
    }

    /// The views the map panel shows for `pid` besides the host's reading: its own maps and the host's
    /// (nslab's), both as read inside its user namespace. Empty when it shares nslab's user namespace.
    static func insideViews(of pid: Int32, command: String, host: Int32 = getpid()) -> [MapView] {
        guard pid != host, namespaceLink(pid, "user") != nil,
            namespaceLink(pid, "user") != namespaceLink(host, "user")
        else { return [] }
        guard let readings = readInside(userNamespaceOf: pid, subjects: [pid, host]), readings.count == 2 else {
            return []
        }
        let setgroups = readSetgroups(of: pid)
        let hostSetgroups = readSetgroups(of: host)
        return [
            MapView(
                subject: "pid \(pid) (\(command)), read by the child itself",
                uidLines: readings[0].uidLines, gidLines: readings[0].gidLines, setgroups: setgroups),
            MapView(
                subject: "the host's maps (pid \(host)), read by the child",
                uidLines: readings[1].uidLines, gidLines: readings[1].gidLines, setgroups: hostSetgroups),
        ]
    }

    /// The target of `/proc/<pid>/ns/<name>`, e.g. `user:[4026531837]`.
    static func namespaceLink(_ pid: Int32, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/\(pid)/ns/\(name)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
