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
}
