import NamespaceKit
import TerminalKit

/// A running lab notebook: `notebook.md` and the recording in one directory, and which pane the recording
/// follows. Once a write fails (a full or read-only disk) it stops writing and keeps the reason for the status
/// bar; the dashboard goes on without it.
public final class LabSession {
    /// The directory, as given.
    public let directory: String
    /// The recording's file name in it (`lab.cast`, or `lab-N.cast` beside an earlier one).
    public let recordingName: String
    /// The Markdown handout.
    let notebook: LabNotebook
    /// The recording's file, until its header is written.
    private var recordingWriter: ThreadedCastWriter?
    /// The recording, once started with a size.
    private(set) var recording: LabRecording?
    /// The files, closed on `close()`.
    private let files: [FileSink]
    /// The recording's file, written on a thread of its own; closed on `close()`.
    private let castFile: ThreadedCastWriter
    /// The monotonic clock, in nanoseconds.
    let clock: () -> UInt64
    /// Why writing stopped; nil while all is well.
    public private(set) var failure: String?
    /// The tab whose pane the recording follows.
    var followedTab: ChildTab.ID?
    /// That tab's pane, so the pty reader knows which output to record.
    weak var followedPane: Pane?

    /// Makes the directory if missing and opens both files; the notebook's new section is written at once, so a
    /// directory that cannot be written fails here, before the lab starts.
    public init(
        directory: String, clock: @escaping () -> UInt64 = SystemCall.monotonicNanoseconds,
        wallClock: () -> Int = NotebookFiles.wallClock
    ) throws(NotebookError) {
        self.directory = directory
        self.clock = clock
        try NotebookFiles.makeDirectory(directory)
        let notebookPath = directory + "/" + NotebookFiles.notebookName
        let (notebookSink, separator) = try NotebookFiles.openForAppending(notebookPath)
        let (castSink, castName) = try NotebookFiles.createRecording(in: directory)
        recordingName = castName
        castFile = ThreadedCastWriter(castSink)
        recordingWriter = castFile
        files = [notebookSink]
        do {
            notebook = try LabNotebook(
                sink: notebookSink, wallStart: wallClock(), monotonicStart: clock(), recording: castName,
                separator: separator)
        } catch {
            throw .file(notebookPath, error)
        }
    }

    deinit { castFile.close() }

    /// True while the recording takes `pane`'s output.
    func follows(_ pane: Pane) -> Bool { recording != nil && failure == nil && followedPane === pane }

    /// Writes the recording's header for a pane area of `columns` x `rows`.
    public func startRecording(columns: Int, rows: Int, title: String, shell: String) {
        guard let writer = recordingWriter, failure == nil else { return }
        recordingWriter = nil
        let header = LabRecording.Header(
            columns: columns, rows: rows, timestamp: notebook.wallStart, title: title, term: "xterm-256color",
            shell: shell)
        do {
            recording = try LabRecording(writer: writer, header: header, clock: clock)
        } catch {
            fail(error, in: recordingName)
        }
    }

    /// Records pane output (the followed pane's).
    func output(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let recording else { return }
        if let error = recording.output(bytes) { fail(error, in: recordingName) }
    }

    /// The recording now follows tab `id`, whose screen is `terminal`: a clear screen and its cells.
    func follow(_ id: ChildTab.ID?, pane: Pane?) {
        followedTab = id
        followedPane = pane
        guard failure == nil, let recording, let terminal = pane?.terminal else { return }
        let snapshot = ScreenSnapshot.bytes(of: terminal)
        if let error = recording.switchTo(columns: terminal.cols, rows: terminal.rows, screen: snapshot) {
            fail(error, in: recordingName)
        }
    }

    /// The followed pane's size is now `columns` x `rows` (an `r` event when it changed).
    func resize(columns: Int, rows: Int) {
        guard failure == nil, let recording else { return }
        if let error = recording.resize(columns: columns, rows: rows) { fail(error, in: recordingName) }
    }

    /// A child started: a marker in the recording, an entry in the notebook.
    public func launched(tab: String, namespaces: String?) {
        guard failure == nil else { return }
        if let error = recording?.marker("launch: \(tab)") { return fail(error, in: recordingName) }
        if let error = notebook.launch(tab: tab, namespaces: namespaces, at: clock()) {
            fail(error, in: NotebookFiles.notebookName)
        }
    }

    /// The dashboard was reset: a new section in the notebook and a marker in the recording.
    public func reset(closedTabs: Int) {
        guard failure == nil else { return }
        if let error = recording?.marker("reset: \(closedTabs) tabs closed") { return fail(error, in: recordingName) }
        if let error = notebook.reset(closedTabs: closedTabs, at: clock()) {
            fail(error, in: NotebookFiles.notebookName)
        }
    }

    /// A command ended: its entry in the notebook and a marker in the recording.
    public func record(command: NotebookCommand) {
        guard failure == nil else { return }
        let status = command.status.map { " (exit \($0))" } ?? ""
        if let error = recording?.marker("$ \(command.command)\(status)") { return fail(error, in: recordingName) }
        if let error = notebook.record(command) { fail(error, in: NotebookFiles.notebookName) }
    }

    /// A lesson step ticked (✓) or failed (✗): a line in the notebook and a marker in the recording.
    public func markStep(_ step: NotebookStep) {
        guard failure == nil else { return }
        let mark = step.passed ? "✓" : "✗"
        let label = "\(mark) lesson \(step.lesson), step \(step.number) of \(step.of): \(step.text)"
        if let error = recording?.marker(label) { return fail(error, in: recordingName) }
        if let error = notebook.step(step, at: clock()) { fail(error, in: NotebookFiles.notebookName) }
    }

    /// Ends the recording (a held partial character written as U+FFFD) and closes the files.
    public func close() {
        if failure == nil, let error = recording?.finish() { fail(error, in: recordingName) }
        for file in files { file.close() }
        castFile.close()
    }

    /// Stops writing, keeping the reason for the status bar.
    private func fail(_ error: Errno, in name: String) {
        guard failure == nil else { return }
        failure =
            "Notebook stopped: writing \(directory)/\(name) failed: \(error). The lab goes on without it."
        for file in files { file.close() }
        castFile.close()
    }
}
