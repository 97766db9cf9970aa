import Foundation
import Glibc
import TestSupport
import Testing

/// The network map in the real dashboard, in tmux, as root: two children the dashboard launched in new network
/// namespaces, joined by the test with a veth pair (addresses only inside them), shown as two boxes and a line
/// whose counters move when one pings the other.
@Suite("network map end to end", .serialized)
struct NetworkMapEndToEndTests {
    /// The pids of "Child N [" labels on the screen.
    func childPIDs(_ screen: String) -> Set<pid_t> {
        var found: Set<pid_t> = []
        var rest = screen[...]
        while let range = rest.range(of: #"Child \d+ \["#, options: .regularExpression) {
            if let pid = pid_t(rest[range].dropFirst(6).prefix { $0.isNumber }) { found.insert(pid) }
            rest = rest[range.upperBound...]
        }
        return found
    }

    /// The host's interfaces and addresses, brief: name, state, MAC, addresses (no counters, no lifetimes).
    func hostNetwork() throws -> String {
        let result = try Binary.runProgram("/bin/sh", ["-c", "ip -br link; ip -br addr"])
        try #require(result.status == 0, "ip: \(result.stderr)")
        return result.stdout
    }

    /// Runs `script` with `sh -c` inside `pid`'s network namespace only.
    func inNetns(_ pid: pid_t, _ script: String) throws -> RunResult {
        try Binary.runProgram("/usr/bin/nsenter", ["-t", String(pid), "-n", "/bin/sh", "-c", script])
    }

    /// The map's line for the interface with `address`, and the column of its lane's corner (┐ or ┘).
    func corner(_ lines: [[Character]], from: Int) -> Int? {
        let row = lines[from]
        // The lane's corner is right of the rate label, which follows the box's ├.
        guard let tee = row.firstIndex(of: "├") else { return nil }
        return row.indices.first { $0 > tee && (row[$0] == "┐" || row[$0] == "┘") }
    }

    @Test("two children joined by a veth: both boxes, the line between their interfaces, counters that move with ping")
    func vethBetweenChildren() throws {
        try requireRoot()
        let hostBefore = try hostNetwork()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns net --shell /bin/sh", width: 140, height: 45, environment: ["PS1": "child$ "])
        try tmux.send("F5")
        let launched = try tmux.waitFor(#"Child \d+ \[net\]"#, regex: true)
        let first = try #require(childPIDs(launched).first)
        try tmux.send("C-]")
        try tmux.waitFor("Namespaces")
        try tmux.send("F5")
        var second: pid_t?
        for _ in 0..<100 where second == nil {
            second = childPIDs(try tmux.screen()).subtracting([first]).first
            if second == nil { usleep(50_000) }
        }
        let screenNow = (try? tmux.screen()) ?? ""
        let other = try #require(second, "\(screenNow)")
        defer {
            // On any way out: the children go, and with their namespaces the veth pair.
            for pid in [first, other] where Processes.namespaceLink(pid, "net") != nil { kill(pid, SIGKILL) }
        }
        try tmux.send("C-]")
        // Never touch a namespace the test did not make: both must be new, and not each other's.
        let own = try #require(Processes.namespaceLink(getpid(), "net"))
        let firstNet = try #require(Processes.namespaceLink(first, "net"))
        let otherNet = try #require(Processes.namespaceLink(other, "net"))
        try #require(firstNet != own && otherNet != own && firstNet != otherNet)

        // Quiet ends (no IPv6 chatter), the pair, addresses, up.
        let quiet = "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"
        var made = try inNetns(
            first, "\(quiet) && ip link add va type veth peer name vb netns \(other) && ip link set lo up")
        try #require(made.status == 0, "\(made.stderr)")
        made = try inNetns(first, "ip addr add 10.212.0.1/24 dev va && ip link set va up")
        try #require(made.status == 0, "\(made.stderr)")
        made = try inNetns(
            other, "\(quiet) && ip addr add 10.212.0.2/24 dev vb && ip link set vb up && ip link set lo up")
        try #require(made.status == 0, "\(made.stderr)")

        try tmux.send("W")
        // Both boxes, titled by their tabs, and the host's marked; the line from va's row to vb's.
        var lines: [[Character]] = []
        var rows: (Int, Int)?
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let screen = try tmux.drawnScreen()
            lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
            let va = lines.firstIndex { String($0).contains("va ") && String($0).contains("10.212.0.1/24") }
            let vb = lines.firstIndex { String($0).contains("vb ") && String($0).contains("10.212.0.2/24") }
            if screen.contains("tab 1 Child \(first) [net]"), screen.contains("tab 2 Child \(other) [net]"),
                screen.contains("● HOST"), let va, let vb, screen.contains(" p/s ")
            {
                rows = (va, vb)
                break
            }
            usleep(100_000)
        }
        let (va, vb) = try #require(rows, "\(lines.map { String($0) }.joined(separator: "\n"))")
        let shown = lines.map { String($0) }.joined(separator: "\n")
        let lane = try #require(corner(lines, from: va), "\(shown)")
        #expect(corner(lines, from: vb) == lane, "\(shown)")
        for y in (min(va, vb) + 1)..<max(va, vb) {
            #expect(["│", "┼"].contains(lines[y][lane]), "row \(y) of\n\(shown)")
        }

        // A quiet interval first, then ping: the link's packets per second go above zero. The rate is written on
        // the row of the link's first end (the namespace with the lower id), which may be va's or vb's.
        func packetsPerSecond() throws -> Int? {
            let row = try tmux.drawnScreen().split(separator: "\n").first {
                ($0.contains("10.212.0.1/24") || $0.contains("10.212.0.2/24")) && $0.contains(" p/s ")
            }
            guard let row, let range = row.range(of: #"\d+ p/s"#, options: .regularExpression) else { return nil }
            return Int(row[range].prefix { $0.isNumber })
        }
        var quietSeen = false
        for _ in 0..<100 where !quietSeen {
            quietSeen = try packetsPerSecond() == 0
            if !quietSeen { usleep(100_000) }
        }
        let quietScreen = (try? tmux.drawnScreen()) ?? ""
        try #require(quietSeen, "the link never showed 0 p/s:\n\(quietScreen)")
        let ping = try inNetns(first, "ping -c 3 -i 0.2 -W 2 10.212.0.2")
        #expect(ping.status == 0, "\(ping.stdout) \(ping.stderr)")
        var moved = 0
        for _ in 0..<60 where moved == 0 {
            moved = try packetsPerSecond() ?? 0
            if moved == 0 { usleep(50_000) }
        }
        let movedScreen = (try? tmux.drawnScreen()) ?? ""
        #expect(moved > 0, "the link's rate never moved:\n\(movedScreen)")

        // Enter on a child's namespace: its detail, routes included; Esc back to the map; W closes; q and y quit.
        try tmux.send("Down")
        try tmux.send("Enter")
        try tmux.waitFor("10.212.0.0/24 dev v", timeout: 5)
        try tmux.waitFor("Neighbours")
        try tmux.send("Escape")
        try tmux.waitFor("Network map")
        try tmux.send("W")
        try tmux.waitFor("Namespaces")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(first) && Processes.endsSoon(other), "a child outlived the dashboard")
        let hostAfter = try hostNetwork()
        #expect(hostAfter == hostBefore, "the host's interfaces or addresses changed")
        #expect(!hostAfter.split(separator: "\n").contains { $0.hasPrefix("va") || $0.hasPrefix("vb") })
    }

