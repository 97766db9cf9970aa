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
    /// The lesson list (`L`).
    case lessons(LessonPicker)
    /// "Reset: close every tab and kill every child? y/n" (`R`, `Update/Reset.swift`).
    case confirmReset
    /// The network map (`W`, `Update/NetworkMapKeys.swift`); its state is `DashboardModel.network`.
    case network
}

/// The process search started with `/`.
public struct ProcessSearch: Equatable, Sendable {
    /// The text searched for (case-insensitive, in command, user, pid and container label).
    public var query: String
    /// True while the query is being typed.
    public var editing: Bool
}

/// The dashboard's one model: everything it shows and remembers, as values. Keys change it through the pure
/// handlers in `Update/KeyHandling.swift`; everything that needs I/O (a scan, a launch, a pty) is done by
/// `DashboardUpdate`, which writes the results back here. Widgets only read it.
public struct DashboardModel: Sendable {
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
    /// The doctor's line (rule, reason and fix) for each kind that cannot be created here, found once at start.
    public var doctorLines: [NamespaceKind: String] = [:]
    /// True when nslab runs as root; otherwise a hint says the other kinds need User.
    public var isRoot: Bool
    /// The Namespaces panel's cursor: 0-7 the kinds, 8 the Launch button.
    public var namespaceCursor = 0
    /// The latest scan of /proc; nil before the first (or when /proc cannot be read).
    public var snapshot: Snapshot?
    /// The process tree as shown, in tree order (built from `snapshot`).
    public private(set) var processes: [ProcessRow] = [] {
        didSet { rebuildVisibleProcesses() }
    }
    /// Pids whose descendants are hidden.
    public var collapsed: Set<Int32> = [] {
        didSet { if collapsed != oldValue { rebuildVisibleProcesses() } }
    }
    /// With `c`: only processes in some namespace of their own, in a container or launched by nslab, with their
    /// ancestors for context (the tree stays a tree); every process in all of the host's namespaces is hidden.
    public var containersOnly = false {
        didSet { if containersOnly != oldValue { rebuildVisibleProcesses() } }
    }
    /// The process rows not hidden by a collapsed ancestor, kept here and rebuilt only when `processes` or
    /// `collapsed` change: a key or a frame that rebuilt them (O(n)) took far over 50 ms at 20,000 processes.
    public private(set) var visibleProcesses: [ProcessRow] = []
    /// Each visible pid's index in `visibleProcesses`.
    public private(set) var visibleIndex: [Int32: Int] = [:]
    /// How often the visible rows were rebuilt, so tests can check that keys which change neither the tree nor
    /// what is collapsed leave them alone.
    private(set) var visibleRebuilds = 0
    /// The selected process.
    public var selectedPID: Int32?
    /// The first visible row of the process tree.
    public var processScroll = 0
    /// The search, if one was started.
    public var search: ProcessSearch?
    /// The maps of the compared (or selected) process, one view per reader: the same /proc/PID/uid_map reads
    /// differently from the host and from inside, and both are shown.
    public var maps: [MapView] = []
    /// The first map line shown, when the maps do not fit their panel.
    public var mapScroll = 0
    /// The host-vs-child panel.
    public var comparison = ComparisonState()
    /// The children launched from the dashboard, one tab each, oldest first; ended ones stay until closed,
    /// so their last screen shows.
    public private(set) var tabs: [ChildTab] = []
    /// The tab on show in the child pane.
    public private(set) var shownTabID: ChildTab.ID?
    /// The id the next tab gets.
    public private(set) var nextTabID = 1
    /// The split pane area (F7): the left side's tab, which side has the keys, zoom and broadcast.
    public var split: PaneSplit?
    /// The status bar's message.
    public var message: StatusMessage?
    /// What covers the panels.
    public var overlay: Overlay = .none
    /// The first help line shown, when the help does not fit the screen.
    public var helpScroll = 0
    /// The network map's reading, cursor and rates (shown while `overlay` is `.network`).
    public var network = NetworkMapState()
    /// Rules for the edit dialogs.
    public var validators: DashboardValidators
    /// The lessons `L` lists (Lessons/LessonLoader.swift); bad files were reported at start.
    public var lessons = LoadedLessons()
    /// The lesson being followed; its card shows beside the child pane.
    public var lesson: LessonSession?
    /// The latest comparison of the compared process with the host, which the lesson checks read.
    public var lastComparison: Comparison?
    /// True on a terminal whose locale is not UTF-8: the views write ASCII where a glyph carries meaning (`!=`
    /// for `≠`), and the backend draws every other non-ASCII glyph with its fallback (NcursesBackend).
    public var asciiGlyphs = false
    /// The shell the unshare line under Launch ends with (the one children get).
    public var exportShell = "/bin/sh"
    /// True when TERM takes OSC 52, so `c` may copy the unshare line.
    public var clipboardWorks = false
    /// The lab notebook's directory while it is written (`N`, `--notebook`); the status bar says REC.
    public var notebook: String?
    /// The presenter layout is asked for (`P`, `--present`); it shows from 100x30 on (`Model/Presenter.swift`).
    public var presenter = false
    /// The presenter layout shows every kind, not only those that differ (`a`).
    public var presenterAllRows = false
    /// The first line of the presenter layout's comparison shown, when its rows do not fit.
    public var presenterScroll = 0
    /// The kinds and options the dashboard started with (`--ns`, `--hostname`, maps), which a reset goes back to.
    public var startChoices = StartChoices()

