/// What nslab reads from `/proc/<pid>/mountinfo`.
public struct MountSummary: Sendable, Hashable {
    /// Number of mounts the process sees.
    public var count: Int
    /// Whether a `proc` filesystem is mounted on `/proc`.
    public var hasProcMount: Bool
}

/// A network interface in the target's net namespace.
public struct NetInterface: Sendable, Hashable {
    /// Interface name (`lo`, `eth0`, ...).
    public var name: String
    /// Whether the interface is up (from `net/igmp`, or SIOCGIFFLAGS inside the namespace); nil when unknown.
    public var isUp: Bool?
    /// Addresses with prefix length, IPv4 then IPv6 (`127.0.0.1/8`, `::1/128`).
    public var addresses: [String]

    /// Creates an interface record.
    public init(name: String, isUp: Bool?, addresses: [String]) {
        self.name = name
        self.isUp = isUp
        self.addresses = addresses
    }
}

/// Parser for `/proc/<pid>/mountinfo`.
enum MountParser {
    /// Counts mount lines and looks for a proc mount at `/proc` (field 5 is the mount point, the
    /// filesystem type follows the ` - ` separator).
    static func summary(_ bytes: UnsafeBufferPointer<UInt8>) -> MountSummary {
        var summary = MountSummary(count: 0, hasProcMount: false)
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            let lineStart = cursor.index
            _ = cursor.word()  // mount id
            _ = cursor.word()  // parent id
            _ = cursor.word()  // major:minor
            _ = cursor.word()  // root
            let mountPoint = cursor.word()
            if !mountPoint.isEmpty { summary.count += 1 }
            if cursor.string(mountPoint) == "/proc" {
                while !cursor.atEnd, bytes[cursor.index] != 0x0A {
                    let field = cursor.word()
                    if cursor.string(field) == "-" {
                        summary.hasProcMount = summary.hasProcMount || cursor.string(cursor.word()) == "proc"
                        break
                    }
                    if field.isEmpty { break }
                }
            }
            cursor.index = max(cursor.index, lineStart)
            cursor.nextLine()
        }
        return summary
    }
}

/// Parsers for the files under `/proc/<pid>/net/`, which show the process's net namespace.
enum NetParsers {
    /// Interface names from `net/dev` (two header lines, then `name: counters...`).
    static func interfaceNames(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var names: [String] = []
        var cursor = ByteCursor(bytes)
        cursor.nextLine()
        cursor.nextLine()
        while !cursor.atEnd {
            cursor.skipBlanks()
            let start = cursor.index
            while !cursor.atEnd, bytes[cursor.index] != UInt8(ascii: ":"), bytes[cursor.index] != 0x0A {
                cursor.index += 1
            }
            if !cursor.atEnd, bytes[cursor.index] == UInt8(ascii: ":"), cursor.index > start {
                names.append(cursor.string(start..<cursor.index))
            }
            cursor.nextLine()
        }
        return names
    }

