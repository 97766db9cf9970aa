import NamespaceKit

/// The lab notebook in the update step: started by `--notebook DIR` or the notebook key, following the pane on
/// show (the side with the keys in a split), stopped by the key, by quitting or by a failed write.
extension DashboardUpdate {
    /// Starts `session` (opened before the terminal, for `--notebook`): its recording begins at the pane's size.
    public func startNotebook(_ session: LabSession, model: inout DashboardModel) {
        let size = panes.size
        session.startRecording(
            columns: Int(size.columns), rows: Int(size.rows), title: "nslab lab in \(session.directory)",
            shell: system.shell)
        panes.lab = session
        model.notebook = session.directory
        followNotebook(&model)
    }

    /// The notebook key: stops a running notebook, or starts one in the `--notebook` directory (else
    /// `nslab-lab-YYYYMMDD` in the current directory). A directory that cannot be written gets one line in the
    /// status bar.
    func toggleNotebook(_ model: inout DashboardModel) {
        if let session = panes.lab {
            stopNotebook(&model)
            model.show("Notebook stopped: \(session.directory)/notebook.md and \(session.recordingName) kept.")
            return
        }
        let directory = notebookDirectory ?? Self.defaultNotebookDirectory(unixTime: NotebookFiles.wallClock())
        do {
            let session = try LabSession(directory: directory, clock: now)
            startNotebook(session, model: &model)
            model.show("Notebook on: notebook.md and \(session.recordingName).")
        } catch {
            model.show("Notebook not started: \(error.message).", isError: true)
        }
    }

    /// `nslab-lab-YYYYMMDD`, the directory the key writes to without `--notebook`.
    static func defaultNotebookDirectory(unixTime: Int) -> String {
        let day = LabNotebook.date(unixTime).prefix(10).filter { $0 != "-" }
        return "nslab-lab-\(day)"
    }

    /// Ends the notebook: the recording finished, the files closed, the status bar's REC gone.
    func stopNotebook(_ model: inout DashboardModel) {
        panes.lab?.close()
        panes.lab = nil
        model.notebook = nil
    }

    /// After every event: a failed write stops the notebook with its reason; a switch of the pane on show
    /// writes that pane's screen; a resize of it an `r` event. O(1) when nothing changed (the pty's hot path).
    func followNotebook(_ model: inout DashboardModel) {
        guard let session = panes.lab else { return }
        if let failure = session.failure {
            stopNotebook(&model)
            model.show(failure, isError: true)
            return
        }
        let id = model.keyboardTabID
        let pane = id.flatMap { panes.panes[$0] }
        if id != session.followedTab || pane !== session.followedPane {
            session.follow(id, pane: pane)
        } else if let terminal = pane?.terminal {
            session.resize(columns: terminal.cols, rows: terminal.rows)
        }
        if let failure = session.failure {
            stopNotebook(&model)
            model.show(failure, isError: true)
        }
    }

    /// A tab was launched: a marker and a notebook entry.
    func notebookLaunched(_ tab: ChildTab, model: DashboardModel) {
        panes.lab?.launched(
            tab: SplitPaneView.title(of: tab), namespaces: ExportLine.line(for: tab, shell: model.exportShell))
    }

    /// A command ended in a pane: its notebook entry and recording marker (the command parser calls this).
    public func record(command: NotebookCommand) {
        panes.lab?.record(command: command)
    }

    /// A lesson step was ticked or failed: its notebook line and recording marker.
    public func markStep(_ step: NotebookStep) {
        panes.lab?.markStep(step)
    }
}
