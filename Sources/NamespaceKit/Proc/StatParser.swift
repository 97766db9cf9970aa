/// The fields nslab needs from `/proc/<pid>/stat`.
public struct ProcStat: Sendable, Hashable {
    /// Process id.
    public var pid: Int32
    /// The command name (`comm`), which may contain spaces and `)`.
    public var comm: String
    /// One-letter state: R, S, D, Z, T, I...
    public var state: Character
    /// Parent process id (0 for the roots of the tree).
    public var ppid: Int32
    /// Start time in clock ticks after boot (field 22); with the pid it identifies a process over time.
    public var startTime: UInt64
}

/// Parser for `/proc/<pid>/stat`.
enum StatParser {
    /// Parses a stat line. `comm` is everything between the first `(` and the last `)`, because a
    /// command name may itself contain `)` and spaces.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcStat? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
            let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open
        else { return nil }
        var head = ByteCursor(UnsafeBufferPointer(rebasing: bytes[0..<open]))
        guard let pid = head.integer() else { return nil }
        var cursor = ByteCursor(bytes, from: close + 1)
        cursor.skipBlanks()
        guard !cursor.atEnd else { return nil }
        let state = Character(Unicode.Scalar(bytes[cursor.index]))
        cursor.index += 1
        guard let ppid = cursor.integer() else { return nil }
        // Fields 5 (pgrp) through 21 (itrealvalue) sit between ppid and starttime.
        for _ in 5...21 { guard cursor.integer() != nil else { return nil } }
        guard let start = cursor.unsigned() else { return nil }
        let comm = String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self)
        return ProcStat(
            pid: Int32(truncatingIfNeeded: pid), comm: comm, state: state,
            ppid: Int32(truncatingIfNeeded: ppid), startTime: start)
    }
}