    /// The Launch button's index in `namespaceCursor`.
    public static let launchIndex = NamespaceKind.allCases.count

    /// A fresh model; the edit dialogs check with launch's own rules for this caller unless `validators` says.
    public init(size: TerminalSize, isRoot: Bool, validators: DashboardValidators? = nil) {
        self.size = size
        self.isRoot = isRoot
        self.validators = validators ?? .launchRules(privileged: isRoot)
    }

    /// The layout for the current size and focus.
    public var layout: DashboardLayout {
        DashboardLayout(
            size: size, focus: focus, split: splitShown, lessonCard: lessonShown != nil, presenter: presenter)
    }

    /// The panels in Tab order right now (the child pane only while a tab is open; in the presenter layout only
    /// the Host vs child panel and the pane).
    public var focusablePanels: [Panel] {
        let shown = presenterShown
        return Panel.screenOrder.filter {
            ($0 != .child || hasChildPane) && (!shown || Self.presenterPanels.contains($0))
        }
    }

    /// The request F5 sends.
    public var launchRequest: LaunchRequest { LaunchRequest(kinds: ticked, options: options) }

    // MARK: tabs

    /// The tabs listed in the pane's title row (closed ones are only waiting to be reaped).
    public var openTabs: [ChildTab] { tabs.filter { !$0.closed } }

    /// True while a child pane exists, which puts it into the Tab cycle.
    public var hasChildPane: Bool { tabs.contains { !$0.closed } }

    /// How many children are running; `q` asks first when this is not zero.
    public var childrenRunning: Int { tabs.filter { $0.exit == nil }.count }

    /// The tab on show.
    public var shownTab: ChildTab? { shownTabID.flatMap(tab) }

    /// The index of the tab on show among the open tabs.
    public var shownTabIndex: Int? { shownTabID.flatMap { id in openTabs.firstIndex { $0.id == id } } }

    /// The tab with `id`.
    public func tab(_ id: ChildTab.ID) -> ChildTab? { tabs.first { $0.id == id } }

    /// The tab whose child has `pid`, the newest first.
    public func tab(ofPID pid: Int32) -> ChildTab? { tabs.last { $0.pid == pid } }

    /// Records a started child: it gets the next tab id and a tab, is shown and compared, and its pane takes
    /// the focus. Returns the tab.
    @discardableResult
    public mutating func addTab(
        pid: Int32, request: LaunchRequest, message text: String, promptMarks: PromptMarks = .none
    ) -> ChildTab {
        var tab = ChildTab(id: nextTabID, pid: pid, request: request)
        tab.promptMarks = promptMarks
        tab.lesson = lessonShown?.lesson.number
        nextTabID += 1
        tabs.append(tab)
        shownTabID = tab.id
        focus = .child
        mapScroll = 0  // the maps are the new child's now
        comparison.point(at: .tab(tab.id))
        message = StatusMessage(text)
        return tab
    }

