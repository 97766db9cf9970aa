/// One line of `/proc/<pid>/cgroup`: `hierarchy-id:controllers:path`.
public struct CgroupEntry: Sendable, Hashable {
    /// Hierarchy id; 0 is the unified (v2) hierarchy.
    public var hierarchy: Int
    /// Comma-separated controllers, empty for v2.
    public var controllers: String
    /// The path relative to the reader's cgroup namespace root.
    public var path: String

    /// Creates a cgroup line.
    public init(hierarchy: Int, controllers: String, path: String) {
        self.hierarchy = hierarchy
        self.controllers = controllers
        self.path = path
    }
}

/// A clock offset of a time namespace (`timens_offsets`), in seconds and nanoseconds.
public struct ClockOffset: Sendable, Hashable {
    /// Whole seconds (may be negative).
    public var seconds: Int64
    /// Nanoseconds, 0 ..< 1e9.
    public var nanoseconds: Int64

    /// Creates an offset.
    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The offset as a floating-point number of seconds.
    public var totalSeconds: Double { Double(seconds) + Double(nanoseconds) / 1e9 }
}

/// The two offsets of a time namespace.
public struct TimeOffsets: Sendable, Hashable {
    /// CLOCK_MONOTONIC offset.
    public var monotonic: ClockOffset
    /// CLOCK_BOOTTIME offset (moves uptime).
    public var boottime: ClockOffset

    /// Creates the offsets.
    public init(monotonic: ClockOffset, boottime: ClockOffset) {
        self.monotonic = monotonic
        self.boottime = boottime
    }
}

/// Whether a user namespace allows setgroups(2) (`/proc/<pid>/setgroups`).
public enum SetgroupsPolicy: String, Sendable, Hashable {
    case allow, deny
}

/// Parsers for the short per-process files: maps, setgroups, cgroup, offsets, links, cmdline.
enum SmallFileParsers {
    /// Parses uid_map / gid_map lines: `inside outside count`.
    static func idMap(_ bytes: UnsafeBufferPointer<UInt8>) -> [IDMapEntry] {
        var entries: [IDMapEntry] = []
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            if let inside = cursor.unsigned(), let outside = cursor.unsigned(), let count = cursor.unsigned() {
                entries.append(
                    IDMapEntry(
                        inside: UInt32(truncatingIfNeeded: inside),
                        outside: UInt32(truncatingIfNeeded: outside),
                        count: UInt32(truncatingIfNeeded: count)))
            }
            cursor.nextLine()
        }
        return entries
    }

    /// Parses `allow` or `deny`.
    static func setgroups(_ bytes: UnsafeBufferPointer<UInt8>) -> SetgroupsPolicy? {
        var cursor = ByteCursor(bytes)
        return SetgroupsPolicy(rawValue: cursor.string(cursor.word()))
    }

    /// Parses cgroup lines; the path is everything after the second `:` (paths may contain `:`).
    static func cgroup(_ bytes: UnsafeBufferPointer<UInt8>) -> [CgroupEntry] {
        var entries: [CgroupEntry] = []
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            let line = cursor.restOfLine()
            cursor.nextLine()
            guard let first = bytes[line].firstIndex(of: UInt8(ascii: ":")),
                let second = bytes[(first + 1)..<line.upperBound].firstIndex(of: UInt8(ascii: ":"))
            else { continue }
            var number = ByteCursor(bytes, from: line.lowerBound)
            guard let hierarchy = number.integer(), number.index == first else { continue }
            entries.append(
                CgroupEntry(
                    hierarchy: Int(hierarchy),
                    controllers: cursor.string((first + 1)..<second),
                    path: cursor.string((second + 1)..<line.upperBound)))
        }
        return entries
    }

    /// Parses `timens_offsets`: lines `monotonic SECONDS NANOSECONDS` and `boottime ...`.
    static func timeOffsets(_ bytes: UnsafeBufferPointer<UInt8>) -> TimeOffsets? {
        var monotonic: ClockOffset?
        var boottime: ClockOffset?
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            let name = cursor.word()
            if let seconds = cursor.integer(), let nanoseconds = cursor.integer() {
                let offset = ClockOffset(seconds: seconds, nanoseconds: nanoseconds)
                // Kernels print the clock name; very early ones printed the clock id (1 = monotonic, 7 = boottime).
                switch cursor.string(name) {
                case "monotonic", "1": monotonic = offset
                case "boottime", "7": boottime = offset
                default: break
                }
            }
            cursor.nextLine()
        }
        guard let monotonic, let boottime else { return nil }
        return TimeOffsets(monotonic: monotonic, boottime: boottime)
    }

    /// Parses a namespace link target such as `net:[4026531833]` into the inode number.
    static func namespaceInode(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "[")) else { return nil }
        var cursor = ByteCursor(bytes, from: open + 1)
        return cursor.unsigned()
    }

    /// Splits a NUL-separated cmdline into arguments (a trailing NUL does not add an empty one).
    static func cmdline(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var arguments: [String] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0 {
            arguments.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count {
            arguments.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
        }
        return arguments
    }
}
