import CRouteNetlink
import Glibc

/// Turns the C reading's raw fields into the words `ip` uses for them.
enum NetworkText {
    /// A NUL-terminated char array (a C struct's fixed field) as a String.
    static func string<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[0..<end], as: UTF8.self)
        }
    }

    /// The first `count` bytes of a fixed byte field.
    static func bytes<T>(_ field: inout T, _ count: Int) -> [UInt8] {
        withUnsafeBytes(of: &field) { Array($0.prefix(max(0, count))) }
    }

    /// `aa:bb:cc:dd:ee:ff`.
    static func mac(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }

    /// IF_OPER_* as `ip` prints it.
    static func operState(_ state: UInt8) -> String {
        switch state {
        case 1: "NOTPRESENT"
        case 2: "DOWN"
        case 3: "LOWERLAYERDOWN"
        case 4: "TESTING"
        case 5: "DORMANT"
        case 6: "UP"
        default: "UNKNOWN"
        }
    }

    /// `inet` / `inet6`.
    static func family(_ family: Int32) -> String? {
        family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : nil
    }

    /// RT_SCOPE_* as `ip` names it.
    static func scope(_ scope: Int32) -> String {
        switch scope {
        case 0: "global"
        case 200: "site"
        case 253: "link"
        case 254: "host"
        case 255: "nowhere"
        default: String(scope)
        }
    }

    /// One address entry, or nil for a family nslab does not show.
    static func address(_ entry: nsl_net_address) -> InterfaceAddress? {
        var entry = entry
        guard let family = family(entry.family),
            let text = SystemCall.addressText(family: entry.family, bytes(&entry.bytes, Int(entry.length)))
        else { return nil }
        return InterfaceAddress(
            family: family, address: text, prefixLength: Int(entry.prefix_length), scope: scope(entry.scope))
    }

    /// One unicast route of the main table, or nil for another type (broadcast, local, unreachable, ...).
    static func route(_ entry: nsl_net_route) -> NetworkRoute? {
        var entry = entry
        guard entry.type == 1, let family = family(entry.family) else { return nil }  // RTN_UNICAST
        var destination: String?
        if entry.destination_length > 0, entry.prefix_length > 0 {
            let text = SystemCall.addressText(
                family: entry.family, bytes(&entry.destination, Int(entry.destination_length)))
            destination = text.map { "\($0)/\(entry.prefix_length)" }
        }
        let gateway =
            entry.gateway_length > 0
            ? SystemCall.addressText(family: entry.family, bytes(&entry.gateway, Int(entry.gateway_length))) : nil
        return NetworkRoute(
            family: family, destination: destination, gateway: gateway,
            interfaceIndex: entry.index > 0 ? entry.index : nil, metric: entry.priority)
    }

    /// One neighbour entry, or nil for a family nslab does not show.
    static func neighbour(_ entry: nsl_net_neighbour) -> NetworkNeighbour? {
        var entry = entry
        guard let text = SystemCall.addressText(family: entry.family, bytes(&entry.address, Int(entry.address_length)))
        else { return nil }
        let mac = bytes(&entry.mac, Int(entry.mac_length))
        return NetworkNeighbour(
            interfaceIndex: entry.index, address: text, mac: mac.isEmpty ? nil : self.mac(mac),
            state: neighbourState(entry.state))
    }

    /// NUD_* as `ip neigh` words it (the strongest bit).
    static func neighbourState(_ state: Int32) -> String {
        let names: [(Int32, String)] = [
            (0x80, "PERMANENT"), (0x40, "NOARP"), (0x02, "REACHABLE"), (0x04, "STALE"), (0x08, "DELAY"),
            (0x10, "PROBE"), (0x20, "FAILED"), (0x01, "INCOMPLETE"),
        ]
        return names.first { state & $0.0 != 0 }?.1 ?? "NONE"
    }
}
