import Foundation
import Testing

@testable import NamespaceKit

@Suite struct SnapshotRefreshTests {
    private func replaceStat(_ root: String, pid: Int32, comm: String, ppid: Int32, start: UInt64) throws {
        let line = "\(pid) (\(comm)) S \(ppid) \(pid) \(pid) 0 -1 4194560 1 0 0 0 1 2 0 0 20 0 1 0 \(start) 1000 10\n"
        try line.write(toFile: "\(root)/\(pid)/stat", atomically: false, encoding: .utf8)
    }

    @Test func diffReportsAddedRemovedAndReusedPids() throws {
        let root = try Fixture.copy("basic")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scanner = try ProcScanner(root: ProcRoot(root))
        let before = scanner.refresh()
        #expect(before.difference(from: before).isEmpty)

        try FileManager.default.removeItem(atPath: "\(root)/300")
        try FileManager.default.copyItem(atPath: "\(root)/100", toPath: "\(root)/600")
        try replaceStat(root, pid: 600, comm: "new", ppid: 1, start: 900)
        // pid 3 reused by a new process (new start time).
        try replaceStat(root, pid: 3, comm: "rcu_gp", ppid: 2, start: 950)
        let after = scanner.refresh()
        let diff = after.difference(from: before)
        #expect(diff.added == [3, 600])
        #expect(diff.removed == [3, 300])
        #expect(diff.removedNamespaces == [NamespaceKey(kind: .pid, id: 4_026_532_310)])
        #expect(diff.changedNamespaces.contains(NamespaceKey(kind: .uts, id: 4_026_532_300)))
    }

    /// The dashboard's cost bar depends on this: a known process only gets `stat` re-read.
    @Test func knownProcessesKeepDetailsUntilExecOrWatch() throws {
        let root = try Fixture.copy("basic")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scanner = try ProcScanner(root: ProcRoot(root))
        _ = scanner.refresh()
        let status = "\(root)/100/status"
        let text = try String(contentsOfFile: status, encoding: .utf8)
        let rooted = text.split(separator: "\n").map { $0.hasPrefix("Uid:") ? "Uid:\t0\t0\t0\t0" : String($0) }
        try (rooted.joined(separator: "\n") + "\n").write(toFile: status, atomically: false, encoding: .utf8)

        #expect(scanner.refresh().process(100)?.uid.value?.real == 1000)  // cached: only stat was read

        scanner.watchedPids = [100]
        #expect(scanner.refresh().process(100)?.uid.value?.real == 0)

        scanner.watchedPids = []
        try text.write(toFile: status, atomically: false, encoding: .utf8)
        try replaceStat(root, pid: 100, comm: "exec'd", ppid: 1, start: 500)  // same start time, new comm
        let after = scanner.refresh()
        #expect(after.process(100)?.uid.value?.real == 1000)
        #expect(after.process(100)?.comm == "exec'd")
    }

    @Test func stateAndParentFollowStat() throws {
        let root = try Fixture.copy("basic")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scanner = try ProcScanner(root: ProcRoot(root))
        _ = scanner.refresh()
        try replaceStat(root, pid: 300, comm: "sleep", ppid: 1, start: 700)  // reparented
        #expect(scanner.refresh().process(300)?.ppid == 1)
    }
}
