import Foundation
import TestSupport
import Testing

/// The two sides of a split on a captured screen: each side's inside (its text rows, and its size), found from
/// the title row that holds "HOST shell" and the two boxes that start on it.
struct SplitScreen {
    var left: [String]
    var right: [String]
    var leftSize: (rows: Int, columns: Int)
    var rightSize: (rows: Int, columns: Int)
    var hostPID: Int32?

    init?(_ screen: String) {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let top = lines.firstIndex(where: { String($0).contains("HOST shell") }) else { return nil }
        let row = lines[top]
        let corners = row.indices.filter { row[$0] == "┌" }
        let ends = row.indices.filter { row[$0] == "┐" }
        guard corners.count == 2, ends.count == 2,
            let bottom = lines[(top + 1)...].firstIndex(where: { $0.count > corners[0] && $0[corners[0]] == "└" })
        else { return nil }
        let inside = lines[(top + 1)..<bottom]
        func cut(_ from: Int, _ to: Int) -> [String] {
            inside.map { line in String(line[min(from, line.count)..<min(to, line.count)]) }
        }
        left = cut(corners[0] + 1, ends[0])
        right = cut(corners[1] + 1, ends[1])
        leftSize = (bottom - top - 1, ends[0] - corners[0] - 1)
        rightSize = (bottom - top - 1, ends[1] - corners[1] - 1)
        let title = String(row)
        hostPID = title.range(of: #"HOST shell \d+"#, options: .regularExpression).flatMap {
            Int32(title[$0].dropFirst("HOST shell ".count))
        }
    }

    /// True when a row of `side` matches `pattern` (a regular expression).
    static func has(_ side: [String], _ pattern: String) -> Bool {
        side.contains { $0.range(of: pattern, options: .regularExpression) != nil }
    }
}

/// F7 and broadcast typing in the real binary, in tmux: the host shell and a child side by side.
@Suite("split panes end to end", .serialized)
struct SplitEndToEndTests {
    /// nslab with a child in new UTS and IPC namespaces named `e2esplit`, then F7 and F10.
    func start(width: Int = 120, height: Int = 40) throws -> (TmuxSession, SplitScreen) {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts,ipc --hostname e2esplit --launch --shell /bin/sh", width: width, height: height,
            environment: ["TERM": "tmux-256color", "PS1": "$ "])
        try tmux.waitFor(#"Child \d+ \[uts,ipc\]"#, regex: true)
        try tmux.send("F7")
        try tmux.waitFor("HOST shell")
        try tmux.send("F10")
        let screen = try tmux.waitFor("BROADCAST")
        return (tmux, try #require(SplitScreen(screen), "\(screen)"))
    }

    /// Waits until both sides match `pattern`; returns the split then.
    func waitBoth(_ tmux: TmuxSession, _ pattern: String) throws -> SplitScreen {
        let deadline = Date().addingTimeInterval(5)
        var last = ""
        while Date() < deadline {
            last = try tmux.screen()
            if let split = SplitScreen(last), SplitScreen.has(split.left, pattern),
                SplitScreen.has(split.right, pattern)
            {
                return split
            }
            usleep(50_000)
        }
        throw TmuxError(message: "timed out waiting for '\(pattern)' on both sides; screen:\n\(last)")
    }

    @Test("broadcast `hostname`: the host's name on the left, the child's on the right; ipcs -q only on the left")
    func hostnameAndQueues() throws {
        let made = try Binary.runProgram("/usr/bin/ipcmk", ["-Q"])
        let words = made.stdout.split(whereSeparator: \.isWhitespace)
        let id = try #require(words.last.flatMap { Int($0) }, "ipcmk: \(made.stdout) \(made.stderr)")
        defer { _ = try? Binary.runProgram("/usr/bin/ipcrm", ["-q", "\(id)"]) }
        let (tmux, _) = try start()
        try tmux.send("hostname; echo done-$((20+1))", literal: true)
        try tmux.send("Enter")
        var split = try waitBoth(tmux, "done-21")
        let hostName = try String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            SplitScreen.has(split.left, "^\(NSRegularExpression.escapedPattern(for: hostName)) *$"), "\(split.left)")
        #expect(SplitScreen.has(split.right, "^e2esplit *$"), "\(split.right)")
        #expect(!SplitScreen.has(split.left, "e2esplit"), "the host shell got the child's hostname")
        try tmux.send("ipcs -q; echo ipc-$((30+1))", literal: true)
        try tmux.send("Enter")
        split = try waitBoth(tmux, "ipc-31")
        let queue = #"^0x[0-9a-f]+ +\#(id) "#
        #expect(SplitScreen.has(split.left, queue), "the host's queue on the left: \(split.left)")
        #expect(!SplitScreen.has(split.right, queue), "the child's IPC namespace has no queue: \(split.right)")
        // Quitting kills and reaps the host shell as well as the child.
        let hostPID = try #require(split.hostPID)
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(hostPID), "the host shell outlived the dashboard")
    }

    @Test("stty size in each side matches its box after the split and after tmux resize-window")
    func sizes() throws {
        let (tmux, _) = try start()
        var seen: Set<String> = []
        for (round, (width, height)) in [(120, 40), (150, 46), (130, 36)].enumerated() {
            try tmux.resize(width: width, height: height)
            usleep(300_000)
            try tmux.send("clear; echo size\(round)-$(stty size | tr ' ' x)-end", literal: true)
            try tmux.send("Enter")
            let split = try waitBoth(tmux, #"^size\#(round)-\d+x\d+-end"#)
            for (side, size) in [(split.left, split.leftSize), (split.right, split.rightSize)] {
                #expect(size.columns >= 40, "each side at least 40 columns")
                #expect(
                    SplitScreen.has(side, #"^size\#(round)-\#(size.rows)x\#(size.columns)-end"#),
                    "\(width)x\(height): \(side) should say \(size)")
            }
            seen.insert("\(split.leftSize)")
        }
        #expect(seen.count == 3, "the sides' sizes followed the window")
        try tmux.resize(width: 110, height: 34)
        try tmux.waitFor("split needs 120x35: showing tabs")
    }
}