    /// Records the host shell of a split: a tab like the others, shown on the left side, the child on show
    /// keeping the right side and the comparison. Returns the tab.
    @discardableResult
    public mutating func addHostTab(pid: Int32, request: LaunchRequest, promptMarks: PromptMarks = .none) -> ChildTab {
        var tab = ChildTab(id: nextTabID, pid: pid, request: request)
        tab.isHost = true
        tab.promptMarks = promptMarks
        tab.lesson = lessonShown?.lesson.number
        nextTabID += 1
        tabs.append(tab)
        focus = .child
        return tab
    }

    /// Closes tab `id` (the split's left side, say), not the one on show; returns it so its child can be killed.
    public mutating func closeTab(_ id: ChildTab.ID) -> ChildTab? {
        guard id != shownTabID else { return closeShownTab() }
        guard let position = tabs.firstIndex(where: { $0.id == id && !$0.closed }) else { return nil }
        tabs[position].closed = true
        return tabs[position]
    }

    /// Records how a tab's child ended; its pane stays to show the last screen.
    public mutating func tabEnded(_ id: ChildTab.ID, status: ExitStatus) {
        guard let index = tabs.firstIndex(where: { $0.id == id }) else { return }
        tabs[index].exit = status
        message = StatusMessage("child \(tabs[index].pid) (\(tabs[index].kindList)) \(status)")
    }

    /// Records whether tab `id`'s shell gives prompt marks (OSC 133) after all: a shell nslab did not mark may
    /// mark its prompts itself (the user's own shell integration), and one it marked may have lost them.
    public mutating func setPromptMarks(tab id: ChildTab.ID, given: Bool) {
        guard let index = tabs.firstIndex(where: { $0.id == id }) else { return }
        let now = tabs[index].promptMarks
        tabs[index].promptMarks = given ? (now == .none ? .full : now) : .none
    }

    /// Records that a tab's pty was closed (its child hung up and everything was read).
    public mutating func tabPtyClosed(_ id: ChildTab.ID) {
        guard let index = tabs.firstIndex(where: { $0.id == id }) else { return }
        tabs[index].ptyOpen = false
    }

    /// Shows the open tab `step` places along, wrapping around.
    public mutating func showTab(by step: Int) {
        let list = openTabs
        guard !list.isEmpty else { return }
        let index = shownTabIndex ?? 0
        shownTabID = list[((index + step) % list.count + list.count) % list.count].id
    }

    /// Shows the open tab at `index` (0-based), when there is one.
    public mutating func showTab(at index: Int) {
        let list = openTabs
        if list.indices.contains(index) { shownTabID = list[index].id }
    }

    /// Shows the tab with `id`, when it is open.
    public mutating func showTab(id: ChildTab.ID) {
        if openTabs.contains(where: { $0.id == id }) { shownTabID = id }
    }

    /// Closes the tab on show and shows its neighbour; returns it, so its running child can be killed. After
    /// the last one the pane leaves the Tab cycle and the keyboard returns to the Namespaces panel.
    public mutating func closeShownTab() -> ChildTab? {
        guard let index = shownTabIndex, let id = shownTabID, let position = tabs.firstIndex(where: { $0.id == id })
        else { return nil }
        tabs[position].closed = true
        let rest = openTabs
        shownTabID = rest.isEmpty ? nil : rest[min(index, rest.count - 1)].id
        if rest.isEmpty && focus == .child { focus = .namespaces }
        return tabs[position]
    }

    /// Carries the tab ids on from `other` (the model a reset replaced): an id is never used twice in one run.
    mutating func continueTabIDs(after other: DashboardModel) {
        nextTabID = max(nextTabID, other.nextTabID)
    }

