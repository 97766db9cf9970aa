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

    /// Guards against JSON giving kernel threads the text's brackets (`"command": "[kthreadd]"`, issue 13,
    /// point 10): JSON says `kthreadd` and `"kernel_thread": true`; a process with a command line is false.
    @Test func kernelThreadsAreMarkedNotBracketed() throws {
        let scanner = try Fixture.scanner("basic")
        let snapshot = scanner.refresh()
        var ps = JSONWriter()
        ps.writeProcesses(snapshot)
        let processes = try #require(try object(ps)["processes"] as? [[String: Any]])
        let flags = Dictionary(uniqueKeysWithValues: processes.map { ($0["pid"] as? Int ?? -1, $0["kernel_thread"] as? Bool) })
        #expect(flags[2] == true && flags[3] == true)
        #expect(flags[1] == false && flags[200] == false)

        var inspect = JSONWriter()
        inspect.writeComparison(try scanner.compare(2, with: 1, in: snapshot))
        let left = try #require(try object(inspect)["left"] as? [String: Any])
        #expect(left["command"] as? String == "kthreadd")
        #expect(left["kernel_thread"] as? Bool == true)
        // The text keeps the brackets, as ps prints them.
        #expect(snapshot.process(2)?.commandLine == "[kthreadd]")

        var ls = JSONWriter()
        ls.writeNamespaces(snapshot)
        let namespaces = try #require(try object(ls)["namespaces"] as? [[String: Any]])
        for namespace in namespaces {
            #expect((namespace["command"] as? String)?.hasPrefix("[") == false, "\(namespace)")
            #expect(namespace["kernel_thread"] is Bool)
        }
    }

    /// Guards issue 13, points 1 and 11: an unreadable id makes a difference unknown (null, never `[]`), and
    /// `differs_from_nslab` compares with the reference set (nslab's own), not with the parent.
    @Test func differencesAreNullWhenUnknown() throws {
        let snapshot = try Fixture.scanner("basic").refresh()
        var writer = JSONWriter()
        writer.writeProcesses(snapshot, reference: try #require(snapshot.process(1)).namespaces)
        let processes = try #require(try object(writer)["processes"] as? [[String: Any]])
        let child = try #require(processes.first { $0["pid"] as? Int == 200 })
        #expect(child["differs_from_nslab"] as? [String] == ["uts", "pid", "mnt", "net", "user", "cgroup", "time"])
        let locked = try #require(processes.first { $0["pid"] as? Int == 400 })
        #expect(locked["differs_from_parent"] is NSNull)
        #expect(locked["differs_from_nslab"] is NSNull)
        let initRow = try #require(processes.first { $0["pid"] as? Int == 1 })
        #expect(initRow["differs_from_nslab"] as? [String] == [])
        #expect(initRow["differs_from_parent"] as? [String] == [])
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
