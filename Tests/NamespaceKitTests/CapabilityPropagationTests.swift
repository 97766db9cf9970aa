import Testing

@testable import NamespaceKit

/// Capability sets from status text and mount propagation from mountinfo text.
@Suite struct CapabilityPropagationTests {
    @Test func capabilitySetsDecode() throws {
        let status =
            "Name:\tsh\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t0000000020000420\n"
            + "CapBnd:\t000001fffffeffff\nCapAmb:\t0000000000000000\n"
        let parsed = UnsafeBufferPointer<UInt8>.withBytes(of: status) { CapabilityParser.parse($0, lastCapability: 40) }
        let sets = try #require(parsed)
        #expect(sets.text(sets.permitted) == "all")
        #expect(sets.text(sets.effective) == "cap_kill,cap_net_bind_service,cap_audit_write")
        #expect(sets.text(sets.bounding) == "all but cap_sys_module")
        #expect(sets.text(0) == "none")
        #expect(CapabilitySets.names(1 << 21) == ["cap_sys_admin"])
        // An older kernel's "all" is fewer bits.
        let old = CapabilitySets(effective: 0x3f_ffff_ffff, permitted: 0, bounding: 0, lastCapability: 37)
        #expect(old.text(old.effective) == "all")
        let partial = UnsafeBufferPointer<UInt8>.withBytes(of: "Name:\tx\nCapEff:\t0\n") {
            CapabilityParser.parse($0, lastCapability: 40)
        }
        #expect(partial == nil)
    }

    @Test func propagationCountsAndGroups() {
        let mountinfo = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            23 22 0:5 / /proc rw shared:12 master:3 - proc proc rw
            24 22 0:6 / /mnt\\040dir rw master:3 - tmpfs none rw
            25 22 0:7 / /private rw - tmpfs tmpfs rw
            26 22 0:8 / /nobind rw unbindable - tmpfs tmpfs rw

            """
        let mounts = UnsafeBufferPointer<UInt8>.withBytes(of: mountinfo) { MountInfoParser.entries($0) }
        #expect(mounts.count == 5)
        #expect(mounts[2].mountPoint == "/mnt dir")
        let counts = PropagationCounts(mounts)
        #expect(counts.shared == 2 && counts.slave == 2 && counts.private == 1 && counts.unbindable == 1)
        #expect(counts.sharedGroups == [1, 12] && counts.masterGroups == [3])
        #expect(FactText.propagation(counts) == "shared 2 (1,12) slave 2 (master 3) private 1 unbindable 1")
        let host = Array(mounts.prefix(4))
        let target = [mounts[0], mounts[4]]
        let difference = MountDifference(target: target, reference: host)
        #expect(difference.added.map { $0.mountPoint } == ["/nobind"])
        #expect(difference.removed.map { $0.mountPoint } == ["/proc", "/mnt dir", "/private"])
        #expect(difference.lines.first == "+ /nobind tmpfs (tmpfs) unbindable")
        #expect(MountDifference(target: host, reference: host).lines == ["same mounts"])
    }
}
