/// Where wired links take their names and addresses: the interface names `nsl0`, `nsl1`, ... (the first free in
/// each namespace), and one private /16, 10.77.0.0/16, cut into /24s: each link (a pair, or the bridge three or
/// more children share) takes the first /24 no end involved uses, and its ends take .1, .2, ... in order.
public enum WireAddressing {
    /// The range, as docs and messages name it.
    public static let range = "10.77.0.0/16"
    /// The range's first two bytes.
    static let prefix: [UInt8] = [10, 77]
    /// The prefix length of each link's addresses.
    public static let prefixLength = 24
    /// The prefix of every interface name nslab gives.
    public static let namePrefix = "nsl"

    /// The address `.host` in the /24 number `subnet`: 10.77.`subnet`.`host`.
    public static func address(subnet: UInt8, host: UInt8) -> [UInt8] { prefix + [subnet, host] }

    /// `10.77.0.1`.
    public static func text(subnet: UInt8, host: UInt8) -> String { "10.77.\(subnet).\(host)" }

    /// The /24s of the range that `addresses` (IPv4 in dotted text, others ignored) fall in.
    public static func subnets(in addresses: [String]) -> Set<UInt8> {
        var found = Set<UInt8>()
        for address in addresses {
            let parts = address.split(separator: ".")
            guard parts.count == 4, parts[0] == "10", parts[1] == "77", let third = UInt8(parts[2]) else { continue }
            found.insert(third)
        }
        return found
    }

    /// The first /24 of the range not in `taken`; nil when all 256 are.
    public static func freeSubnet(taken: Set<UInt8>) -> UInt8? {
        (0...UInt8.max).first { !taken.contains($0) }
    }

    /// The first host number (1-254) not in `taken`; nil when the /24 is full.
    public static func freeHost(taken: Set<UInt8>) -> UInt8? {
        (1...UInt8(254)).first { !taken.contains($0) }
    }

    /// The first of `nsl0`, `nsl1`, ... not in `names` (the interface names of one namespace).
    public static func freeName(among names: Set<String>) -> String {
        var number = 0
        while names.contains(namePrefix + String(number)) { number += 1 }
        return namePrefix + String(number)
    }
}
