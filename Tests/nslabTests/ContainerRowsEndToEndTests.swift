import Foundation
import Glibc
import Testing

/// Issue 25: with a Podman process selected at 160x45 the net row wrapped to two lines and the cgroup path to
/// three, so the time row never showed. A runc container whose cgroup path is shaped like Podman's
/// (`/PARENT/libpod-<64 hex>`), selected in the real dashboard: all eight rows show, no marker, the path shortened
/// in the row and whole in its explanation.
@Suite("container rows end to end", .serialized)
struct ContainerRowsEndToEndTests {
    /// The cgroup parent the container is put under; removed with the container.
    static let parent = "nslabtest_parent_\(getpid())"

    /// The Host vs child rows on a 160-column screen: the text right of the 72-cell left column.
    static func comparisonRows(_ screen: String) -> [String: String] {
        AsciiTerminalEndToEndTests.comparisonRows(screen, leftColumn: 72)
    }

    @Test("at 160x45 a container with a Podman-long cgroup path shows all eight rows; Enter shows the whole path")
    func allRowsOfAContainer() throws {
        try requireRoot()
        let hex = (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 1 << 60...UInt64.max)) }.joined()
        let cgroupPath = "/\(Self.parent)/libpod-\(hex)"
        let id = "nslabrows\(getpid())"
        let bundle = NSTemporaryDirectory() + "nslab-rows-\(UUID().uuidString.prefix(8))"
        defer {
            _ = try? Binary.runProgram("/usr/sbin/runc", ["delete", "-f", id])
            try? FileManager.default.removeItem(atPath: bundle)
            // runc leaves the parent cgroup it made: remove it from every hierarchy (v1) or the one tree (v2).
            let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
            for hierarchy in hierarchies + [""] { rmdir("/sys/fs/cgroup/\(hierarchy)/\(Self.parent)") }
        }
        let pid = try RuncContainer.start(id: id, bundle: bundle, arguments: ["sleep", "31337"], cgroupPath: cgroupPath)
        let cgroup = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
        try #require(cgroup.contains("libpod-\(hex)"), "the container is in the long cgroup: \(cgroup)")

        let tmux = try TmuxSession("\(Binary.path) --interval 3600", width: 160, height: 45)
        try tmux.waitFor("Processes (")
        try tmux.send("Tab", "/")
        try tmux.send("sleep 31337", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("Host vs child: pid \(pid) (sleep)")
        let screen = try AsciiTerminalEndToEndTests.waitForScreen(tmux, "the container's eight rows") {
            $0.contains("Host vs child: pid \(pid) (sleep)") && Self.comparisonRows($0).count == 8
        }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The cgroup row: its two lines, the path shortened in the middle of the container id.
        let cgroupLine = try #require(lines.firstIndex { $0.dropFirst(73).hasPrefix("cgroup ") }, "\(screen)")
        let cgroupRow = String(lines[cgroupLine].dropFirst(73)) + String(lines[cgroupLine + 1].dropFirst(73))
        #expect(cgroupRow.contains("/\(Self.parent)/libpod") && cgroupRow.contains("…"), "\(cgroupRow)")
        #expect(!cgroupRow.contains(hex), "shortened: \(cgroupRow)")
        // The panel's bottom border: no position marker, since nothing is hidden.
        let title = try #require(lines.firstIndex { $0.contains("Host vs child:") }, "\(screen)")
        let bottom = try #require(
            lines.indices.first { $0 > title && lines[$0].dropFirst(72).hasPrefix("└") }, "\(screen)")
        #expect(!lines[bottom].contains(" of "), "\(lines[bottom])")
        // Enter on the cgroup row (Tab from the tree to the panel, End, Up): the whole path first.
        try tmux.send("Tab", "End", "Up", "Enter")
        let open = try tmux.waitFor("Cgroup isolates")
        let explanation = open.split(separator: "\n").map {
            String($0.dropFirst(73).prefix(86)).trimmingCharacters(in: .whitespaces)
        }
        #expect(explanation.joined().contains(hex), "the whole id in the explanation:\n\(open)")
        try tmux.send("q")
    }
}
