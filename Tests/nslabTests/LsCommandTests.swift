import Foundation
import Glibc
import NamespaceKit
import Testing

@Suite(.serialized) struct LsCommandTests {
    @Test func jsonAgreesWithReadlink() throws {
        try withSleeper([.uts, .ipc, .user]) { child in
            let run = try runNslab(["ls", "--json"])
            #expect(run.status == 0)
            let namespaces = try #require(try run.json()["namespaces"] as? [[String: Any]])
            for name in namespaceNames {
                let id = try #require(linkedNamespace(child.pid, name))
                let entry = try #require(
                    namespaces.first { $0["type"] as? String == name && $0["id"] as? UInt64 == id },
                    "\(name) namespace \(id) missing")
                #expect((entry["members"] as? [Int32])?.contains(child.pid) == true)
                #expect((entry["nprocs"] as? Int) == (entry["members"] as? [Int32])?.count)
            }
            let userID = try #require(linkedNamespace(child.pid, "user"))
            let user = try #require(namespaces.first { $0["id"] as? UInt64 == userID })
            #expect(user["pid"] as? Int32 == child.pid)
            #expect(user["nprocs"] as? Int == 1)
            #expect(user["parent"] as? UInt64 == linkedNamespace(getpid(), "user"))
            #expect(user["owner_uid"] as? Int == 0)
            #expect(user["uid_map"] as? [[Int]] == [[0, 0, 1]])
            let uts = try #require(namespaces.first { $0["id"] as? UInt64 == linkedNamespace(child.pid, "uts") })
            // Created together with the user namespace, so owned by it.
            #expect(uts["owner_user_ns"] as? UInt64 == userID)
        }
    }

    @Test func tableAndTree() throws {
        try withSleeper([.uts, .user]) { child in
            let utsID = try #require(linkedNamespace(child.pid, "uts"))
            let userID = try #require(linkedNamespace(child.pid, "user"))
            let table = try runNslab(["ls"])
            #expect(table.status == 0)
            let row = try #require(table.stdout.split(separator: "\n").first { $0.contains(" \(utsID) uts") })
            #expect(row.contains(String(child.pid)))
            let tree = try runNslab(["ls", "--tree"])
            let lines = tree.stdout.split(separator: "\n").map(String.init)
            let userLine = try #require(lines.firstIndex { $0.contains("user:[\(userID)]") })
            let utsLine = try #require(lines.firstIndex { $0.contains("uts:[\(utsID)]") })
            #expect(utsLine > userLine)
            // The child's user namespace hangs below the host's.
            #expect(lines[userLine].hasPrefix("├─ ") || lines[userLine].hasPrefix("└─ "))
        }
    }

    @Test func helpDescribesEveryOption() throws {
        let help = try runNslab(["ls", "--help"])
        #expect(help.stdout.contains("--tree"))
        #expect(help.stdout.contains("--json"))
    }
}
