import Foundation
import TestSupport
import Testing

/// `--theme` with hostile files, through the real binary: each is refused with one line, promptly, without a crash.
@Suite("theme input end to end")
struct ThemeInputEndToEndTests {
    /// Runs nslab with `--theme path` under a 10 s timeout (status 124 when it did not end by itself).
    func runWithTheme(_ path: String) throws -> RunResult {
        try Binary.runProgram("/usr/bin/timeout", ["10", Binary.path, "--theme", path])
    }

    /// Issue 12: `--theme /dev/zero` read without end (1.75 GB after 5 s) and a FIFO blocked for ever.
    @Test("--theme on a device or a FIFO is refused at once", arguments: ["/dev/zero", "fifo"])
    func notRegular(kind: String) throws {
        var path = kind
        if kind == "fifo" {
            path = "/tmp/nslab-e2e-theme-fifo-\(getpid()).toml"
            unlink(path)
            try #require(mkfifo(path, 0o600) == 0)
        }
        defer { if kind == "fifo" { unlink(path) } }
        let result = try runWithTheme(path)
        #expect(result.status != 124, "nslab was still reading \(path) after 10 s")
        #expect(result.status != 0)
        #expect(result.stderr.contains("not a regular file"), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    }

    /// Issue 12: a 70 KB theme of `[a.a.a…]` with 35,000 parts killed nslab with SIGSEGV; 100,000 nested arrays
    /// overflow toml++'s parser the same way. Each is one line naming the file, line and column.
    @Test(
        "a theme nested 35,000 or 100,000 levels deep is a theme error, not a crash",
        arguments: [
            "[" + Array(repeating: "a", count: 35_000).joined(separator: ".") + "]\n",
            "a = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n",
        ])
    func deepTheme(text: String) throws {
        let path = "/tmp/nslab-e2e-deep-theme-\(getpid()).toml"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        defer { unlink(path) }
        let result = try runWithTheme(path)
        // timeout(1) passes a signal death on as 128 + N, as the shell does.
        #expect(result.status != 0 && result.status < 124, "status \(result.status): \(result.stderr.prefix(300))")
        #expect(result.stderr.hasPrefix("nslab: theme file \(path): line 1, column "), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("nest more than 64 levels deep"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
}
