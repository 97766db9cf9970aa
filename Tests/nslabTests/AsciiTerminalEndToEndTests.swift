import Foundation
import Testing

/// Issue 24: with `LANG=C` (any locale that is not UTF-8) the dashboard drew no borders, `≠` vanished while `=`
/// stayed, columns shifted and stale text survived Ctrl-L. In tmux at 120x35, for the TERMs a classroom meets,
/// under `LANG=C` and under `LC_ALL=C` over a UTF-8 `LANG`: borders in the terminal's line-drawing set (`+ - |`
/// for a terminfo entry without `acsc`), every differing row marked `!=`, and Ctrl-L leaves exactly the screen a
/// fresh redraw gives.
@Suite("ASCII terminals end to end", .serialized)
struct AsciiTerminalEndToEndTests {
    /// xterm without line drawing: a terminfo entry with no `acsc`.
    static let terminfoSource = """
        nslabtest-noacs|xterm without line drawing,
        \tacsc@, smacs@, rmacs@, use=xterm,

        """

    /// Compiles `terminfoSource` into a fresh folder for TERMINFO.
    static func compiledTerminfo() throws -> String {
        let folder = "/tmp/nslab-test-noacs-\(getpid())"
        mkdir(folder, 0o755)
        let source = folder + ".src"
        try terminfoSource.write(toFile: source, atomically: false, encoding: .utf8)
        defer { unlink(source) }
        let result = try Binary.runProgram("/usr/bin/tic", ["-o", folder, source])
        try #require(result.status == 0, "tic: \(result.stderr)")
        return folder
    }

    /// The locales: the variables set for the dashboard (the rest of LANG, LC_ALL and LC_CTYPE unset).
    static let locales = ["LANG=C", "LANG=C.UTF-8 LC_ALL=C"]
    /// The terminal types, the last one without `acsc`.
    static let terms = ["xterm", "screen", "linux", "vt100", "nslabtest-noacs"]

