import Foundation
import Testing

@testable import NamespaceKit

@Suite struct FixtureScanTests {
    @Test func listsLiveProcessesAndDropsTheVanishedOne() throws {
        let snapshot = try Fixture.scanner("basic").refresh()
        #expect(snapshot.processes.map(\.pid) == [1, 2, 3, 100, 200, 300, 400])
        #expect(snapshot.process(500) == nil)
        #expect(snapshot.unavailableKinds.isEmpty)
    }

    /// Guards against cutting comm at the first `)` when a program names itself oddly.
    @Test func oddCommAndCmdline() throws {
        let process = try #require(try Fixture.scanner("basic").refresh().process(100))
        #expect(process.comm == "my (odd) prog) x")
        #expect(process.ppid == 1)
        #expect(process.cmdline == .known(["./my prog", "", " a b"]))
        #expect(process.uid.value?.real == 1000)
        #expect(process.startTime == 500)
    }

    @Test func unreadableFilesAreUnknownNotFatal() throws {
        let process = try #require(try Fixture.scanner("basic").refresh().process(400))
        #expect(process.uid == .unknown)
        #expect(process.nspid == .unknown)
        #expect(process.namespaces[.net] == .unknown)
        #expect(process.namespaces[.uts] == .known(Fixture.host[.uts]!))
    }

    @Test func nestedNSpidGivesThePidInside() throws {
        let snapshot = try Fixture.scanner("basic").refresh()
        #expect(snapshot.process(200)?.nspid == .known([200, 1]))
        #expect(snapshot.process(200)?.pidInside == 1)
        #expect(snapshot.process(300)?.nspid == .known([300, 2, 1]))
        #expect(snapshot.process(300)?.pidInside == 1)
        #expect(snapshot.process(1)?.pidInside == 1)
    }

    @Test func namespacesGroupMembersWithLowestPidAsRepresentative() throws {
        let snapshot = try Fixture.scanner("basic").refresh()
        let hostUTS = try #require(snapshot.namespace(NamespaceKey(kind: .uts, id: Fixture.host[.uts]!)))
        #expect(hostUTS.members == [1, 2, 3, 100, 400])
        #expect(hostUTS.representative == 1)
        let childUTS = try #require(snapshot.namespace(of: 300, .uts))
        #expect(childUTS.members == [200, 300])
        #expect(childUTS.representative == 200)
        // Net: 400's link is unreadable, so it is in no net namespace.
        #expect(snapshot.namespace(NamespaceKey(kind: .net, id: Fixture.host[.net]!))?.members == [1, 2, 3, 100])
        #expect(snapshot.namespaces.filter { $0.kind == .pid }.count == 3)
    }

    @Test func userAndTimeNamespaceFacts() throws {
        let snapshot = try Fixture.scanner("basic").refresh()
        let user = try #require(snapshot.namespace(of: 200, .user))
        #expect(user.uidMap == .known([IDMapEntry(inside: 0, outside: 1000, count: 1)]))
        #expect(user.setgroups == .known(.deny))
        let time = try #require(snapshot.namespace(of: 200, .time)?.timeOffsets?.value)
        #expect(time.monotonic == ClockOffset(seconds: 3600, nanoseconds: 0))
        #expect(time.boottime.totalSeconds == 86400.5)
        // Fixture links are not nsfs files, so the ioctls cannot answer: relations stay unknown.
        #expect(user.parent == nil)
    }

    @Test func kernelWithoutTimeNamespaces() throws {
        let snapshot = try Fixture.scanner("notime").refresh()
        #expect(snapshot.unavailableKinds == [.time])
        let process = try #require(snapshot.process(42))
        #expect(process.namespaces[.time] == .unavailable)
        #expect(process.namespaces.timeForChildren == .unavailable)
        #expect(process.namespaces[.uts] == .known(4_026_532_400))
        #expect(snapshot.namespaces.allSatisfy { $0.kind != .time })
    }

    @Test func missingRootIsAClearError() {
        #expect(throws: ProcError.self) { try ProcScanner(root: ProcRoot("/nonexistent/proc")) }
    }
}

