import CVTerm
import CVTermGuard
import Glibc

/// A command the pane's shell ran, as its prompt marks (OSC 133) delimit it: `A` prompt start, `B` command start
/// (the end of the prompt), `C` output start, `D;STATUS` command end.
///
/// The text is what the screen showed, not what the shell read: the command line as echoed (with a wrapped line
/// joined), and the output rows as drawn. Output rows come from the pane's scrollback and screen when the command
/// ends, so output longer than the scrollback (or than `maximumOutputRows`) keeps only its last rows and says how
/// many it left out; output a full-screen program drew in the alternate screen is not part of it.
public struct ShellCommand: Equatable, Sendable {
    /// The command line as shown: the text between the cursor at the `B` mark and where the output starts.
    public var commandLine: String
    /// The output rows, trailing blanks trimmed, oldest first; at most `maximumOutputRows`, the last ones.
    public var output: [String]
    /// Output rows left out at the front of `output`: beyond `maximumOutputRows`, or scrolled out of scrollback.
    public var omittedOutputRows: Int
    /// The status the shell gave with `D;N`; nil when its `D` carried none.
    public var exitStatus: Int?
    /// When the command started, in monotonic nanoseconds (CLOCK_MONOTONIC): at the `C` mark, or without one when
    /// the cursor first left the command line's row.
    public var startTime: UInt64
    /// When it ended (the `D` mark), in monotonic nanoseconds.
    public var endTime: UInt64
    /// True when the shell marked the output start with `C`; false for shells that cannot (dash, busybox sh),
    /// whose output is taken to start on the row below the command line.
    public var hasOutputMark: Bool
    /// True when the alternate screen was in use while the command ran (vi, top, less).
    public var usedAlternateScreen: Bool

    /// Most output rows kept per command.
    public static let maximumOutputRows = 1_000

    /// Makes a command; TerminalKit makes them from prompt marks, tests and renderers may make their own.
    public init(
        commandLine: String, output: [String], omittedOutputRows: Int = 0, exitStatus: Int?, startTime: UInt64,
        endTime: UInt64, hasOutputMark: Bool, usedAlternateScreen: Bool = false
    ) {
        self.commandLine = commandLine
        self.output = output
        self.omittedOutputRows = omittedOutputRows
        self.exitStatus = exitStatus
        self.startTime = startTime
        self.endTime = endTime
        self.hasOutputMark = hasOutputMark
        self.usedAlternateScreen = usedAlternateScreen
    }
}

/// Where the pane's shell is, by its prompt marks.
public enum ShellPhase: Equatable, Sendable {
    /// No mark has arrived (a shell without marks, or none started yet).
    case unmarked
    /// At the prompt (after `A`, or after `D` until the next `B`).
    case prompt
    /// The learner is typing a command line (after `B`).
    case typing
    /// The command runs (after `C`, or for a shell without `C` once the cursor went below the command line).
    case running
}

/// A position in the pane's whole history: `row` counts every line ever pushed into scrollback, so it stays put
/// while the screen scrolls.
struct HistoryPosition: Equatable {
    var row: Int
    var col: Int
}

/// The marks of the command in progress and the commands completed but not yet taken.
struct PromptTracker {
    /// Most completed commands kept for `takeCommands()`; older ones go first when nobody takes them.
    static let maximumPending = 256
    /// Rows of a command line (from its `B` row) kept as they scroll off, so a long output cannot lose it.
    static let watchedRows = 16

    var hasMarks = false
    var phase = ShellPhase.unmarked
    /// Cursor at `B`; nil when no command is open.
    var commandStart: HistoryPosition?
    /// Cursor at `C`, when the shell gave one.
    var outputStart: HistoryPosition?
    /// The command line read at `C`.
    var commandLine: String?
    /// When the command started; set at `C`, or for shells without `C` when the cursor first leaves the `B` row.
    var startTime: UInt64?
    var usedAlternateScreen = false
    /// Command-line rows captured as they scrolled off the top, by history row.
    var capturedRows: [Int: [Cell]] = [:]
    var completed: [ShellCommand] = []

    /// Whether the line at history row `row`, about to scroll off, may be needed for the open command's line.
    func wants(row: Int) -> Bool {
        guard let start = commandStart, commandLine == nil else { return false }
        return row >= start.row && row < start.row + PromptTracker.watchedRows
    }

    /// Forgets the open command.
    mutating func close() {
        commandStart = nil
        outputStart = nil
        commandLine = nil
        startTime = nil
        usedAlternateScreen = false
        capturedRows = [:]
    }
}

