import Foundation
import Testing

@testable import NamespaceKit

@Suite struct JSONOutputTests {
    private func object(_ writer: JSONWriter) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
    }

    @Test func psDocumentOnFixture() throws {
        let snapshot = try Fixture.scanner("basic").refresh()
        var writer = JSONWriter()
        writer.writeProcesses(snapshot)
        let document = try object(writer)
        let processes = try #require(document["processes"] as? [[String: Any]])
        #expect(processes.count == 7)
        let child = try #require(processes.first { $0["pid"] as? Int == 200 })
        let ns = try #require(child["ns"] as? [String: Any])
        #expect(ns["uts"] as? UInt64 == 4_026_532_300)
        #expect(ns["mnt"] as? UInt64 == 4_026_532_302)
        #expect(child["nspid"] as? [Int] == [200, 1])
        #expect(child["differs_from_parent"] as? [String] == ["uts", "pid", "mnt", "net", "user", "cgroup", "time"])
        #expect(child["uid_map"] as? [[Int]] == [[0, 1000, 1]])
        #expect(child["setgroups"] as? String == "deny")
        let offsets = try #require(child["timens_offsets"] as? [String: Any])
        #expect(offsets["boottime"] as? Double == 86400.5)
        let locked = try #require(processes.first { $0["pid"] as? Int == 400 })
        #expect(locked["uid"] is NSNull)
        #expect((locked["ns"] as? [String: Any])?["net"] is NSNull)
        let odd = try #require(processes.first { $0["pid"] as? Int == 100 })
        #expect(odd["comm"] as? String == "my (odd) prog) x")
    }

    @Test func unavailableKindIsLeftOut() throws {
        var writer = JSONWriter()
        writer.writeProcesses(try Fixture.scanner("notime").refresh())
        let document = try object(writer)
        #expect(document["unavailable_kinds"] as? [String] == ["time"])
        let first = try #require((document["processes"] as? [[String: Any]])?.first)
        let ns = try #require(first["ns"] as? [String: Any])
        #expect(ns["time"] == nil)
        #expect(ns["uts"] != nil)
        #expect(first["timens_offsets"] == nil)
    }

    @Test func lsAndInspectDocuments() throws {
        let scanner = try Fixture.scanner("basic")
        let snapshot = scanner.refresh()
        var ls = JSONWriter()
        ls.writeNamespaces(snapshot)
        let namespaces = try #require(try object(ls)["namespaces"] as? [[String: Any]])
        let childUser = try #require(namespaces.first { $0["id"] as? UInt64 == 4_026_532_304 })
        #expect(childUser["type"] as? String == "user")
        #expect(childUser["nprocs"] as? Int == 2)
        #expect(childUser["pid"] as? Int == 200)

        var inspect = JSONWriter()
        inspect.writeComparison(try scanner.compare(200, with: 1, in: snapshot))
        let document = try object(inspect)
        #expect(document["differs"] as? [String] == ["uts", "pid", "mnt", "net", "user", "cgroup", "time"])
        let rows = try #require(document["kinds"] as? [[String: Any]])
        let net = try #require(rows.first { $0["type"] as? String == "net" })
        #expect(net["same"] as? Bool == false)
        let interfaces = (net["left_facts"] as? [String: Any])?["interfaces"] as? [[String: Any]]
        #expect(interfaces?.map { $0["name"] as? String } == ["lo"])
    }
}
