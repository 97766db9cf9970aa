// Stand-in for the launcher's IDMapEntry (same shape) until main is merged; deleted at the merge.
/// One line of a uid_map or gid_map: `count` ids starting at `inside` map to ids starting at `outside`.
public struct IDMapEntry: Sendable, Hashable {
    /// First id inside the namespace.
    public var inside: UInt32
    /// First id outside (in the parent user namespace, as the reader sees it).
    public var outside: UInt32
    /// How many consecutive ids.
    public var count: UInt32

    /// Creates a map line.
    public init(inside: UInt32, outside: UInt32, count: UInt32) {
        self.inside = inside
        self.outside = outside
        self.count = count
    }
}