    /// The dashboard's own scan skips namespaces no process is in, and the map first showed only namespaces with
    /// processes: an `ip netns` name (a bind mount) was missing. The dashboard runs here in a mount namespace of
    /// its own with a tmpfs on /run, where the test adds the name, so nothing of it is seen outside; it goes with
    /// that mount namespace when the dashboard quits.
    @Test("a namespace held only by an ip netns name is on the map, titled by the name")
    func heldByName() throws {
        try requireRoot()
        let name = "maptest\(getpid() % 100000)"
        let tmux = try TmuxSession(
            "exec unshare -m --propagation private -- /bin/sh -c 'mount -t tmpfs maptest /run && exec "
                + "\(Binary.path) --shell /bin/sh'")
        try tmux.waitFor("Namespaces")
        let dashboard = try tmux.panePID()
        try #require(
            Processes.namespaceLink(dashboard, "mnt") != Processes.namespaceLink(getpid(), "mnt"),
            "the dashboard must be in a mount namespace of its own")
        let added = try Binary.runProgram(
            "/usr/bin/nsenter", ["-t", String(dashboard), "-m", "/bin/sh", "-c", "ip netns add \(name)"])
        try #require(added.status == 0, "ip netns add: \(added.stderr)")
        try tmux.send("W")
        try tmux.waitFor("netns \(name)", timeout: 10)
        // The name's namespace has lo only, down, and no process: its box says so, read rather than unknown.
        let screen = try tmux.waitFor("lo         down", timeout: 5)
        #expect(!screen.contains("unknown:"), "\(screen)")
        // A box on screen is watched through a socket in its namespace, which must not keep the namespace alive
        // once its name is deleted: a veth from it to a second named namespace goes with it within a few scans.
        let other = name + "b"
        func inDashboard(_ command: String) throws -> Int32 {
            try Binary.runProgram("/usr/bin/nsenter", ["-t", String(dashboard), "-m", "/bin/sh", "-c", command]).status
        }
        try #require(try inDashboard("ip netns add \(other) && ip -n \(name) link add va type veth peer name vb netns \(other)") == 0)
        try tmux.waitFor("vb", timeout: 10)
        usleep(2_500_000)  // a few partial readings, so both boxes are watched
        try #require(try inDashboard("ip netns delete \(name)") == 0)
        var gone = false
        for _ in 0..<100 where !gone {
            usleep(100_000)
            gone = try inDashboard("ip -n \(other) link show vb") != 0
        }
        #expect(gone, "the veth end stayed: something kept the deleted namespace alive")
        _ = try inDashboard("ip netns delete \(other)")
        try tmux.send("W")  // not Esc: Esc then q at once reads as Alt-q
        try tmux.waitFor("Namespaces")
        try tmux.send("q")
        usleep(500_000)
        #expect(try tmux.paneDead(), "q with no child quits at once")
        #expect(Processes.endsSoon(dashboard))
    }
}
