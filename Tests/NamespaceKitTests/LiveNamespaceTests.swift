import Glibc
import Testing

@testable import NamespaceKit

/// Live tests, as root: the model must report exactly the kinds a child was launched with.
@Suite(.serialized) struct LiveNamespaceTests {
    @Test func utsIpcPidMountChild() throws {
        // A queue on the host that the child must not see.
        let queue = msgget(0, IPC_CREAT | 0o600)
        #expect(queue >= 0)
        defer { _ = msgctl(queue, IPC_RMID, nil) }
        try withLiveChild(
            {
                $0.hostname = "nslab-live"
                $0.mountProc = true
            }, kinds: [.uts, .ipc, .pid, .mount]
        ) { child, scanner in
            let comparison = try scanner.compare(child.pid, with: getpid())
            #expect(comparison.differingKinds == [.uts, .ipc, .pid, .mount])
            for row in comparison.kinds {
                #expect(row.leftID.value == readlinkNamespace(child.pid, row.kind), "\(row.kind)")
                #expect(row.rightID.value == readlinkNamespace(getpid(), row.kind), "\(row.kind)")
            }
            let inside = comparison.leftFacts
            let host = comparison.rightFacts
            #expect(inside.uts.value?.hostname == "nslab-live")
            #expect(host.uts.value?.hostname != "nslab-live")
            #expect(inside.ipc.value?.messageQueues == 0)
            #expect((host.ipc.value?.messageQueues ?? 0) >= 1)
            #expect(comparison.left.nspid.value?.last == 1)
            #expect(comparison.left.nspid.value?.first == child.pid)
            #expect(inside.pid.value == PIDFacts(pidInside: 1, processCount: 1))
            let insideMounts = try #require(inside.mount.value)
            #expect(insideMounts.mountCount != host.mount.value?.mountCount)
            #expect(insideMounts.procIsOwn == true)
            #expect(host.mount.value?.procIsOwn == true)

            let snapshot = scanner.refresh()
            let pidNamespace = try #require(snapshot.namespace(of: child.pid, .pid))
            #expect(pidNamespace.members == [child.pid])
            #expect(pidNamespace.parent == readlinkNamespace(getpid(), .pid))
            #expect(pidNamespace.ownerUserNamespace == readlinkNamespace(getpid(), .user))
        }
    }

    @Test func netChildSeesOnlyLoopback() throws {
        try withLiveChild(kinds: [.net]) { child, scanner in
            let comparison = try scanner.compare(child.pid, with: getpid())
            #expect(comparison.differingKinds == [.net])
            let interfaces = try #require(comparison.leftFacts.net.value?.interfaces)
            #expect(interfaces.map(\.name) == ["lo"])
            #expect(interfaces.first?.isUp == true)
            #expect(interfaces.first?.addresses.contains("127.0.0.1/8") == true)
        }
        try withLiveChild({ $0.loopbackUp = false }, kinds: [.net]) { child, scanner in
            let facts = scanner.readFacts(of: child.pid, in: scanner.refresh())
            #expect(facts.net.value?.interfaces.map(\.name) == ["lo"])
            #expect(facts.net.value?.interfaces.first?.isUp == false)
        }
    }

    @Test func userChildMapsAndOwner() throws {
        let map = [IDMapEntry(inside: 0, outside: 100_000, count: 1000)]
        try withLiveChild(
            {
                $0.uidMap = map
                $0.gidMap = map
            }, kinds: [.user]
        ) { child, scanner in
            let snapshot = scanner.refresh()
            let comparison = try scanner.compare(child.pid, with: getpid(), in: snapshot)
            #expect(comparison.differingKinds == [.user])
            let user = try #require(comparison.leftFacts.user.value)
            #expect(user.uidMap == .known(map))
            #expect(user.gidMap == .known(map))
            #expect(user.ownerUID == 0)
            let namespace = try #require(snapshot.namespace(of: child.pid, .user))
            #expect(namespace.id.id == readlinkNamespace(child.pid, .user))
            #expect(namespace.parent == readlinkNamespace(getpid(), .user))
            // The host's namespaces of other kinds are now owned by a different user namespace than the child's.
            #expect(namespace.ownerUserNamespace == readlinkNamespace(getpid(), .user))
        }
    }

    @Test func timeChildHasBoottimeOffset() throws {
        try withLiveChild(
            {
                $0.boottimeOffset = 86400
                $0.monotonicOffset = 7200
            }, kinds: [.time]
        ) { child, scanner in
            let comparison = try scanner.compare(child.pid, with: getpid())
            #expect(comparison.differingKinds == [.time])
            let inside = try #require(comparison.leftFacts.time.value)
            #expect(inside.offsets.boottime == ClockOffset(seconds: 86400, nanoseconds: 0))
            #expect(inside.offsets.monotonic == ClockOffset(seconds: 7200, nanoseconds: 0))
            let hostUptime = try #require(comparison.rightFacts.time.value?.uptimeInside)
            let insideUptime = try #require(inside.uptimeInside)
            #expect(abs(insideUptime - hostUptime - 86400) < 5)
        }
    }

    @Test func cgroupChildSeesItsCgroupAsRoot() throws {
        try withLiveChild(kinds: [.cgroup]) { child, scanner in
            let comparison = try scanner.compare(child.pid, with: getpid())
            #expect(comparison.differingKinds == [.cgroup])
            #expect(comparison.leftFacts.cgroup.value?.insidePath == .known("/"))
            #expect(comparison.leftFacts.cgroup.value?.hostPath == comparison.rightFacts.cgroup.value?.hostPath)
        }
    }

    @Test func snapshotDiffSeesTheChildComeAndGo() throws {
        try #require(getuid() == 0, "live namespace tests need root")
        let scanner = try ProcScanner()
        let before = scanner.refresh()
        var launchedPid: Int32 = 0
        try withLiveChild(kinds: [.uts]) { child, _ in
            launchedPid = child.pid
            let during = scanner.refresh()
            let diff = during.difference(from: before)
            #expect(diff.added.contains(child.pid))
            #expect(
                diff.addedNamespaces.contains(NamespaceKey(kind: .uts, id: readlinkNamespace(child.pid, .uts) ?? 0)))
        }
        let after = scanner.refresh()
        #expect(after.process(launchedPid) == nil)
    }
}
