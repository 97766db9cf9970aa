/// Real, effective, saved and filesystem ids from a `Uid:` or `Gid:` line of `/proc/<pid>/status`.
public struct IDSet: Sendable, Hashable {
    /// Real id.
    public var real: UInt32
    /// Effective id (the one permission checks use).
    public var effective: UInt32
    /// Saved set-id.
    public var saved: UInt32
    /// Filesystem id.
    public var filesystem: UInt32

    /// Creates an id set.
    public init(real: UInt32, effective: UInt32, saved: UInt32, filesystem: UInt32) {
        self.real = real
        self.effective = effective
        self.saved = saved
        self.filesystem = filesystem
    }
}

/// The fields nslab needs from `/proc/<pid>/status`.
public struct ProcStatus: Sendable, Hashable {
    /// User ids.
    public var uid: IDSet?
    /// Group ids.
    public var gid: IDSet?
    /// The pid in each pid namespace from the reader's down to the process's own (the last is the pid inside).
    public var nspid: [Int32]?
}

/// Parser for `/proc/<pid>/status`.
enum StatusParser {
    /// Picks `Uid:`, `Gid:` and `NSpid:` out of the status text.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcStatus {
        var status = ProcStatus()
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            if cursor.startsWith("Uid:") {
                cursor.index += 4
                status.uid = ids(&cursor)
            } else if cursor.startsWith("Gid:") {
                cursor.index += 4
                status.gid = ids(&cursor)
            } else if cursor.startsWith("NSpid:") {
                cursor.index += 6
                var pids: [Int32] = []
                while let pid = cursor.integer() { pids.append(Int32(truncatingIfNeeded: pid)) }
                status.nspid = pids
                // NSpid comes after Uid and Gid; nothing else is needed.
                break
            }
            cursor.nextLine()
        }
        return status
    }

    private static func ids(_ cursor: inout ByteCursor) -> IDSet? {
        guard let real = cursor.unsigned(), let effective = cursor.unsigned(),
            let saved = cursor.unsigned(), let filesystem = cursor.unsigned()
        else { return nil }
        return IDSet(
            real: UInt32(truncatingIfNeeded: real), effective: UInt32(truncatingIfNeeded: effective),
            saved: UInt32(truncatingIfNeeded: saved), filesystem: UInt32(truncatingIfNeeded: filesystem))
    }
}
