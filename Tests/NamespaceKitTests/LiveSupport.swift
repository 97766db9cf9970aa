import Glibc
import Testing

@testable import NamespaceKit

/// Launches `sleep` in the namespaces of `spec`, waits until it runs, hands it to `body`, then kills it.
func withLiveChild(
    _ configure: (inout LaunchSpec) -> Void = { _ in }, kinds: Set<NamespaceKind>,
    _ body: (Child, ProcScanner) throws -> Void
) throws {
    try withLiveChildren(1, configure, kinds: kinds) { children, scanner in try body(children[0], scanner) }
}

/// Launches `count` children running `sleep`, each in namespaces of its own as `spec` says, waits until each
/// runs, hands them to `body`, then kills every one (also those `body` already ended, which is harmless).
func withLiveChildren(
    _ count: Int, _ configure: (inout LaunchSpec) -> Void = { _ in }, kinds: Set<NamespaceKind>,
    _ body: ([Child], ProcScanner) throws -> Void
) throws {
    try #require(getuid() == 0, "live namespace tests need root")
    var spec = LaunchSpec(kinds: kinds, command: ["sleep", "100"])
    configure(&spec)
    var children: [Child] = []
    defer {
        for child in children {
            child.kill()
            _ = child.wait()
        }
    }
    for _ in 0..<count { children.append(try Launcher.launch(spec)) }
    let scanner = try ProcScanner()
    // The launcher returns once the command is exec'd; allow a moment for a time-namespace keeper.
    for child in children {
        var running = false
        for _ in 0..<200 {
            if scanner.readProcess(child.pid)?.comm == "sleep" {
                running = true
                break
            }
            usleep(10_000)
        }
        try #require(running, "the launched child \(child.pid) never ran sleep")
    }
    try body(children, scanner)
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
