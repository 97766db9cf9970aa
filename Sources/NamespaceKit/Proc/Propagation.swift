/// One line of `/proc/PID/mountinfo`, with its propagation (the optional fields between the mount options and
/// the ` - ` separator): `shared:N` puts it in peer group N, `master:N` makes it a slave of peer group N,
/// `unbindable` forbids bind mounts of it; a mount with none of these is private.
public struct MountEntry: Sendable, Hashable {
    /// The mount point as the process sees it.
    public var mountPoint: String
    /// The root of the mount within its filesystem (`/` unless a bind of a subdirectory).
    public var root: String
    /// Filesystem type (`ext4`, `proc`, `tmpfs`...).
    public var fsType: String
    /// The mount source (a device, `none`, `tmpfs`...).
    public var source: String
    /// The peer group this mount is shared in, if shared.
    public var sharedGroup: Int?
    /// The peer group this mount receives events from, if a slave.
    public var masterGroup: Int?
    /// Whether the mount is unbindable.
    public var unbindable: Bool

    /// Neither shared, slave nor unbindable.
    public var isPrivate: Bool { sharedGroup == nil && masterGroup == nil && !unbindable }

    /// The namespace an nsfs bind mount holds (its root reads `uts:[4026532181]`), read the way `nslab ls`
    /// finds held namespaces; nil for every other mount.
    public var heldNamespace: NamespaceKey? { fsType == "nsfs" ? HolderDiscovery.nsfsKey(root) : nil }

    /// What two mount namespaces' copies of "the same" mount have in common (mount ids differ between them).
    public var identity: String { mountPoint + " " + fsType + " " + source + " " + root }

    /// How the mount row's detail lists it: `/mnt tmpfs (tmpfs) shared:5`.
    public var text: String {
        var words = [mountPoint, fsType, "(" + source + ")"]
        if let sharedGroup { words.append("shared:\(sharedGroup)") }
        if let masterGroup { words.append("master:\(masterGroup)") }
        if unbindable { words.append("unbindable") }
        if isPrivate { words.append("private") }
        return words.joined(separator: " ")
    }
}

/// How many of a process's mounts propagate which way, and the peer groups they name.
public struct PropagationCounts: Sendable, Hashable {
    /// Mounts with `shared:N` (a mount both shared and slave counts in both).
    public var shared = 0
    /// Mounts with `master:N`.
    public var slave = 0
    /// Mounts with no propagation tag.
    public var `private` = 0
    /// Mounts marked `unbindable`.
    public var unbindable = 0
    /// The distinct `shared:N` peer groups, ascending.
    public var sharedGroups: [Int] = []
    /// The distinct `master:N` peer groups, ascending.
    public var masterGroups: [Int] = []

    /// Counts over `mounts`.
    public init(_ mounts: [MountEntry]) {
        var shared = Set<Int>()
        var masters = Set<Int>()
        for mount in mounts {
            if let group = mount.sharedGroup {
                self.shared += 1
                shared.insert(group)
            }
            if let group = mount.masterGroup {
                slave += 1
                masters.insert(group)
            }
            if mount.unbindable { unbindable += 1 }
            if mount.isPrivate { self.private += 1 }
        }
        sharedGroups = shared.sorted()
        masterGroups = masters.sorted()
    }

    /// `shared 20 slave 0 private 3 unbindable 0`.
    public var text: String { "shared \(shared) slave \(slave) private \(`private`) unbindable \(unbindable)" }
}

/// The mounts one process sees and another does not, matched by `MountEntry.identity`.
public struct MountDifference: Sendable, Hashable {
    /// Mounts the target has and the reference lacks.
    public var added: [MountEntry]
    /// Mounts the reference has and the target lacks.
    public var removed: [MountEntry]

    /// The difference of `target` against `reference`, each side in its mountinfo order.
    public init(target: [MountEntry], reference: [MountEntry]) {
        let theirs = Set(reference.map(\.identity))
        let mine = Set(target.map(\.identity))
        added = target.filter { !theirs.contains($0.identity) }
        removed = reference.filter { !mine.contains($0.identity) }
    }

    /// Detail lines: `+ /mnt tmpfs (none) private`, `- /boot ext4 (/dev/sda1) shared:3`, or `same mounts`.
    public var lines: [String] {
        if added.isEmpty && removed.isEmpty { return ["same mounts"] }
        return added.map { "+ " + $0.text } + removed.map { "- " + $0.text }
    }
}

/// Parser for every line of `/proc/<pid>/mountinfo`.
enum MountInfoParser {
    /// `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`.
    static func entries(_ bytes: UnsafeBufferPointer<UInt8>) -> [MountEntry] {
        var entries: [MountEntry] = []
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            let line = cursor.string(cursor.restOfLine())
            cursor.nextLine()
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 9, let separator = fields[6...].firstIndex(of: "-"), separator + 2 < fields.count
            else { continue }
            var entry = MountEntry(
                mountPoint: unescape(fields[4]), root: unescape(fields[3]), fsType: String(fields[separator + 1]),
                source: unescape(fields[separator + 2]), sharedGroup: nil, masterGroup: nil, unbindable: false)
            for field in fields[6..<separator] {
                if field.hasPrefix("shared:") {
                    entry.sharedGroup = Int(field.dropFirst(7))
                } else if field.hasPrefix("master:") {
                    entry.masterGroup = Int(field.dropFirst(7))
                } else if field == "unbindable" {
                    entry.unbindable = true
                }
            }
            entries.append(entry)
        }
        return entries
    }

    /// Undoes the kernel's octal escapes in mountinfo fields (`\040` a space, `\011` a tab, `\012` a newline,
    /// `\134` a backslash).
    static func unescape(_ text: Substring) -> String { ByteEscapes.decoding(text, marker: nil, digits: 3, radix: 8) }
}