    /// IPv6 addresses per interface from `net/if_inet6` (`hex32 index prefix scope flags name`).
    static func ipv6Addresses(_ bytes: UnsafeBufferPointer<UInt8>) -> [(interface: String, address: String)] {
        var result: [(String, String)] = []
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            let hex = cursor.word()
            _ = cursor.word()
            let prefix = cursor.word()
            _ = cursor.word()
            _ = cursor.word()
            let name = cursor.word()
            cursor.nextLine()
            guard hex.count == 32, !name.isEmpty, let prefixLength = Int(cursor.string(prefix), radix: 16)
            else { continue }
            var groups: [UInt16] = []
            for group in 0..<8 {
                let start = hex.lowerBound + group * 4
                groups.append(UInt16(cursor.string(start..<(start + 4)), radix: 16) ?? 0)
            }
            result.append((cursor.string(name), formatIPv6(groups) + "/\(prefixLength)"))
        }
        return result
    }

    /// Interfaces listed in `net/igmp`: the kernel joins 224.0.0.1 on every IPv4 interface when it
    /// comes up and leaves when it goes down, so a device line there means the interface is up.
    static func igmpDevices(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var names: [String] = []
        var cursor = ByteCursor(bytes)
        cursor.nextLine()
        while !cursor.atEnd {
            // Device lines start with the index; group lines start with tabs.
            if bytes[cursor.index] >= 0x30, bytes[cursor.index] <= 0x39 {
                _ = cursor.word()
                let name = cursor.word()
                if !name.isEmpty { names.append(cursor.string(name)) }
            }
            cursor.nextLine()
        }
        return names
    }

    /// Local IPv4 addresses from `net/fib_trie`: a `|-- a.b.c.d` line followed by `/32 host LOCAL`.
    static func localIPv4Addresses(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt32] {
        hostLocalEntries(bytes).filter { $0.length == 32 }.map(\.network)
    }

    /// Prefixes the kernel made local as a whole (`|-- a.b.c.0` then `/N host LOCAL`, N < 32): only an address on a
    /// loopback device gets one, and such an address has no main-table route in `net/route` to name its device.
    static func loopbackPrefixes(_ bytes: UnsafeBufferPointer<UInt8>) -> [(network: UInt32, length: Int)] {
        hostLocalEntries(bytes).filter { $0.length < 32 }
    }

    /// Every `|-- a.b.c.d` leaf of `net/fib_trie` followed by a `/N host LOCAL` line, once each, in file order: the
    /// one walk of the trie behind local addresses (N = 32) and loopback prefixes (N < 32).
    private static func hostLocalEntries(_ bytes: UnsafeBufferPointer<UInt8>) -> [(network: UInt32, length: Int)] {
        var entries: [(network: UInt32, length: Int)] = []
        var lastLeaf: UInt32?
        var cursor = ByteCursor(bytes)
        while !cursor.atEnd {
            cursor.skipBlanks()
            if cursor.startsWith("|-- ") {
                cursor.index += 4
                lastLeaf = parseIPv4(cursor.string(cursor.word()))
            } else if cursor.startsWith("/"), let leaf = lastLeaf {
                cursor.index += 1
                if let length = Int(cursor.string(cursor.word())), cursor.string(cursor.word()) == "host",
                    cursor.string(cursor.word()) == "LOCAL", !entries.contains(where: { $0.network == leaf && $0.length == length })
                {
                    entries.append((leaf, length))
                }
            }
            cursor.nextLine()
        }
        return entries
    }

    /// Main-table IPv4 routes from `net/route`: interface, destination and mask (host byte order).
    static func ipv4Routes(_ bytes: UnsafeBufferPointer<UInt8>) -> [(
        interface: String, destination: UInt32, mask: UInt32
    )] {
        var routes: [(String, UInt32, UInt32)] = []
        var cursor = ByteCursor(bytes)
        cursor.nextLine()
        while !cursor.atEnd {
            let name = cursor.word()
            let destination = cursor.word()
            for _ in 0..<5 { _ = cursor.word() }  // gateway, flags, refcnt, use, metric
            let mask = cursor.word()
            if let destinationValue = UInt32(cursor.string(destination), radix: 16),
                let maskValue = UInt32(cursor.string(mask), radix: 16), !name.isEmpty
            {
                // The file prints the network-order word as a little-endian number.
                routes.append((cursor.string(name), destinationValue.byteSwapped, maskValue.byteSwapped))
            }
            cursor.nextLine()
        }
        return routes
    }

    /// Parses dotted-quad text into a host-order address.
    static func parseIPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// Formats a host-order address as dotted quad.
    static func formatIPv4(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xff).\(address >> 8 & 0xff).\(address & 0xff)"
    }

    /// Formats eight groups the RFC 5952 way: lowercase, longest zero run (2+ groups) as `::`.
    static func formatIPv6(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength, end - index >= 2 {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// Puts the parsed pieces together: names in `net/dev` order, IPv4 addresses assigned to the
    /// interface whose route covers them (127/8 to the loopback), then IPv6 addresses.
    static func interfaces(
        names: [String], ipv4: [UInt32], routes: [(interface: String, destination: UInt32, mask: UInt32)],
        ipv6: [(interface: String, address: String)], loopbackName: String = "lo",
        loopbackPrefixes: [(network: UInt32, length: Int)] = []
    ) -> [NetInterface] {
        var result = names.map { NetInterface(name: $0, isUp: nil, addresses: []) }
        func add(_ address: String, to name: String) {
            if let index = result.firstIndex(where: { $0.name == name }) { result[index].addresses.append(address) }
        }
        for address in ipv4 {
            if address >> 24 == 127 {
                add(formatIPv4(address) + "/8", to: loopbackName)
            } else if let route = routes.filter({ address & $0.mask == $0.destination && $0.mask != 0 })
                .max(by: { $0.mask.nonzeroBitCount < $1.mask.nonzeroBitCount })
            {
                add(formatIPv4(address) + "/\(route.mask.nonzeroBitCount)", to: route.interface)
            } else if let prefix = loopbackPrefixes.filter({ address >> (32 - $0.length) == $0.network >> (32 - $0.length) })
                .max(by: { $0.length < $1.length })
            {
                add(formatIPv4(address) + "/\(prefix.length)", to: loopbackName)
            }
        }
        for (name, address) in ipv6 { add(address, to: name) }
        return result
    }
}
