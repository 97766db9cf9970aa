import NamespaceKit

/// Something that happened, as the update step takes it.
public enum DashboardEvent: Equatable, Sendable {
    /// A key, a mouse event or a new terminal size.
    case input(InputEvent)
    /// The refresh interval passed: scan /proc again.
    case refresh
    /// A background scan finished (`DashboardSystem.scanWakeFD` was readable): take its snapshot.
    case scanFinished
    /// A one-shot wake-up asked for with `LoopEffect.wake`: a recompute may be due.
    case wake
    /// A child's pty has output.
    case ptyReadable(Int32)
    /// A child's pty hung up.
    case ptyHangup(Int32)
    /// SIGCHLD: some child ended.
    case childExited
}

/// What the update step asks of the event loop, which it does not own.
public enum LoopEffect: Equatable, Sendable {
    /// Report this fd (a new child's pty) as readable.
    case watch(Int32)
    /// Stop reporting this fd (do it before it is closed).
    case unwatch(Int32)
    /// Wake the loop after this many seconds (`DashboardEvent.wake`).
    case wake(after: Double)
    /// Forget what the terminal shows and send every cell again (Ctrl-L).
    case redrawAll
    /// Leave: kill and reap the children, restore the terminal.
    case quit
    /// Write this text to the terminal's clipboard with OSC 52 (only asked for where TERM takes it).
    case clipboard(String)
}

/// What one update did: the loop's effects, and whether anything but the child pane may have changed (a
/// frame where only a child wrote draws just the pane).
public struct UpdateOutcome: Equatable, Sendable {
    /// For the event loop.
    public var effects: [LoopEffect] = []
    /// False when only the child pane can look different.
    public var changedPanels = false
}

/// The dashboard's one update step: an event and the model in, the next model out. The I/O an event needs (a
/// scan, a launch, reading and writing ptys, resizing them, reading a process's facts) happens here and
/// nowhere else, through `system` and `panes`; the loop's part comes back as `LoopEffect`s.
public final class DashboardUpdate {
    /// /proc, the launcher, names.
    public let system: DashboardSystem
    /// The children's ptys and screens.
    public let panes: PaneSet
    /// The monotonic clock, in nanoseconds; tests may set their own.
    var now: () -> UInt64 = SystemCall.monotonicNanoseconds

    /// How long after keys were sent to the child the comparison is recomputed (nanoseconds): long enough for
    /// a typed command to take effect, short enough to feel live.
    static let afterKeysDelay: UInt64 = 250_000_000

    /// What the panes were last fitted to: the terminal size and the split (see `SplitUpdate.swift`).
    var fittedFor: PaneFit?

    /// `--notebook DIR`: where the notebook key writes; nil for `nslab-lab-YYYYMMDD` in the current directory.
    public var notebookDirectory: String?

    /// An update step over `system`, with the panes in `panes`.
    public init(system: DashboardSystem, panes: PaneSet = PaneSet()) {
        self.system = system
        self.panes = panes
    }

    /// Applies `event` to `model`.
    public func apply(_ event: DashboardEvent, to model: inout DashboardModel) -> UpdateOutcome {
        var outcome = UpdateOutcome()
        switch event {
        case .input(let input):
            let paneHadKeys = model.focus == .child && model.overlay == .none
            let actions = model.handle(input)
            var isResize = false
            if case .resize = input { isResize = true }
            outcome.changedPanels =
                isResize || !(paneHadKeys && model.focus == .child && model.overlay == .none)
                || !actions.allSatisfy(Self.onlyForChild)
            perform(actions, on: &model, outcome: &outcome)
        case .refresh:
            outcome.changedPanels = system.backgroundScan == nil
            refresh(&model)
        case .scanFinished:
            guard let result = system.backgroundScan?.take() else { break }
            outcome.changedPanels = true
            take(result.snapshot, rows: result.rows, into: &model)
        case .wake:
            outcome.changedPanels = recomputeIfDue(&model)
        case .ptyReadable(let fd):
            panes.readable(fd)
        case .ptyHangup(let fd):
            outcome.changedPanels = true
            outcome.effects.append(.unwatch(fd))
            if let id = panes.hangup(fd) { model.tabPtyClosed(id) }
            dropGoneTabs(&model)
        case .childExited:
            outcome.changedPanels = true
            reap(&model)
        }
        model.settleSplit()
        // Sizes follow the layout here, never while drawing: a resize, a launch or a tab change may have moved it.
        fitPanes(model)
        followNotebook(&model)
        return outcome
    }

