import Testing

@testable import NamespaceKit

/// The wiring's pure parts: names and addresses from 10.77.0.0/16, the plan for two children and for a third that
/// joins through a bridge, unwiring, the clean-up when children go, and the refusals.
@Suite("wiring plans")
struct WiringPlanTests {
    private let one = WireParty(namespace: 101, pid: 11, label: "tab 1")
    private let two = WireParty(namespace: 102, pid: 12, label: "tab 2")
    private let three = WireParty(namespace: 103, pid: 13, label: "tab 3")

    @Test("the first free nslN of a namespace, never one in use")
    func names() {
        #expect(WireAddressing.freeName(among: []) == "nsl0")
        #expect(WireAddressing.freeName(among: ["lo", "nsl0", "nsl2"]) == "nsl1")
    }

    @Test("a /24 of 10.77.0.0/16 that no address found uses; other ranges do not count")
    func subnets() {
        let used = WireAddressing.subnets(in: ["10.77.0.1", "10.77.3.9", "10.78.1.1", "127.0.0.1", "fe80::1", "10.77.x.1"])
        #expect(used == [0, 3])
        #expect(WireAddressing.freeSubnet(taken: used) == 1)
        #expect(WireAddressing.freeSubnet(taken: Set(0...UInt8.max)) == nil)
        #expect(WireAddressing.freeHost(taken: [1, 2]) == 3)
        #expect(WireAddressing.text(subnet: 0, host: 2) == "10.77.0.2")
    }