    /// Polls the drawn screen until `wanted` holds, for up to `timeout` seconds; returns the last screen.
    @discardableResult
    static func waitForScreen(
        _ tmux: TmuxSession, timeout: Double = 10, _ what: String, _ wanted: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try tmux.drawnScreen()
            if wanted(last) { return last }
            usleep(100_000)
        }
        throw TmuxError(message: "timed out waiting for \(what); screen:\n\(last)")
    }

    /// The Host vs child rows on `screen`, by kind: the text right of the left column (54 cells at 120x35),
    /// between the panel's title and its bottom border.
    static func comparisonRows(_ screen: String, leftColumn: Int = 54) -> [String: String] {
        var rows: [String: String] = [:]
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.dropFirst(leftColumn))
        }
        guard let title = lines.firstIndex(where: { $0.contains("Host vs child:") }) else { return [:] }
        for line in lines[(title + 1)...] {
            if line.hasPrefix("└") || line.hasPrefix("m") || line.hasPrefix("+") { break }
            let inside = String(line.dropFirst())
            for kind in ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"]
            where inside.hasPrefix(kind + " ") {
                rows[kind] = inside
            }
        }
        return rows
    }

    @Test("borders drawn, every difference marked !=, Ctrl-L redraws clean", arguments: locales, terms)
    func asciiTerminal(locale: String, term: String) throws {
        try requireRoot()
        let terminfo = try Self.compiledTerminfo()
        defer { try? FileManager.default.removeItem(atPath: terminfo) }
        let terminfoVariable = term.hasPrefix("nslabtest") ? "TERMINFO=\(terminfo) " : ""
        // A long refresh: nothing on screen changes by itself between the screens compared.
        let tmux = try TmuxSession(
            "unset LANG LC_ALL LC_CTYPE; \(locale) TERM=\(term) \(terminfoVariable)\(Binary.path) --ns all "
                + "--shell /bin/sh --interval 3600 --launch",
            width: 120, height: 35)
        let lines = ["─", "│", "┌", "┐"]
        let plain = ["-", "|", "+", "+"]
        let (horizontal, vertical, topLeft, topRight) = {
            let set = term.hasPrefix("nslabtest") ? plain : lines
            return (set[0], set[1], set[2], set[3])
        }()
        let first = try Self.waitForScreen(tmux, "all eight rows of the child") { Self.comparisonRows($0).count == 8 }
        let screen = first.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Borders: the corners of the left column's top panel, and its sides.
        #expect(screen[0].hasPrefix(topLeft + " Namespaces " + horizontal), "\(first)")
        #expect(screen[0].hasSuffix(horizontal + topRight), "\(first)")
        for row in 1...10 {
            #expect(screen[row].hasPrefix(vertical) && screen[row].hasSuffix(vertical), "row \(row): \(screen[row])")
            #expect(screen[row].count == 120, "no column shifted in row \(row): \(screen[row])")
        }
        #expect(!first.contains("≠"), "\(first)")
        if term.hasPrefix("nslabtest") { #expect(!first.contains("─") && !first.contains("│"), "\(first)") }
        // Every kind is the child's own: every row marked, in the same column.
        let rows = Self.comparisonRows(first)
        let columns = Set(rows.values.compactMap { $0.range(of: "!= ")?.lowerBound.utf16Offset(in: $0) })
        #expect(rows.values.allSatisfy { $0.contains("!= ") }, "\(rows)")
        #expect(columns.count == 1, "the marker column: \(rows)")

        // Stale text: another program's output over the dashboard, then Ctrl-L.
        try tmux.send("C-]")
        try tmux.send("Tab", "Tab", "Enter")  // Host vs child, its first row's explanation open
        try Self.waitForScreen(tmux, "the explanation") { $0.contains("UTS isolates") }
        let tty = try #require(FileHandle(forWritingAtPath: try tmux.paneTTY()))
        tty.write(Data("\u{1b}[3;60HSTALE-ONE ≠ ─── \u{1b}[20;5HSTALE-TWO\u{1b}[34;100HSTALE-THREE".utf8))
        try tty.close()
        try Self.waitForScreen(tmux, "the stale text") { $0.contains("STALE-TWO") }
        try tmux.send("C-l")
        let redrawn = try Self.waitForScreen(tmux, "a clean screen") { !$0.contains("STALE") }
        usleep(300_000)
        let afterCtrlL = try tmux.drawnScreen()
        // A fresh screen of the same state: the dashboard redraws all of it after a resize.
        try tmux.resize(width: 100, height: 30)
        try Self.waitForScreen(tmux, "the smaller screen") { $0.split(separator: "\n").first?.count == 100 }
        try tmux.resize(width: 120, height: 35)
        try Self.waitForScreen(tmux, "the screen back") { $0.split(separator: "\n").first?.count == 120 }
        usleep(500_000)
        let fresh = try tmux.drawnScreen()
        #expect(afterCtrlL == fresh, "Ctrl-L:\n\(afterCtrlL)\nfresh:\n\(fresh)\n(first seen:\n\(redrawn))")
        try tmux.send("q")
        try tmux.send("y")
    }

    /// Issue 24's bar: at 120x35 the Host vs child panel shows a marker when rows are hidden (here under an open
    /// explanation), names the kinds below, and PgDn brings them into view.
    @Test("at 120x35 the Host vs child panel marks hidden rows and scrolls to them")
    func hiddenRowsMarked() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --ns all --shell /bin/sh --interval 3600 --launch", width: 120, height: 35)
        try Self.waitForScreen(tmux, "all eight rows of the child") { Self.comparisonRows($0).count == 8 }
        try tmux.send("C-]")
        try tmux.send("Tab", "Tab", "Enter")
        let open = try tmux.waitFor(#"1-10 of \d+ · ↓ [a-z ]*time"#, regex: true)
        #expect(open.contains("UTS isolates"), "\(open)")
        #expect(Self.comparisonRows(open)["time"] == nil, "\(open)")
        try tmux.send("PgDn", "PgDn")
        let scrolled = try tmux.waitFor(#"of \d+ · ↑ uts"#, regex: true)
        #expect(Self.comparisonRows(scrolled)["time"] != nil, "\(scrolled)")
        try tmux.send("q")
        try tmux.send("y")
    }
}
