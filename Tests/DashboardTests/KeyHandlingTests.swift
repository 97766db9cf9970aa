import NamespaceKit
import Testing

@testable import Dashboard

/// A state at 100x30 with the demo processes, focused on the Namespaces panel.
func makeState(root: Bool = true, size: TerminalSize = TerminalSize(columns: 100, rows: 30)) -> DashboardModel {
    var state = DashboardModel(size: size, isRoot: root)
    state.setProcesses(DemoData.processes)
    return state
}

extension DashboardModel {
    /// Feeds several keys, collecting the actions.
    mutating func press(_ keys: Key...) -> [DashboardAction] {
        keys.flatMap { handle(.key($0)) }
    }

    mutating func type(_ text: String) -> [DashboardAction] {
        text.flatMap { handle(.key(.character($0))) }
    }

    /// Records a launched child's tab, as the update step does after a launch; returns its id.
    @discardableResult
    mutating func launched(pid: Int32 = 4242, message: String = "launched") -> ChildTab.ID {
        addTab(pid: pid, request: launchRequest, message: message).id
    }
}

@Suite("Key handling")
struct KeyHandlingTests {
    @Test("digits 1-8 toggle the kinds from every dashboard panel")
    func digitsToggle() {
        var state = makeState()
        for panel in [Panel.namespaces, .processes, .maps, .comparison] {
            state.focus = panel
            _ = state.type("16")
            #expect(state.ticked == [.uts, .user], "in \(panel)")
            _ = state.type("16")
            #expect(state.ticked.isEmpty)
        }
        _ = state.type("8")
        #expect(state.ticked == [.time])
    }

    @Test("a kind the kernel lacks stays off and says why")
    func unavailableKind() {
        var state = makeState()
        state.unavailable[.time] = "kernel older than 5.6"
        _ = state.type("8")
        #expect(state.ticked.isEmpty)
        #expect(state.message == StatusMessage("Time is not available: kernel older than 5.6.", isError: true))
    }

    @Test("F5 asks for a launch with the ticked kinds and options, or explains when nothing is ticked")
    func launch() {
        var state = makeState()
        #expect(state.press(.function(5)).isEmpty)
        #expect(state.message?.isError == true)
        _ = state.type("13")
        state.focus = .processes
        let actions = state.press(.function(5))
        #expect(actions == [.launch(LaunchRequest(kinds: [.uts, .pid], options: NamespaceOptions()))])
    }

