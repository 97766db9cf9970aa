import NamespaceKit

/// Key and mouse handling: pure changes of the model, plus the actions that need I/O, which
/// `DashboardUpdate` carries out.
extension DashboardModel {
    /// How the status bar starts when a search finds nothing; a later match clears exactly that message.
    static let noMatch = "No process matches"

    /// Applies one input event; returns what needs I/O (launch, quit, forward keys...).
    public mutating func handle(_ event: InputEvent) -> [DashboardAction] {
        defer { settlePresenterFocus() }  // a resize or Ctrl-] may leave the keys on a panel it hides
        switch event {
        case .resize(let newSize):
            size = newSize
            keepSelectionVisible()
            return []
        case .mouse(let mouse):
            return handleMouse(mouse)
        case .key(let key):
            return handleKey(key)
        }
    }

    /// Routes a key: overlays first, then the child pane, the search field, global keys, the focused panel.
    mutating func handleKey(_ key: Key) -> [DashboardAction] {
        switch overlay {
        case .help:
            // Arrows and pages scroll a help taller than the screen; any other key closes it, since people
            // press all sorts of keys to leave a read-only screen.
            let screen = Rect(x: 0, y: 0, width: size.columns, height: size.rows)
            let last = HelpOverlay.maxScroll(in: screen)
            let page = max(1, HelpOverlay.visibleRows(in: screen) - 1)
            let current = min(helpScroll, last)  // the screen may have grown since the last key
            if let moved = key.movedPosition(from: current, last: last, page: page) {
                helpScroll = moved
            } else {
                overlay = .none
                helpScroll = 0
            }
            return []
        case .confirmQuit:
            overlay = .none
            if key == .character("y") || key == .character("Y") { return [.quit] }
            show("Quit cancelled.")
            return []
        case .confirmReset:
            overlay = .none
            if key == .character("y") || key == .character("Y") { return [.reset] }
            show("Reset cancelled.")
            return []
        case .dialog(var dialog):
            return handleDialogKey(key, dialog: &dialog)
        case .lessons(let picker):
            return handleLessonListKey(key, picker: picker)
        case .network:
            return handleNetworkMapKey(key)
        case .none:
            break
        }
        // An error in its box above the bar (too long for the row) covers panel rows, the child pane's too: the
        // next key takes it away, and still does what it does.
        if let message, message.isError, StatusBar.errorBox(for: message.text, above: layout.statusBar) != nil {
            self.message = nil
        }
        if focus == .child {
            if key == Key.leavePane {
                focus = .namespaces
                return []
            }
            return [.forwardToChild(key)]
        }
        if let search, search.editing {
            return handleSearchKey(key)
        }
        if let actions = handleGlobalKey(key) { return actions }
        switch focus {
        case .namespaces: return handleNamespacesKey(key)
        case .processes: return handleProcessesKey(key)
        case .comparison:
            if presenterShown, let actions = handlePresenterKey(key) { return actions }
            if key == .character("r") { return switchComparisonReference() }
            return handleComparisonKey(key)
        case .maps: return handleMapsKey(key)
        case .child: return []
        }
    }

    /// Keys that mean the same in every dashboard panel; nil when the key is the panel's to handle.
    mutating func handleGlobalKey(_ key: Key) -> [DashboardAction]? {
        switch key {
        case .character(let c) where c.isASCII && ("1"..."8").contains(c):
            let index = Int(String(c))! - 1
            toggle(NamespaceKind.allCases[index])
            // The cursor follows, so `8 Enter` opens the time offsets.
            namespaceCursor = index
            return []
        case .function(5):
            return launch()
        case .function(7):
            return pressSplit()
        case Key.launchInside:
            return launchInsideShownTab()
        case .function(1), .character("?"):
            overlay = .help
            return []
        case .character("q"), .control(3):  // raw mode turns Ctrl-C into a key; it quits like q
            if childrenRunning > 0 {
                overlay = .confirmQuit
                return []
            }
            return [.quit]
        case .tab:
            moveFocus(by: 1)
            return []
        case .backTab:
            moveFocus(by: -1)
            return []
        case .control(12):  // Ctrl-L, as in most terminal programs
            return [.redraw]
        case .character("h"):
            overlay = .dialog(EditDialog(purpose: .hostname, options: options, validators: validators))
            return []
        case .character("m"):
            overlay = .dialog(EditDialog(purpose: .maps, options: options, validators: validators))
            return []
        case .character("L"):
            openLessonList()
            return []
        case .character("W"):  // the netWork map; `n` and `N` are taken (search, notebook)
            return openNetworkMap()
        case .character("y"):  // yank, as in vi and tmux; `c` is the process tree's filter
            return copyExportLine()
        case .character("N"):  // `n` is the process search's next match
            return [.toggleNotebook]
        case .character("P"):  // presenter; capital like L and N, so no panel's own letter is taken
            togglePresenter()
            return []
        case .character("R"):  // reset; capital, and asked y/n first, as it kills every child
            overlay = .confirmReset
            return []
        default:
            return nil
        }
    }

