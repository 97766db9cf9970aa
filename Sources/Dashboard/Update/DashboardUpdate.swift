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
    case ptyReadable(FileDescriptor)
    /// A child's pty hung up.
    case ptyHangup(FileDescriptor)
    /// SIGCHLD: some child ended.
    case childExited
}

/// What the update step asks of the event loop, which it does not own.
public enum LoopEffect: Equatable, Sendable {
    /// Report this fd (a new child's pty) as readable.
    case watch(FileDescriptor)
    /// Stop reporting this fd (do it before it is closed).
    case unwatch(FileDescriptor)
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
/// nowhere else, through `system` and `panes`; the loop's part comes back as `LoopEffect`s. Keys, the pane's
/// included (`PaneKeys.swift`), are pure handlers whose `DashboardAction`s this step carries out.
public final class DashboardUpdate {
    /// /proc, the launcher, names.
    public let system: DashboardSystem
    /// The children's ptys and screens.
    public let panes: PaneSet
    /// The map's wiring: carries out its plans and holds nslab's bridge namespace while one is needed.
    public let wiring = NetworkWiring()
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
        // The lesson's steps as they stood, for the notebook's ✓ and ✗ lines (only while it is kept).
        let stepsBefore = panes.lab == nil ? nil : model.lesson.map(model.lessonStates)
        defer { noteStepsInNotebook(before: stepsBefore, model) }
        switch event {
        case .input(let input):
            let paneHadKeys = model.focus == .child && model.overlay == .none
            let mapWasOpen = model.overlay == .network
            let actions = model.handle(input)
            var isResize = false
            if case .resize = input { isResize = true }
            outcome.changedPanels =
                isResize || !(paneHadKeys && model.focus == .child && model.overlay == .none)
                || !actions.allSatisfy(Self.onlyForChild)
            perform(actions, on: &model, outcome: &outcome)
            // The scans under the map left the tree's rows as they were: the tree gets new ones at once.
            if mapWasOpen, model.overlay != .network { refresh(&model) }
        case .refresh:
            outcome.changedPanels = system.backgroundScan == nil
            refresh(&model)
        case .scanFinished:
            guard let result = system.backgroundScan?.take() else { break }
            let messageBefore = model.message
            take(result.snapshot, rows: result.rows, into: &model)
            let mapChanged = takeNetwork(result.network, full: result.networkFull, into: &model)
            // Under the open map only the map and the status bar show: a scan that changed neither needs no
            // frame (idle with 1,000 namespaces that is most intervals, and the frame was the map's dearest part).
            outcome.changedPanels = model.overlay != .network || mapChanged || model.message != messageBefore
        case .wake:
            outcome.changedPanels = recomputeIfDue(&model)
        case .ptyReadable(let fd):
            readPane(fd, model: &model)
        case .ptyHangup(let fd):
            outcome.changedPanels = true
            outcome.effects.append(.unwatch(fd))
            paneHungUp(fd, model: &model)
        case .childExited:
            outcome.changedPanels = true
            reap(&model)
        }
        settleWiring(&model)
        model.settleSplit()
        model.settlePresenterFocus()
        // Sizes follow the layout here, never while drawing: a resize, a launch or a tab change may have moved it.
        fitPanes(model)
        followNotebook(&model)
        model.revealLessonRow()
        return outcome
    }

    /// How long the first frame waits for the first scan, in seconds (it takes milliseconds on a sound machine).
    static let firstScanWait = 1.0

    /// The first refresh, before the first frame: scan and wait for it (so the first frame has the tree), and give
    /// the panes their size. The wait is short: a /proc file can block its reader for as long as its process
    /// holds its memory map (a linker at work, a process in exec), and the dashboard must not stay blank for it;
    /// a scan that is late comes in as any later one does.
    public func start(_ model: inout DashboardModel) {
        if let background = system.backgroundScan {
            background.request(scanRequest(&model))
            if let result = background.waitForResult(seconds: Self.firstScanWait) {
                take(result.snapshot, rows: result.rows, into: &model)
                takeNetwork(result.network, full: result.networkFull, into: &model)
            }
        } else {
            scanHere(&model)
        }
        model.unavailable = system.unavailableKinds(in: model.snapshot)
        // Once per dashboard: the probe child answers for this process, and that does not change while it runs.
        // Once per dashboard: the probe child answers for this process, and that does not change while it runs.
        // Bounded: creating a network namespace can wait while the kernel tears others down, and the first frame
        // must not wait for it; a probe that does not answer in time marks nothing.
        if system.probesKinds {
            applyDoctorVerdicts(system.doctorWork(), to: &model)
        }
        fitPanes(model)
    }

    /// Marks the kinds the doctor found cannot be created here.
    func applyDoctorVerdicts(_ verdicts: [KindVerdict], to model: inout DashboardModel) {
        for verdict in verdicts where verdict.availability == .no {
            guard let finding = verdict.main, model.unavailable[verdict.kind] == nil else { continue }
            model.unavailable[verdict.kind] = DashboardSystem.oneWord(finding.rule)
            model.doctorLines[verdict.kind] = finding.line(for: .dashboard)
        }
    }

