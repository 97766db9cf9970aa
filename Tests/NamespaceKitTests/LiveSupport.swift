import Glibc
import Testing

@testable import NamespaceKit

/// Launches `sleep` in the namespaces of `spec`, waits until it runs, hands it to `body`, then kills it.
func withLiveChild(
    _ configure: (inout LaunchSpec) -> Void = { _ in }, kinds: Set<NamespaceKind>,
    _ body: (Child, ProcScanner) throws -> Void
) throws {
    try #require(getuid() == 0, "live namespace tests need root")
    var spec = LaunchSpec(kinds: kinds, command: ["sleep", "100"])
    configure(&spec)
    let child = try Launcher.launch(spec)
    defer {
        child.kill()
        _ = child.wait()
    }
    let scanner = try ProcScanner()
    // The launcher returns once the command is exec'd; allow a moment for a time-namespace keeper.
    var running = false
    for _ in 0..<200 {
        if scanner.readProcess(child.pid)?.comm == "sleep" {
            running = true
            break
        }
        usleep(10_000)
    }
    try #require(running, "the launched child never ran sleep")
    try body(child, scanner)
}

/// What `readlink /proc/<pid>/ns/<kind>` says, as an inode number (independent of the model's reader).
func readlinkNamespace(_ pid: Int32, _ kind: NamespaceKind) -> UInt64? {
    var buffer = [CChar](repeating: 0, count: 128)
    let count = readlink("/proc/\(pid)/ns/\(kind.procName)", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    let text = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]") else { return nil }
    return UInt64(text[text.index(after: open)..<close])
}
