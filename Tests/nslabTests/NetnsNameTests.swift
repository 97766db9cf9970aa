import Foundation
import Glibc
import NamespaceKit
import Testing

/// `ip netns` names beside net namespaces: `inspect` (JSON and text), `ps --json`, the `ps` tree and the dashboard's net fact
/// (`FactText.interfaces`), on a namespace `ip netns add` made and a sleeper `ip netns exec` put in it.
@Suite(.serialized) struct InspectCommandNetnsTests {
    @Test func namedNetNamespaceIsNamedEverywhere() throws {
        let name = "nslabtest\(getpid())"
        try #require(ipNetns(["add", name]) == 0, "ip netns add needs root")
        defer { _ = ipNetns(["delete", name]) }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sleeper.arguments = ["ip", "netns", "exec", name, "sleep", "600"]
        try sleeper.run()
        let pid = sleeper.processIdentifier
        defer {
            kill(pid, SIGKILL)
            sleeper.waitUntilExit()
        }
        // `ip netns exec` enters the namespace and then execs the command in the same process.
        let deadline = Date().addingTimeInterval(5)
        while (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) != "sleep\n", Date() < deadline {
            usleep(10_000)
        }
        try #require(linkedNamespace(pid, "net") != linkedNamespace(getpid(), "net"), "the sleeper is in the netns")

        let run = try runNslab(["inspect", String(pid), "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let kinds = try #require(try run.json()["kinds"] as? [[String: Any]])
        let net = try #require(kinds.first { $0["type"] as? String == "net" })
        #expect((net["left_facts"] as? [String: Any])?["netns_names"] as? [String] == [name])
        // The host's side (nslab itself) has no name.
        #expect((net["right_facts"] as? [String: Any])?["netns_names"] as? [String] == [])

        let text = try runNslab(["inspect", String(pid)])
        #expect(text.stdout.split(separator: "\n").contains { $0.contains("netns: \(name)") }, "\(text.stdout)")

        let listing = try runNslab(["ps", "--flat", "--json"])
        let processes = try #require(try listing.json()["processes"] as? [[String: Any]])
        #expect(processes.first { $0["pid"] as? Int == Int(pid) }?["netns_names"] as? [String] == [name])
        #expect(processes.first { $0["pid"] as? Int == Int(getpid()) }?["netns_names"] as? [String] == [])

        let tree = try runNslab(["ps"])
        let row = tree.stdout.split(separator: "\n").first { $0.hasPrefix(pad(String(pid), 7)) }
        #expect(row?.hasSuffix("sleep 600  [netns \(name)]") == true, "\(row ?? "no row for \(pid)")")
        let own = tree.stdout.split(separator: "\n").first { $0.hasPrefix(pad(String(getpid()), 7)) }
        #expect(own?.contains("[netns") == false)

        // The dashboard's net row text, from the facts the dashboard reads.
        let scanner = try ProcScanner()
        let snapshot = scanner.refresh(relations: false)
        let facts = scanner.readFacts(of: pid, in: snapshot, enteringNamespaces: false)
        let netFacts = try #require(facts.net.value)
        #expect(netFacts.netnsNames == [name])
        #expect(FactText.interfaces(netFacts).hasPrefix("netns \(name): lo "), "\(FactText.interfaces(netFacts))")
        #expect(NetnsNames.byNamespace()[try #require(linkedNamespace(pid, "net"))] == [name])
    }

    private func ipNetns(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns"] + arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The pid column of a `ps` tree row: right-aligned in 7 characters.
    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text + " "
    }
}
