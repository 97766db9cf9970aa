import NamespaceKit

/// A line for the status bar.
public struct StatusMessage: Equatable, Sendable {
    /// The text.
    public var text: String
    /// True for errors, drawn in the theme's error style.
    public var isError: Bool

    /// Makes a message.
    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// What covers the panels, if anything; it takes the keys while shown.
public enum Overlay: Equatable, Sendable {
    /// Nothing: keys go to the panels.
    case none
    /// The help screen.
    case help
    /// An edit dialog.
    case dialog(EditDialog)
    /// "Quit and kill the children? y/n".
    case confirmQuit
}

/// The process search started with `/`.
public struct ProcessSearch: Equatable, Sendable {
    /// The text searched for (case-insensitive, in command, user and pid).
    public var query: String
    /// True while the query is being typed.
    public var editing: Bool
}

/// Everything the dashboard shows and remembers; changed only by `handle(_:)` and the owner's updates.
public struct AppState: Sendable {
    /// The terminal size.
    public var size: TerminalSize
    /// The panel with the keyboard.
    public var focus: Panel = .namespaces
    /// The ticked kinds.
    public var ticked: Set<NamespaceKind> = []
    /// The kinds' options.
    public var options = NamespaceOptions()
    /// Kinds this kernel lacks, with the reason shown beside them.
    public var unavailable: [NamespaceKind: String] = [:]
    /// True when nslab runs as root; otherwise a hint says the other kinds need User.
    public var isRoot: Bool
    /// The Namespaces panel's cursor: 0-7 the kinds, 8 the Launch button.
    public var namespaceCursor = 0
    /// The process tree, in tree order (from the owner).
    public private(set) var processes: [ProcessRow] = []
    /// Pids whose descendants are hidden.
    public var collapsed: Set<Int32> = []
    /// The selected process.
    public var selectedPID: Int32?
    /// The first visible row of the process tree.
    public var processScroll = 0
    /// The search, if one was started.
    public var search: ProcessSearch?
    /// The maps of the selected process or child (from the owner), one view per reader: the same
    /// /proc/PID/uid_map reads differently from the host and from inside, and both are shown.
    public var maps: [MapView] = []
    /// The first map line shown, when the maps do not fit their panel.
    public var mapScroll = 0
    /// The status bar's message.
    public var message: StatusMessage?
    /// What covers the panels.
    public var overlay: Overlay = .none
    /// The first help line shown, when the help does not fit the screen.
    public var helpScroll = 0
    /// How many children are running; `q` asks first when this is not zero.
    public var childrenRunning = 0
    /// True once a child pane exists, which puts it into the Tab cycle.
    public var hasChildPane = false
    /// Rules for the edit dialogs.
    public var validators: DashboardValidators

    /// The Launch button's index in `namespaceCursor`.
    public static let launchIndex = NamespaceKind.allCases.count

    /// A fresh state.
    public init(size: TerminalSize, isRoot: Bool, validators: DashboardValidators = .basic) {
        self.size = size
        self.isRoot = isRoot
        self.validators = validators
    }

    /// The layout for the current size and focus.
    public var layout: DashboardLayout { DashboardLayout(size: size, focus: focus) }

    /// The panels in Tab order right now (the child pane only once it exists).
    public var focusablePanels: [Panel] {
        Panel.allCases.filter { $0 != .child || hasChildPane }
    }

    /// The request F5 sends.
    public var launchRequest: LaunchRequest { LaunchRequest(kinds: ticked, options: options) }

    // MARK: updates from the owner

    /// Replaces the process tree, keeping the selection on the same pid when it still exists.
    public mutating func setProcesses(_ rows: [ProcessRow]) {
        processes = rows
        let visible = visibleProcesses
        if let pid = selectedPID, visible.contains(where: { $0.pid == pid }) { return }
        selectedPID = visible.first?.pid
    }

    /// Records a started child: its pane joins the Tab cycle and takes the focus.
    public mutating func childStarted(message text: String) {
        childrenRunning += 1
        hasChildPane = true
        focus = .child
        mapScroll = 0  // the maps are the new child's now
        message = StatusMessage(text)
    }

    /// Records that the last child pane was closed: the pane area goes back to its idle content, out of the
    /// Tab cycle, and the keyboard returns to the Namespaces panel, where the next launch starts.
    public mutating func childPanesClosed() {
        hasChildPane = false
        if focus == .child { focus = .namespaces }
    }

    /// Records a child's exit; its pane stays to show the last screen.
    public mutating func childExited(message text: String) {
        childrenRunning = max(0, childrenRunning - 1)
        message = StatusMessage(text)
    }

    /// Shows a message (errors in the error style); a failed launch lands here and the dashboard lives on.
    public mutating func show(_ text: String, isError: Bool = false) {
        message = StatusMessage(text, isError: isError)
    }

    // MARK: derived

    /// The process rows not hidden by a collapsed ancestor.
    public var visibleProcesses: [ProcessRow] {
        var result: [ProcessRow] = []
        var hideDeeperThan: Int?
        for row in processes {
            if let limit = hideDeeperThan {
                if row.depth > limit { continue }
                hideDeeperThan = nil
            }
            result.append(row)
            if collapsed.contains(row.pid) && row.hasChildren { hideDeeperThan = row.depth }
        }
        return result
    }

    /// True when `row` matches the search query.
    public func matchesSearch(_ row: ProcessRow) -> Bool {
        guard let query = search?.query.lowercased(), !query.isEmpty else { return false }
        return row.command.lowercased().contains(query) || row.user.lowercased().contains(query)
            || String(row.pid) == query
    }

    /// Rows of process lines the tree panel can show (header and search line excluded).
    var processListHeight: Int {
        guard let rect = layout.panels[.processes] else { return 1 }
        return max(1, rect.height - 3 - (search == nil ? 0 : 1))
    }
}
