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
        .uts: 4_026_531_838, .ipc: 4_026_531_839, .pid: 4_026_531_836, .mount: 4_026_531_832,
        .net: 4_026_531_833, .user: 4_026_531_837, .cgroup: 4_026_531_835, .time: 4_026_531_834,
    ]
}
