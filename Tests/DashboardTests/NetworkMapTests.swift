import Glibc
import Foundation
import Testing

@testable import Dashboard
@testable import NamespaceKit

/// A small machine: the host (a bridge with one veth port), two `ip netns` namespaces joined by a veth pair,
/// and a container whose eth0 is the other end of the host's port; `extra` more namespaces with lo only.
enum NetworkFixture {
    static func interface(
        _ index: Int32, _ name: String, kind: String = "veth", address: String? = nil, master: Int32? = nil,
        bytes: UInt64 = 0, packets: UInt64 = 0
    ) -> NetworkInterface {
        let addresses =
            address.map { text -> [InterfaceAddress] in
                let parts = text.split(separator: "/")
                return [
                    InterfaceAddress(
                        family: "inet", address: String(parts[0]), prefixLength: Int(parts[1])!, scope: "global")
                ]
            } ?? []
        return NetworkInterface(
            index: index, name: name, kind: kind, flags: 1, state: "up", mtu: 1500, mac: "02:00:00:00:00:0\(index)",
            addresses: addresses, master: master, peer: nil,
            counters: InterfaceCounters(rxBytes: bytes, txBytes: bytes, rxPackets: packets, txPackets: packets))
    }

    static func namespace(
        _ id: UInt64, host: Bool = false, names: [String] = [], pid: Int32, command: String = "sh",
        container: String? = nil, _ interfaces: [NetworkInterface]
    ) -> NetworkNamespace {
        NetworkNamespace(
            id: id, isHost: host, isOwn: host, names: names, pids: [pid], command: command, container: container,
            contents: .success(
                NetworkContents(
                    interfaces: interfaces,
                    routes: [
                        NetworkRoute(
                            family: "inet", destination: nil, gateway: "10.9.0.254", interfaceIndex: 2, metric: 0)
                    ],
                    neighbours: nil, addressesUnknown: false)))
    }

    /// The red-blue veth pair carries `redBytes` (each way) and `redPackets`.
    static func map(extra: Int = 0, redBytes: UInt64 = 0, redPackets: UInt64 = 0) -> NetworkMap {
        var namespaces = [
            namespace(
                1, host: true, pid: 1, command: "init",
                [
                    interface(1, "lo", kind: "loopback", address: "127.0.0.1/8"),
                    interface(2, "eth0", kind: "device", address: "10.0.2.15/24"),
                    interface(3, "br0", kind: "bridge", address: "172.20.0.1/16"),
                    interface(4, "vethhost", master: 3),
                ]),
            namespace(
                2, names: ["red"], pid: 200,
                [
                    interface(1, "lo", kind: "loopback", address: "127.0.0.1/8"),
                    interface(2, "veth-r", address: "10.9.0.1/24", bytes: redBytes, packets: redPackets),
                ]),
            namespace(
                3, names: ["blue"], pid: 300,
                [
                    interface(1, "lo", kind: "loopback", address: "127.0.0.1/8"),
                    interface(2, "veth-b", address: "10.9.0.2/24"),
                ]),
            namespace(
                4, pid: 400, container: "podman web",
                [interface(1, "lo", kind: "loopback"), interface(2, "eth0", address: "172.20.0.2/16")]),
        ]
        for n in 0..<extra {
            namespaces.append(
                namespace(
                    UInt64(10 + n), names: ["extra\(n)"], pid: Int32(1000 + n),
                    [interface(1, "lo", kind: "loopback"), interface(2, "dummy\(n)", kind: "dummy")]))
        }
        let links = [
            NetworkLink(kind: .veth, ends: [LinkEnd(namespace: 2, index: 2), LinkEnd(namespace: 3, index: 2)]),
            NetworkLink(kind: .veth, ends: [LinkEnd(namespace: 1, index: 4), LinkEnd(namespace: 4, index: 2)]),
            NetworkLink(kind: .bridgePort, ends: [LinkEnd(namespace: 1, index: 4), LinkEnd(namespace: 1, index: 3)]),
        ]
        return NetworkMap(namespaces: namespaces, links: links)
    }

    /// The dashboard with the map open on `map`.
    static func state(_ map: NetworkMap, columns: Int = 120, rows: Int = 40) -> DashboardModel {
        var state = DashboardModel(size: TerminalSize(columns: columns, rows: rows), isRoot: true)
        state.overlay = .network
        state.network.take(map, full: true, now: 1_000_000_000)
        return state
    }
}

