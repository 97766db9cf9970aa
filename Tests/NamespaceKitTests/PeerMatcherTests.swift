import Testing

@testable import NamespaceKit

/// The veth matching across namespaces from the kernel's link data alone (`PeerMatcher`): index pairs and the MAC
/// addresses the targeted peer query returned, never names.
@Suite("veth peer matching")
struct PeerMatcherTests {
    private typealias Peer = RawNamespace.PeerData

    private func veth(_ index: Int32, peer: Int32, netnsid: Int32?, mac: UInt8, peerMAC: UInt8?) -> Peer {
        Peer(
            kind: "veth", mac: [2, 0, 0, 0, 0, mac], linkIndex: peer, netnsid: netnsid,
            peerMAC: peerMAC.map { [2, 0, 0, 0, 0, $0] }, peerLinkIndex: peerMAC == nil ? nil : index)
    }

    private func namespace(_ id: UInt64, _ veths: [Int32: Peer]) -> (NetworkNamespace, RawNamespace) {
        let interfaces = veths.keys.sorted().map { index in
            NetworkInterface(
                index: index, name: "same", kind: "veth", flags: 1, state: "UP", mtu: 1500, mac: nil, addresses: [],
                master: nil,
                peer: VethPeer(index: veths[index]!.linkIndex, netnsid: veths[index]!.netnsid, namespace: nil, name: nil),
                counters: InterfaceCounters(rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0))
        }
        let contents = NetworkContents(interfaces: interfaces, routes: [], neighbours: nil, addressesUnknown: false)
        return (
            NetworkNamespace(
                id: id, isHost: false, isOwn: false, names: [], pids: [], command: nil, container: nil,
                contents: .success(contents)),
            RawNamespace(peerData: veths, contents: contents)
        )
    }

    private func resolve(_ parts: [(NetworkNamespace, RawNamespace)]) -> ([NetworkNamespace], [NetworkLink]) {
        var namespaces = parts.map(\.0)
        var raws: [UInt64: RawNamespace] = [:]
        for part in parts { raws[part.0.id] = part.1 }
        let links = PeerMatcher.resolve(&namespaces, raws: raws)
        return (namespaces, links)
    }

    private func peerNamespace(_ namespaces: [NetworkNamespace], _ id: UInt64, _ index: Int32) -> UInt64? {
        namespaces.first { $0.id == id }?.interfaces?.first { $0.index == index }?.peer?.namespace
    }

    /// Four namespaces in two pairs that look alike by index (as `ip` makes them: each end ifindex 2): only the
    /// MAC addresses the kernel gave for each peer tell the pairs apart.
    @Test("pairs alike by index are told apart by the peers' MAC addresses")
    func alikeByIndex() {
        let (namespaces, links) = resolve([
            namespace(10, [2: veth(2, peer: 2, netnsid: 0, mac: 1, peerMAC: 2)]),
            namespace(11, [2: veth(2, peer: 2, netnsid: 0, mac: 2, peerMAC: 1)]),
            namespace(12, [2: veth(2, peer: 2, netnsid: 0, mac: 3, peerMAC: 4)]),
            namespace(13, [2: veth(2, peer: 2, netnsid: 0, mac: 4, peerMAC: 3)]),
        ])
        #expect(peerNamespace(namespaces, 10, 2) == 11)
        #expect(peerNamespace(namespaces, 11, 2) == 10)
        #expect(peerNamespace(namespaces, 12, 2) == 13)
        #expect(peerNamespace(namespaces, 13, 2) == 12)
        #expect(links.filter { $0.kind == .veth }.count == 2)
        #expect(links.contains { Set($0.ends.compactMap(\.namespace)) == [10, 11] })
    }

    /// Guards against a guess: two candidates with the same MAC (set equal on purpose) leave the peer unknown.
    @Test("two equally good candidates leave the peer's namespace unknown")
    func ambiguousIsUnknown() {
        let (namespaces, links) = resolve([
            namespace(10, [2: veth(2, peer: 2, netnsid: 0, mac: 1, peerMAC: 2)]),
            namespace(11, [2: veth(2, peer: 2, netnsid: 0, mac: 2, peerMAC: nil)]),
            namespace(12, [2: veth(2, peer: 2, netnsid: 0, mac: 2, peerMAC: nil)]),
        ])
        #expect(peerNamespace(namespaces, 10, 2) == nil)
        #expect(links.contains { $0.ends[0].namespace == 10 && $0.ends[1].namespace == nil })
    }

    @Test("without any MAC confirmation (no peer query answered) nothing is matched by index alone")
    func indexAloneIsNotEnough() {
        let (namespaces, _) = resolve([
            namespace(10, [2: veth(2, peer: 2, netnsid: 0, mac: 1, peerMAC: nil)]),
            namespace(11, [2: veth(2, peer: 2, netnsid: 0, mac: 2, peerMAC: nil)]),
        ])
        #expect(peerNamespace(namespaces, 10, 2) == nil)
        #expect(peerNamespace(namespaces, 11, 2) == nil)
    }

    @Test("a MAC that contradicts rules a candidate out; both ends in one namespace need no matching")
    func contradictionAndSameNamespace() {
        let (namespaces, links) = resolve([
            namespace(10, [2: veth(2, peer: 2, netnsid: 0, mac: 1, peerMAC: 9)]),
            namespace(11, [2: veth(2, peer: 2, netnsid: 0, mac: 2, peerMAC: 1)]),
            namespace(12, [3: veth(3, peer: 4, netnsid: nil, mac: 5, peerMAC: nil),
                           4: veth(4, peer: 3, netnsid: nil, mac: 6, peerMAC: nil)]),
        ])
        #expect(peerNamespace(namespaces, 10, 2) == nil)
        #expect(peerNamespace(namespaces, 11, 2) == nil)
        #expect(peerNamespace(namespaces, 12, 3) == 12)
        #expect(links.filter { $0.ends.allSatisfy { $0.namespace == 12 } }.count == 1)
    }
}
