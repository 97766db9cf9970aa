import Foundation
import Testing

@testable import Dashboard

/// Theme files that are not regular files or are too large: each is refused before it is read.
@Suite("Theme file reads")
struct ThemeFileReadTests {
    /// A loader whose search path is empty, for file paths.
    let loader = ThemeLoader(environment: [:], executableDirectory: nil)

    func loadError(_ path: String) -> String {
        do {
            _ = try loader.loadFile(path)
            return ""
        } catch {
            return error.message
        }
    }

    /// Issue 13 (item 12): what the user gave is quoted with control characters escaped, so a theme name carrying
    /// an escape sequence cannot write it to the user's terminal; a key from the file likewise.
    @Test("a theme name or key with control characters is shown escaped, never raw")
    func controlsEscaped() throws {
        var nameMessage = ""
        do { _ = try loader.load("\u{1b}[31mred") } catch { nameMessage = error.message }
        #expect(nameMessage.contains("'\\x1b[31mred'") && !nameMessage.contains("\u{1b}"), "\(nameMessage)")
        var keyMessage = ""
        do { _ = try ThemeParser.parse("\"a\\nb\" = 1\n", file: "t.toml") } catch { keyMessage = error.message }
        #expect(keyMessage.contains("'a\\nb'") && !keyMessage.contains("\n"), "\(keyMessage)")
    }

    /// Issue 12: `--theme /dev/zero` read without end (1.75 GB after 5 s). Only regular files are read.
    @Test("character devices and directories are refused without reading them")
    func notRegular() {
        for path in ["/dev/zero", "/dev/urandom", "/tmp"] {
            let message = loadError(path)
            #expect(message.contains("theme file \(path)") && message.contains("not a regular file"), "\(message)")
        }
    }

    /// Issue 12: a FIFO as the theme blocked for ever in open(). This test would hang then, so a helper thread
    /// opens the FIFO for writing after two seconds: a blocked open then returns, and the elapsed time fails it.
    @Test("a FIFO is refused at once instead of waiting for a writer")
    func fifo() throws {
        let path = "/tmp/nslab-theme-fifo-\(getpid()).toml"
        unlink(path)
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let rescue = Thread {
            sleep(2)
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        rescue.start()
        let started = Date()
        let message = loadError(path)
        #expect(Date().timeIntervalSince(started) < 1, "opening the FIFO waited for a writer")
        #expect(message.contains("not a regular file"), "\(message)")
    }

    /// Guards against large regular files being read whole: over 256 KiB is refused, at 256 KiB it still loads.
    @Test("a regular file over 256 KiB is refused; one of exactly 256 KiB loads")
    func sizeLimit() throws {
        let path = "/tmp/nslab-theme-big-\(getpid()).toml"
        defer { unlink(path) }
        let header = "[normal]\nfg = \"red\"\n"
        let filler = String(repeating: "#", count: ProcessEnvironment.themeSizeLimit - header.utf8.count - 1) + "\n"
        try (header + filler).write(toFile: path, atomically: false, encoding: .utf8)
        #expect(loadError(path) == "")
        try (header + filler + "#\n").write(toFile: path, atomically: false, encoding: .utf8)
        let message = loadError(path)
        let size = ProcessEnvironment.themeSizeLimit + 2
        #expect(
            message.contains("\(size) bytes; a theme is read only from a regular file of at most 256 KiB."),
            "\(message)")
    }
}
