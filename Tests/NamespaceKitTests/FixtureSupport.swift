import Foundation
@testable import NamespaceKit

/// Fixture /proc trees shipped as test resources.
enum Fixture {
    /// Path of a fixture tree by name (`basic`, `notime`).
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
    }

    /// A scanner over a fixture tree.
    static func scanner(_ name: String) throws -> ProcScanner {
        try ProcScanner(root: ProcRoot(path(name)))
    }

    /// A writable copy of a fixture tree (symlinks kept), removed by the caller.
    static func copy(_ name: String) throws -> String {
        let target = NSTemporaryDirectory() + "nslab-fixture-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: path(name), toPath: target)
        return target
    }

    /// The host ids every fixture process has unless it says otherwise.
    static let host: [NamespaceKind: UInt64] = [
        .uts: 4026531838, .ipc: 4026531839, .pid: 4026531836, .mount: 4026531832,
        .net: 4026531833, .user: 4026531837, .cgroup: 4026531835, .time: 4026531834,
    ]
}
