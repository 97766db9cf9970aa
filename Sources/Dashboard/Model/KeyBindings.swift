/// Where a key does what it does: the panel or overlay that handles it. The help lists them in this order.
public enum KeyContext: CaseIterable, Sendable {
    /// Every dashboard panel (not the child pane, which forwards keys).
    case dashboard
    /// The Namespaces panel.
    case namespaces
    /// The process tree.
    case processes
    /// The process search field while a query is typed.
    case search
    /// The uid/gid map viewer.
    case maps
    /// The host-vs-child panel.
    case comparison
    /// The child's terminal pane.
    case pane
    /// An edit dialog (hostname, maps, clock offsets).
    case dialog
    /// The "quit and kill the children? y/n" question.
    case confirmQuit
    /// The "reset: close every tab and kill every child? y/n" question.
    case confirmReset
    /// The Host vs child panel in the presenter layout (`P`).
    case presenter
    /// The lesson list `L` opens.
    case lessonList
    /// The network map `W` opens.
    case networkMap
    /// The detail of a namespace, opened with Enter in the network map.
    case networkDetail
    /// The help itself.
    case help

    /// The heading the help shows above the context's keys.
    public var heading: String {
        switch self {
        case .dashboard: "Any dashboard panel"
        case .namespaces: "Namespaces panel"
        case .processes: "Processes panel"
        case .search: "Process search, while typing"
        case .maps: "uid/gid maps panel"
        case .comparison: "Host vs child panel"
        case .pane: "Child terminal pane"
        case .dialog: "Edit dialogs (h, m, Enter on a kind)"
        case .confirmQuit: "Quit question"
        case .confirmReset: "Reset question (R)"
        case .presenter: "Presenter layout (P), Host vs child"
        case .lessonList: "Lesson list (L)"
        case .networkMap: "Network map (W)"
        case .networkDetail: "Network map, a namespace's detail (Enter)"
        case .help: "This help"
        }
    }
}

/// One line of the help: the keys as shown, what they do, and the keys themselves, so a test can hold the
/// help and the handlers to each other.
public struct KeyBinding: Sendable {
    /// Which keys the line is about.
    public enum Keys: Sendable {
        /// Exactly these keys.
        case these([Key])
        /// Any printable character, typed into a field.
        case typing
        /// Every key no other line of the context names (the pane forwards them; the help closes on them).
        case everyOther
        /// The mouse, which is not a key; described for completeness.
        case mouse
    }

    /// Where the keys act.
    public var context: KeyContext
    /// The keys as the help shows them, e.g. "↑↓ j k".
    public var label: String
    /// What they do, in a few words.
    public var does: String
    /// The keys meant.
    public var keys: Keys

    /// Makes a binding.
    public init(_ context: KeyContext, _ label: String, _ does: String, _ keys: Keys) {
        self.context = context
        self.label = label
        self.does = does
        self.keys = keys
    }
}