    /// The first refresh, before the first frame: scan and wait for it (so the first frame has the tree), and give
    /// the panes their size.
    public func start(_ model: inout DashboardModel) {
        if let background = system.backgroundScan {
            background.request(scanRequest(model))
            if let result = background.waitForResult(seconds: 30) {
                take(result.snapshot, rows: result.rows, into: &model)
            }
        } else {
            scanHere(&model)
        }
        model.unavailable = system.unavailableKinds(in: model.snapshot)
        fitPanes(model)
    }

    /// Kills and reaps every child and closes their ptys: on every way out.
    public func shutdown() {
        system.backgroundScan?.stop()
        panes.lab?.close()
        panes.lab = nil
        panes.shutdown()
    }

    /// True for an action that only hands input to the child, which changes nothing but the pane.
    static func onlyForChild(_ action: DashboardAction) -> Bool {
        if case .forwardToChild = action { return true }
        return false
    }

    // MARK: actions from the key handlers

    private func perform(_ actions: [DashboardAction], on model: inout DashboardModel, outcome: inout UpdateOutcome) {
        for action in actions {
            switch action {
            case .quit:
                outcome.effects.append(.quit)
            case .redraw:
                outcome.effects.append(.redrawAll)
            case .launch(let request):
                outcome.changedPanels = true
                launch(request, into: &model, outcome: &outcome)
            case .selectProcess(let pid):
                // Selecting a launched child again brings back its pane's exit status once it ends.
                model.comparison.point(at: model.tab(ofPID: pid).map { .tab($0.id) } ?? .process(pid))
                recompute(&model)
            case .forwardToChild(let key):
                forward(key, model: &model, outcome: &outcome)
            case .openSplit:
                outcome.changedPanels = true
                openSplit(&model, outcome: &outcome)
            case .copy(let text):
                outcome.effects.append(.clipboard(text))
            case .toggleNotebook:
                outcome.changedPanels = true
                toggleNotebook(&model)
            }
        }
    }

    private func launch(_ request: LaunchRequest, into model: inout DashboardModel, outcome: inout UpdateOutcome) {
        switch panes.launch(request, openTabs: model.openTabs.count, system: system) {
        case .success(let pane):
            let pid = pane.pid
            let text =
                request.title.map { "pid \(pid): \($0)" } ?? "launched pid \(pid) in \(ChildTab.kindList(request))"
            let tab = model.addTab(pid: pid, request: request, message: text)
            panes.adopt(pane, as: tab.id)
            if pane.fd >= 0 { outcome.effects.append(.watch(pane.fd)) }
            notebookLaunched(tab, model: model)
            refresh(&model)  // the child shows in the tree at once, not at the next tick
        case .failure(let failure):
            model.show(failure.message, isError: true)
        }
    }

    // MARK: the child pane

