import NamespaceKit
import Testing

@testable import Dashboard

/// The facts issue 24 found wrong while trying nslab as a teacher would: dialogs that said ok to what launch then
/// refused and cut their own messages, and status messages drawn over the panels' borders.
@Suite struct CorrectFactsTests {
    /// The dialog open on screen, or nil.
    private func dialog(_ state: DashboardModel) -> EditDialog? {
        if case .dialog(let dialog) = state.overlay { return dialog }
        return nil
    }

    /// What launch says about a uid map, for a caller who may or may not map any ids.
    private func launchRefusal(uidMap lines: [String], privileged: Bool) -> String? {
        var spec = LaunchSpec(kinds: [.user], command: ["/bin/sh"])
        spec.uidMap = lines.compactMap { try? IDMapEntry(parsing: $0) }
        do {
            try spec.validate(privileged: privileged)
            return nil
        } catch {
            return error.description
        }
    }

    /// Regression: the maps dialog checked each line alone, as root, so it said ok to `0 1000 1, 0 2000 1` (two
    /// lines mapping inside id 0) and to `0 0 1` for an ordinary user, which launch then refused. It now asks
    /// launch's own check and says what launch says.
    @Test("the maps dialog refuses exactly what launch refuses, with launch's words")
    func mapsDialogChecksAsLaunch() throws {
        var root = DashboardModel(size: TerminalSize(columns: 120, rows: 40), isRoot: true)
        _ = root.type("m")
        _ = root.press(.control(21))
        _ = root.type("0 1000 1, 0 2000 1")
        let overlap = try #require(dialog(root)?.fields[0].problem, "the overlap was taken")
        #expect(overlap == launchRefusal(uidMap: ["0 1000 1", "0 2000 1"], privileged: true))
        #expect(overlap.contains("overlap"))
        _ = root.press(.enter)
        #expect(root.options.uidMaps.isEmpty, "an overlapping map was applied")
        // Apart they are fine, as launch finds too.
        _ = root.press(.control(21))
        _ = root.type("0 1000 1, 1 2000 1")
        #expect(dialog(root)?.fields[0].problem == nil)
        #expect(launchRefusal(uidMap: ["0 1000 1", "1 2000 1"], privileged: true) == nil)

        // An ordinary user may map only their own id (`0 0 1` as uid 65534; here any id not the caller's): the
        // dialog refuses it as launch does, and the gid field speaks of gids.
        let otherUID = SystemCall.effectiveUserID == 0 ? 65534 : 0
        let otherGID = SystemCall.effectiveGroupID == 0 ? 65534 : 0
        var user = DashboardModel(size: TerminalSize(columns: 120, rows: 40), isRoot: false)
        _ = user.type("m")
        _ = user.press(.control(21))
        _ = user.type("0 \(otherUID) 1")
        _ = user.press(.tab, .control(21))
        _ = user.type("0 \(otherGID) 1")
        let fields = try #require(dialog(user)?.fields)
        let refusal = try #require(launchRefusal(uidMap: ["0 \(otherUID) 1"], privileged: false))
        #expect(fields[0].problem == refusal)
        #expect(fields[1].problem?.contains("gid") == true, "\(fields[1].problem ?? "ok")")
        _ = user.press(.control(21))
        _ = user.type("0 \(SystemCall.effectiveGroupID) 1")
        #expect(dialog(user)?.fields[1].problem == nil)
    }

    /// Regression: the hostname dialog cut its message (`contains a blank, a slash o…`). The message is launch's,
    /// and the dialog shows it whole, wrapped under the field.
    @Test("the hostname dialog shows launch's whole message, wrapped", arguments: [60, 100, 140])
    func hostnameMessageIsWhole(columns: Int) throws {
        var state = DashboardModel(size: TerminalSize(columns: columns, rows: 30), isRoot: true)
        _ = state.type("h")
        _ = state.type(" x/y")
        let problem = try #require(dialog(state)?.fields[0].problem)
        var expected: String?
        do {
            try LaunchSpec.validateHostname("nslab x/y")
        } catch {
            expected = error.description
        }
        #expect(problem == expected)
        let shownDialog = try #require(dialog(state))
        var buffer = ScreenBuffer(size: state.size)
        DialogView.render(
            shownDialog, in: Rect(x: 0, y: 0, width: columns, height: 30), buffer: &buffer, theme: .builtinMono)
        let screen = buffer.lines()
        #expect(!screen.joined().contains("…"), "\(screen.joined(separator: "\n"))")
        // The message's words, read off the screen in order, make the whole message.
        let words = problem.split(separator: " ").map(String.init)
        let shown = screen.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "│" }).map(String.init)
        let whole = shown.indices.contains { Array(shown[$0..<min(shown.count, $0 + words.count)]) == words }
        #expect(whole, "\(screen.joined(separator: "\n"))")
    }

    /// Regression: an error longer than the status row was written over the rows above it, over the panels'
    /// bottom borders (and the maps' position marker there). It is shown whole in a framed box above the border
    /// row, which stays as it was, as do the rows above the box.
    @Test("a long status error never writes over a panel's border", arguments: [(100, 30), (140, 40), (70, 22)])
    func statusErrorKeepsBorders(columns: Int, rows: Int) throws {
        let message =
            "Creating a user namespace failed: not permitted (EPERM); the kernel refuses unprivileged user "
            + "namespaces here (kernel.unprivileged_userns_clone is 0). Tick User (6) and run as root, "
            + "or ask the administrator to allow them, and see nslab doctor for the rule that stops it here."
        var state = sampleState(size: TerminalSize(columns: columns, rows: rows))
        state.message = nil
        let before = DashboardView.render(state, theme: .builtinMono).lines()
        state.show(message, isError: true)
        let after = DashboardView.render(state, theme: .builtinMono).lines()
        let bar = state.layout.statusBar.y
        let box = try #require(StatusBar.errorBox(for: message, above: state.layout.statusBar)?.box)
        #expect(box.maxY == bar - 1, "the box ends above the border row over the bar")
        #expect(Array(after[0..<box.y]) == Array(before[0..<box.y]), "the error reached above its box")
        #expect(after[bar - 1] == before[bar - 1], "the panels' bottom border changed: \(after[bar - 1])")
        #expect(before[bar - 1].hasPrefix("└") && before[bar - 1].hasSuffix("┘"), "\(before[bar - 1])")
        // The whole message, in order, in the box.
        let words = message.split(separator: " ").map(String.init)
        let shown = after[box.y..<bar].joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "│" })
            .map(String.init)
        let whole = shown.indices.contains { Array(shown[$0..<min(shown.count, $0 + words.count)]) == words }
        #expect(whole, "\(after[box.y..<bar].joined(separator: "\n"))")
        // The next key takes the box away (and still acts); a short error stays in the bar's row, with no box,
        // until another message.
        state.focus = .processes
        let selected = state.selectedPID
        _ = state.press(.down)
        #expect(state.message == nil)
        #expect(state.selectedPID != selected, "the key that closed the box did nothing")
        state.show("boom", isError: true)
        _ = state.press(.up)
        #expect(state.message?.text == "boom")
        var quiet = state
        quiet.message = nil
        #expect(
            DashboardView.render(state, theme: .builtinMono).lines()[0..<bar]
                == DashboardView.render(quiet, theme: .builtinMono).lines()[0..<bar])
    }
}