@Suite("The network map")
struct NetworkMapTests {
    func screen(_ state: DashboardModel) -> [String] {
        DashboardView.render(state, theme: .builtinDefault).lines()
    }

    func character(_ lines: [String], _ x: Int, _ y: Int) -> Character {
        Array(lines[y])[x]
    }

    @Test("each namespace is a box titled by its name, container or pid, the host's marked, interfaces inside")
    func boxes() throws {
        let state = NetworkFixture.state(NetworkFixture.map())
        let layout = try #require(NetworkMapView.layout(state))
        #expect(layout.blocks.count == 4)
        #expect(!layout.folded)
        let lines = screen(state)
        let shown = lines.joined(separator: "\n")
        #expect(shown.contains("● HOST · pid 1 init"))
        #expect(shown.contains("netns red"))
        #expect(shown.contains("netns blue"))
        #expect(shown.contains("podman web"))
        // Each interface on its own row of its box, with its address.
        let red = layout.blocks[1]
        let redRow = try #require(red.rows[2])
        #expect(lines[redRow].contains("veth-r     up   10.9.0.1/24"), "\(lines[redRow])")
        #expect(!shown.contains("of 4"), "no marker while every box shows")
    }

    @Test("a veth pair is a line from one interface's row to the other's; a bridge port joins port and bridge")
    func linesJoinTheRightInterfaces() throws {
        let state = NetworkFixture.state(NetworkFixture.map())
        let layout = try #require(NetworkMapView.layout(state))
        let lines = screen(state)
        let pair = try #require(layout.lines.first { $0.link.ends.first?.namespace == 2 })
        let redRow = try #require(layout.blocks[1].rows[2])
        let blueRow = try #require(layout.blocks[2].rows[2])
        #expect(pair.ends == [.row(redRow), .row(blueRow)])
        let lane = try #require(pair.laneX)
        #expect(character(lines, lane, redRow) == "┐")
        #expect(character(lines, lane, blueRow) == "┘")
        for y in (redRow + 1)..<blueRow {
            #expect(["│", "┼"].contains(character(lines, lane, y)), "row \(y): \(lines[y])")
        }
        // The line leaves each box at its interface's row.
        #expect(character(lines, layout.blocks[1].rect.maxX - 1, redRow) == "├")
        #expect(character(lines, layout.blocks[2].rect.maxX - 1, blueRow) == "├")
        // The host's port: one line to the container's eth0, one to its own bridge.
        let hostPort = try #require(layout.blocks[0].rows[4])
        let bridge = try #require(layout.blocks[0].rows[3])
        let port = try #require(layout.lines.first { $0.link.kind == .bridgePort })
        #expect(port.ends == [.row(hostPort), .row(bridge)])
        let toContainer = try #require(
            layout.lines.first { $0.link.ends.first?.namespace == 1 && $0.link.kind == .veth })
        #expect(toContainer.ends == [.row(hostPort), .row(try #require(layout.blocks[3].rows[2]))])
        // Lines that overlap get lanes of their own.
        let lanes = layout.lines.compactMap(\.laneX)
        #expect(lanes.count == 3)
        #expect(Set(lanes).count >= 2)
    }

    @Test("a link's rate comes from the counter difference between two readings, with a sparkline")
    func ratesFromCounters() throws {
        var state = NetworkFixture.state(NetworkFixture.map(redBytes: 10_000, redPackets: 100))
        let key = NetworkMapState.LinkKey(NetworkFixture.map().links[0])
        #expect(state.network.rates[key] == nil, "one reading gives no rate")
        // Two seconds later, a partial reading of red alone: 4,000 more bytes each way, 20 more packets each way.
        var partial = NetworkFixture.map(redBytes: 14_000, redPackets: 120)
        partial.namespaces = partial.namespaces.filter { $0.id == 2 }
        partial.links = []
        state.network.take(partial, full: false, now: 3_000_000_000)
        #expect(state.network.map?.namespaces.count == 4, "a partial reading keeps the other namespaces")
        let rate = try #require(state.network.rates[key]?.last)
        #expect(rate.bytes == 4_000)  // 8,000 bytes both ways over 2 s
        #expect(rate.packets == 20)
        #expect(NetworkMapView.rateLabel(state.network.rates[key]) == "4.0 kB/s 20 p/s █")
        let layout = try #require(NetworkMapView.layout(state))
        let pair = try #require(layout.lines.first { $0.link == NetworkFixture.map().links[0] })
        #expect(screen(state)[pair.labelRow].contains("4.0 kB/s 20 p/s"))
        // A quiet interval after: the sparkline shows the drop.
        state.network.take(partial, full: false, now: 4_000_000_000)
        #expect(NetworkMapView.rateLabel(state.network.rates[key]) == "0 B/s 0 p/s █▁")
    }

    @Test("a link read again only by a full reading 30 s later gets its rate over those 30 s, not over one interval")
    func ratesOverTheTimeSinceRead() throws {
        var state = NetworkFixture.state(NetworkFixture.map(redBytes: 10_000, redPackets: 100))  // read at 1 s
        let key = NetworkMapState.LinkKey(NetworkFixture.map().links[0])
        // Partial readings of the host's box alone (red and blue off screen) each second: red's link gets none.
        var partial = NetworkFixture.map()
        partial.namespaces = [partial.namespaces[0]]
        for second in 2...30 { state.network.take(partial, full: false, now: UInt64(second) * 1_000_000_000) }
        #expect(state.network.rates[key] == nil, "a link not read gets no made-up rate")
        // The full reading at 31 s: 60,000 more bytes each way over 30 s = 4,000 B/s both ways, not 120,000.
        state.network.take(NetworkFixture.map(redBytes: 70_000, redPackets: 400), full: true, now: 31_000_000_000)
        let rate = try #require(state.network.rates[key]?.last)
        #expect(rate.bytes == 4_000)
        #expect(rate.packets == 20)
        // A link gone at a full reading loses its history.
        var without = NetworkFixture.map()
        without.links = []
        state.network.take(without, full: true, now: 32_000_000_000)
        #expect(state.network.rates.isEmpty)
    }

    @Test("the border counts one namespace in the singular")
    func oneNamespace() throws {
        var map = NetworkFixture.map()
        map.namespaces = [map.namespaces[0]]
        map.links = []
        let text = screen(NetworkFixture.state(map)).joined(separator: "\n")
        #expect(text.contains(" 1 namespace · "), "\(text)")
        #expect(screen(NetworkFixture.state(NetworkFixture.map())).joined().contains(" 4 namespaces · "))
    }

    @Test("the layout kept between frames is always the one the map as it is now gives")
    func keptLayoutFollowsChanges() throws {
        var state = NetworkFixture.state(NetworkFixture.map(extra: 40))
        let area = NetworkMapView.area(state)
        func fresh() -> NetworkMapLayout? {
            state.network.map.map { NetworkMapLayout.make($0, cursor: state.network.cursor, scroll: state.network.scroll, in: area) }
        }
        state.network.keepLayout(in: area)
        #expect(state.network.keptLayout != nil)
        #expect(NetworkMapView.layout(state) == fresh())
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.pageDown))
        #expect(NetworkMapView.layout(state) == fresh(), "moved")
        var fewer = NetworkFixture.map(extra: 3)
        fewer.namespaces.removeFirst()
        state.network.take(fewer, full: true, now: 9_000_000_000)
        #expect(NetworkMapView.layout(state) == fresh(), "a new reading")
        #expect(state.network.layout(in: Rect(x: 1, y: 1, width: 60, height: 10)) == state.network.map.map {
            NetworkMapLayout.make($0, cursor: state.network.cursor, scroll: state.network.scroll, in: Rect(x: 1, y: 1, width: 60, height: 10))
        }, "another area")
    }

    @Test("the scan sees a name added to or deleted from the netns directory, and nothing when it stays")
    func netnsDirectoryStamp() throws {
        let directory = "/tmp/nslab-netns-stamp-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(NetnsDirectoryStamp(path: directory) == NetnsDirectoryStamp(path: "/nonexistent/netns"))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let empty = NetnsDirectoryStamp(path: directory)
        #expect(empty != NetnsDirectoryStamp(path: "/nonexistent/netns"), "made: a change")
        #expect(NetnsDirectoryStamp(path: directory) == empty, "nothing happened: no change")
        usleep(20_000)  // past the file system's clock tick (coarse, a few ms), as two commands typed are
        #expect(FileManager.default.createFile(atPath: directory + "/red", contents: nil))
        let added = NetnsDirectoryStamp(path: directory)
        #expect(added != empty, "ip netns add red")
        usleep(20_000)
        try FileManager.default.removeItem(atPath: directory + "/red")
        #expect(NetnsDirectoryStamp(path: directory) != added, "ip netns delete red")
    }

    @Test("at 80x24 the namespaces but the cursor's fold to one line, the marker says which show, and it scrolls")
    func foldsAt80x24() throws {
        var state = NetworkFixture.state(NetworkFixture.map(extra: 30), columns: 80, rows: 24)
        var layout = try #require(NetworkMapView.layout(state))
        #expect(layout.folded)
        #expect(layout.blocks[0].folded == false, "the cursor's box stays whole")
        #expect(layout.blocks.dropFirst().allSatisfy { $0.folded && $0.rect.height == 1 })
        var lines = screen(state)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.contains { $0.contains("▸ netns red: lo 127.0.0.1/8, veth-r 10.9") })
        let shownCount = layout.blocks.count
        #expect(shownCount < 34)
        let bottom = try #require(lines.dropLast().last)
        #expect(bottom.contains("1-\(shownCount) of 34"), "\(bottom)")
        // End: the last namespace under the cursor, its box whole, the column scrolled to it.
        _ = state.handle(.key(.end))
        layout = try #require(NetworkMapView.layout(state))
        #expect(state.network.cursor == 33)
        #expect(layout.blocks.last?.index == 33 && layout.blocks.last?.folded == false)
        #expect(layout.scroll > 0)
        lines = screen(state)
        #expect(lines.contains { $0.contains("netns extra29") })
        #expect(lines.dropLast().last!.contains("of 34"))
    }

    @Test("on an ASCII terminal every cell of the map is ASCII: + - | boxes, look-alike sparklines")
    func asciiMode() throws {
        var state = NetworkFixture.state(NetworkFixture.map(redBytes: 1000, redPackets: 10))
        state.asciiGlyphs = true
        state.network.take(NetworkFixture.map(redBytes: 3000, redPackets: 30), full: true, now: 2_000_000_000)
        let lines = screen(state).map(AsciiFallback.text)
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        let layout = try #require(NetworkMapView.layout(state))
        let redRow = try #require(layout.blocks[1].rows[2])
        #expect(lines[redRow].hasPrefix("|| veth-r     up   10.9.0.1/24"), "\(lines[redRow])")
        #expect(lines[redRow].contains("4.0 kB/s 40 p/s #"), "\(lines[redRow])")
        #expect(lines[layout.blocks[1].rect.y].hasPrefix("|+ netns red"), "\(lines[layout.blocks[1].rect.y])")
        #expect(!lines.joined().contains("?"), "no glyph without a look-alike")
    }

    @Test("W opens the map and asks for a reading; arrows move; Enter shows the detail; Esc goes back and closes")
    func keys() throws {
        var state = NetworkFixture.state(NetworkFixture.map())
        state.overlay = .none
        #expect(state.handle(.key(.character("W"))) == [.readNetwork])
        #expect(state.overlay == .network)
        _ = state.handle(.key(.down))
        #expect(state.network.cursor == 1)
        _ = state.handle(.key(.character("j")))
        _ = state.handle(.key(.up))
        #expect(state.network.selected?.names == ["red"])
        #expect(state.handle(.key(.enter)) == [.readNetwork], "the detail reads the neighbours")
        #expect(state.network.detail)
        let detail = screen(state).joined(separator: "\n")
        #expect(detail.contains("veth-r  veth  up  mtu 1500"))
        #expect(detail.contains("default via 10.9.0.254 dev veth-r"))
        #expect(detail.contains("Neighbours"))
        _ = state.handle(.key(.escape))
        #expect(!state.network.detail && state.overlay == .network)
        _ = state.handle(.key(.escape))
        #expect(state.overlay == .none)
        _ = state.handle(.key(.character("W")))
        _ = state.handle(.key(.character("q")))
        #expect(state.overlay == .none, "q closes the map, it does not quit")
    }

    @Test("only the boxes on screen are read between full readings, neighbours only for the detail")
    func readingRequests() throws {
        var state = NetworkFixture.state(NetworkFixture.map(extra: 30), columns: 80, rows: 24)
        let onScreen = state.networkOnScreen
        #expect(onScreen.count == NetworkMapView.layout(state)!.blocks.count && onScreen.count < 34)
        var requests = (0..<NetworkMapState.fullEvery).map { _ in state.network.nextRequest(onScreen: onScreen) }
        #expect(requests.filter { $0.only == nil }.count == 1, "one full reading in \(NetworkMapState.fullEvery)")
        #expect(requests.filter { $0.only == onScreen }.count == NetworkMapState.fullEvery - 1)
        #expect(requests.allSatisfy { $0.neighboursOf == nil })
        _ = state.handle(.key(.enter))
        requests = (0..<2).map { _ in state.network.nextRequest(onScreen: onScreen) }
        #expect(requests.allSatisfy { $0.neighboursOf == 1 })
    }

    /// In a sandbox whose pid 1 cannot be read the reader cannot say which namespace is the host's (`isHost`
    /// nil); kthreadd, pid 2, is in the initial namespaces, so its namespace is marked instead of none.
    @Test("the host's box is marked, also where pid 1 cannot be read")
    func hostMarked() throws {
        var map = NetworkFixture.map()
        map.namespaces[0].isHost = nil
        map.namespaces[0].pids = [2, 3]
        map.namespaces[0].command = "[kthreadd]"
        #expect(screen(NetworkFixture.state(map)).contains { $0.contains("● HOST · pid 2 [kthreadd]") })
        map.namespaces[0].pids = [3]
        #expect(!screen(NetworkFixture.state(map)).joined().contains("HOST"))
    }

    /// At 80 columns a row with IPv6 addresses was cut at the box's border, so a cut address looked whole.
    @Test("an interface row too long for its box ends in an ellipsis, a blank before the border")
    func longRowCut() throws {
        var map = NetworkFixture.map()
        var contents = try #require(try? map.namespaces[1].contents.get())
        contents.interfaces[1].addresses?.append(
            InterfaceAddress(family: "inet6", address: "fe80::d00d:a6ff:fe67:1ecd", prefixLength: 64, scope: "link"))
        map.namespaces[1].contents = .success(contents)
        let state = NetworkFixture.state(map, columns: 80, rows: 24)
        let layout = try #require(NetworkMapView.layout(state))
        #expect(!layout.folded)
        let block = layout.blocks[1]
        let row = Array(screen(state)[try #require(block.rows[2])])
        let border = block.rect.maxX - 1
        #expect(row[border - 2] == "…", "\(String(row))")
        #expect(row[border - 1] == " ")
    }

    @Test("a partial reading shows an address added or a link set down at once, and keeps what it did not read")
    func partialReadingUpdatesBoxes() throws {
        var state = NetworkFixture.state(NetworkFixture.map())
        var partial = NetworkFixture.map()
        partial.namespaces = [partial.namespaces[2]]  // blue
        var contents = try #require(try? partial.namespaces[0].contents.get())
        contents.interfaces[1].addresses = (contents.interfaces[1].addresses ?? []) + [
            InterfaceAddress(family: "inet", address: "10.77.0.9", prefixLength: 16, scope: "global")
        ]
        contents.interfaces[1].state = "DOWN"
        contents.routes = nil  // a reading for counters asks for no routes
        partial.namespaces[0].contents = .success(contents)
        let routesBefore = try #require(try? state.network.map?.namespaces[2].contents.get()).routes
        state.network.take(partial, full: false, now: 2_000_000_000)
        let blue = try #require(try? state.network.map?.namespaces[2].contents.get())
        #expect(blue.interfaces[1].addresses?.map(\.address) == ["10.9.0.2", "10.77.0.9"])
        #expect(blue.interfaces[1].state == "DOWN")
        #expect(blue.routes == routesBefore, "routes not read are kept, not dropped")
        #expect(screen(state).joined(separator: "\n").contains("10.77.0.9/16"))
    }

    @Test("a reading that changes nothing shown says so (no frame is drawn); counters alone keep states and addresses")
    func unchangedReadingsDrawNothing() throws {
        var state = NetworkFixture.state(NetworkFixture.map(redBytes: 10_000, redPackets: 100))
        var partial = NetworkFixture.map(redBytes: 10_000, redPackets: 100)
        partial.namespaces = partial.namespaces.filter { $0.id == 2 }
        partial.links = []
        // Idle: the rate is 0 each interval; once the sparkline is all zeros, a reading changes nothing.
        var changes: [Bool] = []
        for second in 2...(2 + NetworkMapState.historyLength + 1) {
            changes.append(state.network.take(partial, full: false, now: UInt64(second) * 1_000_000_000))
        }
        #expect(changes.prefix(NetworkMapState.historyLength) == ArraySlice(repeating: true, count: NetworkMapState.historyLength))
        #expect(changes.suffix(2) == [false, false], "\(changes)")
        let generation = state.network.generation
        // Counters that moved change the rate: shown, but the layout is still good.
        var counters = NetworkFixture.map(redBytes: 30_000, redPackets: 300)
        counters.namespaces = counters.namespaces.filter { $0.id == 2 }
        var contents = try #require(try? counters.namespaces[0].contents.get())
        // A reading of counters alone: its interfaces carry nothing else.
        for i in contents.interfaces.indices {
            contents.interfaces[i].state = ""
            contents.interfaces[i].flags = 0
            contents.interfaces[i].addresses = nil
        }
        contents.countersOnly = true
        counters.namespaces[0].contents = .success(contents)
        let countersShown = state.network.take(counters, full: false, now: 20_000_000_000)
        #expect(countersShown)
        #expect(state.network.generation == generation, "counters do not make the layout out of date")
        let red = try #require(try? state.network.map?.namespaces[1].contents.get())
        #expect(red.interfaces[1].counters.rxBytes == 30_000)
        #expect(red.interfaces[1].state == "up", "a reading of counters alone keeps the state")
        #expect(red.interfaces[1].addresses?.map(\.address) == ["10.9.0.1"])
        #expect(state.network.rates[NetworkMapState.LinkKey(NetworkFixture.map().links[0])]?.last?.bytes ?? 0 > 0)
        // A state that changed makes the layout out of date, and is shown.
        var down = NetworkFixture.map(redBytes: 30_000, redPackets: 300)
        down.namespaces = down.namespaces.filter { $0.id == 2 }
        var downContents = try #require(try? down.namespaces[0].contents.get())
        downContents.interfaces[1].state = "down"
        down.namespaces[0].contents = .success(downContents)
        let downShown = state.network.take(down, full: false, now: 21_000_000_000)
        #expect(downShown)
        #expect(state.network.generation != generation)
        // The detail shows counters themselves: there, counters that moved are a change even at the same rate.
        state.network.detail = true
        var steady = down
        for second in 22...40 {
            var moved = try #require(try? steady.namespaces[0].contents.get())
            moved.interfaces[1].counters.rxBytes += 1_000
            steady.namespaces[0].contents = .success(moved)
            let shown = state.network.take(steady, full: false, now: UInt64(second) * 1_000_000_000)
            #expect(shown)
        }
    }

    @Test("a partial reading that finds a box's interfaces changed makes the next reading full; so does reopening")
    func changedInterfacesReadEverything() throws {
        var state = NetworkFixture.state(NetworkFixture.map())
        let onScreen = state.networkOnScreen
        #expect(state.network.nextRequest(onScreen: onScreen).only == onScreen)
        var partial = NetworkFixture.map()
        partial.namespaces = [partial.namespaces[2]]
        state.network.take(partial, full: false, now: 2_000_000_000)
        #expect(state.network.nextRequest(onScreen: onScreen).only == onScreen, "same interfaces: still partial")
        var contents = try #require(try? partial.namespaces[0].contents.get())
        contents.interfaces.append(NetworkFixture.interface(3, "vnew"))
        partial.namespaces[0].contents = .success(contents)
        state.network.take(partial, full: false, now: 3_000_000_000)
        #expect(state.network.nextRequest(onScreen: onScreen).only == nil, "a new interface: read everything")
        #expect(state.network.nextRequest(onScreen: onScreen).only == onScreen)
        _ = state.handle(.key(.escape))
        _ = state.handle(.key(.character("W")))
        #expect(state.network.nextRequest(onScreen: onScreen).only == nil, "reopened: read everything")
    }

    @Test("a namespace that could not be read shows as unknown with the reason, never as empty")
    func unknownNamespace() throws {
        var map = NetworkFixture.map()
        map.namespaces[2].contents = .failure(
            NetworkReadFailure(step: "setns", reason: "Operation not permitted", errno: 1))
        let state = NetworkFixture.state(map)
        #expect(screen(state).contains { $0.contains("unknown: setns: Operation not permitted") })
    }
}
