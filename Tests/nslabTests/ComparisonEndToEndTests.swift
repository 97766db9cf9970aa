import Foundation
import Testing

/// The pid in the child pane's title, "Child 1234 [uts]".
private func childPID(on screen: String) -> pid_t? {
    guard let range = screen.range(of: #"Child (\d+) \["#, options: .regularExpression) else { return nil }
    return pid_t(screen[range].dropFirst(6).prefix { $0.isNumber })
}

/// This machine's hostname, as the host-vs-child panel shows it on the host side.
private func hostName() -> String {
    var name = [CChar](repeating: 0, count: 256)
    gethostname(&name, name.count)
    return String(cString: name)
}

/// The host-vs-child panel in the real binary, driven through tmux.
@Suite("host vs child end to end", .serialized)
struct ComparisonEndToEndTests {
    @Test("a hostname set in the child shows within 2 s next to the host's, with the child's host pid")
    func hostnameShowsLive() throws {
        try requireRoot()
        // A plain sh: no rc files whose start-up time the 2 s would include.
        let tmux = try TmuxSession("\(Binary.path) --ns uts --hostname before --shell /bin/sh --launch")
        let started = try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let pid = try #require(childPID(on: started), "\(started)")
        try tmux.waitFor("# ")
        try tmux.send("hostname $(echo new)name", literal: true)
        try tmux.send("Enter")
        let host = NSRegularExpression.escapedPattern(for: hostName())
        let screen = try tmux.waitFor(#"uts +\[…?\d+\] "# + host + #" +≠ \[…?\d+\] newname"#, regex: true, timeout: 2)
        #expect(screen.contains("Host vs child: pid \(pid) "), "\(screen)")
        #expect(screen.range(of: #"pid +\[…?\d+\] pid \#(pid) +="#, options: .regularExpression) != nil, "\(screen)")
        // The explanation opens on Enter once the panel has the keyboard (Ctrl-], then Tab to it: Processes,
        // Host vs child, in screen order).
        try tmux.send("C-]")
        try tmux.send("Tab", "Tab", "Enter")
        try tmux.waitFor("UTS isolates hostname and domainname")
        // After the child exits, its last values stay, with the exit status (Tab past the maps to the pane).
        try tmux.send("Tab", "Tab")
        try tmux.send("exit 3", literal: true)
        try tmux.send("Enter")
        let ended = try tmux.waitFor("(sh) [exited: status 3]")
        #expect(ended.contains("newname"), "\(ended)")
        try tmux.send("C-]")
        try tmux.send("q")
    }

    /// Guards against pane-only frames swallowing the recompute that keys to the child schedule: with a
    /// 30 s refresh, only that recompute can show the new hostname in time.
    @Test("a change in the child shows shortly after the keys, not at the next refresh")
    func recomputeAfterKeys() throws {
        try requireRoot()
        let tmux = try TmuxSession("\(Binary.path) --ns uts --hostname before --shell /bin/sh --interval 30 --launch")
        try tmux.waitFor(#"Child \d+ \["#, regex: true)
        try tmux.waitFor("# ")
        // The panel shows the first values once the child is up; wait for them before changing anything.
        try tmux.waitFor("before")
        try tmux.send("hostname quick", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(#"uts +\[…?\d+\] .* +≠ \[…?\d+\] quick"#, regex: true, timeout: 2)
        try tmux.send("C-]")
        try tmux.send("q")
    }

    @Test("the map viewer shows the child's maps from the host and from inside its user namespace")
    func mapsFromBothReaders() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns user --uid-map '0 100000 65536' --gid-map '0 100000 65536' --shell /bin/sh --launch",
            width: 160, height: 45)
        try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let screen = try tmux.waitFor("read by the child itself")
        #expect(screen.contains("read from the host") && screen.contains("the host's maps"), "\(screen)")
        #expect(screen.contains("uids 0-65535 inside are uids 100000-165535 outside"), "\(screen)")
        let userRow = #"user +\[…?\d+\] 0 0 4294967295 +≠ \[…?\d+\] 0 100000 65536"#
        #expect(screen.range(of: userRow, options: .regularExpression) != nil, "\(screen)")
        try tmux.send("C-]")
        try tmux.send("q")
    }

    @Test("unprivileged, with User ticked: the child's maps from the host and as the child reads them")
    func unprivilegedMaps() throws {
        try requireRoot()  // to become user 65534 through setpriv
        // Started through a symlink of another name: the process is then not `nslab` by comm, so tests
        // that look for their own unprivileged `nslab ps` never pick this dashboard (or its helpers).
        let link = URL(fileURLWithPath: Binary.publicCopy).deletingLastPathComponent()
            .appendingPathComponent("nslab-cmp-e2e").path
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Binary.publicCopy)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let tmux = try TmuxSession(
            "setpriv --reuid=65534 --regid=65534 --clear-groups \(link) "
                + "--ns uts,user --shell /bin/sh --launch",
            width: 160, height: 45, environment: ["HOME": "/"])
        try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let screen = try tmux.waitFor("read by the child itself")
        // Both readers see root inside as the caller (65534) outside: a map names its parent's ids.
        let readings = screen.components(separatedBy: "uid 0 inside is uid 65534 outside").count - 1
        #expect(readings == 2, "\(screen)")
        #expect(screen.contains("the host's maps"), "\(screen)")
        let userRow = #"user +\[…?\d+\] 0 0 4294967295 +≠ \[…?\d+\] 0 65534 1"#
        #expect(screen.range(of: userRow, options: .regularExpression) != nil, "\(screen)")
        try tmux.send("C-]")
        try tmux.send("q")
    }
}