    /// Drops tabs of which nothing is left (closed, reaped, pty closed); returns their ids.
    public mutating func removeGoneTabs() -> [ChildTab.ID] {
        let gone = tabs.filter(\.isGone).map(\.id)
        tabs.removeAll(where: \.isGone)
        return gone
    }

    // MARK: messages

    /// Shows a message (errors in the error style); a failed launch lands here and the dashboard lives on.
    public mutating func show(_ text: String, isError: Bool = false) {
        message = StatusMessage(text, isError: isError)
    }

    // MARK: the process tree

    /// Replaces the process tree, keeping the selection on the same pid when it still exists; when it is gone,
    /// the selection goes back to the child on show (where the learner was), and only without one to the top.
    public mutating func setProcesses(_ rows: [ProcessRow]) {
        processes = rows
        if let pid = selectedPID, visibleIndex[pid] != nil { return }
        if let child = shownTab?.pid, visibleIndex[child] != nil {
            selectedPID = child
        } else {
            selectedPID = visibleProcesses.first?.pid
        }
    }

    /// Builds `visibleProcesses` and `visibleIndex` from the tree and what is collapsed.
    private mutating func rebuildVisibleProcesses() {
        var index: [Int32: Int] = [:]
        index.reserveCapacity(processes.count)
        if collapsed.isEmpty && !containersOnly {
            // Every row is visible: share the tree's array rather than keep a second copy of 20,000 rows.
            for (position, row) in processes.enumerated() { index[row.pid] = position }
            visibleProcesses = processes
            visibleIndex = index
            visibleRebuilds += 1
            return
        }
        var result: [ProcessRow] = []
        result.reserveCapacity(processes.count)
        var hideDeeperThan: Int?
        let kept = containersOnly ? Self.containersAndAncestors(processes) : nil
        for position in 0..<(kept?.count ?? processes.count) {
            let row = processes[kept?[position] ?? position]
            if let limit = hideDeeperThan {
                if row.depth > limit { continue }
                hideDeeperThan = nil
            }
            index[row.pid] = result.count
            result.append(row)
            if row.hasChildren && collapsed.contains(row.pid) { hideDeeperThan = row.depth }
        }
        visibleProcesses = result
        visibleIndex = index
        visibleRebuilds += 1
    }

    /// The indices of the rows `containersOnly` keeps, in tree order: one pass with a stack of the ancestors not
    /// yet kept, so it stays O(n) at 20,000 processes (indices, not rows: copying rows doubled the cost). A
    /// process whose namespaces could not be read is kept: unknown is never "the host's".
    static func containersAndAncestors(_ rows: [ProcessRow]) -> [Int] {
        var kept: [Int] = []
        var ancestors: [Int] = []  // indices of the open ancestors; negative once kept (-1 - index)
        rows.withUnsafeBufferPointer { rows in
            for index in rows.indices {
                let depth = rows[index].depth
                while let last = ancestors.last, rows[last < 0 ? -1 - last : last].depth >= depth {
                    ancestors.removeLast()
                }
                let wanted =
                    rows[index].isChild || rows[index].container != nil || !rows[index].differingKinds.isEmpty
                    || !rows[index].unknownKinds.isEmpty
                if wanted {
                    for slot in ancestors.indices where ancestors[slot] >= 0 {
                        kept.append(ancestors[slot])
                        ancestors[slot] = -1 - ancestors[slot]
                    }
                    kept.append(index)
                }
                ancestors.append(wanted ? -1 - index : index)
            }
        }
        return kept
    }

    /// The selected row's index among the visible rows, if it is visible.
    public var selectedVisibleIndex: Int? { selectedPID.flatMap { visibleIndex[$0] } }

    /// True when `row` matches the search query.
    public func matchesSearch(_ row: ProcessRow) -> Bool {
        guard let query = search?.query, !query.isEmpty else { return false }
        return row.matches(SearchQuery(query))
    }

    /// Rows of process lines the tree panel can show (header and search line excluded).
    var processListHeight: Int {
        guard let rect = layout.panels[.processes] else { return 1 }
        return max(1, rect.height - 3 - (search == nil ? 0 : 1))
    }
}
