import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// Every key a test presses to find out what the handlers do: printable characters, Ctrl codes, the
/// editing block, F1-F12, and those with Shift, Alt and Ctrl.
let keyUniverse: [Key] = {
    let plain: [Key] = [
        .enter, .escape, .tab, .backTab, .backspace, .delete, .up, .down, .left, .right, .home, .end, .pageUp,
        .pageDown, .insert,
    ]
    var keys = plain + (1...12).map { Key.function($0) }
    keys += (32...126).map { Key.character(Character(Unicode.Scalar(UInt8($0)))) }
    keys += [.character("é"), .character("中")]
    keys += (0...31).map { Key.control(UInt8($0)) }
    let modifiers: [KeyModifiers] = (1...7).map { KeyModifiers(rawValue: UInt8($0)) }
    let bases = keys.filter { if case .control = $0 { false } else { true } }
    for modifier in modifiers {
        keys += bases.map { $0.with(modifier) }
    }
    return keys + [.paste("ls\n")]
}()

/// What a handler left behind; two equal probes mean the key did nothing.
struct Outcome: Equatable {
    var focus: Panel
    var ticked: Set<NamespaceKind>
    var options: NamespaceOptions
    var overlay: Overlay
    var namespaceCursor: Int
    var collapsed: Set<Int32>
    var selectedPID: Int32?
    var processScroll: Int
    var search: ProcessSearch?
    var message: StatusMessage?
    var helpScroll: Int
    var mapScroll: Int
    var network: NetworkMapState
    var actions: [DashboardAction]

    init(_ state: DashboardModel, _ actions: [DashboardAction] = []) {
        focus = state.focus
        ticked = state.ticked
        options = state.options
        overlay = state.overlay
        network = state.network
        namespaceCursor = state.namespaceCursor
        collapsed = state.collapsed
        selectedPID = state.selectedPID
        processScroll = state.processScroll
        search = state.search
        message = state.message
        helpScroll = state.helpScroll
        mapScroll = state.mapScroll
        self.actions = actions
    }
}

/// Guards against a help that lists keys the handlers ignore, or misses keys they handle (the help once
/// left out the host-vs-child panel's keys entirely). The handlers are probed with every key, from states
/// where each key has something to do; nothing here is a hand-written list of keys.
@Suite("Help lists every key the handlers handle")
struct HelpCompletenessTests {
    /// True when some binding of `context` names `key` itself or as typed text.
    func named(_ key: Key, in context: KeyContext) -> Bool {
        KeyBindings.bindings(in: context).contains { binding in
            switch binding.keys {
            case .these(let keys): keys.contains(key)
            case .typing: if case .character = key { true } else { false }
            case .everyOther, .mouse: false
            }
        }
    }

    /// The keys a context's lines name one by one.
    func namedKeys(in context: KeyContext) -> [Key] {
        KeyBindings.bindings(in: context).flatMap { binding -> [Key] in
            if case .these(let keys) = binding.keys { return keys }
            if case .typing = binding.keys { return [.character("a")] }
            return []
        }
    }

    /// True when the context has a line for every other key.
    func hasEveryOther(_ context: KeyContext) -> Bool {
        KeyBindings.bindings(in: context).contains { if case .everyOther = $0.keys { true } else { false } }
    }

    /// A small screen with a tall process tree, a child's two map views, and the selection mid-tree on a
    /// process with children: every move, page, collapse and scroll key has room to act.
    func baseState() -> DashboardModel {
        var state = DashboardModel(size: TerminalSize(columns: 100, rows: 24), isRoot: true)
        var rows: [ProcessRow] = []
        for index in 0..<60 {
            rows.append(
                ProcessRow(
                    pid: Int32(100 + index), user: "root", command: "bash \(index)", depth: index % 2,
                    hasChildren: index % 2 == 0))
        }
        state.setProcesses(rows)
        state.selectedPID = 130
        state.processScroll = 20
        state.maps = manyRangeMaps()
        return state
    }