@Suite struct ProcessTreeTests {
    @Test func depthFirstRowsWithDifferences() throws {
        let tree = try Fixture.scanner("basic").refresh().tree
        #expect(tree.roots == [1, 2])
        #expect(tree.rows.map(\.pid) == [1, 100, 200, 300, 400, 2, 3])
        #expect(tree.rows.map(\.depth) == [0, 1, 2, 3, 1, 0, 1])
        let child = try #require(tree.rows.first { $0.pid == 200 })
        #expect(child.differsFromParent == [.uts, .pid, .mount, .net, .user, .cgroup, .time])
        // 300 differs from 200 only in its (nested) pid namespace.
        #expect(tree.rows.first { $0.pid == 300 }?.differsFromParent == [.pid])
        #expect(tree.rows.first { $0.pid == 100 }?.continues == [true])
        #expect(tree.rows.first { $0.pid == 400 }?.continues == [false])
    }

    @Test func orphanBecomesRootAndCyclesTerminate() {
        let records = [
            ProcessRecord(pid: 10, ppid: 99, comm: "orphan", state: "S", startTime: 1),
            ProcessRecord(pid: 20, ppid: 30, comm: "a", state: "S", startTime: 1),
            ProcessRecord(pid: 30, ppid: 20, comm: "b", state: "S", startTime: 1),
        ]
        let tree = ProcessTree(records)
        #expect(tree.roots == [10])
        #expect(tree.rows.map(\.pid) == [10])
    }
}

@Suite struct FixtureFactTests {
    @Test func childFactsFromItsOwnFiles() throws {
        let scanner = try Fixture.scanner("basic")
        let snapshot = scanner.refresh()
        let facts = scanner.readFacts(of: 200, in: snapshot)
        #expect(facts.pid.value == PIDFacts(pidInside: 1, processCount: 1))
        #expect(facts.mount.value?.mountCount == 7)
        #expect(facts.net.value?.interfaces.map(\.name) == ["lo"])
        // Not in the child's net/igmp: its loopback is down.
        #expect(facts.net.value?.interfaces.first?.isUp == false)
        #expect(facts.user.value?.uidMap == .known([IDMapEntry(inside: 0, outside: 1000, count: 1)]))
        #expect(facts.cgroup.value?.hostPath == .known("/user.slice/lab"))
        // Fixture tree: uptime 1000.5 s seen by the reader, plus the child's 86400.5 s boottime offset.
        #expect(facts.time.value?.uptimeInside == 1000.5 + 86400.5)
        // No helper child on a fixture tree: UTS and IPC need the real namespaces.
        #expect(facts.uts == .unknown)
    }

    @Test func hostFactsFromFixtureNetFiles() throws {
        let scanner = try Fixture.scanner("basic")
        let facts = scanner.readFacts(of: 1, in: scanner.refresh())
        let interfaces = try #require(facts.net.value?.interfaces)
        #expect(interfaces.map(\.name) == ["lo", "eth0"])
        #expect(interfaces.map(\.isUp) == [true, true])
        #expect(interfaces[0].addresses == ["127.0.0.1/8", "::1/128"])
        #expect(interfaces[1].addresses == ["192.0.2.2/24", "fd00::2/64", "fe80::fc:ff:fe00:1/64"])
        #expect(facts.mount.value?.mountCount == 5)
    }

    @Test func timeFactsUnavailableOnOldKernel() throws {
        let scanner = try Fixture.scanner("notime")
        let facts = scanner.readFacts(of: 42, in: scanner.refresh())
        #expect(facts.time == .unavailable)
        #expect(facts.pid.value?.pidInside == 42)
    }

    @Test func comparisonMarksExactlyTheChangedKinds() throws {
        let comparison = try Fixture.scanner("basic").compare(200, with: 1)
        #expect(comparison.differingKinds == [.uts, .pid, .mount, .net, .user, .cgroup, .time])
        #expect(comparison.kinds.first { $0.kind == .ipc }?.same == true)
        #expect(comparison.kinds.first { $0.kind == .uts }?.leftID == .known(4_026_532_300))
        #expect(throws: ComparisonError.noProcess(777)) { try Fixture.scanner("basic").compare(777, with: 1) }
    }
}

@Suite struct ParallelReadTests {
    /// The two-thread first scan must read exactly what the one-thread scan reads.
    @Test func twoThreadsReadTheSameRecords() throws {
        let root = ProcRoot(Fixture.path("basic"))
        let reader = try #require(ProcReader(root: root))
        let pids = reader.pids()
        let sequential = pids.compactMap { reader.readProcess($0) }.sorted { $0.pid < $1.pid }
        let parallel = ParallelRead.readAll(pids, root: root, using: reader, minimumForThreads: 0)
        #expect(parallel.sorted { $0.pid < $1.pid } == sequential)
        #expect(sequential.count == 7)
    }
}