    /// Ticks or unticks a kind; a kind the kernel lacks stays off and says why.
    public mutating func toggle(_ kind: NamespaceKind) {
        if let line = doctorLines[kind] {
            show("\(kind.title) cannot be created here: \(line)", isError: true)
            return
        }
        if let reason = unavailable[kind] {
            show("\(kind.title) is not available: \(reason).", isError: true)
            return
        }
        if ticked.contains(kind) {
            ticked.remove(kind)
        } else {
            ticked.insert(kind)
        }
    }

    /// The launch request, or an error message when nothing is ticked.
    mutating func launch() -> [DashboardAction] {
        guard !ticked.isEmpty else {
            show("Tick at least one kind (keys 1-8) before launching.", isError: true)
            return []
        }
        return [.launch(launchRequest)]
    }

    /// Moves the focus `step` panels along the Tab order, wrapping around.
    mutating func moveFocus(by step: Int) {
        let order = focusablePanels
        let index = order.firstIndex(of: focus) ?? 0
        focus = order[(index + step + order.count) % order.count]
    }

    /// Keys of the Namespaces panel: move the cursor, tick, open options, launch.
    mutating func handleNamespacesKey(_ key: Key) -> [DashboardAction] {
        namespaceCursor = min(max(0, namespaceCursor), Self.launchIndex)  // a test may have set anything
        switch key {
        case .up, .character("k"):
            namespaceCursor = max(0, namespaceCursor - 1)
        case .down, .character("j"):
            namespaceCursor = min(Self.launchIndex, namespaceCursor + 1)
        case .home:
            namespaceCursor = 0
        case .end:
            namespaceCursor = Self.launchIndex
        case .character(" "):
            if namespaceCursor == Self.launchIndex { return launch() }
            toggle(NamespaceKind.allCases[namespaceCursor])
        case .enter:
            if namespaceCursor == Self.launchIndex { return launch() }
            openOption(of: NamespaceKind.allCases[namespaceCursor])
        default:
            break
        }
        return []
    }

    /// Enter on a kind opens or flips its option; kinds without options simply toggle.
    mutating func openOption(of kind: NamespaceKind) {
        // The doctor's line comes first: an option of a kind that cannot be created here would be set for nothing.
        if let line = doctorLines[kind] {
            show("\(kind.title) cannot be created here: \(line)", isError: true)
            return
        }
        switch kind {
        case .uts:
            overlay = .dialog(EditDialog(purpose: .hostname, options: options, validators: validators))
        case .user:
            overlay = .dialog(EditDialog(purpose: .maps, options: options, validators: validators))
        case .time:
            overlay = .dialog(EditDialog(purpose: .timeOffsets, options: options, validators: validators))
        case .pid, .mount:
            options.freshProc.toggle()
            show("Fresh /proc \(options.freshProc ? "on" : "off") (it needs Mount and PID ticked).")
        case .net:
            options.loopbackUp.toggle()
            show("Loopback \(options.loopbackUp ? "up" : "down") in a new network namespace.")
        case .ipc, .cgroup:
            toggle(kind)
        }
    }