    @Test("after a launch the child pane takes focus, gets every key, and Ctrl-] leaves it")
    func childPane() {
        var state = makeState()
        state.launched(pid: 42, message: "child 42 started")
        #expect(state.focus == .child)
        #expect(
            state.press(.character("1"), .tab, .character("q")) == [
                .forwardToChild(.character("1")), .forwardToChild(.tab), .forwardToChild(.character("q")),
            ])
        #expect(state.ticked.isEmpty)
        #expect(state.press(Key.leavePane).isEmpty)
        #expect(state.focus == .namespaces)
    }

    /// Guards against Tab visiting the panels out of screen order (the tree, then the maps at the bottom right,
    /// then Host vs child above them).
    @Test("Tab and Shift-Tab cycle the panels in screen order; the child pane joins once it exists")
    func tabCycle() {
        var state = makeState()
        var seen: [Panel] = []
        for _ in 0..<4 {
            _ = state.press(.tab)
            seen.append(state.focus)
        }
        #expect(seen == [.processes, .comparison, .maps, .namespaces])
        _ = state.press(.backTab)
        #expect(state.focus == .maps)
        state.launched()
        state.focus = .maps
        _ = state.press(.tab)
        #expect(state.focus == .child, "the pane, which keeps Tab for the child, comes last")
        // Down the left column, then down the right one, as the full layout draws them.
        let layout = DashboardLayout(size: TerminalSize(columns: 120, rows: 35), focus: .namespaces)
        let rects = Panel.screenOrder.dropLast().map { layout.panels[$0]! }
        #expect(rects[0].x == rects[1].x && rects[0].y < rects[1].y)
        #expect(rects[2].x == rects[3].x && rects[2].y < rects[3].y)
        #expect(rects[1].x < rects[2].x)
    }

    @Test("q and Ctrl-C quit at once without children, ask y/n with them")
    func quit() {
        var state = makeState()
        #expect(state.press(.character("q")) == [.quit])
        let first = state.launched(pid: 1)
        let second = state.launched(pid: 2)
        state.focus = .namespaces
        #expect(state.press(.character("q")).isEmpty)
        #expect(state.overlay == .confirmQuit)
        #expect(state.press(.character("n")).isEmpty)
        #expect(state.overlay == .none)
        #expect(state.press(.character("q"), .character("y")) == [.quit])
        state.tabEnded(first, status: .exited(0))
        state.tabEnded(second, status: .signaled(9))
        #expect(state.press(.control(3)) == [.quit])
    }

    @Test("F1 and ? open help; any key closes it without acting")
    func help() {
        var state = makeState()
        _ = state.press(.function(1))
        #expect(state.overlay == .help)
        _ = state.type("1")
        #expect(state.overlay == .none && state.ticked.isEmpty)
        _ = state.type("?")
        #expect(state.overlay == .help)
    }

    @Test("Namespaces panel: arrows and j/k move, Space ticks, Enter on Launch launches")
    func namespacesPanel() {
        var state = makeState()
        _ = state.press(.down, .character("j"), .character(" "))
        #expect(state.ticked == [.pid])
        _ = state.press(.up, .character("k"), .character("k"))
        #expect(state.namespaceCursor == 0)
        _ = state.press(.end)
        #expect(state.press(.enter) == [.launch(state.launchRequest)])
        _ = state.press(.home, .down, .down, .down, .down, .enter)  // Net: loopback flips
        #expect(state.options.loopbackUp == false)
    }

    @Test("the hostname dialog validates as you type and applies only valid input")
    func hostnameDialog() {
        var state = makeState()
        _ = state.type("h")
        guard case .dialog(let opened) = state.overlay else {
            Issue.record("h did not open the dialog")
            return
        }
        #expect(opened.fields[0].text == "nslab" && opened.isValid)
        _ = state.type("/")
        guard case .dialog(let typed) = state.overlay else { return }
        #expect(typed.fields[0].problem != nil)
        _ = state.press(.enter)
        #expect(state.options.hostname == "nslab")
        #expect(state.message?.isError == true)
        _ = state.press(.backspace, .control(21))
        _ = state.type("lab-1")
        _ = state.press(.enter)
        #expect(state.overlay == .none)
        #expect(state.options.hostname == "lab-1")
    }

    @Test("the dialog uses the injected validator")
    func injectedValidator() {
        var state = makeState()
        state.validators.hostname = { $0 == "only" ? nil : "must be 'only'" }
        _ = state.type("h")
        guard case .dialog(let dialog) = state.overlay else { return }
        #expect(dialog.fields[0].problem == "must be 'only'")
    }

    @Test("the maps dialog takes several maps separated by commas; Esc cancels")
    func mapsDialog() {
        var state = makeState()
        _ = state.type("m")
        _ = state.type("0 1000 1, 1 100000 65536")
        _ = state.press(.tab)
        _ = state.type("0 1000 x")
        guard case .dialog(let dialog) = state.overlay else { return }
        #expect(dialog.fields[0].problem == nil && dialog.fields[1].problem != nil)
        _ = state.press(.backspace)
        _ = state.type("1")
        _ = state.press(.enter)
        #expect(state.options.uidMaps == ["0 1000 1", "1 100000 65536"])
        #expect(state.options.gidMaps == ["0 1000 1"])
        _ = state.type("m")
        _ = state.press(.control(21), .escape)
        #expect(state.options.uidMaps.count == 2)
    }

    @Test("process tree: moving selects and reports the pid, Space collapses, scrolling follows")
    func processTree() {
        var state = makeState()
        state.focus = .processes
        #expect(state.selectedPID == 1)
        #expect(state.press(.down) == [.selectProcess(412)])
        _ = state.press(.character(" "))  // collapse sshd: its three descendants vanish
        #expect(state.visibleProcesses.count == DemoData.processes.count - 4)
        #expect(state.press(.character("j")) == [.selectProcess(600)])
        _ = state.press(.up, .right)
        #expect(state.visibleProcesses.count == DemoData.processes.count)
        _ = state.press(.end)
        #expect(state.selectedPID == 700)
    }

    @Test("/ searches, expanding collapsed parents; n finds the next match; Esc clears")
    func search() {
        var state = makeState()
        state.focus = .processes
        state.collapsed = [1]
        _ = state.type("/")
        let actions = state.type("nginx")
        #expect(actions.last == .selectProcess(3100))
        #expect(state.collapsed.isEmpty)
        _ = state.press(.enter)
        #expect(state.press(.character("n")) == [.selectProcess(3101)])
        #expect(state.press(.character("n")) == [.selectProcess(3100)])
        _ = state.press(.escape)
        #expect(state.search == nil)
        _ = state.type("/")
        _ = state.type("zzz")
        #expect(state.message?.isError == true)
    }

    @Test("keeps the selection visible when the tree is taller than the panel")
    func scrolling() {
        var state = makeState(size: TerminalSize(columns: 100, rows: 30))
        state.setProcesses((0..<100).map { ProcessRow(pid: Int32($0 + 1), user: "u", command: "p\($0)", depth: 0) })
        state.focus = .processes
        _ = state.press(.pageDown, .pageDown)
        let height = state.processListHeight
        #expect(state.selectedPID == Int32(2 * height + 1))
        #expect(state.processScroll == 2 * height - height + 1)
        _ = state.press(.home)
        #expect(state.processScroll == 0)
    }

    @Test("mouse: a click ticks a checkbox, focuses a panel, presses Launch, selects a process")
    func mouse() {
        var state = makeState()
        let layout = state.layout
        let namespaces = layout.panels[.namespaces]!
        _ = state.handle(.mouse(MouseEvent(x: namespaces.x + 3, y: namespaces.y + 1 + 4, kind: .leftClick)))
        #expect(state.ticked == [.net])
        let processes = layout.panels[.processes]!
        let actions = state.handle(.mouse(MouseEvent(x: processes.x + 5, y: processes.y + 3, kind: .leftClick)))
        #expect(state.focus == .processes)
        #expect(actions == [.selectProcess(412)])
        let launch = state.handle(
            .mouse(
                MouseEvent(
                    x: namespaces.x + 4, y: namespaces.y + 1 + NamespacesPanel.launchRow,
                    kind: .leftClick)))
        #expect(launch == [.launch(state.launchRequest)])
        #expect(state.focus == .namespaces)
        let maps = layout.panels[.maps]!
        _ = state.handle(.mouse(MouseEvent(x: maps.x + 2, y: maps.y + 2, kind: .leftClick)))
        #expect(state.focus == .maps)
    }

    @Test("mouse in the compact layout: the tab bar switches panels")
    func compactTabs() {
        var state = makeState(size: TerminalSize(columns: 70, rows: 22))
        let tabs = state.layout.tabs(including: state.focusablePanels)
        let processesTab = tabs.first { $0.0 == .processes }!.1
        _ = state.handle(.mouse(MouseEvent(x: processesTab.x + 1, y: processesTab.y, kind: .leftClick)))
        #expect(state.focus == .processes)
        #expect(state.layout.panels.keys.sorted { $0.rawValue < $1.rawValue } == [.processes])
    }

    @Test("resize updates the size and keeps the selection on screen")
    func resize() {
        var state = makeState()
        _ = state.handle(.resize(TerminalSize(columns: 61, rows: 20)))
        #expect(state.size == TerminalSize(columns: 61, rows: 20))
        #expect(!state.layout.tooSmall)
        _ = state.handle(.resize(TerminalSize(columns: 59, rows: 20)))
        #expect(state.layout.tooSmall)
    }
}

