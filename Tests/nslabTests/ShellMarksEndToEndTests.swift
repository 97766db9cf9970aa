import Foundation
import TestSupport
import Testing

/// The real dashboard in tmux launches bash with nslab's prompt marks: they never show on the screen, the
/// wrapper start-up file is there while the shell runs, and it is gone once nslab quits.
@Suite("shell prompt marks end to end", .serialized)
struct ShellMarksEndToEndTests {
    @Test("bash in the pane gets the wrapper; no 133; ever reaches the screen; quitting removes the wrapper")
    func bashMarksNeverShow() throws {
        try requireRoot()
        // A home of its own: the machine's ~/.bashrc is not the test's business (and may be slow).
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("nslab-e2e-home-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "PS1='e2e\\$ '\n".write(to: home.appendingPathComponent(".bashrc"), atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(
            "\(Binary.path) --ns uts --launch --shell /bin/bash", environment: ["HOME": home.path, "TERM": "xterm"])
        var screen = try tmux.waitFor("e2e# ")
        let range = try #require(screen.range(of: #"Child (\d+) \["#, options: .regularExpression), "\(screen)")
        let pid = try #require(pid_t(screen[range].dropFirst(6).prefix { $0.isNumber }))
        let words = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8).split(separator: "\0")
        #expect(words.count == 3 && words[1] == "--rcfile", "\(words)")
        let rcfile = String(words.last ?? "")
        #expect(FileManager.default.fileExists(atPath: rcfile), "the wrapper \(rcfile) is missing")
        for line in ["echo hi-$((6*7)); false", "true", "printf 'x%.0s' $(seq 1 300); echo", "echo end-$((6*7))"] {
            try tmux.send(line, literal: true)
            try tmux.send("Enter")
            screen = try tmux.waitFor(line.hasPrefix("echo end") ? "end-42" : "e2e# ")
            #expect(!screen.contains("133;") && !screen.contains("33;A") && !screen.contains("33;D"), "\(screen)")
        }
        screen = try tmux.screen()
        #expect(screen.contains("hi-42"), "\(screen)")
        #expect(!screen.contains("133;"), "\(screen)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid), "the shell outlived the dashboard")
        // The file goes first, then its directory: wait for both (checking the directory the moment the file
        // was gone once caught the dashboard between the two).
        let directory = (rcfile as NSString).deletingLastPathComponent
        let deadline = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: directory), Date() < deadline { usleep(50_000) }
        #expect(!FileManager.default.fileExists(atPath: rcfile), "the wrapper outlived the dashboard")
        #expect(!FileManager.default.fileExists(atPath: directory), "the wrapper's directory outlived the dashboard")
    }

    @Test(
        "as uid 65534, the dashboard's child in a new user namespace reads the wrapper; nothing shows on screen",
        arguments: ["/bin/bash", "/bin/sh"])
    func unprivilegedDashboard(shell: String) throws {
        try requireRoot()  // setpriv needs root to switch to uid 65534
        let tmux = try TmuxSession(
            "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups \(Binary.publicCopy) --ns user,uts "
                + "--launch --shell \(shell)",
            environment: ["HOME": "/", "TERM": "xterm", "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"])
        var screen = try tmux.waitFor(#"Child \d+ \["#, regex: true)
        let range = try #require(screen.range(of: #"Child (\d+) \["#, options: .regularExpression), "\(screen)")
        let pid = try #require(pid_t(screen[range].dropFirst(6).prefix { $0.isNumber }))
        try tmux.send("echo $((6*7))-ok; false", literal: true)
        try tmux.send("Enter")
        screen = try tmux.waitFor("42-ok")
        #expect(!screen.contains("133;"), "\(screen)")
        // The marks' own variable is set at the first prompt: the wrapper ran.
        try tmux.send("echo \"[${__nslab_p+marked}${__nslab_prompted+marked}]\"", literal: true)
        try tmux.send("Enter")
        screen = try tmux.waitFor("[marked]")
        #expect(!screen.contains("133;"), "\(screen)")
        // The wrapper is nslab's, made by uid 65534, and the shell was pointed at it.
        let cmdline = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
        let environ = try String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8)
        let wrapper =
            shell == "/bin/bash"
            ? String(cmdline.split(separator: "\0").last ?? "")
            : String(environ.split(separator: "\0").first { $0.hasPrefix("ENV=") }?.dropFirst(4) ?? "")
        var info = stat()
        #expect(stat(wrapper, &info) == 0 && info.st_uid == 65534, "\(wrapper)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid), "the shell outlived the dashboard")
        let deadline = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: wrapper), Date() < deadline { usleep(50_000) }
        #expect(!FileManager.default.fileExists(atPath: wrapper), "the wrapper outlived the dashboard")
    }
}
