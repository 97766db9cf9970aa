import Foundation
import Glibc
import NamespaceKit

@testable import Dashboard

/// The `lab` fixture /proc tree (see `Fixtures/make-lab.py` for its story): nslab is pid 2001, its child
/// bash pid 2002, a container's nginx pid 3100.
enum LabFixture {
    /// The tree's path in the test bundle.
    static var path: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("lab").path
    }
    /// nslab itself, the host side of every comparison.
    static let host: Int32 = 2001
    /// The launched child.
    static let child: Int32 = 2002

    /// A system over the fixture: the real scanner on the tree, `inside` for what only the namespaces know,
    /// and a stand-in launcher that "starts" pid 2002 (writing its keys into a pipe when `keys` is given).
    /// `root` is another copy of the tree, for a test that changes it between refreshes (LabCopy).
    static func system(keys: Int32? = nil, scansInBackground: Bool = false, root: String? = nil) throws
        -> DashboardSystem
    {
        let scanner = try ProcScanner(root: ProcRoot(root ?? path), inside: LabInside())
        return DashboardSystem(
            scanner: scanner, hostPID: host, launcher: StandInLauncher(pid: child, terminalFD: keys),
            shell: "/bin/bash",
            scrollback: 100, environment: ["PATH=/usr/bin:/bin"], scansInBackground: scansInBackground)
    }
}

/// What a reader inside the fixture's namespaces would see: the hostnames, SysV objects, interface flags
/// and cgroup roots that /proc alone cannot tell.
struct LabInside: InsideReader {
    func facts(of pid: Int32, root: ProcRoot, interfaceNames: [String]) -> InsideFacts {
        let inChild = pid == LabFixture.child || pid == 2010
        let hostname = inChild ? "lab" : pid == 3100 ? "web" : "vm"
        return InsideFacts(
            uts: .known(UTSFacts(hostname: hostname, domainname: "(none)")),
            ipc: .known(IPCFacts(messageQueues: inChild ? 0 : 1, semaphoreSets: 0, sharedMemorySegments: 0)),
            interfaceFlags: interfaceNames.map { _ in 1 },  // IFF_UP
            cgroupInside: .known(inChild || pid == 3100 ? "/" : "/user.slice"))
    }

    func maps(readInUserNamespaceOf pid: Int32, root: ProcRoot, subjects: [Int32]) -> [MapReading]? {
        // Inside `0 100000 65536`, the namespace's own map still names its parent's ids; the host's identity
        // map has no id there for uid 0, which the kernel prints as 4294967295.
        let own = [IDMapEntry(inside: 0, outside: 100_000, count: 65_536)]
        let host = [IDMapEntry(inside: 0, outside: UInt32.max, count: UInt32.max)]
        return subjects.map {
            $0 == LabFixture.host
                ? MapReading(uidLines: host, gidLines: host)
                : MapReading(uidLines: own, gidLines: own)
        }
    }
}

/// A launcher that starts nothing: it reports `pid` (a fixture process) as the child, with `terminalFD` (a
/// pipe's write end, or none) standing in for its pty.
struct StandInLauncher: ChildLauncher {
    let pid: Int32
    let terminalFD: Int32?

    func start(_ spec: LaunchSpec) throws -> StartedChild {
        StartedChild(pid: pid, terminalFD: terminalFD.map { FileDescriptor(rawValue: dup($0)) }, process: nil)
    }
}