@Suite("Key decoding")
struct KeyDecoderTests {
    @Test("characters, controls and ncurses key codes")
    func decoding() {
        #expect(KeyDecoder.decode(0x31, kind: .character) == .key(.character("1")))
        #expect(KeyDecoder.decode(0x6F22, kind: .character) == .key(.character("漢")))
        #expect(KeyDecoder.decode(9, kind: .character) == .key(.tab))
        #expect(KeyDecoder.decode(13, kind: .character) == .key(.enter))
        #expect(KeyDecoder.decode(27, kind: .character) == .key(.escape))
        #expect(KeyDecoder.decode(127, kind: .character) == .key(.backspace))
        #expect(KeyDecoder.decode(29, kind: .character) == .key(Key.leavePane))
        #expect(KeyDecoder.decode(0o410 + 5, kind: .keyCode) == .key(.function(5)))
        #expect(KeyDecoder.decode(0o410 + 1, kind: .keyCode) == .key(.function(1)))
        #expect(KeyDecoder.decode(0o541, kind: .keyCode) == .key(.backTab))
        #expect(KeyDecoder.decode(0o402, kind: .keyCode) == .key(.down))
        #expect(KeyDecoder.decode(0o632, kind: .keyCode) == .resize)
        #expect(KeyDecoder.decode(0o631, kind: .keyCode) == .mouse)
        #expect(KeyDecoder.decode(0o777, kind: .keyCode) == nil)
    }
}