extension Terminal {
    /// Nanoseconds on CLOCK_MONOTONIC, the clock of `ShellCommand`'s times.
    static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    // MARK: - Public

    /// True once the pane's shell has given any prompt mark; until then `takeCommands()` stays empty and a caller
    /// has to go by keys and screen alone.
    public var hasPromptMarks: Bool { prompt.hasMarks }

    /// Where the shell is, by its marks.
    public var shellPhase: ShellPhase { prompt.phase }

    /// Returns the commands completed since the last call, oldest first, and forgets them.
    public func takeCommands() -> [ShellCommand] {
        defer { prompt.completed.removeAll() }
        return prompt.completed
    }

    /// The command line being typed or running: from the cursor at `B` to the cursor now (while typing) or to the
    /// output start (while running); nil at the prompt or without marks.
    public var currentCommandLine: String? {
        guard let start = prompt.commandStart else { return nil }
        if let line = prompt.commandLine { return line }
        return commandText(from: start, to: historyCursor)
    }

    // MARK: - Marks in

    /// The cursor as a history position.
    var historyCursor: HistoryPosition {
        let cursor = self.cursor
        return HistoryPosition(row: linesPushed + cursor.row, col: cursor.col)
    }

    /// Takes one mark from the guard; libvterm has seen every byte before it, so the cursor is where it fell.
    func receiveMark(_ mark: nslab_prompt_mark) {
        let now = Terminal.monotonicNow()
        let position = historyCursor
        prompt.hasMarks = true
        switch mark.kind {
        case UInt8(ascii: "A"):
            // A new prompt: a command still open never got its D (the shell was interrupted, or a nested shell).
            prompt.close()
            prompt.phase = .prompt
        case UInt8(ascii: "B"):
            prompt.close()
            prompt.commandStart = position
            prompt.usedAlternateScreen = isAltScreen
            prompt.phase = .typing
        case UInt8(ascii: "C"):
            guard let start = prompt.commandStart, prompt.outputStart == nil else { return }
            prompt.outputStart = position
            prompt.commandLine = commandText(from: start, to: position)
            prompt.startTime = now
            prompt.phase = .running
        case UInt8(ascii: "D"):
            // A D before any B is the shell's first prompt reporting a status nobody asked for.
            guard prompt.commandStart != nil else { return }
            finishCommand(at: position, time: now, status: mark.hasStatus != 0 ? Int(mark.status) : nil)
            prompt.phase = .prompt
        default:
            break  // kinds nslab does not know (kitty's prompt kinds, future letters): removed, otherwise ignored
        }
    }

    /// After each feed: a shell without `C` started its command when the cursor went below the command line by a
    /// new line (the row above it is not full, so it did not just wrap).
    func notePromptProgress() {
        guard prompt.phase == .typing, let start = prompt.commandStart, prompt.startTime == nil else { return }
        let row = historyCursor.row
        if row > start.row && !isFullRow(row - 1) {
            prompt.startTime = Terminal.monotonicNow()
            prompt.phase = .running
        }
    }

    /// Keeps a command-line row that is scrolling off, if the open command may need it (scrollback may be too small).
    func captureScrolledRow(_ cells: UnsafePointer<VTermScreenCell>, cols: Int) {
        let row = linesPushed
        guard prompt.wants(row: row) else { return }
        let line = PackedLine(vterm: cells, cols: min(cols, Terminal.maximumSize), scratch: packScratch)
        prompt.capturedRows[row] = (0..<line.cells.count).map { line.cell($0) }
    }

    private func finishCommand(at end: HistoryPosition, time: UInt64, status: Int?) {
        guard let start = prompt.commandStart else { return }
        defer { prompt.close() }
        let hasOutputMark = prompt.outputStart != nil
        var commandLine = prompt.commandLine
        var outputStart = prompt.outputStart
        if outputStart == nil {
            // No C: the command line is the B row and the rows its text wrapped onto; output starts below it.
            var last = start.row
            while last + 1 < end.row, isFullRow(last) { last += 1 }
            let below = HistoryPosition(row: last + 1, col: 0)
            let lineEnd = end.row > start.row ? below : end
            commandLine = commandText(from: start, to: lineEnd)
            outputStart = below
        }
        let line = commandLine ?? ""
        // An empty line (Enter alone, Ctrl-C at the prompt) ran nothing, unless the shell said it did with C.
        guard hasOutputMark || !line.trimmingTrailingBlanks().isEmpty else { return }
        let (output, omitted) = outputRows(from: outputStart!, to: end)
        let command = ShellCommand(
            commandLine: line, output: output, omittedOutputRows: omitted, exitStatus: status,
            startTime: prompt.startTime ?? time, endTime: time, hasOutputMark: hasOutputMark,
            usedAlternateScreen: prompt.usedAlternateScreen)
        if prompt.completed.count >= PromptTracker.maximumPending { prompt.completed.removeFirst() }
        prompt.completed.append(command)
    }

