import NamespaceKit

/// The reset between students (`R`, answered y): every tab closed, every child and every process it started (its
/// session, and what left it) killed and reaped, the wiring undone, a new section in an open notebook, and the
/// dashboard as it started.
extension DashboardModel {
    /// The question the status bar asks before a reset.
    public var resetQuestion: String {
        let count = openTabs.count
        let tabs = count == 1 ? "1 tab" : "\(count) tabs"
        return "Reset: close \(tabs), kill every child and what it started, back to the start? y/n"
    }

    /// The model as the dashboard started: the start's kinds and options, no tab, lesson, split, search or
    /// selection, the keys on the Namespaces panel. What belongs to the dashboard rather than to a lab stays: the
    /// terminal's size, the lessons found, what this kernel lacks, the notebook, the presenter layout, and the
    /// latest scan (the tree does not go blank until the next one). Tab ids go on from where they were.
    public mutating func resetToStart() {
        var fresh = DashboardModel(size: size, isRoot: isRoot, validators: validators)
        fresh.unavailable = unavailable
        fresh.doctorLines = doctorLines
        fresh.lessons = lessons
        fresh.exportShell = exportShell
        fresh.clipboardWorks = clipboardWorks
        fresh.notebook = notebook
        fresh.presenter = presenter
        fresh.presenterAllRows = presenterAllRows
        fresh.startChoices = startChoices
        fresh.ticked = startChoices.ticked
        fresh.options = startChoices.options
        fresh.snapshot = snapshot
        fresh.setProcesses(processes)
        fresh.continueTabIDs(after: self)
        fresh.settlePresenterFocus()
        self = fresh
    }

    /// Closes the open tabs of lesson `number` (starting it again); returns their ids, whose children are killed.
    mutating func closeLessonTabs(_ number: Int) -> [ChildTab.ID] {
        let earlier = openTabs.filter { $0.lesson == number }.map(\.id)
        for id in earlier { _ = closeTab(id) }
        return earlier
    }
}

/// The reset's I/O.
extension DashboardUpdate {
    /// Carries out a reset: the wiring undone first (while the namespaces it joins still exist), then every
    /// child killed with its session and reaped, every pty closed and unwatched, the notebook told, the model
    /// put back to the start and the tree read again.
    func reset(_ model: inout DashboardModel, outcome: inout UpdateOutcome) {
        undoWiring(&model)
        let closed = model.openTabs.count
        let ids = model.tabs.map(\.id)
        // What the children started, read before any of them dies (an orphan's parent link is gone): a process
        // that left its child's session (`setsid`) survives the session kill, not this.
        let started = Descendants(of: panes.childPIDs)
        // Every kill before any wait: the children end together, not one after another.
        for id in ids { panes.kill(id) }
        started.kill()
        for id in ids {
            if let fd = panes.killAndReap(id) { outcome.effects.append(.unwatch(fd)) }
        }
        panes.lab?.reset(closedTabs: closed)
        model.resetToStart()
        fittedFor = nil  // the next pane starts at the size of the layout as it is now
        model.show("Reset: \(closed == 1 ? "1 tab" : "\(closed) tabs") closed, every child killed. Back to the start.")
        refresh(&model)
    }

    /// Undoes what a reset must not leave behind besides the children: the network map's wiring (veth pairs, a
    /// bridge and its namespace), while the namespaces it joins still exist.
    func undoWiring(_ model: inout DashboardModel) { undoAllWiring(&model) }
}

extension PaneSet {
    /// The pids of the children really launched (not a test's stand-ins, which have no process).
    var childPIDs: Set<Int32> { Set(panes.values.compactMap { $0.process?.pid }) }

    /// Kills tab `id`'s child and its session, waits for the child, closes its pty and forgets the pane; returns
    /// the pty's fd (closed now), for the event loop to stop watching.
    func killAndReap(_ id: ChildTab.ID) -> FileDescriptor? {
        guard let pane = panes.removeValue(forKey: id) else { return nil }
        if let process = pane.process {
            process.kill()
            _ = process.wait()
            process.killSession()  // a job that forked while its shell was being killed
        }
        let fd = pane.fd
        pane.fd?.close()
        pane.fd = nil
        return fd
    }
}
