import Foundation
import Glibc
import TestSupport
import Testing

/// The map's wiring key in the real dashboard, in tmux, as root: two children wired with `w`, a ping typed in one
/// pane crosses and the link's rate moves on the map; a third child joins through nslab's bridge namespace while
/// the first two keep their names and addresses; after a reset no nsl* interface and no bridge namespace is left,
/// and the host's interfaces and addresses are as they were.
extension NetworkMapEndToEndTests {
    /// Moves the map's cursor onto the box of `tab` ("tab 1 "); true when found. Folded (many namespaces, as when
    /// a benchmark runs beside), the box under the cursor is the one drawn whole, and each Down is followed by
    /// waiting for that box to change (a frame drawn before the Down was handled must not be taken for after it);
    /// otherwise the detail's first line is the title (Enter opens the detail and Enter closes it: Esc followed at
    /// once by an arrow would read as Alt and the arrow).
    func cursor(on tab: String, in tmux: TmuxSession) throws -> Bool {
        // The first reading is in once the border counts the namespaces.
        try tmux.waitFor(#"(\d+ namespaces|\d+-\d+ of \d+) ·"#, regex: true, timeout: 20)
        try tmux.send("Home")
        usleep(200_000)
        func boxed(_ screen: String) -> String {
            String(screen.split(separator: "\n").first { $0.hasPrefix("│┌ ") } ?? "")
        }
        for _ in 0..<1200 {
            let screen = try tmux.screen()
            if screen.contains(" folded ") {
                let before = boxed(screen)
                if before.contains("┌ " + tab + "Child") { return true }
                try tmux.send("Down")
                var now = before
                for _ in 0..<200 where now == before {
                    usleep(25_000)
                    now = boxed(try tmux.screen())
                }
                if now == before { return false }  // the last namespace: Down moved nothing
                continue
            }
            // An Enter was seen lost once under load (the map stayed): it is sent again while the map shows.
            try tmux.send("Enter")
            var detail = (try? tmux.waitFor("Esc back to the map", timeout: 3)) ?? ""
            for _ in 0..<3 where detail.isEmpty {
                if try tmux.screen().contains("Enter detail") { try tmux.send("Enter") }
                detail = (try? tmux.waitFor("Esc back to the map", timeout: 3)) ?? ""
            }
            try #require(!detail.isEmpty, "the detail never opened:\n\((try? tmux.screen()) ?? "")")
            let title = detail.split(separator: "\n").first { $0.contains("net:[") } ?? ""
            try tmux.send("Enter")
            try tmux.waitFor("Enter detail", timeout: 10)
            if title.contains(tab + "Child") { return true }
            try tmux.send("Down")
        }
        return false
    }

    /// Presses F5 (from the dashboard) and returns the new child's pid: the one on screen besides `known`.
    func launchChild(_ tmux: TmuxSession, besides known: [pid_t]) throws -> pid_t {
        try tmux.send("F5")
        var found: pid_t?
        for _ in 0..<100 where found == nil {
            found = childPIDs(try tmux.screen()).subtracting(known).first
            if found == nil { usleep(50_000) }
        }
        return try #require(found, "no new child on screen:\n\((try? tmux.screen()) ?? "")")
    }

    /// Every interface name in every network namespace nslab can find (`nslab net --json`), and the ids.
    func everyNamespace() throws -> (names: [String], ids: Set<UInt64>) {
        let result = try Binary.run(["net", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let namespaces = json["namespaces"] as? [[String: Any]] ?? []
        var names: [String] = []
        var ids: Set<UInt64> = []
        for namespace in namespaces {
            if let id = namespace["id"] as? NSNumber { ids.insert(id.uint64Value) }
            for interface in namespace["interfaces"] as? [[String: Any]] ?? [] {
                if let name = interface["name"] as? String { names.append(name) }
            }
        }
        return (names, ids)
    }

    /// The network namespaces the dashboard holds by an fd that hold a bridge: its bridge namespace. (The scan
    /// thread also holds namespace fds for a moment while it reads them; those have no bridge.)
    func bridgeNamespaces(_ pid: pid_t) -> Set<String> {
        let own = Processes.namespaceLink(pid, "net")
        var held: Set<String> = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? [] {
            let path = "/proc/\(pid)/fd/\(entry)"
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path),
                target.hasPrefix("net:["), target != own,
                let bridges = try? Binary.runProgram("/usr/bin/nsenter", ["--net=" + path, "ip", "-br", "link", "show", "type", "bridge"]),
                bridges.status == 0, !bridges.stdout.isEmpty
            else { continue }
            held.insert(target)
        }
        return held
    }

    @Test("w wires two children (ping crosses, the rate moves), a third joins by a bridge, a reset removes it all")
    func wiringKey() throws {
        try requireRoot()
        let hostBefore = try hostNetwork()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns net --shell /bin/sh", width: 140, height: 45, environment: ["PS1": "child$ "])
        try tmux.waitFor("Namespaces")
        let first = try launchChild(tmux, besides: [])
        try tmux.send("C-]")
        let second = try launchChild(tmux, besides: [first])
        var children = [first, second]
        defer { for pid in children where Processes.namespaceLink(pid, "net") != nil { kill(pid, SIGKILL) } }
        let dashboard = try tmux.panePID()
        // No IPv6 chatter on the link to come (inside the children's new namespaces only): its rate is then the
        // ping's alone.
        for pid in children {
            let quiet = try inNetns(pid, "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1")
            try #require(quiet.status == 0, "\(quiet.stderr)")
        }
        // The second's pane has the keys: its shell waits for the link, then pings across it (3, then a steady
        // trickle while the map is looked at).
        try tmux.send(
            "until ip link show nsl0 >/dev/null 2>&1; do sleep 0.2; done; ping -c 3 10.77.0.2; "
                + "ping -q -c 40 -i 0.25 10.77.0.2", literal: true)
        try tmux.send("Enter")
        try tmux.send("C-]")
        try tmux.send("W")
        try tmux.waitFor("Network map")
        try wire(tmux, cursorOn: "tab 1", expecting: "Wired tab 2 (nsl0 10.77.0.1) ↔ tab 1 (nsl0 10.77.0.2)")
        let firstAddress = try inNetns(first, "ip -br -4 addr show dev nsl0")
        #expect(firstAddress.stdout.contains("10.77.0.2/24") && firstAddress.stdout.contains("UP"), "\(firstAddress.stdout)")

        // The link's line carries a rate that moves with the ping: 4 requests and 4 replies a second.
        var moved = 0
        for _ in 0..<100 where moved < 4 {
            let row = try tmux.drawnScreen().split(separator: "\n").first {
                ($0.contains("10.77.0.1/24") || $0.contains("10.77.0.2/24")) && $0.contains(" p/s ")
            }
            if let row, let range = row.range(of: #"\d+ p/s"#, options: .regularExpression) {
                moved = Int(row[range].prefix { $0.isNumber }) ?? 0
            }
            if moved < 4 { usleep(100_000) }
        }
        #expect(moved >= 4, "the wired link's rate never moved:\n\((try? tmux.drawnScreen()) ?? "")")
        try tmux.send("W")
        try tmux.waitFor("3 packets transmitted, 3 received", timeout: 10)

        // A third child joins through the bridge; the first two keep nsl0 and their addresses.
        try tmux.send("C-]")
        let third = try launchChild(tmux, besides: [first, second])
        children.append(third)
        try tmux.send(
            "until ip link show nsl0 >/dev/null 2>&1; do sleep 0.2; done; ping -c 2 10.77.0.1 && ping -c 2 10.77.0.2 "
                + "&& echo BOTH-REACHED", literal: true)
        try tmux.send("Enter")
        try tmux.send("C-]")
        try tmux.send("W")
        try tmux.waitFor("Network map")
        try wire(tmux, cursorOn: "tab 1", expecting: "Wired tab 3 (nsl0 10.77.0.3) to the bridge of tab 2, tab 1")
        try tmux.waitFor("nslab bridge", timeout: 10)
        for (pid, address) in [(first, "10.77.0.2/24"), (second, "10.77.0.1/24"), (third, "10.77.0.3/24")] {
            let shown = try inNetns(pid, "ip -br -4 addr show dev nsl0")
            #expect(shown.stdout.contains(address), "pid \(pid): \(shown.stdout) \(shown.stderr)")
        }
        let bridge = bridgeNamespaces(dashboard)
        #expect(bridge.count == 1, "the dashboard holds one bridge namespace: \(bridge)")
        try tmux.send("W")
        try tmux.waitFor("BOTH-REACHED", timeout: 15)

        // A reset: every link undone before the children die, the bridge namespace closed.
        try tmux.send("C-]")
        try tmux.send("R")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        try tmux.waitFor("Back to the start")
        for pid in children { #expect(Processes.endsSoon(pid), "pid \(pid) outlived the reset") }
        #expect(bridgeNamespaces(dashboard).isEmpty, "the bridge namespace's fd is still open")
        let everything = try everyNamespace()
        #expect(!everything.names.contains { $0.hasPrefix("nsl") || $0.hasPrefix("p0-") || $0 == "br0" }, "\(everything.names)")
        for held in bridge {
            let id = UInt64(held.dropFirst(5).dropLast()) ?? 0
            #expect(!everything.ids.contains(id), "the bridge namespace \(held) is still there")
        }
        try tmux.send("q")
        #expect(Processes.endsSoon(dashboard))
        #expect(try hostNetwork() == hostBefore, "the host's interfaces or addresses changed")
    }

    /// With the map open: moves the cursor to `tab`'s box, presses w and waits for the status line `message`.
    func wire(_ tmux: TmuxSession, cursorOn tab: String, expecting message: String) throws {
        try #require(try cursor(on: tab + " ", in: tmux), "\(tab) box not found:\n\((try? tmux.screen()) ?? "")")
        try tmux.send("w")
        try tmux.waitFor(message, timeout: 10)
    }

    /// Launches three children with Net ticked (their pids added to `children`), opens the map, wires tab 3 (on
    /// show) to tab 1, then tab 2 to them through nslab's bridge; returns the dashboard's pid.
    func threeOnTheBridge(_ tmux: TmuxSession, children: inout [pid_t]) throws -> pid_t {
        for _ in 0..<3 {
            children.append(try launchChild(tmux, besides: children))
            try tmux.send("C-]")
        }
        let dashboard = try tmux.panePID()
        try tmux.send("W")
        try tmux.waitFor("Network map")
        try wire(tmux, cursorOn: "tab 1", expecting: "Wired tab 3 (nsl0 10.77.0.1) ↔ tab 1 (nsl0 10.77.0.2)")
        try wire(tmux, cursorOn: "tab 2", expecting: "Wired tab 2 (nsl0 10.77.0.3) to the bridge of tab 3, tab 1")
        return dashboard
    }

    /// Quitting with a bridge wired: the children go, and with them their ends; the bridge namespace's fd is closed
    /// (nothing else holds it), so it goes too.
    @Test("quitting with three children on nslab's bridge leaves no nsl* interface and no bridge namespace")
    func wiringGoesOnQuit() throws {
        try requireRoot()
        let tmux = try TmuxSession("\(Binary.path) --ns net --shell /bin/sh", width: 140, height: 45)
        try tmux.waitFor("Namespaces")
        var children: [pid_t] = []
        defer { for pid in children where Processes.namespaceLink(pid, "net") != nil { kill(pid, SIGKILL) } }
        let dashboard = try threeOnTheBridge(tmux, children: &children)
        let bridge = bridgeNamespaces(dashboard)
        try #require(bridge.count == 1, "\(bridge)")
        let ping = try inNetns(children[1], "ping -c 1 -W 2 10.77.0.2")
        #expect(ping.status == 0, "tab 2 reaches tab 1 through the bridge: \(ping.stdout) \(ping.stderr)")
        try tmux.send("W")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(dashboard))
        for pid in children { #expect(Processes.endsSoon(pid)) }
        // Namespaces are freed by the kernel shortly after their last holder goes.
        var everything = try everyNamespace()
        for _ in 0..<20 where everything.names.contains(where: { $0.hasPrefix("nsl") || $0.hasPrefix("p0-") }) {
            usleep(100_000)
            everything = try everyNamespace()
        }
        #expect(!everything.names.contains { $0.hasPrefix("nsl") || $0.hasPrefix("p0-") }, "\(everything.names)")
        for held in bridge {
            #expect(!everything.ids.contains(UInt64(held.dropFirst(5).dropLast()) ?? 0), "\(held) outlived nslab")
        }
    }

    /// As uid 65534: two sibling children (each its own user namespace) are refused with the rule; a child launched
    /// inside the second's user namespace (Shift-F5, User unticked) is wired to it, and a ping crosses.
    @Test("unprivileged: siblings refused with the reason, a nested pair in one user namespace wired")
    func unprivilegedWiring() throws {
        try requireRoot()  // setpriv needs root to switch to uid 65534
        let tmux = try TmuxSession(
            "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups \(Binary.publicCopy) --ns user,net "
                + "--shell /bin/sh", width: 140, height: 45,
            environment: ["HOME": "/", "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"])
        try tmux.waitFor("Namespaces")
        var children: [pid_t] = []
        defer { for pid in children where Processes.namespaceLink(pid, "net") != nil { kill(pid, SIGKILL) } }
        for _ in 0..<2 {
            children.append(try launchChild(tmux, besides: children))
            try tmux.send("C-]")
        }
        try tmux.send("W")
        try wire(tmux, cursorOn: "tab 1", expecting: "Wiring needs root, or both children in one user namespace")
        #expect(try inNetns(children[1], "ip -br link").stdout.contains("nsl") == false)
        try tmux.send("W")
        try tmux.waitFor("Namespaces")
        try tmux.send("6")  // User unticked: the nested child stays in tab 2's user namespace
        try tmux.send("S-F5")
        var nested: pid_t?
        for _ in 0..<100 where nested == nil {
            nested = childPIDs(try tmux.screen()).subtracting(children).first
            if nested == nil { usleep(50_000) }
        }
        children.append(try #require(nested, "\((try? tmux.screen()) ?? "")"))
        try tmux.send("C-]")
        try tmux.send("W")
        try wire(tmux, cursorOn: "tab 2", expecting: "Wired tab 3 (nsl0 10.77.0.1) ↔ tab 2 (nsl0 10.77.0.2)")
        let ping = try inNetns(children[2], "ping -c 1 -W 2 10.77.0.2")
        #expect(ping.status == 0, "\(ping.stdout) \(ping.stderr)")
        try tmux.send("W")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        for pid in children { #expect(Processes.endsSoon(pid)) }
    }

    /// Children that end take their ends along, but the bridge namespace would keep the last one's port and the
    /// bridge alive: with one child left on it, nslab deletes that child's end and closes the bridge namespace.
    @Test("when only one child is left on the bridge, its end is deleted and the bridge namespace closed")
    func bridgeGoesWithItsChildren() throws {
        try requireRoot()
        let tmux = try TmuxSession("\(Binary.path) --ns net --shell /bin/sh", width: 140, height: 45)
        try tmux.waitFor("Namespaces")
        var children: [pid_t] = []
        defer { for pid in children where Processes.namespaceLink(pid, "net") != nil { kill(pid, SIGKILL) } }
        let dashboard = try threeOnTheBridge(tmux, children: &children)
        try #require(bridgeNamespaces(dashboard).count == 1)
        // Two of the three end; the one left must not keep a link to a bridge nobody else is on.
        kill(children[0], SIGKILL)
        kill(children[2], SIGKILL)
        var left = "nsl0"
        for _ in 0..<40 where left.contains("nsl0") || !bridgeNamespaces(dashboard).isEmpty {
            usleep(100_000)
            left = try inNetns(children[1], "ip -br link").stdout
        }
        #expect(!left.contains("nsl0"), "tab 2 kept its end: \(left)")
        #expect(bridgeNamespaces(dashboard).isEmpty, "the bridge namespace is still held")
        try tmux.send("W")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(dashboard))
    }
}