    // MARK: - Reading history

    /// The cells of history row `row`: on screen, in scrollback, or captured as it scrolled off; nil when gone.
    func historyCells(_ row: Int) -> [Cell]? {
        if row >= linesPushed {
            let screenRow = row - linesPushed
            guard screenRow < rows else { return nil }
            return (0..<cols).map { cell(row: screenRow, col: $0) }
        }
        let index = row - (linesPushed - scrollback.count)
        if index >= 0 { return scrollbackLine(index) }
        return prompt.capturedRows[row]
    }

    /// True when the row's last column was written, so the line it shows probably wrapped onto the next row.
    /// A space counts: a typed line that wraps right after a blank (`grep ' /mnt ' …` at the edge) would
    /// otherwise be cut there, its rest taken for output.
    func isFullRow(_ row: Int) -> Bool {
        if let written = lastColumnWritten(row) { return written }
        guard let cells = historyCells(row), cells.count >= cols, let last = cells.last else { return false }
        return !last.text.allSatisfy { $0 == " " }
    }

    /// Whether history row `row`'s last column holds a printed character, a space included, rather than an
    /// erased cell (libvterm keeps 0 there, a printed space is 0x20); nil for a row captured as it scrolled off,
    /// whose cells no longer tell the two apart.
    func lastColumnWritten(_ row: Int) -> Bool? {
        if row >= linesPushed {
            let screenRow = row - linesPushed
            var raw = VTermScreenCell()
            guard screenRow < rows, cols > 0,
                vterm_screen_get_cell(screen, VTermPos(row: Int32(screenRow), col: Int32(cols - 1)), &raw) != 0
            else { return false }
            return raw.chars.0 != 0
        }
        let index = row - (linesPushed - scrollback.count)
        guard index >= 0 else { return nil }
        // Packed lines keep printed spaces (only erased cells are trailing blanks left out).
        guard let line = scrollback.line(index), cols > 0, line.cells.count >= cols else { return false }
        return line.cells[cols - 1].scalar != 0
    }

    /// The text between two history positions, rows joined: directly where a row was full (a wrapped line), with
    /// a newline otherwise (a continuation prompt's new line).
    func commandText(from start: HistoryPosition, to end: HistoryPosition) -> String {
        guard end.row >= start.row else { return "" }
        var text = ""
        for row in start.row...end.row {
            let from = row == start.row ? start.col : 0
            let to = row == end.row ? end.col : Int.max
            guard from < to else { continue }
            if row > start.row && !text.isEmpty && !isFullRow(row - 1) { text += "\n" }
            // A row the line wrapped from keeps its trailing blanks: they are part of what was typed.
            let wrapped = row < end.row && isFullRow(row)
            text += rowSlice(row, from: from, to: to, trimmed: !wrapped)
        }
        return text.trimmingTrailingBlanks()
    }

    /// The text of history row `row` between two columns, trailing blanks trimmed unless not `trimmed`; "" when
    /// the row is gone.
    func rowSlice(_ row: Int, from: Int, to: Int, trimmed: Bool = true) -> String {
        guard let cells = historyCells(row) else { return "" }
        let lower = min(max(from, 0), cells.count)
        let upper = min(max(to, lower), cells.count)
        guard !trimmed else { return Terminal.text(of: Array(cells[lower..<upper])) }
        return cells[lower..<upper].filter { $0.width > 0 }.map(\.text).joined()
    }

    /// The output rows from `start` to the cursor at the end, the last `maximumOutputRows` of them, and how many
    /// rows were left out (beyond the limit or no longer in history).
    func outputRows(from start: HistoryPosition, to end: HistoryPosition) -> ([String], Int) {
        // The cursor at D sits at the start of the row after the output, unless the output did not end its line.
        let last = end.col == 0 ? end.row - 1 : end.row
        guard last >= start.row else { return ([], 0) }
        let total = last - start.row + 1
        let first = max(start.row, last - ShellCommand.maximumOutputRows + 1)
        var rows: [String] = []
        var omitted = first - start.row
        for row in first...last {
            guard historyCells(row) != nil else {
                omitted += 1
                continue
            }
            let from = row == start.row ? start.col : 0
            let to = row == end.row ? end.col : Int.max
            rows.append(rowSlice(row, from: from, to: to))
        }
        assert(rows.count + omitted == total)
        return (rows, omitted)
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingBlanks() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
