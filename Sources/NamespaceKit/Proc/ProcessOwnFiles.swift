/// uid_map, gid_map, setgroups and timens_offsets read from one process's own files.
///
/// These files are readable by anyone for most processes, while the ns links that tell which namespace a process
/// is in are not (an ordinary user reading root's processes; a PID 1 of another container). Without the link the
/// namespace-level reading cannot be used, so `ps --json` reads the process's files instead of writing null.
public struct ProcessOwnFiles: Sendable, Hashable {
    /// The process's uid_map as the reader sees it.
    public var uidMap: Fact<[IDMapEntry]> = .unknown
    /// The process's gid_map.
    public var gidMap: Fact<[IDMapEntry]> = .unknown
    /// The process's setgroups policy.
    public var setgroups: Fact<SetgroupsPolicy> = .unknown
    /// The process's timens_offsets (those of its time_for_children namespace, which is its own unless it called
    /// unshare(CLONE_NEWTIME) without forking).
    public var timeOffsets: Fact<TimeOffsets> = .unknown
}

extension ProcScanner {
    /// Reads the own files of every process in `snapshot` whose user or time namespace link could not be read.
    public func ownFilesOfUnlinkedProcesses(_ snapshot: Snapshot) -> [Int32: ProcessOwnFiles] {
        var result: [Int32: ProcessOwnFiles] = [:]
        let hasTime = !snapshot.unavailableKinds.contains(.time)
        for process in snapshot.processes {
            let userUnknown = process.namespaces[.user] == .unknown
            let timeUnknown = hasTime && process.namespaces[.time] == .unknown
            guard userUnknown || timeUnknown, let directory = reader.openProcess(process.pid) else { continue }
            defer { directory.close() }
            var files = ProcessOwnFiles()
            if userUnknown {
                files.uidMap = reader.read(directory, "uid_map", SmallFileParsers.idMap).knownOrUnknown
                files.gidMap = reader.read(directory, "gid_map", SmallFileParsers.idMap).knownOrUnknown
                files.setgroups = reader.read(directory, "setgroups", SmallFileParsers.setgroups).fact
                    .flatMapOptional()
            }
            if timeUnknown {
                files.timeOffsets = reader.read(directory, "timens_offsets", SmallFileParsers.timeOffsets).fact
                    .flatMapOptional()
            }
            result[process.pid] = files
        }
        return result
    }
}

extension Snapshot {
    /// For each time namespace, the lowest member whose future children stay in it: /proc/PID/timens_offsets shows
    /// the offsets of time_for_children, so a member that called unshare(CLONE_NEWTIME) would show another's.
    static func timeOffsetReaders(_ processes: [ProcessRecord]) -> [UInt64: Int32] {
        var readers: [UInt64: Int32] = [:]
        for process in processes {
            guard let id = process.namespaces[.time].value, process.namespaces.timeForChildren.value == id else {
                continue
            }
            if let known = readers[id], known < process.pid { continue }
            readers[id] = process.pid
        }
        return readers
    }
}