    /// A key (or mouse event) while the pane has the keyboard: the pane's own keys act on the tabs and the
    /// view, the rest go to the child on show; Enter on an ended child relaunches it.
    private func forward(_ key: Key, model: inout DashboardModel, outcome: inout UpdateOutcome) {
        // Shift-F5 is the pane's own: a new child inside the shown child's namespaces.
        if key == Key.launchInside {
            for case .launch(let request) in model.launchInsideShownTab() {
                outcome.changedPanels = true
                launch(request, into: &model, outcome: &outcome)
            }
            return
        }
        if let command = PaneCommand(key) {
            outcome.changedPanels = true
            if command == .split {
                perform(model.pressSplit(), on: &model, outcome: &outcome)
                return
            }
            if model.splitCommand(command) { return }
            switch command {
            case .nextTab: model.showTab(by: 1)
            case .previousTab: model.showTab(by: -1)
            case .showTab(let index): model.showTab(at: index)
            case .closeTab:
                // Ended or not: an ended shell's background jobs still hold the session (and the pty). In a
                // split, the side with the keys is the one closed.
                if let id = model.keyboardTabID, let closed = model.closeTab(id) { panes.kill(closed.id) }
                dropGoneTabs(&model)
            case .scrollBack, .scrollForward:
                if let id = model.keyboardTabID { panes.scroll(id, forward: command == .scrollForward) }
            case .split, .unsplit, .otherSide, .zoom, .broadcast: break  // handled above
            }
            followShownTab(&model)
            return
        }
        guard let id = model.keyboardTabID, let tab = model.tab(id) else { return }
        if case .mouse(let mouse) = key {
            if model.splitShown {
                mouseInSplit(mouse, model: &model, outcome: &outcome)
                return
            }
            mouseInPane(mouse, tab: tab, model: &model, outcome: &outcome)
            return
        }
        if tab.exit != nil && !(model.split?.broadcast == true && model.splitShown) {
            if key == .enter && tab.isHost {
                model.show("The host shell ended: S-F7 then F7 starts a new one.")
            } else if key == .enter {
                launch(tab.request, into: &model, outcome: &outcome)
            }
            return
        }
        // Broadcasting, a key goes to both sides (to those still running).
        var sent = false
        for id in model.typingTabIDs where model.tab(id)?.exit == nil {
            if panes.send(key, to: id) { sent = true }
        }
        if sent { keysSent(&model, outcome: &outcome) }
    }

    private func mouseInPane(
        _ mouse: MouseEvent, tab: ChildTab, model: inout DashboardModel, outcome: inout UpdateOutcome
    ) {
        guard let rect = model.layout.panels[.child] else { return }
        if mouse.kind == .leftClick, mouse.y == rect.y,
            let label = TabBar.labels(model, in: rect, screens: panes).first(where: { $0.x.contains(mouse.x) })
        {
            model.showTab(id: label.id)
            followShownTab(&model)
            outcome.changedPanels = true
            return
        }
        panes.mouse(mouse, to: tab.id, area: ChildPaneView.screenArea(in: rect))
    }

    /// The panels follow the tab on show: its child is compared with the host.
    private func followShownTab(_ model: inout DashboardModel) {
        guard let tab = model.shownTab, model.comparison.target != .tab(tab.id) else { return }
        model.comparison.point(at: .tab(tab.id))
        recompute(&model)
    }

    /// Keys went to the child: recompute shortly, once they had time to take effect. While keys keep coming,
    /// the pending recompute is not pushed back, so the panel updates at least every delay.
    private func keysSent(_ model: inout DashboardModel, outcome: inout UpdateOutcome) {
        guard model.comparison.recomputeDue == nil else { return }
        model.comparison.recomputeDue = now() + Self.afterKeysDelay
        outcome.effects.append(.wake(after: Double(Self.afterKeysDelay) / 1e9))
    }

    /// Recomputes when the post-keys delay has passed; true when it did.
    private func recomputeIfDue(_ model: inout DashboardModel) -> Bool {
        guard let due = model.comparison.recomputeDue, now() >= due else { return false }
        model.comparison.recomputeDue = nil
        recompute(&model)
        return true
    }

    /// Reaps the children that ended, and drops what is gone.
    private func reap(_ model: inout DashboardModel) {
        let running = model.tabs.filter { $0.exit == nil }.map(\.id)
        let ended = panes.reap(running: running)
        for (id, status) in ended { model.tabEnded(id, status: status) }
        dropGoneTabs(&model)
        // Only when a tab's child ended: SIGCHLD also comes from the fact helpers a recompute starts, and
        // recomputing on those would start helpers for ever.
        if !ended.isEmpty { recompute(&model) }
    }

    private func dropGoneTabs(_ model: inout DashboardModel) {
        for id in model.removeGoneTabs() { panes.discard(id) }
    }

    /// The size of the pane's screen in the current layout; the panes are kept at it.
    private func fitPanes(_ model: DashboardModel) {
        // The pane area depends on the terminal size and the split alone, and new panes start at the fitted
        // size: a pty's output (the hot path) need not compute the layout again.
        let key = PaneFit(model)
        guard key != fittedFor else { return }
        guard let sizes = PaneFit.sizes(model) else { return }
        panes.fit(to: sizes.shown, sides: sizes.sides)
        fittedFor = key
    }