    @Test("two children: one veth pair created with its peer in the other namespace, addresses .1 and .2, ends and lo up")
    func pair() throws {
        let plan = try WiringState().toggle(one, two, names: [101: ["lo"], 102: ["lo", "nsl0"]], usedSubnets: []).get()
        #expect(
            plan.steps == [
                .addVeth(name: "nsl0", in: .namespace(101), peer: "nsl1", peerIn: .namespace(102)),
                .addAddress(name: "nsl0", in: .namespace(101), address: [10, 77, 0, 1]),
                .setUp(name: "nsl0", in: .namespace(101)), .setUp(name: "lo", in: .namespace(101)),
                .addAddress(name: "nsl1", in: .namespace(102), address: [10, 77, 0, 2]),
                .setUp(name: "nsl1", in: .namespace(102)), .setUp(name: "lo", in: .namespace(102)),
            ])
        #expect(plan.message == "wired tab 1 (nsl0 10.77.0.1) ↔ tab 2 (nsl1 10.77.0.2)")
        #expect(plan.after.links.count == 1)
        #expect(!plan.after.needsBridge)
        // Nothing in a plan ever names a space other than the two children's.
        #expect(plan.steps.allSatisfy { Self.spaces($0).isSubset(of: [.namespace(101), .namespace(102)]) })
    }

    @Test("a second pair takes the next /24, and a /24 found in use is passed over")
    func secondPair() throws {
        let first = try WiringState().toggle(one, two, names: [:], usedSubnets: [0]).get()
        #expect(first.message.contains("10.77.1.1"))
        let four = WireParty(namespace: 104, pid: 14, label: "tab 4")
        let second = try first.after.toggle(three, four, names: [:], usedSubnets: []).get()
        #expect(second.message == "wired tab 3 (nsl0 10.77.0.1) ↔ tab 4 (nsl0 10.77.0.2)")
        let third = try second.after.toggle(WireParty(namespace: 105, pid: 15, label: "tab 5"),
            WireParty(namespace: 106, pid: 16, label: "tab 6"), names: [:], usedSubnets: []).get()
        #expect(third.message.contains("10.77.2.1"))
    }

    @Test("the same key on a wired pair deletes it (one end; its peer goes with it)")
    func unwire() throws {
        let wired = try WiringState().toggle(one, two, names: [:], usedSubnets: []).get().after
        let plan = try wired.toggle(two, one, names: [:], usedSubnets: []).get()
        #expect(plan.steps == [.delete(name: "nsl0", in: .namespace(102))])
        #expect(plan.after.links.isEmpty)
        #expect(plan.message == "unwired tab 2 (nsl0) ↔ tab 1 (nsl0)")
    }

    @Test("a third child joins through a bridge: the pair is re-made as bridge ports with the same names and addresses")
    func third() throws {
        let wired = try WiringState().toggle(one, two, names: [:], usedSubnets: []).get().after
        let plan = try wired.toggle(three, one, names: [103: ["lo"]], usedSubnets: []).get()
        #expect(plan.steps.first == .createBridgeNamespace)
        #expect(plan.steps.contains(.addBridge("br0")))
        #expect(plan.steps.contains(.delete(name: "nsl0", in: .namespace(101))))
        #expect(plan.steps.contains(.addVeth(name: "nsl0", in: .namespace(101), peer: "p0-1", peerIn: .bridge)))
        #expect(plan.steps.contains(.addVeth(name: "nsl0", in: .namespace(102), peer: "p0-2", peerIn: .bridge)))
        #expect(plan.steps.contains(.addVeth(name: "nsl0", in: .namespace(103), peer: "p0-3", peerIn: .bridge)))
        #expect(plan.steps.contains(.addAddress(name: "nsl0", in: .namespace(101), address: [10, 77, 0, 1])))
        #expect(plan.steps.contains(.addAddress(name: "nsl0", in: .namespace(102), address: [10, 77, 0, 2])))
        #expect(plan.steps.contains(.addAddress(name: "nsl0", in: .namespace(103), address: [10, 77, 0, 3])))
        #expect(plan.steps.contains(.enslave(port: "p0-3", bridge: "br0")))
        // The old pair is deleted before its ends come back with the same names.
        let deleted = plan.steps.firstIndex(of: .delete(name: "nsl0", in: .namespace(101)))!
        let remade = plan.steps.firstIndex(of: .addVeth(name: "nsl0", in: .namespace(101), peer: "p0-1", peerIn: .bridge))!
        #expect(deleted < remade)
        #expect(plan.after.needsBridge)
        #expect(plan.message == "wired tab 3 (nsl0 10.77.0.3) to the bridge of tab 1, tab 2 (nslab bridge br0, 10.77.0.0/24)")
        // A fourth joins the bridge as it is: no new namespace, nothing re-made.
        let four = WireParty(namespace: 104, pid: 14, label: "tab 4")
        let more = try plan.after.toggle(four, two, names: [:], usedSubnets: []).get()
        #expect(!more.steps.contains(.createBridgeNamespace))
        #expect(!more.steps.contains { if case .delete = $0 { true } else { false } })
        #expect(more.message.contains("10.77.0.4"))
    }

    @Test("children that go: a pair's other end is deleted; a bridge keeps two, then goes with its namespace")
    func removing() throws {
        let pair = try WiringState().toggle(one, two, names: [:], usedSubnets: []).get().after
        let afterPair = pair.removing(namespaces: [101])
        #expect(afterPair.steps == [.delete(name: "nsl0", in: .namespace(102))])
        #expect(afterPair.after.links.isEmpty)

        let bridged = try pair.toggle(three, one, names: [:], usedSubnets: []).get().after
        let lessOne = bridged.removing(namespaces: [103])
        #expect(lessOne.steps == [.delete(name: "p0-3", in: .bridge)])
        #expect(lessOne.after.links.first?.ends.count == 2)
        let lessTwo = lessOne.after.removing(namespaces: [102])
        #expect(lessTwo.steps.contains(.delete(name: "nsl0", in: .namespace(101))))
        #expect(lessTwo.steps.last == .closeBridgeNamespace)
        #expect(lessTwo.after.links.isEmpty)
    }

    @Test("undoing everything deletes every end in its own namespace and closes the bridge namespace")
    func undoAll() throws {
        let bridged = try WiringState().toggle(one, two, names: [:], usedSubnets: []).get().after
            .toggle(three, one, names: [:], usedSubnets: []).get().after
        let plan = bridged.undoingAll()
        for party in [one, two, three] {
            #expect(plan.steps.contains(.delete(name: "nsl0", in: .namespace(party.namespace))))
        }
        #expect(plan.steps.last == .closeBridgeNamespace)
        #expect(plan.after.links.isEmpty)
        #expect(WiringState().undoingAll().steps.isEmpty)
    }

    @Test("refusals: the same namespace, two children each wired to others, a full range")
    func refusals() throws {
        #expect(throws: WiringRefusal.sameNamespace("tab 1")) {
            try WiringState().toggle(one, one, names: [:], usedSubnets: []).get()
        }
        let four = WireParty(namespace: 104, pid: 14, label: "tab 4")
        let twoPairs = try WiringState().toggle(one, two, names: [:], usedSubnets: []).get().after
            .toggle(three, four, names: [:], usedSubnets: []).get().after
        #expect(throws: WiringRefusal.bothWired("tab 1", "tab 3")) {
            try twoPairs.toggle(one, three, names: [:], usedSubnets: []).get()
        }
        #expect(throws: WiringRefusal.rangeFull) {
            try WiringState().toggle(one, two, names: [:], usedSubnets: Set(0...UInt8.max)).get()
        }
        #expect(WiringRefusal.siblingUserNamespaces.description.contains("Shift-F5"))
        #expect(WiringRefusal.hostNamespace.description.contains("host"))
    }

    @Test("privilege: root always; otherwise both namespaces owned by one user namespace that is not nslab's own")
    func privilege() {
        #expect(WiringRefusal.privilege(isRoot: true, owners: (nil, nil), own: 1) == nil)
        #expect(WiringRefusal.privilege(isRoot: false, owners: (7, 7), own: 1) == nil, "a nested launch (Shift-F5)")
        #expect(WiringRefusal.privilege(isRoot: false, owners: (7, 8), own: 1) == .siblingUserNamespaces)
        #expect(WiringRefusal.privilege(isRoot: false, owners: (1, 1), own: 1) == .siblingUserNamespaces)
        #expect(WiringRefusal.privilege(isRoot: false, owners: (nil, nil), own: 1) == .siblingUserNamespaces)
    }

    /// The spaces a step acts in.
    private static func spaces(_ step: WiringStep) -> Set<WireSpace> {
        switch step {
        case .createBridgeNamespace, .closeBridgeNamespace, .addBridge, .enslave: [.bridge]
        case .addVeth(_, let space, _, let peer): [space, peer]
        case .addAddress(_, let space, _), .setUp(_, let space), .delete(_, let space): [space]
        }
    }
}
