import Glibc
import Testing

@testable import NamespaceKit

/// The network map's reader on live namespaces: sockets opened in batches and all closed again.
@Suite("network map reader, live", .serialized)
struct NetworkReaderLiveTests {
    /// The fds of this process that the reader could leak: network namespace fds and netlink sockets (in any
    /// namespace). Not every fd: other suites run beside this one and open and close theirs meanwhile (a count of
    /// all fds once went from 35 to 32 during the read).
    private func openDescriptors() -> Int {
        (SystemCall.directoryEntries("/proc/self/fd") ?? []).filter { name in
            guard let fd = Int32(name) else { return false }
            if SystemCall.readLink("/proc/self/fd/\(name)")?.hasPrefix("net:[") == true { return true }
            var domain: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) == 0 && domain == AF_NETLINK
        }.count
    }

    /// Guards against a socket or a namespace fd left open by a batch (the reader opens up to `batchSize` of each
    /// at once, and the helper's sockets land in nslab's fd table).
    @Test("five children's namespaces read in batches of two: each read, the fd count the same after")
    func batchesLeaveNoDescriptor() throws {
        try withLiveChildren(5, kinds: [.net]) { children, scanner in
            let before = openDescriptors()
            var reader = NetworkMapReader()
            reader.batchSize = 2
            let map = reader.read(scanner.refresh(relations: true))
            #expect(openDescriptors() == before)
            for child in children {
                let id = try #require(readlinkNamespace(child.pid, .net))
                let namespace = try #require(map.namespace(id), "pid \(child.pid)'s namespace is missing")
                #expect(namespace.pids.contains(child.pid))
                // A new network namespace holds only lo, down (the launcher brings it up unless told not to).
                let names = namespace.interfaces?.map(\.name)
                #expect(names == ["lo"], "\(namespace.contents)")
            }
            // nslab's own namespace is marked as such, exactly once; neighbours are read only when asked for.
            let own = try #require(map.namespaces.first { $0.isOwn })
            #expect(map.namespaces.filter(\.isOwn).count == 1)
            #expect((try? own.contents.get())?.neighbours == nil)
            reader.readsNeighbours = true
            let withNeighbours = reader.read(scanner.refresh(relations: true))
            let ownAgain = try #require(withNeighbours.namespace(own.id))
            #expect((try? ownAgain.contents.get())?.neighbours != nil, "\(ownAgain.contents)")
            #expect(openDescriptors() == before)
        }
    }

    /// Guards the map's readings between full ones: counters alone while nothing changes, the whole namespace
    /// again once its socket heard of a change, and no socket left holding a namespace nslab no longer shows.
    @Test("watched namespaces: counters alone when idle, whole after a change, sockets closed off screen and at exit")
    func watchReadsCountersAndChanges() throws {
        try withLiveChildren(2, kinds: [.net]) { children, scanner in
            let ids = try children.map { try #require(readlinkNamespace($0.pid, .net)) }
            let before = openDescriptors()
            let watch = NetworkCounterWatch(root: scanner.root)
            func read() -> [UInt64: NetworkContents] {
                let map = watch.read(scanner.refresh(relations: false), only: Set(ids))
                var contents: [UInt64: NetworkContents] = [:]
                for namespace in map.namespaces { contents[namespace.id] = try? namespace.contents.get() }
                return contents
            }
            func inFirst(_ command: String) {
                #expect(system("nsenter -t \(children[0].pid) -n \(command) >/dev/null 2>&1") == 0, "\(command)")
            }
            let first = read()
            #expect(first.count == 2 && first.values.allSatisfy { !$0.countersOnly }, "new boxes are read whole")
            #expect(watch.watched == Set(ids))
            #expect(openDescriptors() == before + 2, "one socket per watched namespace")
            let idle = read()
            #expect(idle.count == 2 && idle.values.allSatisfy(\.countersOnly), "\(idle)")
            #expect(idle[ids[0]]?.interfaces.map(\.index) == first[ids[0]]?.interfaces.map(\.index))
            // A link made in the first: its next reading is whole and shows it; the second stays counters alone.
            inFirst("ip link add nslwatch0 type veth peer name nslwatch1")
            let changed = read()
            #expect(changed[ids[0]]?.countersOnly == false)
            #expect(changed[ids[0]]?.interfaces.map(\.name).contains("nslwatch0") == true, "\(String(describing: changed[ids[0]]))")
            #expect(changed[ids[1]]?.countersOnly == true)
            // Traffic alone changes the counters of a reading of counters alone.
            inFirst("ip link set lo up")
            _ = read()
            let quiet = try #require(read()[ids[0]])
            #expect(quiet.countersOnly)
            let lo = try #require(quiet.interfaces.first { $0.index == 1 })
            inFirst("ping -c 2 -i 0.2 -W 1 127.0.0.1")
            let busy = try #require(read()[ids[0]])
            #expect(busy.countersOnly)
            let loAfter = try #require(busy.interfaces.first { $0.index == 1 })
            #expect(loAfter.counters.txPackets >= lo.counters.txPackets + 4, "\(lo.counters) -> \(loAfter.counters)")
            // The second child ends: its namespace's socket is closed at the next reading, not kept.
            children[1].kill()
            _ = children[1].wait()
            #expect(read().keys.sorted() == [ids[0]])
            #expect(watch.watched == [ids[0]])
            #expect(openDescriptors() == before + 1)
            watch.keepOnly([])
            #expect(openDescriptors() == before)
        }
    }
}
