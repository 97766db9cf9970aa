import Foundation
import Glibc
import TestSupport
import Testing

/// Network namespaces made by `ip` and `unshare` for one test, joined by veth pairs and a bridge, with addresses
/// only inside them. `remove()` deletes the names (which frees the namespaces and their links) and kills the
/// `unshare` sleeper.
final class NetLab {
    /// The `ip netns` names: a and b hold a veth pair with addresses, c a bridge with one veth end as its port
    /// and the other end in the sleeper's namespace.
    let a: String, b: String, c: String
    /// The sleeper `unshare --net` started (its own namespace, no name).
    let sleeper: pid_t
    /// The sleeper bubblewrap started with --unshare-net; c holds a veth whose other end is in its namespace.
    let wrapped: pid_t
    private var removed = false

    init() throws {
        try requireRoot()
        let tag = "nlt\(getpid() % 100000)x\(UInt16.random(in: 0...9999))"
        a = tag + "a"
        b = tag + "b"
        c = tag + "c"
        let script = """
            set -e
            ip netns add $1; ip netns add $2; ip netns add $3
            ip -n $1 link add va type veth peer vb netns $2
            ip -n $1 addr add 10.211.0.1/24 dev va
            ip -n $2 addr add 10.211.0.2/24 dev vb
            ip -n $1 link set va up; ip -n $2 link set vb up; ip -n $1 link set lo up
            ip -n $2 addr add fd77::2/64 dev vb
            ip -n $1 route add default via 10.211.0.2
            ip -n $3 link add br0 type bridge
            ip -n $3 link set br0 up
            ip -n $3 link add port0 type veth peer inner netns $4
            ip -n $3 link set port0 master br0
            ip -n $3 link set port0 up
            ip -n $3 link add bw0 type veth peer bwpeer netns $5
            """
        // The sleeper first, so that its namespace can take the veth end; setsid -f: no child of the test.
        let started = try Binary.runProgram(
            "/bin/sh", ["-c", "setsid -f unshare --net sleep 600 </dev/null >/dev/null 2>&1; sleep 0.2; pgrep -n -f '^sleep 600$'"])
        sleeper = pid_t(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let bwrap = try Binary.runProgram(
            "/bin/sh",
            ["-c", "setsid -f bwrap --unshare-net --dev-bind / / sleep 614 </dev/null >/dev/null 2>&1; sleep 0.2; pgrep -n -f '^sleep 614$'"])
        wrapped = pid_t(bwrap.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if sleeper <= 0 || wrapped <= 0 { remove() }
        try #require(sleeper > 0, "unshare --net sleep: \(started.stderr)")
        try #require(wrapped > 0, "bwrap --unshare-net sleep: \(bwrap.stderr)")
        let made = try Binary.runProgram("/bin/sh", ["-c", script, "sh", a, b, c, String(sleeper), String(wrapped)])
        if made.status != 0 { remove() }
        try #require(made.status == 0, "ip: \(made.stderr)")
    }

    deinit { remove() }

    /// Deletes the namespaces and kills the sleeper.
    func remove() {
        guard !removed else { return }
        removed = true
        for name in [a, b, c] { _ = try? Binary.runProgram("/usr/sbin/ip", ["netns", "delete", name]) }
        if sleeper > 0 { kill(sleeper, SIGKILL) }
        if wrapped > 0 { kill(wrapped, SIGKILL) }
    }

    /// The namespace id of a name (the inode of its bind mount).
    func id(_ name: String) throws -> UInt64 {
        var status = stat()
        try #require(stat("/run/netns/" + name, &status) == 0)
        return UInt64(status.st_ino)
    }

    /// Runs `ip` (or another program) inside the named namespace and returns stdout.
    func inside(_ name: String, _ arguments: [String]) throws -> String {
        let result = try Binary.runProgram("/usr/sbin/ip", ["netns", "exec", name] + arguments)
        try #require(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    /// `ip -j -n NAME ARGS`, parsed.
    func ipJSON(_ name: String, _ arguments: [String]) throws -> [[String: Any]] {
        let result = try Binary.runProgram("/usr/sbin/ip", ["-j", "-n", name] + arguments)
        try #require(result.status == 0, "ip \(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }
}

/// `nslab net` compared with `ip -j link` / `ip -j addr`, `/sys/class/net/*/iflink` and `ethtool -S`'s
/// peer_ifindex, on namespaces and veth pairs `ip` and `unshare` made; as root and as uid 65534.
@Suite("nslab net", .serialized)
struct NetCommandTests {
    /// The `namespaces` of `nslab net --json`, by id.
    private func namespaces(_ run: NslabRun) throws -> [UInt64: [String: Any]] {
        let list = try #require(try run.json()["namespaces"] as? [[String: Any]])
        var byID: [UInt64: [String: Any]] = [:]
        for namespace in list { byID[try #require((namespace["ns"] as? NSNumber)?.uint64Value)] = namespace }
        return byID
    }

    @Test("interfaces, addresses and veth peers agree with ip, sysfs and ethtool")
    func agreesWithIP() throws {
        let lab = try NetLab()
        defer { lab.remove() }
        let run = try runNslab(["net", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let byID = try namespaces(run)
        let sleeperNet = try #require(linkedNamespace(lab.sleeper, "net"))
        let expectedPeers: [String: (String, UInt64)] = [
            "va": (lab.b, try lab.id(lab.b)), "vb": (lab.a, try lab.id(lab.a)), "port0": ("", sleeperNet),
            "bw0": ("", try #require(linkedNamespace(lab.wrapped, "net"))),
        ]
        for name in [lab.a, lab.b, lab.c] {
            let namespace = try #require(byID[try lab.id(name)], "\(name) is missing")
            #expect(namespace["netns_names"] as? [String] == [name])
            #expect(namespace["error"] is NSNull)
            let interfaces = try #require(namespace["interfaces"] as? [[String: Any]], "\(name) unread")
            let links = try lab.ipJSON(name, ["-d", "link"])
            let addresses = try lab.ipJSON(name, ["addr"])
            #expect(Set(interfaces.compactMap { $0["name"] as? String }) == Set(links.compactMap { $0["ifname"] as? String }))
            for link in links {
                let ifname = try #require(link["ifname"] as? String)
                let ours = try #require(interfaces.first { $0["name"] as? String == ifname })
                #expect(ours["index"] as? Int == link["ifindex"] as? Int, "\(name) \(ifname) index")
                #expect(ours["mtu"] as? Int == link["mtu"] as? Int, "\(name) \(ifname) mtu")
                #expect(ours["mac"] as? String == link["address"] as? String, "\(name) \(ifname) mac")
                #expect(ours["state"] as? String == link["operstate"] as? String, "\(name) \(ifname) state")
                let flags = link["flags"] as? [String] ?? []
                #expect(ours["up"] as? Bool == flags.contains("UP"), "\(name) \(ifname) up")
                let kind = (link["linkinfo"] as? [String: Any])?["info_kind"] as? String
                if let kind { #expect(ours["kind"] as? String == kind, "\(name) \(ifname) kind") }
                if let master = link["master"] as? String {
                    let masterIndex = interfaces.first { $0["name"] as? String == master }?["index"] as? Int
                    #expect(ours["master"] as? Int == masterIndex, "\(name) \(ifname) master")
                } else {
                    #expect(ours["master"] is NSNull, "\(name) \(ifname) master")
                }
                // Addresses, in the order the kernel lists them.
                let info = addresses.first { $0["ifname"] as? String == ifname }?["addr_info"] as? [[String: Any]] ?? []
                let theirs = info.map { "\($0["family"] ?? "")/\($0["local"] ?? "")/\($0["prefixlen"] ?? "")" }
                let mine = (ours["addresses"] as? [[String: Any]] ?? []).map {
                    "\($0["family"] ?? "")/\($0["address"] ?? "")/\($0["prefixlen"] ?? "")"
                }
                #expect(mine == theirs, "\(name) \(ifname) addresses")
                guard kind == "veth" else {
                    #expect(ours["peer"] is NSNull, "\(name) \(ifname) has no peer")
                    continue
                }
                let peer = try #require(ours["peer"] as? [String: Any], "\(name) \(ifname) peer")
                let peerIndex = try #require(peer["index"] as? Int)
                // Three other readings of the peer's index: ip's link_index, sysfs's iflink, ethtool's peer_ifindex.
                #expect(peerIndex == link["link_index"] as? Int, "\(name) \(ifname) vs ip link_index")
                let iflink = try lab.inside(name, ["cat", "/sys/class/net/\(ifname)/iflink"])
                #expect(String(peerIndex) == iflink.trimmingCharacters(in: .whitespacesAndNewlines), "\(ifname) iflink")
                let statistics = try lab.inside(name, ["ethtool", "-S", ifname])
                let line = statistics.split(separator: "\n").first { $0.contains("peer_ifindex:") }
                #expect(line.map { $0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) } == String(peerIndex))
                #expect((peer["netnsid"] as? Int) == (link["link_netnsid"] as? Int), "\(name) \(ifname) netnsid")
                // The peer's namespace: known to the test because it made it.
                let expected = try #require(expectedPeers[ifname])
                #expect((peer["ns"] as? NSNumber)?.uint64Value == expected.1, "\(name) \(ifname) peer namespace")
            }
        }
        // The sleeper's namespace, which has no name, is found through its process and holds the other end.
        let inner = try #require(byID[sleeperNet])
        #expect((inner["pids"] as? [Int])?.contains(Int(lab.sleeper)) == true)
        let innerPeer = (inner["interfaces"] as? [[String: Any]])?.first { $0["name"] as? String == "inner" }?["peer"]
        #expect(((innerPeer as? [String: Any])?["ns"] as? NSNumber)?.uint64Value == (try lab.id(lab.c)))
        // bubblewrap's namespace, found through its process, holds the end of c's bw0.
        let wrappedNet = try #require(linkedNamespace(lab.wrapped, "net"))
        #expect(wrappedNet != sleeperNet)
        let wrappedPeer = (byID[wrappedNet]?["interfaces"] as? [[String: Any]])?.first { $0["name"] as? String == "bwpeer" }
        #expect(((wrappedPeer?["peer"] as? [String: Any])?["ns"] as? NSNumber)?.uint64Value == (try lab.id(lab.c)))
        // The links: the a-b pair and the c-sleeper pair once each, and the bridge port.
        let links = try #require(try run.json()["links"] as? [[String: Any]])
        func has(_ kind: String, _ first: UInt64, _ second: UInt64) -> Bool {
            links.contains { link in
                let ends = (link["ends"] as? [[String: Any]] ?? []).compactMap { ($0["ns"] as? NSNumber)?.uint64Value }
                return link["kind"] as? String == kind && Set(ends) == Set([first, second])
            }
        }
        #expect(has("veth", try lab.id(lab.a), try lab.id(lab.b)))
        #expect(has("veth", try lab.id(lab.c), sleeperNet))
        #expect(has("bridge_port", try lab.id(lab.c), try lab.id(lab.c)))
        // The default route the test added in a.
        let routes = try #require(byID[try lab.id(lab.a)]?["routes"] as? [[String: Any]])
        #expect(routes.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "10.211.0.2" })
        // The text view names the same pair.
        let text = try runNslab(["net"])
        #expect(text.stdout.contains("netns \(lab.a)") && text.stdout.contains("va"), "\(text.stdout)")
        #expect(text.stdout.contains("peer net:[\(try lab.id(lab.b))] vb#"), "\(text.stdout)")
    }

    /// Guards against a namespace nobody cannot enter being printed as one without interfaces.
    @Test("as uid 65534: what cannot be read is unknown, never empty, and its own namespace is read")
    func unprivilegedUnknownIsNotEmpty() throws {
        let lab = try NetLab()
        defer { lab.remove() }
        let run = try Binary.runUnprivileged(["net", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let list = try #require(document["namespaces"] as? [[String: Any]])
        let own = try #require(list.first { $0["nslab"] as? Bool == true })
        #expect(own["error"] is NSNull)
        #expect((own["interfaces"] as? [[String: Any]])?.contains { $0["name"] as? String == "lo" } == true)
        let ids = Set([try lab.id(lab.a), try lab.id(lab.b), try lab.id(lab.c)])
        var seen = 0
        for namespace in list {
            let title = "\(namespace["title"] ?? "")"
            // Either read (no error, interfaces listed) or unknown (an error, interfaces and routes null).
            if namespace["error"] is NSNull {
                #expect(namespace["interfaces"] is [[String: Any]], "\(title)")
            } else {
                #expect(namespace["interfaces"] is NSNull, "\(title)")
                #expect(namespace["routes"] is NSNull, "\(title)")
                #expect((namespace["error"] as? String)?.isEmpty == false, "\(title)")
            }
            // The lab's namespaces belong to root: nobody may not enter them.
            if let id = (namespace["ns"] as? NSNumber)?.uint64Value, ids.contains(id) {
                seen += 1
                #expect(namespace["interfaces"] is NSNull, "\(title)")
                #expect((namespace["error"] as? String)?.hasPrefix("setns: ") == true, "\(title)")
            }
        }
        // A namespace nobody made in a user namespace of its own is nobody's to read: joined through that owner.
        let started = try Binary.runProgram(
            "/bin/sh",
            ["-c", "setsid -f setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn sleep 611 </dev/null >/dev/null 2>&1; sleep 0.3; pgrep -n -f '^sleep 611$'"])
        let nobodys = pid_t(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        try #require(nobodys > 0, "setpriv unshare -Urn: \(started.stderr)")
        defer { kill(nobodys, SIGKILL) }
        let nobodyNet = try #require(linkedNamespace(nobodys, "net"))
        let again = try Binary.runUnprivileged(["net", "--json"])
        let againList = try #require(
            (try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])?["namespaces"]
                as? [[String: Any]])
        let mine = try #require(againList.first { ($0["ns"] as? NSNumber)?.uint64Value == nobodyNet })
        #expect(mine["error"] is NSNull, "\(mine["error"] ?? "")")
        #expect((mine["interfaces"] as? [[String: Any]])?.map { $0["name"] as? String } == ["lo"])
        #expect((mine["pids"] as? [Int])?.contains(Int(nobodys)) == true)
        // The text view says so too.
        let text = try Binary.runUnprivileged(["net"])
        #expect(!text.stdout.isEmpty)
        #expect(seen == 3, "the three named namespaces are found through their bind mounts, and are unknown")
        #expect(text.stdout.contains("netns \(lab.a)  (no processes)\n  ? unknown (setns: "), "\(text.stdout)")
        // Veth ends in nobody's own namespace whose peer it cannot read have no peer namespace.
        for interface in own["interfaces"] as? [[String: Any]] ?? [] {
            if let peer = interface["peer"] as? [String: Any], peer["netnsid"] is NSNumber {
                #expect(peer["ns"] is NSNull)
            }
        }
    }
}
