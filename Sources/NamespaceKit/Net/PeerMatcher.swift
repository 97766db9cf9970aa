/// Ties the two ends of each veth pair together across namespaces, from the kernel's link data alone.
///
/// A veth reports its peer's ifindex (IFLA_LINK) and, when the peer is in another namespace, that namespace's
/// id as the reporting namespace numbers it (IFLA_LINK_NETNSID). That id means nothing elsewhere, so it cannot be
/// looked up directly; instead the reader asked the kernel for the peer itself through that id
/// (IFLA_TARGET_NETNSID), which gives the peer's MAC address and its own IFLA_LINK. A pair is then two veths,
/// each naming the other's index as its link, in two namespaces, with the MAC address the kernel gave for the
/// peer equal to the other end's MAC on at least one side and on no side different. Names are never compared.
/// When the data leaves more than one candidate (MAC addresses set equal on purpose) or none (the peer is in a
/// namespace nslab could not read), the peer's namespace stays unknown: never a guess.
enum PeerMatcher {
    /// Fills in each veth peer's namespace and returns the map's links.
    static func resolve(_ namespaces: inout [NetworkNamespace], raws: [UInt64: RawNamespace]) -> [NetworkLink] {
        /// A veth by its index, its link's index and a MAC address: its own (`byOwnMAC`) or the one the kernel
        /// gave for its peer (`byPeerMAC`). At 1,000 namespaces made alike every veth has the same two indexes,
        /// so the MAC address in the key keeps each look-up to its one or two candidates.
        struct End: Hashable {
            var index: Int32
            var peerIndex: Int32
            var mac: [UInt8]
        }
        var byOwnMAC: [End: [(namespace: UInt64, data: RawNamespace.PeerData)]] = [:]
        var byPeerMAC: [End: [(namespace: UInt64, data: RawNamespace.PeerData)]] = [:]
        for (id, raw) in raws {
            for (index, data) in raw.peerData where data.netnsid != nil {
                byOwnMAC[End(index: index, peerIndex: data.linkIndex, mac: data.mac), default: []].append((id, data))
                if let peerMAC = data.peerMAC {
                    byPeerMAC[End(index: index, peerIndex: data.linkIndex, mac: peerMAC), default: []].append((id, data))
                }
            }
        }
        var links: [NetworkLink] = []
        var resolved: [UInt64: [Int32: UInt64]] = [:]
        for (id, raw) in raws {
            for (index, data) in raw.peerData {
                guard let _ = data.netnsid else {
                    resolved[id, default: [:]][index] = id
                    if index < data.linkIndex {
                        links.append(
                            NetworkLink(
                                kind: .veth,
                                ends: [LinkEnd(namespace: id, index: index), LinkEnd(namespace: id, index: data.linkIndex)]))
                    }
                    continue
                }
                // Candidates confirmed by at least one side's MAC address, then none contradicted by the other.
                let confirmed =
                    if let peerMAC = data.peerMAC {
                        byOwnMAC[End(index: data.linkIndex, peerIndex: index, mac: peerMAC)] ?? []
                    } else {
                        byPeerMAC[End(index: data.linkIndex, peerIndex: index, mac: data.mac)] ?? []
                    }
                let candidates = confirmed.filter { other in
                    guard other.namespace != id else { return false }
                    let forward = data.peerMAC.map { $0 == other.data.mac }
                    let backward = other.data.peerMAC.map { $0 == data.mac }
                    if forward == false || backward == false { return false }
                    if let link = other.data.peerLinkIndex, link != data.linkIndex { return false }
                    return forward == true || backward == true
                }
                let peer = candidates.count == 1 ? candidates[0].namespace : nil
                if let peer { resolved[id, default: [:]][index] = peer }
                if let peer {
                    if id < peer {
                        links.append(
                            NetworkLink(
                                kind: .veth,
                                ends: [LinkEnd(namespace: id, index: index), LinkEnd(namespace: peer, index: data.linkIndex)]))
                    }
                } else {
                    links.append(
                        NetworkLink(
                            kind: .veth,
                            ends: [LinkEnd(namespace: id, index: index), LinkEnd(namespace: nil, index: data.linkIndex)]))
                }
            }
        }
        for position in namespaces.indices {
            guard case .success(var contents) = namespaces[position].contents else { continue }
            let id = namespaces[position].id
            var bridges = Set<Int32>()
            for interface in contents.interfaces where interface.kind == "bridge" { bridges.insert(interface.index) }
            for slot in contents.interfaces.indices {
                let index = contents.interfaces[slot].index
                if contents.interfaces[slot].peer != nil {
                    contents.interfaces[slot].peer?.namespace = resolved[id]?[index]
                }
                if let master = contents.interfaces[slot].master, bridges.contains(master) {
                    links.append(
                        NetworkLink(
                            kind: .bridgePort,
                            ends: [
                                LinkEnd(namespace: id, index: contents.interfaces[slot].index),
                                LinkEnd(namespace: id, index: master),
                            ]))
                }
            }
            namespaces[position].contents = .success(contents)
        }
        links.sort { lhs, rhs in
            let left = (lhs.ends[0].namespace ?? 0, lhs.ends[0].index, lhs.kind.rawValue)
            let right = (rhs.ends[0].namespace ?? 0, rhs.ends[0].index, rhs.kind.rawValue)
            return left < right
        }
        return links
    }
}