    /// The keys that act in `context`, found by pressing every key in each of `states`. Keys the dashboard
    /// handles in every panel are left to the `.dashboard` context.
    func handledKeys(in context: KeyContext, states: [DashboardModel]) -> [Key] {
        keyUniverse.filter { key in
            states.contains { start in
                var global = start
                if context != .dashboard, start.overlay == .none, start.focus != .child, start.search?.editing != true,
                    global.handleGlobalKey(key) != nil
                {
                    return false
                }
                var state = start
                let actions = state.handle(.key(key))
                return Outcome(state, actions) != Outcome(start)
            }
        }
    }

    /// Checks one context both ways: every key that acts is named in the help, every key named acts.
    func check(_ context: KeyContext, states: [DashboardModel], sourceLocation: SourceLocation = #_sourceLocation) {
        let handled = handledKeys(in: context, states: states)
        for key in handled {
            #expect(
                named(key, in: context), "\(key) acts in \(context) but the help does not list it",
                sourceLocation: sourceLocation)
        }
        for key in namedKeys(in: context) {
            #expect(
                handled.contains(key), "the help lists \(key) for \(context) but it does nothing there",
                sourceLocation: sourceLocation)
        }
    }

    @Test("keys of every dashboard panel")
    func dashboardKeys() {
        let states = [Panel.namespaces, .processes, .maps, .comparison].map { panel in
            var state = baseState()
            state.focus = panel
            return state
        }
        let global = keyUniverse.filter { key in
            var state = states[0]
            return state.handleGlobalKey(key) != nil
        }
        for key in global { #expect(named(key, in: .dashboard), "\(key) is a dashboard key the help misses") }
        for key in namedKeys(in: .dashboard) { #expect(global.contains(key), "\(key) is listed but not handled") }
        // The same keys act in every panel, which is what the help's heading promises.
        for state in states.dropFirst() {
            var copy = state
            #expect(global.allSatisfy { copy.handleGlobalKey($0) != nil }, "in \(state.focus)")
        }
    }

    @Test("keys of the Namespaces panel")
    func namespacesKeys() {
        let states = [0, 4, DashboardModel.launchIndex].map { cursor in
            var state = baseState()
            state.namespaceCursor = cursor
            return state
        }
        check(.namespaces, states: states)
    }

    @Test("keys of the process tree, with and without a search")
    func processesKeys() {
        var plain = baseState()
        plain.focus = .processes
        var searched = plain
        searched.search = ProcessSearch(query: "bash", editing: false)
        var collapsed = plain
        collapsed.collapsed = [130]
        check(.processes, states: [plain, searched, collapsed])
    }

    @Test("keys of the search field while typing")
    func searchKeys() {
        var state = baseState()
        state.focus = .processes
        state.search = ProcessSearch(query: "bash 1", editing: true)
        check(.search, states: [state])
    }

    @Test("keys of the map viewer, scrolled to the middle")
    func mapsKeys() {
        var state = baseState()
        state.size = TerminalSize(columns: 100, rows: 30)  // the full layout's short map panel
        state.focus = .maps
        #expect(state.maxMapScroll >= 4, "the maps must overflow the panel for this test to mean anything")
        state.mapScroll = 2
        check(.maps, states: [state])
    }

    @Test("keys of the network map, the cursor mid-column, and of a namespace's detail, scrolled a little")
    func networkMapKeys() {
        var map = NetworkFixture.state(NetworkFixture.map(extra: 30), columns: 100, rows: 24)
        _ = map.handle(.key(.pageDown))
        _ = map.handle(.key(.down))
        #expect(map.network.cursor > 2 && map.network.cursor < 30)
        check(.networkMap, states: [map])
        var detail = NetworkFixture.state(NetworkFixture.map(), columns: 100, rows: 16)
        _ = detail.handle(.key(.enter))
        #expect(NetworkMapView.maxDetailScroll(detail) >= 4, "the detail must overflow for the scroll keys to act")
        detail.network.detailScroll = 2
        check(.networkDetail, states: [detail])
    }

    @Test("keys of the edit dialogs")
    func dialogKeys() {
        var state = baseState()
        _ = state.handle(.key(.character("m")))  // two fields, so Tab has somewhere to go
        _ = state.type("0 1000 1")  // text, so Backspace and Ctrl-U have something to delete
        check(.dialog, states: [state])
    }

    /// The help and the quit question take every key; the keys they name must act unlike the rest.
    @Test(
        "keys of the help and of the quit and reset questions",
        arguments: [KeyContext.help, .confirmQuit, .confirmReset])
    func overlayKeys(context: KeyContext) {
        var state = baseState()
        state.overlay = context == .help ? .help : context == .confirmQuit ? .confirmQuit : .confirmReset
        state.helpScroll = 5
        #expect(hasEveryOther(context))
        func outcome(_ key: Key) -> Outcome {
            var copy = state
            let actions = copy.handle(.key(key))
            return Outcome(copy, actions)
        }
        let ordinary = outcome(.function(12))
        let special = keyUniverse.filter { outcome($0) != ordinary }
        for key in special { #expect(named(key, in: context), "\(key) acts on its own in \(context), unlisted") }
        for key in namedKeys(in: context) { #expect(special.contains(key), "\(key) is listed but acts like any key") }
    }

    @Test("keys of the host-vs-child panel")
    func comparisonKeys() {
        var state = baseState()
        state.focus = .comparison
        // Keys no global binding takes are the panel's; they change nothing but the panel's own state.
        var handed: [Key] = []
        for key in keyUniverse {
            var copy = state
            if copy.handleGlobalKey(key) != nil { continue }
            #expect(copy.handle(.key(key)).isEmpty)
            #expect(Outcome(copy) == Outcome(state), "\(key) in the comparison changed another panel")
            handed.append(key)
        }
        func acts(_ key: Key) -> Bool {
            [false, true].contains { opened in
                // Rows on screen, scrolled a little: an open explanation makes them more than the panel holds, so
                // the scroll keys have somewhere to go.
                var panel = ComparisonState()
                panel.latest = ComparisonRows.view(sampleComparison())
                panel.scroll = 2
                for _ in 0..<3 { _ = panel.handle(.down) }
                if opened { _ = panel.handle(.enter) }
                let before = panel
                var copy = state
                copy.size = TerminalSize(columns: 120, rows: 35)
                copy.comparison = panel
                _ = copy.handle(.key(key))
                return copy.comparison != before
            }
        }
        let handled = handed.filter(acts)
        for key in handled { #expect(named(key, in: .comparison), "\(key) acts in the comparison, unlisted") }
        for key in namedKeys(in: .comparison) { #expect(handled.contains(key), "\(key) is listed but does nothing") }
    }

    @Test("keys of the child pane: the pane keeps its own, the rest goes to the child")
    func paneKeys() {
        var state = baseState()
        state.launched()
        var kept: [Key] = []
        for key in keyUniverse {
            var copy = state
            let actions = copy.handle(.key(key))
            if key == Key.leavePane {
                #expect(actions.isEmpty && copy.focus == .namespaces)
                kept.append(key)
                continue
            }
            #expect(actions == [.forwardToChild(key)], "the pane must see \(key)")
            // Shift-F5 is kept by the pane's handler (it launches), the rest by PaneCommand.
            if PaneCommand(key) != nil || key == Key.launchInside { kept.append(key) }
        }
        #expect(hasEveryOther(.pane))
        for key in kept { #expect(named(key, in: .pane), "the pane keeps \(key), unlisted") }
        // Enter is the pane's only once the child ended (checked by the pane tab tests); the rest it keeps.
        for key in namedKeys(in: .pane) where key != .enter {
            #expect(kept.contains(key), "\(key) is listed for the pane but goes to the child")
        }
    }

    @Test("every context and every binding is in the help, and each context has a binding")
    func helpShowsTable() {
        let rows = HelpOverlay.entries()
        for context in KeyContext.allCases {
            #expect(rows.contains { $0.isHeading && $0.text == context.heading })
            #expect(!KeyBindings.bindings(in: context).isEmpty, "\(context) has no keys")
        }
        for binding in KeyBindings.all {
            #expect(rows.contains { $0.key == binding.label && $0.text == binding.does })
        }
    }
}
