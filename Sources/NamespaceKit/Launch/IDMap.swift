import Glibc

/// One line of a uid_map or gid_map: `count` ids from `inside` map to ids from `outside`.
public struct IDMapEntry: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The first id inside the user namespace.
    public var inside: UInt32
    /// The first id in the parent user namespace.
    public var outside: UInt32
    /// How many consecutive ids the line maps.
    public var count: UInt32

    /// A line as given; check it with `IDMap.validate`.
    public init(inside: UInt32, outside: UInt32, count: UInt32) {
        self.inside = inside
        self.outside = outside
        self.count = count
    }

    /// "INSIDE OUTSIDE COUNT", the kernel's format.
    public var description: String { "\(inside) \(outside) \(count)" }

    /// Parses "INSIDE OUTSIDE COUNT" (any blanks between); throws with a message that says why not.
    public init(parsing text: String) throws(IDMapError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 3 else { throw .malformed(text) }
        // Digits only: UInt32("-0") and UInt32("+5") parse, but the kernel's map format has no signs.
        guard fields.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }) else {
            throw .malformed(text)
        }
        guard let inside = UInt32(fields[0]), let outside = UInt32(fields[1]), let count = UInt32(fields[2]) else {
            throw .malformed(text)
        }
        self.init(inside: inside, outside: outside, count: count)
    }

    /// The inside range as 64-bit bounds, so `inside + count` cannot overflow.
    var insideRange: Range<UInt64> { UInt64(inside)..<(UInt64(inside) + UInt64(count)) }
    /// The outside range as 64-bit bounds.
    var outsideRange: Range<UInt64> { UInt64(outside)..<(UInt64(outside) + UInt64(count)) }
}

/// Which ids a map is for; it only changes the wording of messages.
public enum IDKind: String, Sendable {
    case uid, gid
}

/// Why a map is refused. Each case reads as one sentence a user can act on.
public enum IDMapError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case zeroCount(IDKind, IDMapEntry)
    case overflow(IDKind, IDMapEntry)
    case overlap(IDKind, column: String, IDMapEntry, IDMapEntry)
    case tooManyLines(IDKind, Int)
    case tooManyBytes(IDKind, Int)
    case unprivileged(IDKind, own: UInt32)

    public var description: String {
        switch self {
        case .malformed(let text):
            "map \(text.quoted) is not 'INSIDE OUTSIDE COUNT' with three non-negative numbers, e.g. '0 1000 1'"
        case .zeroCount(let kind, let line):
            "\(kind) map '\(line)' has count 0: a line must map at least one id"
        case .overflow(let kind, let line):
            "\(kind) map '\(line)' runs past the largest id 4294967294"
        case .overlap(let kind, let column, let a, let b):
            "\(kind) map lines '\(a)' and '\(b)' overlap on the \(column) side: each id may be mapped once"
        case .tooManyLines(let kind, let count):
            "\(kind) map has \(count) lines; the kernel accepts at most \(IDMap.maxLines)"
        case .tooManyBytes(let kind, let bytes):
            "\(kind) map is \(bytes) bytes as written to \(kind)_map; the kernel accepts at most \(IDMap.maxBytes) "
                + "bytes (less than one page), so use fewer lines or shorter numbers"
        case .unprivileged(let kind, let own):
            "as an unprivileged user you can map only your own \(kind) \(own), in one line with count 1 "
                + "(e.g. '0 \(own) 1'); run as root for larger maps"
        }
    }
}

/// A whole uid_map or gid_map.
public enum IDMap {
    /// The kernel's limit on lines in one map (since Linux 4.15).
    public static let maxLines = 340

    /// The kernel's limit on the text of one map in bytes: the whole map goes in one write(), which must be
    /// shorter than a page (`map_write` in kernel/user_namespace.c refuses `count >= PAGE_SIZE`).
    public static let maxBytes: Int = {
        let page = sysconf(Int32(_SC_PAGESIZE))
        return (page > 0 ? page : 4096) - 1
    }()

    /// Checks a map the way the kernel will, before anything is launched: counts, overflow,
    /// overlaps in either column, the line and byte limits, and what an unprivileged caller may map.
    /// `privileged` is whether the caller may map arbitrary ids (root); `ownID` its own id.
    /// The line count is checked first and the overlaps by sorting, so absurd input is refused quickly.
    public static func validate(
        _ lines: [IDMapEntry], kind: IDKind, privileged: Bool, ownID: UInt32
    ) throws(IDMapError) {
        guard lines.count <= maxLines else { throw .tooManyLines(kind, lines.count) }
        let bytes = lines.reduce(0) { $0 + $1.description.utf8.count + 1 }
        guard bytes <= maxBytes else { throw .tooManyBytes(kind, bytes) }
        for line in lines {
            guard line.count > 0 else { throw .zeroCount(kind, line) }
            // (uid_t)-1 is never a valid id, so the last mapped id is at most 2^32 - 2.
            guard line.insideRange.upperBound <= UInt64(UInt32.max),
                line.outsideRange.upperBound <= UInt64(UInt32.max)
            else { throw .overflow(kind, line) }
        }
        if let (a, b) = firstOverlap(lines, \.insideRange) { throw .overlap(kind, column: "inside", a, b) }
        if let (a, b) = firstOverlap(lines, \.outsideRange) { throw .overlap(kind, column: "outside", a, b) }
        if !privileged {
            guard lines.count == 1, lines[0].outside == ownID, lines[0].count == 1 else {
                throw .unprivileged(kind, own: ownID)
            }
        }
    }

    /// Two lines whose ranges in one column overlap, in the order given, or nil. Sorted by start, a range
    /// overlaps an earlier one exactly when it starts before the furthest end seen so far: O(n log n).
    static func firstOverlap(
        _ lines: [IDMapEntry], _ column: KeyPath<IDMapEntry, Range<UInt64>>
    ) -> (IDMapEntry, IDMapEntry)? {
        let ranges = lines.map { $0[keyPath: column] }
        let order = ranges.indices.sorted { (ranges[$0].lowerBound, $0) < (ranges[$1].lowerBound, $1) }
        // The line, among those already passed, whose range reaches furthest.
        var furthest: Int?
        for index in order {
            if let previous = furthest {
                if ranges[index].lowerBound < ranges[previous].upperBound {
                    return (lines[min(previous, index)], lines[max(previous, index)])
                }
                if ranges[index].upperBound <= ranges[previous].upperBound { continue }
            }
            furthest = index
        }
        return nil
    }

    /// The text written to /proc/<pid>/uid_map: one line per entry.
    public static func text(_ lines: [IDMapEntry]) -> String {
        lines.map { "\($0)\n" }.joined()
    }

    /// The default map: root inside is the caller's `id` outside (what `unshare -r` does).
    public static func rootTo(_ id: UInt32) -> [IDMapEntry] {
        [IDMapEntry(inside: 0, outside: id, count: 1)]
    }
}