    /// Kills and reaps every child and closes their ptys: on every way out.
    public func shutdown() {
        system.backgroundScan?.stop()
        // The bridge namespace goes with its fd; the veth ends in the children's namespaces go with the children.
        wiring.closeBridge()
        panes.lab?.close()
        panes.lab = nil
        panes.shutdown()
        system.removeShellStartupFiles()
    }

    /// True for an action that only hands input to a child, which changes nothing but the pane.
    static func onlyForChild(_ action: DashboardAction) -> Bool {
        switch action {
        case .forwardToChild, .type, .mouse: true
        default: false
        }
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
                let split = model.split
                let paneActions = model.handlePaneKey(key, screens: panes)
                // Only typing or clicking into a child leaves the panels as they were: the pane's own keys, a
                // status message, a click that gives the split's other side the keys change what is around it.
                if paneActions.isEmpty || !paneActions.allSatisfy(Self.onlyForChild) || model.split != split {
                    outcome.changedPanels = true
                }
                perform(paneActions, on: &model, outcome: &outcome)
            case .openSplit:
                outcome.changedPanels = true
                openSplit(&model, outcome: &outcome)
            case .copy(let text):
                outcome.effects.append(.clipboard(text))
            case .type(let key, let ids):
                type(key, into: ids, model: &model, outcome: &outcome)
            case .mouse(let mouse, let id, let area):
                panes.mouse(mouse, to: id, area: area)
            case .scroll(let id, let forward):
                panes.scroll(id, forward: forward)
            case .kill(let id):
                panes.kill(id)
                dropGoneTabs(&model)
            case .recompute:
                recompute(&model)
            case .toggleNotebook:
                outcome.changedPanels = true
                toggleNotebook(&model)
            case .reset:
                outcome.changedPanels = true
                reset(&model, outcome: &outcome)
            case .readNetwork:
                refresh(&model)
            case .wire(let shown, let other):
                outcome.changedPanels = true
                wire(shown, other, model: &model)
            }
        }
    }

    private func launch(_ request: LaunchRequest, into model: inout DashboardModel, outcome: inout UpdateOutcome) {
        switch panes.launch(request, openTabs: model.openTabs.count, system: system) {
        case .success(let pane):
            let pid = pane.pid
            let text =
                (request.title.map { "pid \(pid): \($0)" } ?? "launched pid \(pid) in \(ChildTab.kindList(request))")
                + (pane.shellNote.map { " · " + $0 } ?? "")
            let tab = model.addTab(pid: pid, request: request, message: text, promptMarks: pane.promptMarks)
            panes.adopt(pane, as: tab.id)
            if let fd = pane.fd { outcome.effects.append(.watch(fd)) }
            notebookLaunched(tab, model: model)
            refresh(&model)  // the child shows in the tree at once, not at the next tick
        case .failure(let failure):
            model.show(failure.message, isError: true)
        }
    }

    // MARK: the panes' I/O

    /// The child behind `fd` wrote: its bytes go into its pane's terminal (up to the read budget).
    private func readPane(_ fd: FileDescriptor, model: inout DashboardModel) {
        guard let id = panes.readable(fd) else { return }
        paneOutputFed(id, model: &model)
    }

    /// The child behind `fd` hung up: what it left is read, the pty closed, and a tab of which nothing is left
    /// dropped.
    private func paneHungUp(_ fd: FileDescriptor, model: inout DashboardModel) {
        if let id = panes.hangup(fd) {
            paneOutputFed(id, model: &model)
            model.tabPtyClosed(id)
        }
        dropGoneTabs(&model)
    }

    /// Bytes read from tab `id`'s pty were fed to its terminal (on every read, and the last ones at the hang-up;
    /// a read may have found none). The one place that sees a pane's output once its terminal took it in: the
    /// commands its shell finished go to the lesson from here.
    private func paneOutputFed(_ id: ChildTab.ID, model: inout DashboardModel) {
        shellCommandsEnded(in: id, &model)
    }

    /// Writes a typed key or paste to the children of `ids`; once one got it, the comparison is recomputed
    /// shortly.
    private func type(_ key: Key, into ids: [ChildTab.ID], model: inout DashboardModel, outcome: inout UpdateOutcome) {
        var sent = false
        for id in ids {
            if panes.send(key, to: id) {
                sent = true
                model.lessonKeyTyped(tab: id, now: now())
            }
        }
        if sent { keysSent(&model, outcome: &outcome) }
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

    /// What the shell of tab `id` finished since its last read, from its prompt marks (TerminalKit's commands):
    /// each goes to the lesson being followed. A tab that nslab did not mark but whose shell marks its prompts
    /// itself counts as marked from its first mark on.
    func shellCommandsEnded(in id: ChildTab.ID, _ model: inout DashboardModel) {
        guard let terminal = panes.screen(of: id) else { return }
        let commands = terminal.takeCommands()
        guard !commands.isEmpty || terminal.hasPromptMarks else { return }
        if terminal.hasPromptMarks, model.tab(id)?.promptMarks == PromptMarks.none {
            model.setPromptMarks(tab: id, given: true)
        }
        for command in commands {
            if panes.lab != nil, let tab = model.tab(id) {
                record(
                    command: NotebookCommand(
                        tab: tab, model: model, command: command.commandLine, output: command.output,
                        outputLeftOut: command.omittedOutputRows,
                        status: command.exitStatus.map { Int32(truncatingIfNeeded: $0) }, started: command.startTime,
                        ended: command.endTime))
            }
            learnerRan(
                LearnerCommand(
                    tabID: id, text: command.commandLine,
                    status: command.exitStatus.map { Int32(truncatingIfNeeded: $0) },
                    outputRows: command.output, started: command.startTime),
                model: &model)
        }
    }

    /// Writes a notebook line for each lesson step that turned ✓ or ✗ since `before`.
    private func noteStepsInNotebook(before: [StepState]?, _ model: DashboardModel) {
        guard let before, let session = model.lesson else { return }
        let after = model.lessonStates(session)
        guard after != before, after.count == before.count else { return }
        for (index, state) in after.enumerated() where state != before[index] {
            let step = session.lesson.steps[index]
            let text = step.command.isEmpty ? step.expect : step.command
            let lesson = "Lesson \(session.lesson.number): \(session.lesson.title)"
            switch state {
            case .done:
                markStep(NotebookStep(lesson: lesson, number: index + 1, of: after.count, text: text, passed: true))
            case .failed(let hint):
                markStep(
                    NotebookStep(
                        lesson: lesson, number: index + 1, of: after.count, text: text, passed: false, hint: hint))
            default: break
            }
        }
    }

    /// A command the learner ran finished in a pane (its prompt marks said so): the lesson's current step takes
    /// it when it is that step's, and the facts are read again so a check waiting on them is decided soon.
    public func learnerRan(_ command: LearnerCommand, model: inout DashboardModel) {
        guard model.lessonCommandRan(command, now: now()) else { return }
        refresh(&model)
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
        background.request(scanRequest(&model))
    }

    /// Scans on this thread and takes the result at once.
    private func scanHere(_ model: inout DashboardModel) {
        let request = scanRequest(&model)
        guard let snapshot = system.scan(watching: request.watched) else { return }
        let rows = ProcessRows.rows(
            snapshot, host: system.hostPID, children: request.children, userName: system.userName)
        take(snapshot, rows: rows, into: &model)
        let network = request.network.map { ScanRequest.readNetwork($0, of: snapshot) }
        takeNetwork(network, full: request.network?.only == nil, into: &model)
    }

    /// Puts a network reading (made with the scan, while the map is open) into the map's state; true when
    /// anything the map shows changed.
    @discardableResult
    private func takeNetwork(_ reading: NetworkMap?, full: Bool, into model: inout DashboardModel) -> Bool {
        guard let reading else { return false }
        let changed = model.network.take(reading, full: full, now: now())
        model.network.keepLayout(in: NetworkMapView.area(model))
        return changed
    }

    /// What a scan should re-read completely (the running children and the compared process) and mark.
    /// While the network map is open it also asks for a network reading (full, or of the boxes on screen).
    private func scanRequest(_ model: inout DashboardModel) -> ScanRequest {
        let running = Set(model.tabs.filter { $0.exit == nil }.map(\.pid))
        let compared = comparedPID(model).map { [$0] } ?? []
        let network = model.overlay == .network ? model.network.nextRequest(onScreen: model.networkOnScreen) : nil
        return ScanRequest(
            watched: running.union(compared), children: running, network: network, wantsRows: model.overlay != .network)
    }

    /// Puts a scan's snapshot and tree into the model, and recomputes the comparison and the maps from it.
    private func take(_ snapshot: Snapshot, rows: [ProcessRow]?, into model: inout DashboardModel) {
        system.forgetHostFacts()
        model.snapshot = snapshot
        if let rows { model.setProcesses(rows) }
        // A selected process that exited (a nested `unshare -u sh`, then `exit`) hands the panels back to the
        // tab's child, rather than leaving them on a process that is gone.
        if case .process(let pid)? = model.comparison.target, snapshot.process(pid) == nil, let tab = model.shownTab,
            tab.exit == nil
        {
            model.comparison.point(at: .tab(tab.id))
        }
        recompute(&model)
        // Also when the comparison is of another process than the lesson's child: a command waiting for its
        // check still times out, and snapshot-only checks still see the new processes.
        model.noteLessonProgress(now: now())
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
        model.comparison.latest = ComparisonRows.view(comparison, againstHost: reference == system.hostPID)
        model.lastComparison = comparison  // for the lesson card's checks
        model.noteLessonProgress(now: now())
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