    // MARK: reading /proc

    /// Scans /proc and rebuilds the tree, the comparison and the maps from it: on the live system the scan runs
    /// on the background thread and its result comes back as `.scanFinished`; in tests it runs here.
    func refresh(_ model: inout DashboardModel) {
        guard let background = system.backgroundScan else { return scanHere(&model) }
        background.request(scanRequest(model))
    }

    /// Scans on this thread and takes the result at once.
    private func scanHere(_ model: inout DashboardModel) {
        let request = scanRequest(model)
        guard let snapshot = system.scan(watching: request.watched) else { return }
        let rows = ProcessRows.rows(
            snapshot, host: system.hostPID, children: request.children, userName: system.userName)
        take(snapshot, rows: rows, into: &model)
    }

    /// What a scan should re-read completely (the running children and the compared process) and mark.
    private func scanRequest(_ model: DashboardModel) -> ScanRequest {
        let running = Set(model.tabs.filter { $0.exit == nil }.map(\.pid))
        let compared = comparedPID(model).map { [$0] } ?? []
        return ScanRequest(watched: running.union(compared), children: running)
    }

    /// Puts a scan's snapshot and tree into the model, and recomputes the comparison and the maps from it.
    private func take(_ snapshot: Snapshot, rows: [ProcessRow], into model: inout DashboardModel) {
        system.forgetHostFacts()
        model.snapshot = snapshot
        model.setProcesses(rows)
        // A selected process that exited (a nested `unshare -u sh`, then `exit`) hands the panels back to the
        // tab's child, rather than leaving them on a process that is gone.
        if case .process(let pid)? = model.comparison.target, snapshot.process(pid) == nil, let tab = model.shownTab,
            tab.exit == nil
        {
            model.comparison.point(at: .tab(tab.id))
        }
        recompute(&model)
    }

    /// The pid the comparison is about.
    private func comparedPID(_ model: DashboardModel) -> Int32? {
        switch model.comparison.target {
        case .tab(let id)?: model.tab(id)?.pid
        case .process(let pid)?: pid
        case nil: nil
        }
    }

    /// Recomputes the comparison and the maps for what is compared; a process that ended keeps its last
    /// values, marked with how it ended. With nothing compared, the maps are the selected process's.
    func recompute(_ model: inout DashboardModel) {
        guard let snapshot = model.snapshot else { return }
        guard let target = model.comparison.target else {
            model.maps = model.selectedPID.map { MapViews.hostReading(of: $0, in: snapshot) } ?? []
            return
        }
        if case .tab(let id) = target {
            guard let tab = model.tab(id) else { return }
            if let status = tab.exit {
                model.comparison.latest?.ended = status.description
                return
            }
        }
        // A child started inside another process is compared with that process (r switches to the host).
        var reference = system.hostPID
        if case .tab(let id) = target, !model.comparison.againstHost, let inside = model.tab(id)?.request.joining?.pid,
            snapshot.process(inside) != nil
        {
            reference = inside
        }
        guard let pid = comparedPID(model), let comparison = system.compare(pid, with: reference, in: snapshot),
            comparison.left.state != "Z"
        else {
            // Gone, or a zombie not yet reaped: keep what was last seen.
            if case .process = target { model.comparison.latest?.ended = "ended" }
            return
        }
        model.comparison.latest = ComparisonRows.view(comparison)
        if reference != system.hostPID {
            model.comparison.latest?.subject += " vs pid \(reference) (\(comparison.right.comm))"
        }
        model.lastComparison = comparison  // for the lesson card's checks
        model.noteLessonProgress()
        if case .process = target { model.comparison.latest?.isOwnChild = false }
        var maps = MapViews.hostReading(of: comparison)
        if MapViews.hasOwnUserNamespace(pid, host: system.hostPID, in: snapshot),
            let readings = system.mapsReadInside(pid)
        {
            maps += MapViews.insideReadings(
                of: pid, command: comparison.left.comm, host: system.hostPID, readings: readings, in: snapshot)
        }
        model.maps = maps
    }
}
