import Foundation
import Testing

@testable import NamespaceKit

/// The net fact's text with and without `ip netns` names, and `NetnsNames` skipping what is no namespace.
@Suite struct FactTextNetnsTests {
    @Test func namesComeBeforeTheInterfaces() {
        let lo = NetInterface(name: "lo", isUp: false, addresses: [])
        #expect(FactText.interfaces(NetFacts(interfaces: [lo])) == "lo down")
        let named = NetFacts(interfaces: [lo], netnsNames: ["blue", "red"])
        #expect(FactText.interfaces(named) == "netns blue, red: lo down")
        #expect(FactText.interfaces(NetFacts(interfaces: [], netnsNames: ["blue"])) == "netns blue: no interfaces")
        // inspect's text: the names are the first net line.
        var facts = ProcessFacts(processID: 1)
        facts.net = .known(named)
        #expect(facts.lines(.net).map { $0.label + ": " + $0.value } == ["netns: blue, red", "lo: down"])
        facts.net = .known(NetFacts(interfaces: [lo]))
        #expect(facts.lines(.net).map(\.label) == ["lo"])
    }

    /// An empty file (what `ip netns add` leaves when its mount is gone) and a missing directory give no names;
    /// a bind mount is what `InspectCommandNetnsTests` in nslabTests checks as root.
    @Test func plainFilesAreNoNamespaces() throws {
        let directory = NSTemporaryDirectory() + "nslab-netns-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(FileManager.default.createFile(atPath: directory + "/stale", contents: Data()))
        #expect(NetnsNames.byNamespace(directory: directory).isEmpty)
        #expect(NetnsNames.byNamespace(directory: directory + "/missing").isEmpty)
    }
}