@Suite("Robustness")
struct RobustnessTests {
    /// Guards against crashes from odd data the owner may pass: negative depths, a cursor out of range,
    /// a selection that vanished.
    @Test("odd inputs from the owner never crash")
    func oddInputs() {
        var state = makeState()
        state.setProcesses([ProcessRow(pid: 5, user: "", command: "", depth: -3, hasChildren: true)])
        state.namespaceCursor = 99
        _ = state.press(.character(" "), .enter)
        #expect(state.namespaceCursor == DashboardModel.launchIndex)
        state.selectedPID = 12345
        state.focus = .processes
        _ = state.press(.down, .up, .character(" "), .character("n"))
        state.setProcesses([])
        _ = state.press(.down, .character("/"), .character("x"), .enter, .character("n"))
        _ = DashboardView.render(state, theme: .builtinDefault)
    }
}

@Suite("Help on small screens")
struct HelpScrollTests {
    @Test("arrows scroll a help taller than the screen; the last kind comes into view")
    func scroll() {
        var state = makeState(size: TerminalSize(columns: 80, rows: 20))
        _ = state.press(.function(1))
        let before = DashboardView.render(state, theme: .builtinMono).snapshot()
        #expect(!before.contains("8 Time"))
        for _ in 0..<200 { _ = state.press(.down) }  // the help is far shorter; the scroll stops at its end
        #expect(state.overlay == .help)
        #expect(state.helpScroll == HelpOverlay.maxScroll(in: Rect(x: 0, y: 0, width: 80, height: 20)))
        let after = DashboardView.render(state, theme: .builtinMono).snapshot()
        #expect(after.contains("8 Time"))
        #expect(!after.contains(KeyBindings.all[0].does))
        // Scrolling stopped at the end: one key up moves the view at once.
        _ = state.press(.up)
        #expect(DashboardView.render(state, theme: .builtinMono).snapshot() != after)
        _ = state.press(.escape)
        #expect(state.overlay == .none && state.helpScroll == 0)
    }
}
