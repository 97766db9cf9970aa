extension ProcReader {
    /// Reads one process completely; nil when it vanished (its directory or `stat` is gone).
    func readProcess(_ pid: Int32) -> ProcessRecord? {
        guard let directory = openProcess(pid) else { return nil }
        defer { directory.close() }
        guard case .success(let stat?) = read(directory, "stat", StatParser.parse) else { return nil }
        return readDetails(directory, stat: stat)
    }

    /// Reads everything beyond `stat` for a process whose directory is open.
    func readDetails(_ directory: FileDescriptor, stat: ProcStat) -> ProcessRecord {
        var record = ProcessRecord(
            pid: stat.pid, ppid: stat.ppid, comm: stat.comm, state: stat.state,
            startTime: stat.startTime)
        let status = read(directory, "status", StatusParser.parse).knownOrUnknown
        if let status = status.value {
            record.uid = status.uid.map { .known($0) } ?? .unknown
            record.gid = status.gid.map { .known($0) } ?? .unknown
            // Kernels before 4.1 have no NSpid line: then the only pid is the one we see.
            record.nspid = .known(status.nspid ?? [stat.pid])
        }
        record.cmdline = read(directory, "cmdline", SmallFileParsers.cmdline).knownOrUnknown
        record.cgroup = read(directory, "cgroup", internedCgroup).knownOrUnknown
        record.namespaces = readNamespaces(directory)
        return record
    }

    /// Reads the ten ns links; a missing link is `unavailable` (the kernel lacks the kind).
    func readNamespaces(_ directory: FileDescriptor) -> NamespaceSet {
        var set = NamespaceSet()
        for slot in 0..<NamespaceSet.slotCount {
            let count = ProcSyscalls.readLink(directory, Self.cName(NamespaceSet.linkNames[slot]), into: buffer)
            if count > 0, let inode = SmallFileParsers.namespaceInode(buffer.bytes(count)) {
                set.setRaw(slot, inode)
            } else if count < 0, Self.failure(Int32(-count)) == .absent {
                set.setRaw(slot, NamespaceSet.unavailableID)
            }
        }
        return set
    }
}