    /// Keys of an open edit dialog: typing, field changes, apply (only when valid) and cancel.
    mutating func handleDialogKey(_ key: Key, dialog: inout EditDialog) -> [DashboardAction] {
        switch key {
        case .escape:
            overlay = .none
            return []
        case .enter:
            guard dialog.isValid else {
                show("Not applied: \(dialog.fields.compactMap(\.problem).first ?? "invalid input")", isError: true)
                overlay = .dialog(dialog)
                return []
            }
            dialog.apply(to: &options)
            overlay = .none
            show("\(dialog.title.split(separator: " (").first.map(String.init) ?? dialog.title) updated.")
            return []
        case .tab, .down:
            dialog.focusedField = (dialog.focusedField + 1) % dialog.fields.count
        case .backTab, .up:
            dialog.focusedField = (dialog.focusedField + dialog.fields.count - 1) % dialog.fields.count
        case .backspace, .delete:
            if !dialog.fields[dialog.focusedField].text.isEmpty {
                dialog.fields[dialog.focusedField].text.removeLast()
            }
        case .control(21):  // Ctrl-U clears the field, as in a shell
            dialog.fields[dialog.focusedField].text = ""
        case .character(let c):
            dialog.fields[dialog.focusedField].text.append(c)
        default:
            break
        }
        dialog.revalidate(with: validators)
        overlay = .dialog(dialog)
        return []
    }

    /// Keys of the process tree: move, page, collapse and expand, search.
    mutating func handleProcessesKey(_ key: Key) -> [DashboardAction] {
        if key == .character("c") { return toggleContainersOnly() }
        let rows = visibleProcesses
        guard !rows.isEmpty else { return key == .character("/") ? startSearch() : [] }
        let current = selectedVisibleIndex ?? 0
        if let target = key.movedPosition(from: current, last: rows.count - 1, page: processListHeight) {
            return select(rows[target].pid)
        }
        switch key {
        case .character(" "), .enter:
            toggleCollapse(rows[current])
            return []
        case .left:
            if rows[current].hasChildren { collapsed.insert(rows[current].pid) }
            return []
        case .right:
            collapsed.remove(rows[current].pid)
            return []
        case .character("/"):
            return startSearch()
        case .character("n"):
            return selectNextMatch(after: current)
        case .character("e"):
            return enter(rows[current])
        case .escape:
            search = nil
            return []
        default:
            return []
        }
    }

    /// `c`: shows only containers and children (with their ancestors), or every process again; the selection
    /// moves to the first row shown when its process is hidden.
    mutating func toggleContainersOnly() -> [DashboardAction] {
        containersOnly.toggle()
        if selectedPID.flatMap({ visibleIndex[$0] }) == nil { selectedPID = visibleProcesses.first?.pid }
        keepSelectionVisible()
        return []
    }

    /// Hides or shows the descendants of `row`.
    mutating func toggleCollapse(_ row: ProcessRow) {
        guard row.hasChildren else { return }
        if collapsed.contains(row.pid) {
            collapsed.remove(row.pid)
        } else {
            collapsed.insert(row.pid)
        }
        keepSelectionVisible()
    }

    /// Opens the search field under the tree.
    mutating func startSearch() -> [DashboardAction] {
        search = ProcessSearch(query: "", editing: true)
        keepSelectionVisible()
        return []
    }

    /// Keys while the search query is typed; each change jumps to the first match.
    mutating func handleSearchKey(_ key: Key) -> [DashboardAction] {
        guard var current = search else { return [] }
        switch key {
        case .escape:
            search = nil
            keepSelectionVisible()
            return []
        case .enter:
            current.editing = false
            search = current
            return []
        case .backspace, .delete:
            if !current.query.isEmpty { current.query.removeLast() }
        case .character(let c):
            current.query.append(c)
        default:
            return []
        }
        search = current
        return selectNextMatch(after: -1)
    }

    /// Selects the first match below `index`, wrapping around; reports when nothing matches.
    mutating func selectNextMatch(after index: Int) -> [DashboardAction] {
        guard let query = search?.query, !query.isEmpty else { return [] }
        // Search the whole tree: expand the ancestors of a hidden match so it can be shown.
        let rows = processes
        // The visible row is looked up once: rebuilding the visible list per row made each key O(n²).
        let startPID = visibleProcesses[safe: index]?.pid
        let start = startPID.flatMap { pid in rows.firstIndex { $0.pid == pid } } ?? -1
        let prepared = SearchQuery(query)
        // Below the start first, then from the top: no index arrays built per key.
        let hit =
            rows.indices.dropFirst(start + 1).first(where: { rows[$0].matches(prepared) })
            ?? rows.indices.prefix(start + 1).first(where: { rows[$0].matches(prepared) })
        guard let hit else {
            show("\(Self.noMatch) \(query.quoted).", isError: true)
            return []
        }
        expandAncestors(ofRowAt: hit)
        if message?.text.hasPrefix(Self.noMatch) == true { message = nil }
        return select(rows[hit].pid)
    }

    /// Expands every collapsed ancestor of the row at `index`, so a search hit becomes visible.
    mutating func expandAncestors(ofRowAt index: Int) {
        guard !collapsed.isEmpty else { return }
        var depth = processes[index].depth
        var expanded = collapsed  // one change, one rebuild of the visible rows
        for row in processes[..<index].reversed() where row.depth < depth {
            expanded.remove(row.pid)
            depth = row.depth
            if depth == 0 { break }
        }
        collapsed = expanded
    }

    /// Selects a process; reports it only when the selection really changed.
    mutating func select(_ pid: Int32) -> [DashboardAction] {
        let changed = pid != selectedPID
        selectedPID = pid
        if changed { mapScroll = 0 }  // another process's maps start at the top
        keepSelectionVisible()
        return changed ? [.selectProcess(pid)] : []
    }

    /// Scrolls the tree so the selected row is on screen.
    mutating func keepSelectionVisible() {
        let rows = visibleProcesses
        let height = processListHeight
        let index = selectedVisibleIndex ?? 0
        if index < processScroll { processScroll = index }
        if index >= processScroll + height { processScroll = index - height + 1 }
        processScroll = max(0, min(processScroll, max(0, rows.count - height)))
    }

    /// Mouse clicks focus panels and tabs, tick checkboxes, press Launch and select processes; the wheel scrolls.
    mutating func handleMouse(_ mouse: MouseEvent) -> [DashboardAction] {
        guard overlay == .none else {
            if overlay == .help, mouse.kind == .leftClick { overlay = .none }
            return []
        }
        let layout = self.layout
        if mouse.kind == .leftClick,
            let tab = layout.tabs(including: focusablePanels).first(where: { $0.1.contains(x: mouse.x, y: mouse.y) })
        {
            focus = tab.0
            return []
        }
        guard let panel = layout.panel(atX: mouse.x, y: mouse.y), let rect = layout.panels[panel] else { return [] }
        // The focused pane takes its own mouse events: tab clicks, the wheel, and the child's mouse.
        if panel == .child && focus == .child { return [.forwardToChild(.mouse(mouse))] }
        if panel == .processes, mouse.kind == .scrollUp || mouse.kind == .scrollDown {
            focus = .processes
            return handleProcessesKey(mouse.kind == .scrollUp ? .up : .down)
        }
        if panel == .maps, mouse.kind == .scrollUp || mouse.kind == .scrollDown {
            focus = .maps
            return handleMapsKey(mouse.kind == .scrollUp ? .up : .down)
        }
        if panel == .comparison, mouse.kind == .scrollUp || mouse.kind == .scrollDown {
            focus = .comparison
            scrollComparison(lines: mouse.kind == .scrollUp ? -1 : 1)
            return []
        }
        guard mouse.kind == .leftClick else { return [] }
        if panel != .child || hasChildPane { focus = panel }
        let row = mouse.y - rect.y - 1
        switch panel {
        case .namespaces:
            if (0..<NamespaceKind.allCases.count).contains(row) {
                namespaceCursor = row
                toggle(NamespaceKind.allCases[row])
            } else if row == NamespacesPanel.launchRow {
                namespaceCursor = Self.launchIndex
                return launch()
            }
        case .processes:
            let index = processScroll + row - 1  // row 0 is the column header
            let rows = visibleProcesses
            if row >= 1, index < rows.count { return select(rows[index].pid) }
        default:
            break
        }
        return []
    }
}

/// Bounds-checked access, for rows that may have vanished since the last refresh.
extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
