import Foundation
import TestSupport
import Testing

/// The pid in the child pane's title, "Child 1234 [uts,pid]".
private func childPID(on screen: String) -> pid_t? {
    guard let range = screen.range(of: #"Child (\d+) \["#, options: .regularExpression) else { return nil }
    return pid_t(screen[range].dropFirst(6).prefix { $0.isNumber })
}

/// The real binary in tmux, driven by keys; every launch is checked through /proc from outside.
@Suite("dashboard end to end", .serialized)
struct DashboardEndToEndTests {
    @Test("--ns ... --launch starts a child in exactly those kinds, with the hostname")
    func launchAtStart() throws {
        try requireRoot()
        // /bin/sh, not the user's bash: an interactive bash runs the machine's .bashrc, which can
        // stall on locks a killed shell left behind.
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts,pid,mount --hostname e2ehost --shell /bin/sh --launch",
            environment: ["PS1": "child$ "])
        let screen = try tmux.waitFor("child$")
        let pid = try #require(childPID(on: screen), "\(screen)")
        #expect(Processes.differingKinds(pid) == ["uts", "pid", "mnt"])
        try tmux.send("echo $$-$(hostname)", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("1-e2ehost")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid), "the child outlived the dashboard")
    }

    @Test("digits tick kinds and F5 launches; Ctrl-] leaves the pane; q asks only while children run")
    func digitsAndF5() throws {
        try requireRoot()
        let tmux = try TmuxSession("\(Binary.path) --shell /bin/sh")
        try tmux.waitFor("Namespaces")
        try tmux.send("2", "5", "7")
        try tmux.waitFor("[x] 7")
        try tmux.send("F5")
        let screen = try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let pid = try #require(childPID(on: screen), "\(screen)")
        #expect(Processes.differingKinds(pid) == ["ipc", "net", "cgroup"])
        // In the pane, a digit is typed into the shell instead of ticking a kind.
        try tmux.send("exit 4", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("[exited: status 4]")
        #expect(Processes.endsSoon(pid))
        try tmux.send("C-]")
        try tmux.send("q")
        usleep(500_000)
        #expect(try tmux.paneDead(), "q with no running child quits at once")
    }

    @Test("a failed unprivileged launch shows the reason in the status bar, and the dashboard lives on")
    func failedLaunchKeepsDashboard() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "setpriv --reuid=65534 --regid=65534 --clear-groups \(Binary.publicCopy) --shell /bin/sh",
            environment: ["HOME": "/"])
        try tmux.waitFor("Namespaces")
        try tmux.send("1", "F5")
        let failed = try tmux.waitFor("CAP_SYS_ADMIN")
        #expect(failed.contains("tick User"), "\(failed)")
        // Ticking User as the message says makes the same launch work.
        try tmux.send("6", "F5")
        let screen = try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let pid = try #require(childPID(on: screen))
        #expect(Processes.differingKinds(pid) == ["uts", "user"])
        let uidMap = try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8)
        #expect(uidMap.split(whereSeparator: \.isWhitespace) == ["0", "65534", "1"])
    }

    @Test("resizing, down to 1x1 and back, never breaks the dashboard")
    func resizes() throws {
        let tmux = try TmuxSession(Binary.path, width: 120, height: 40)
        try tmux.waitFor("Namespaces")
        try tmux.resize(width: 40, height: 10)
        try tmux.waitFor("terminal too small")
        for (width, height) in [(1, 1), (2, 1), (1, 5), (59, 19), (70, 22)] {
            try tmux.resize(width: width, height: height)
            usleep(100_000)
            #expect(try !tmux.paneDead(), "died at \(width)x\(height)")
        }
        try tmux.resize(width: 120, height: 40)
        try tmux.waitFor("Processes")
    }

    @Test("q, SIGTERM and SIGSEGV all leave the terminal sane and no child behind", arguments: ["q", "TERM", "SEGV"])
    func terminalRestored(ending: String) throws {
        try requireRoot()
        let tmux = try TmuxSession("bash --norc --noprofile", environment: ["PS1": "prompt$ "])
        try tmux.waitFor("prompt$")
        // A unique interval tells this nslab apart from those of other tests.
        let marker = String(format: "1.%06d", Int.random(in: 1..<999_999))
        try tmux.send("\(Binary.path) --ns uts --launch --shell /bin/sh --interval \(marker)", literal: true)
        try tmux.send("Enter")
        let screen = try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let child = try #require(childPID(on: screen))
        #expect(try tmux.alternateScreen())
        if ending == "q" {
            try tmux.send("C-]")
            try tmux.send("q")
            try tmux.waitFor("y/n")
            try tmux.send("y")
        } else {
            let found = try Binary.runProgram("/usr/bin/pgrep", ["-f", "interval \(marker)"])
            let nslab = try #require(pid_t(found.stdout.split(separator: "\n").first ?? ""), "\(found)")
            kill(nslab, ending == "TERM" ? SIGTERM : SIGSEGV)
        }
        // The prompt at the start of a line: the dashboard's process list can show this very shell's
        // command line, which contains "prompt$" too.
        try tmux.waitFor(#"(?m)^prompt\$ "#, regex: true, timeout: 10)
        #expect(try !tmux.alternateScreen())
        try tmux.send(
            "clear; stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("icanon echo")
        #expect(Processes.endsSoon(child), "the child outlived nslab")
    }

    @Test("without a terminal, nslab says so in one line")
    func noTerminal() throws {
        let result = try Binary.run([])
        #expect(result.status != 0)
        #expect(
            result.stderr.hasPrefix("nslab: ") && result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("terminal"))
    }

    @Test(
        "bad dashboard options are refused before the terminal is touched",
        arguments: [
            (["--ns", "uts,bogus"], "'bogus' is not a namespace kind"),
            (["--hostname", "has space"], "contains a blank"),
            (["--uid-map", "0 0 0"], "count 0"),
            (["--interval", "0"], "--interval"),
            (["--theme", "no-such-theme"], "no-such-theme"),
            (["--shell", "/no/such/shell"], "--shell"),
        ])
    func badOptions(arguments: [String], fragment: String) throws {
        let result = try Binary.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(fragment), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    }
}
