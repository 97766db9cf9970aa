import Foundation
import TestSupport
import Testing

/// The pid of the tab whose title says `title`, from the pane's "Child 1234 [title]".
private func tabPID(titled title: String, on screen: String) -> pid_t? {
    let pattern = #"Child (\d+) \["# + NSRegularExpression.escapedPattern(for: title)
    guard let range = screen.range(of: pattern, options: .regularExpression) else { return nil }
    return pid_t(screen[range].dropFirst(6).prefix { $0.isNumber })
}

/// The NSpid line of /proc/PID/status: the pid at every PID namespace level, outermost first.
private func pidLevels(_ pid: pid_t) -> [String] {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") } ?? ""
    return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().map(String.init)
}

/// `e` in the tree and Shift-F5 in a child's tab, in the real binary under tmux, checked through /proc.
@Suite("dashboard: entering and nesting, end to end", .serialized)
struct NestedDashboardEndToEndTests {
    @Test("/ finds a process util-linux made, e opens a shell in all its namespaces, compared with it")
    func enterFromTree() throws {
        try requireRoot()
        // The sleep's argument is this test's own: other tests' sleeps (or pids that contain the number) must not
        // match. In tree order unshare comes first, then sh (PID 1 inside), then the sleep.
        let marker = "600.\(getpid())"
        let target = try ForeignTarget(seconds: marker)
        let tmux = try TmuxSession("\(Binary.path) --shell /bin/sh", environment: ["PS1": "entered$ "])
        try tmux.waitFor("Namespaces", timeout: 15)
        try tmux.send("Tab")  // the process tree
        try tmux.send("/")
        try tmux.send("sleep " + marker, literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("/sleep \(marker)", timeout: 15)
        try tmux.send("n", "n")  // unshare, sh, the sleep
        try tmux.send("e")
        let screen = try tmux.waitFor("entered$", timeout: 15)
        let shell = try #require(tabPID(titled: "entered \(target.pid) (sleep)", on: screen), "\(screen)")
        try tmux.send("echo \"h=$(hostname)\"", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("h=inner", timeout: 15)
        for kind in Processes.kindNames {
            let theirs = Processes.namespaceLink(target.pid, kind)
            #expect(theirs != nil && Processes.namespaceLink(shell, kind) == theirs, "\(kind)")
        }
        // The comparison is against the target, where every kind is the same.
        let compared = try tmux.waitFor("pid \(target.pid) (sleep) vs child", timeout: 15)
        #expect(!compared.contains("≠"), "\(compared)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n", timeout: 15)
        try tmux.send("y")
        #expect(Processes.endsSoon(shell), "the entered shell outlived the dashboard")
    }

    @Test("Shift-F5 in a PID child's tab nests a new PID namespace: $$ is 1, the tree shows three levels")
    func nestWithShiftF5() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns pid,mount --shell /bin/sh --launch", environment: ["PS1": "nest$ "])
        let first = try tmux.waitFor("nest$", timeout: 15)
        let outer = try #require(tabPID(titled: "pid,mount", on: first), "\(first)")
        try tmux.send("S-F5")
        let screen = try tmux.waitFor("inside \(outer)", timeout: 15)
        let inner = try #require(tabPID(titled: "inside \(outer)", on: screen), "\(screen)")
        try tmux.waitFor("nest$", timeout: 15)
        try tmux.send("echo pid-$$", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("pid-1", timeout: 15)
        let levels = pidLevels(inner)
        #expect(levels.count == 3 && levels.last == "1", "\(levels)")
        // The new PID namespace's parent is the first child's: the inner shell's level 2 is a pid there.
        #expect(pidLevels(outer).count == 2)
        // The comparison's title names its columns in order, the inner shell by its pid in the outer's namespace.
        let seenByOuter = levels.dropFirst().first ?? "?"
        let title = try tmux.waitFor("pid \(outer) (sh) vs child: pid \(seenByOuter) (sh)", timeout: 15)
        #expect(!title.contains("vs child: pid \(inner)"), "\(title)")
        // Back in the dashboard, find the inner shell in the tree (a busy machine has rows enough to hide it).
        // The search runs on the tree as last scanned, which may not hold the inner shell yet: search again each
        // second until it shows.
        try tmux.send("C-]")
        try tmux.send("Tab")
        let wanted = levels.dropFirst().joined(separator: "/")
        var found: String?
        for _ in 0..<15 where found == nil {
            try tmux.send("/")
            try tmux.send(String(inner), literal: true)
            try tmux.send("Enter")
            found = try? tmux.waitFor(wanted, timeout: 1)
            if found == nil { try tmux.send("Escape") }
        }
        let tree = try #require(found, "the tree never showed \(wanted)")
        #expect(tree.contains("\(inner)"), "\(tree)")
        try tmux.send("q")
        try tmux.waitFor("y/n", timeout: 15)
        try tmux.send("y")
        #expect(Processes.endsSoon(inner) && Processes.endsSoon(outer), "a child outlived the dashboard")
    }
}