/// Every key the dashboard handles, by context: the help is drawn from this table, and the key-handling
/// tests check it against the handlers both ways, so neither can change without the other.
public enum KeyBindings {
    /// The whole table, in help order.
    public static let all: [KeyBinding] = [
        KeyBinding(
            .dashboard, "1-8", "tick or untick UTS IPC PID Mount Net User Cgroup Time",
            .these((1...8).map { .character(Character(String($0))) })),
        KeyBinding(
            .dashboard, "F5", "launch a child in the ticked kinds; its pane takes the keys", .these([.function(5)])),
        KeyBinding(
            .dashboard, "F7", "split: a HOST shell beside the child; again: next tab on the left",
            .these([.function(7)])),
        KeyBinding(
            .dashboard, "S-F5", "launch inside the shown child's namespaces, the ticked kinds new on top",
            .these([.modified(.function(5), .shift)])),
        KeyBinding(.dashboard, "Tab / S-Tab", "next / previous panel", .these([.tab, .backTab])),
        KeyBinding(
            .dashboard, "h / m", "edit the hostname / the uid and gid maps",
            .these([.character("h"), .character("m")])),
        KeyBinding(
            .dashboard, "y", "copy (yank) the unshare line under Launch (OSC 52, xterm-like terminals)",
            .these([.character("y")])),
        KeyBinding(.dashboard, "L", "the lesson list: a guided experiment, checked live", .these([.character("L")])),
        KeyBinding(
            .dashboard, "W", "the network map: namespaces as boxes, veth and bridge links as lines, live rates",
            .these([.character("W")])),
        KeyBinding(
            .dashboard, "N", "lab notebook on/off: notebook.md and lab.cast in --notebook DIR",
            .these([.character("N")])),
        KeyBinding(
            .dashboard, "P", "presenter layout on/off: Host vs child and the pane, large (from 100x30)",
            .these([.character("P")])),
        KeyBinding(
            .dashboard, "R", "reset (asks y/n): close every tab, kill every child, back to the start",
            .these([.character("R")])),
        KeyBinding(.dashboard, "F1 / ?", "this help", .these([.function(1), .character("?")])),
        KeyBinding(.dashboard, "Ctrl-L", "redraw the whole screen", .these([.control(12)])),
        KeyBinding(
            .dashboard, "q / Ctrl-C", "quit; asks y/n first while children run",
            .these([.character("q"), .control(3)])),
        KeyBinding(.dashboard, "mouse", "click a panel or tab to focus it", .mouse),

        KeyBinding(.namespaces, "↑↓ j k", "move between the kinds and Launch", .these(moveKeys)),
        KeyBinding(.namespaces, "Home / End", "first kind / the Launch button", .these([.home, .end])),
        KeyBinding(.namespaces, "Space", "tick the kind / press Launch", .these([.character(" ")])),
        KeyBinding(
            .namespaces, "Enter", "the kind's option (hostname, fresh /proc, lo, maps, clock offsets) / Launch",
            .these([.enter])),
        KeyBinding(.namespaces, "mouse", "click a checkbox to tick it, Launch to launch", .mouse),

        KeyBinding(.processes, "↑↓ j k", "select the previous / next process", .these(moveKeys)),
        KeyBinding(.processes, "PgUp / PgDn", "a page up / down", .these([.pageUp, .pageDown])),
        KeyBinding(.processes, "Home / End", "first / last process", .these([.home, .end])),
        KeyBinding(
            .processes, "Space / Enter", "collapse or expand the process's children",
            .these([.character(" "), .enter])),
        KeyBinding(.processes, "← / →", "collapse / expand", .these([.left, .right])),
        KeyBinding(.processes, "/", "search by command, user, pid or container", .these([.character("/")])),
        KeyBinding(.processes, "n", "next match of the search", .these([.character("n")])),
        KeyBinding(
            .processes, "c", "containers and children only (with their ancestors) / every process",
            .these([.character("c")])),
        KeyBinding(
            .processes, "e", "a shell inside the process's namespaces (the ticked kinds only, when any)",
            .these([.character("e")])),
        KeyBinding(.processes, "Esc", "clear the search", .these([.escape])),
        KeyBinding(.processes, "mouse", "click to select; the wheel scrolls", .mouse),

        KeyBinding(.search, "text", "the query; the first match is selected as you type", .typing),
        KeyBinding(.search, "Backspace/Del", "delete the last character", .these([.backspace, .delete])),
        KeyBinding(.search, "Enter", "keep the search (n: next match)", .these([.enter])),
        KeyBinding(.search, "Esc", "clear the search", .these([.escape])),

        KeyBinding(.maps, "↑↓ j k", "scroll a line", .these(moveKeys)),
        KeyBinding(.maps, "PgUp / PgDn", "scroll a page", .these([.pageUp, .pageDown])),
        KeyBinding(.maps, "Home / End", "top / bottom", .these([.home, .end])),
        KeyBinding(.maps, "mouse", "the wheel scrolls", .mouse),

        KeyBinding(.comparison, "↑↓ j k", "move between the kinds", .these(moveKeys)),
        KeyBinding(.comparison, "Home / End", "first / last kind", .these([.home, .end])),
        KeyBinding(
            .comparison, "PgUp / PgDn", "scroll a page (the border shows what is out of view)",
            .these([.pageUp, .pageDown])),
        KeyBinding(
            .comparison, "Enter / Space", "open or close what the kind isolates and an experiment to try",
            .these([.enter, .character(" ")])),
        KeyBinding(.comparison, "Esc", "close it", .these([.escape])),
        KeyBinding(.comparison, "mouse", "the wheel scrolls", .mouse),
        KeyBinding(
            .comparison, "r", "a child started inside another: compare with that process / with the host",
            .these([.character("r")])),

        KeyBinding(.pane, "Ctrl-]", "back to the dashboard (never sent to the child)", .these([Key.leavePane])),
        KeyBinding(
            .pane, "F6 / S-F6", "next / previous child tab", .these([.function(6), .modified(.function(6), .shift)])),
        KeyBinding(
            .pane, "Alt-1..9", "child tab 1 to 9",
            .these((1...9).map { .modified(.character(Character(String($0))), .alt) })),
        KeyBinding(.pane, "F8", "close the tab; a running child is killed", .these([.function(8)])),
        KeyBinding(
            .pane, "S-F5", "a new child inside this one's namespaces, the ticked kinds new on top",
            .these([.modified(.function(5), .shift)])),
        KeyBinding(
            .pane, "S-PgUp / S-PgDn", "scroll back / forward through the history",
            .these([.modified(.pageUp, .shift), .modified(.pageDown, .shift)])),
        KeyBinding(
            .pane, "F7 / S-F7", "split host and child (again: the left side's next tab) / back to tabs",
            .these([.function(7), .modified(.function(7), .shift)])),
        KeyBinding(.pane, "F9", "split: the keys go to the other side", .these([.function(9)])),
        KeyBinding(
            .pane, "S-F9", "split: the side with the keys fills the pane area, and back",
            .these([.modified(.function(9), .shift)])),
        KeyBinding(
            .pane, "F10", "split: broadcast on/off, every key and paste typed into both sides",
            .these([.function(10)])),
        KeyBinding(.pane, "Enter", "once the child ended: relaunch it with the same choices", .these([.enter])),
        KeyBinding(.pane, "other keys", "go to the child, modifiers included; so do pastes", .everyOther),
        KeyBinding(
            .pane, "mouse", "click a tab to show it; the rest goes to the child if it asks, else the wheel scrolls",
            .mouse),

        KeyBinding(.dialog, "text", "type into the field; it is checked as you type", .typing),
        KeyBinding(.dialog, "Tab / ↓", "next field", .these([.tab, .down])),
        KeyBinding(.dialog, "S-Tab / ↑", "previous field", .these([.backTab, .up])),
        KeyBinding(.dialog, "Backspace/Del", "delete the last character", .these([.backspace, .delete])),
        KeyBinding(.dialog, "Ctrl-U", "clear the field", .these([.control(21)])),
        KeyBinding(.dialog, "Enter", "apply (only when every field is valid)", .these([.enter])),
        KeyBinding(.dialog, "Esc", "cancel", .these([.escape])),

        KeyBinding(
            .confirmQuit, "y", "quit, killing and reaping the children", .these([.character("y"), .character("Y")])),
        KeyBinding(.confirmQuit, "other keys", "stay", .everyOther),

        KeyBinding(
            .confirmReset, "y", "reset: every tab closed, every child and what it started killed",
            .these([.character("y"), .character("Y")])),
        KeyBinding(.confirmReset, "other keys", "keep everything as it is", .everyOther),

        KeyBinding(
            .presenter, "a", "every kind / only the kinds that differ", .these([.character("a")])),
        KeyBinding(.presenter, "↑↓ j k", "scroll a line, when the rows do not fit", .these(moveKeys)),
        KeyBinding(.presenter, "Home / End", "first / last line", .these([.home, .end])),

        KeyBinding(
            .lessonList, "0-9", "pick a lesson by its number (two digits past 9)",
            .these((0...9).map { .character(Character(String($0))) })),
        KeyBinding(.lessonList, "↑↓ j k", "move between the lessons", .these(moveKeys)),
        KeyBinding(.lessonList, "PgUp / PgDn", "five lessons up / down", .these([.pageUp, .pageDown])),
        KeyBinding(.lessonList, "Home / End", "first / last lesson", .these([.home, .end])),
        KeyBinding(.lessonList, "Enter", "start it: kinds and options set, the child launched, its card shown",
            .these([.enter])),
        KeyBinding(.lessonList, "Esc / L / q", "close the list", .these([.escape, .character("L"), .character("q")])),

        KeyBinding(.networkMap, "↑↓ j k", "the previous / next namespace", .these(moveKeys)),
        KeyBinding(.networkMap, "PgUp / PgDn", "a screenful of namespaces up / down", .these([.pageUp, .pageDown])),
        KeyBinding(.networkMap, "Home / End", "first (the host's) / last namespace", .these([.home, .end])),
        KeyBinding(
            .networkMap, "Enter", "the namespace's detail: interfaces, addresses, counters, routes, neighbours",
            .these([.enter])),
        KeyBinding(
            .networkMap, "w",
            "wire the tab on show to the child under the cursor (veth pair, 10.77.0.0/16; a third joins by a bridge); "
                + "again: unwire",
            .these([.character("w")])),
        KeyBinding(
            .networkMap, "Esc / W / q", "close the map", .these([.escape, .character("W"), .character("q")])),

        KeyBinding(.networkDetail, "↑↓ j k", "scroll a line", .these(moveKeys)),
        KeyBinding(.networkDetail, "PgUp / PgDn", "scroll a page", .these([.pageUp, .pageDown])),
        KeyBinding(.networkDetail, "Home / End", "top / bottom", .these([.home, .end])),
        KeyBinding(.networkDetail, "Esc / Enter", "back to the map", .these([.escape, .enter])),
        KeyBinding(.networkDetail, "W / q", "close the map", .these([.character("W"), .character("q")])),

        KeyBinding(.help, "↑↓ j k", "scroll a line", .these(moveKeys)),
        KeyBinding(.help, "PgUp / PgDn", "scroll a page", .these([.pageUp, .pageDown])),
        KeyBinding(.help, "Home / End", "top / bottom", .these([.home, .end])),
        KeyBinding(.help, "other keys", "close the help", .everyOther),
    ]

    /// Arrows and vi's j/k, which move or scroll in every list.
    static let moveKeys: [Key] = [.up, .down, .character("k"), .character("j")]

    /// The table's lines for one context, in help order.
    public static func bindings(in context: KeyContext) -> [KeyBinding] {
        all.filter { $0.context == context }
    }
}
