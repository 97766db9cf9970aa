import CVTerm
import CVTermGuard

/// Where the cursor is on the visible screen and whether the child wants it shown.
public struct TerminalCursor: Equatable, Sendable {
    /// Row, 0 at the top.
    public var row: Int
    /// Column, 0 at the left.
    public var col: Int
    /// False while the child hides the cursor (DECTCEM off) or the view is scrolled back.
    public var visible: Bool

    /// Makes a cursor position.
    public init(row: Int, col: Int, visible: Bool) {
        self.row = row
        self.col = col
        self.visible = visible
    }
}

/// Which mouse events the child asked for; `.none` means the pane keeps the mouse to itself.
public enum TerminalMouseMode: Int, Sendable {
    /// The child does not want the mouse.
    case none = 0
    /// Button presses and releases (DECSET 1000).
    case click = 1
    /// Presses, releases and motion while a button is held (DECSET 1002).
    case drag = 2
    /// Every motion (DECSET 1003).
    case move = 3
}

/// The VT model of one pane: bytes from the child go in, cells and the cursor come out, and keys come out as
/// bytes for the pty. It wraps one libvterm instance and knows nothing about drawing.
///
/// Not thread-safe: one event loop owns it.
public final class Terminal {
    /// Largest accepted size on either axis; bounds memory whatever a caller passes to `resize`.
    public static let maximumSize = 2_000
    /// Most bytes kept for the pty before `takeOutput()`; a child flooding DSR queries cannot grow it further.
    public static let maximumPendingOutput = 1 << 16
    /// Longest title kept, in bytes.
    static let maximumTitleBytes = 1_024

    let vt: OpaquePointer
    let screen: OpaquePointer
    let state: OpaquePointer
    private let callbacks: UnsafeMutablePointer<VTermScreenCallbacks>
    /// Parser position of the input guard in front of libvterm (CVTermGuard); outlives every feed call.
    private let inputGuard: UnsafeMutablePointer<nslab_vterm_guard>
    /// Room to pack one line for scrollback, reused for every line that scrolls off.
    let packScratch: UnsafeMutablePointer<PackedCell>

    /// Visible rows.
    public private(set) var rows: Int
    /// Visible columns.
    public private(set) var cols: Int

    var damage: DamageTracker
    var scrollback: Scrollback
    /// Bytes libvterm wants sent to the pty (query answers), waiting for `takeOutput()`.
    var pendingOutput: [UInt8] = []
    /// While encoding input, output goes here regardless of the cap, so a key is never dropped.
    var capturingInput = false
    var capturedInput: [UInt8] = []

    /// Whether the child shows the cursor (DECTCEM).
    public internal(set) var cursorVisible = true
    /// True while the child uses the alternate screen (vim, less, top).
    public internal(set) var isAltScreen = false
    /// True while the child asked for reverse video on the whole screen (DECSCNM).
    public internal(set) var isReverseVideo = false
    /// The mouse events the child asked for.
    public internal(set) var mouseMode = TerminalMouseMode.none
    /// The window title the child set with OSC 0 or 2 (bounded in length).
    public internal(set) var title = ""
    /// Bells rung by the child since creation; a renderer compares it with the last value it saw.
    public internal(set) var bellCount = 0
    /// Lines the view is scrolled back into scrollback; 0 shows the live screen.
    public internal(set) var scrollOffset = 0
    /// Lines libvterm ever pushed off the top of the primary screen, less those it took back: the history row of
    /// screen row 0, which places prompt marks in a history that scrolls (ShellCommands.swift).
    var linesPushed = 0
    /// The shell's prompt marks and the commands they delimit.
    var prompt = PromptTracker()

    /// Makes a terminal of the given size, keeping up to `scrollback` lines that scroll off the top.
    public init(rows: Int, cols: Int, scrollback: Int = 10_000) {
        let rows = Terminal.clamp(rows, minimum: 1)
        let cols = Terminal.clamp(cols, minimum: Terminal.minimumCols)
        self.rows = rows
        self.cols = cols
        guard let vt = vterm_new(Int32(rows), Int32(cols)) else {
            // libvterm only fails when malloc does; there is nothing sensible to continue with.
            fatalError("libvterm could not allocate a \(rows)x\(cols) terminal; the system is out of memory.")
        }
        self.vt = vt
        vterm_set_utf8(vt, 1)
        screen = vterm_obtain_screen(vt)
        state = vterm_obtain_state(vt)
        damage = DamageTracker(rows: rows, cols: cols)
        self.scrollback = Scrollback(capacity: scrollback)
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: Terminal.makeScreenCallbacks())
        inputGuard = .allocate(capacity: 1)
        inputGuard.initialize(to: nslab_vterm_guard())
        packScratch = .allocate(capacity: Terminal.maximumSize)

        // libvterm keeps the callbacks pointer and the user pointer; both live exactly as long as self.
        let user = Unmanaged.passUnretained(self).toOpaque()
        vterm_screen_set_callbacks(screen, callbacks, user)
        vterm_output_set_callback(vt, Terminal.outputCallback, user)
        vterm_screen_enable_altscreen(screen, 1)
        // Scroll merging lets a flood of lines arrive as one damaged region instead of one per line.
        vterm_screen_set_damage_merge(screen, VTERM_DAMAGE_SCROLL)
        vterm_screen_reset(screen, 1)
        damage.markAll()
    }

    deinit {
        vterm_free(vt)
        callbacks.deinitialize(count: 1)
        callbacks.deallocate()
        inputGuard.deallocate()
        packScratch.deallocate()
    }

    /// Fewest columns: libvterm 0.1.4 writes outside the row when a wide character lands on a 1-column screen.
    public static let minimumCols = 2

    private static func clamp(_ size: Int, minimum: Int) -> Int { min(max(size, minimum), maximumSize) }

    // MARK: - Bytes in

    /// Feeds bytes from the child. Any bytes are safe: invalid UTF-8 becomes U+FFFD, unknown sequences are
    /// ignored. New output returns a scrolled-back view to the live screen.
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if scrollOffset != 0 { scrollViewToBottom() }
        // The whole buffer goes to C: the guard and libvterm's parser loop run there, with no Swift work per byte.
        // The guard returns early only at a prompt mark, once libvterm has every byte before it.
        let chars = base.assumingMemoryBound(to: CChar.self)
        var offset = 0
        var mark = nslab_prompt_mark()
        while offset < bytes.count {
            offset += nslab_guard_write(vt, inputGuard, chars + offset, bytes.count - offset, &mark)
            if mark.kind != 0 { receiveMark(mark) }
        }
        if prompt.phase == .typing { notePromptProgress() }
    }

    /// Feeds bytes from the child; see `feed(_: UnsafeRawBufferPointer)`.
    public func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Feeds the UTF-8 of a string, handy for tests and messages written into the pane.
    public func feed(_ text: String) {
        var text = text
        text.withUTF8 { feed(UnsafeRawBufferPointer($0)) }
    }

    /// Changes the size; lines scrolled off come back from scrollback when the screen grows.
    /// The caller then tells the pty (TIOCSWINSZ) so the child gets SIGWINCH.
    public func resize(rows: Int, cols: Int) {
        let rows = Terminal.clamp(rows, minimum: 1)
        let cols = Terminal.clamp(cols, minimum: Terminal.minimumCols)
        guard rows != self.rows || cols != self.cols else { return }
        vterm_set_size(vt, Int32(rows), Int32(cols))
        self.rows = rows
        self.cols = cols
        fitStateToSize()
        damage.resize(rows: rows, cols: cols)
        scrollOffset = min(scrollOffset, scrollback.count)
    }

    /// libvterm 0.1.4 does not fit its state to a smaller screen: the cursor can end up above row 0 (it moves up
    /// by the lines pushed to scrollback) and the scroll region can reach past the bottom, and the next erase or
    /// index then writes outside the screen. So, like xterm and tmux, a resize resets the scroll region, and the
    /// cursor goes back onto the screen. CAN first ends any sequence the child left half-written.
    private func fitStateToSize() {
        var position = VTermPos()
        vterm_state_get_cursorpos(state, &position)
        let row = min(max(Int(position.row), 0), rows - 1)
        let col = min(max(Int(position.col), 0), cols - 1)
        var bytes = Array("\u{18}\u{1B}[r\u{1B}[\(row + 1);\(col + 1)H".utf8)
        _ = vterm_input_write(vt, &bytes, bytes.count)
        nslab_guard_cancel(inputGuard)
    }

    // MARK: - Bytes out

    /// Returns and clears the bytes libvterm produced for the pty, such as answers to DSR and DA queries.
    public func takeOutput() -> [UInt8] {
        defer { pendingOutput.removeAll(keepingCapacity: true) }
        return pendingOutput
    }

    /// Appends bytes from libvterm's output callback.
    func receiveOutput(_ bytes: UnsafeRawBufferPointer) {
        if capturingInput {
            capturedInput.append(contentsOf: bytes)
            return
        }
        let room = Terminal.maximumPendingOutput - pendingOutput.count
        guard room > 0 else { return }
        pendingOutput.append(contentsOf: bytes.prefix(room))
    }

    // MARK: - Cells out

    /// The cursor on the live screen; hidden while the view is scrolled back.
    public var cursor: TerminalCursor {
        var position = VTermPos()
        vterm_state_get_cursorpos(state, &position)
        return TerminalCursor(
            row: Int(position.row), col: Int(position.col), visible: cursorVisible && scrollOffset == 0)
    }

    /// The live screen's cell at (row, col); blank outside the screen.
    public func cell(row: Int, col: Int) -> Cell {
        var raw = VTermScreenCell()
        guard row >= 0, row < rows, col >= 0, col < cols,
            vterm_screen_get_cell(screen, VTermPos(row: Int32(row), col: Int32(col)), &raw) != 0
        else { return .blank }
        return Cell(vterm: raw, concealed: nslab_cell_is_concealed(&raw) != 0)
    }

    /// The cell a renderer shows at (row, col), taking the scrollback view offset into account.
    public func visibleCell(row: Int, col: Int) -> Cell {
        guard scrollOffset > 0 else { return cell(row: row, col: col) }
        let line = scrollback.count - scrollOffset + row
        if line < scrollback.count {
            return scrollback.line(line)?.cell(col) ?? .blank
        }
        return cell(row: line - scrollback.count, col: col)
    }

    /// The text of a visible row, skipping the right halves of wide characters, trailing spaces trimmed.
    public func visibleRowText(_ row: Int) -> String {
        Terminal.text(of: (0..<cols).map { visibleCell(row: row, col: $0) })
    }

    /// The text of a live screen row, skipping the right halves of wide characters, trailing spaces trimmed.
    public func rowText(_ row: Int) -> String {
        Terminal.text(of: (0..<cols).map { cell(row: row, col: $0) })
    }

    static func text(of cells: [Cell]) -> String {
        var text = ""
        for cell in cells where cell.width > 0 { text += cell.text }
        while text.last == " " { text.removeLast() }
        return text
    }

    // MARK: - Damage

    /// Returns the rectangles of the visible screen that changed since the last call, and forgets them.
    /// A renderer redraws exactly these.
    public func takeDamage() -> [TerminalRect] {
        // With scroll merging libvterm holds damage back until flushed.
        vterm_screen_flush_damage(screen)
        return damage.take()
    }

    // MARK: - Scrollback

    /// Lines held in scrollback.
    public var scrollbackCount: Int { scrollback.count }

    /// The most scrollback lines this terminal keeps.
    public var scrollbackCapacity: Int { scrollback.capacity }

    /// The cells of scrollback line `index`, 0 being the oldest; trailing blanks are not stored, so the
    /// array can be shorter than `cols`.
    public func scrollbackLine(_ index: Int) -> [Cell] {
        guard let line = scrollback.line(index) else { return [] }
        return (0..<line.cells.count).map { line.cell($0) }
    }

    /// The text of scrollback line `index`, 0 being the oldest.
    public func scrollbackText(_ index: Int) -> String {
        Terminal.text(of: scrollbackLine(index))
    }

    /// Scrolls the view `lines` further into the past (Shift-PgUp), stopping at the oldest line.
    public func scrollViewUp(_ lines: Int) {
        setScrollOffset(scrollOffset + max(lines, 0))
    }

    /// Scrolls the view `lines` towards the live screen (Shift-PgDn).
    public func scrollViewDown(_ lines: Int) {
        setScrollOffset(scrollOffset - max(lines, 0))
    }

    /// Shows the live screen again.
    public func scrollViewToBottom() {
        setScrollOffset(0)
    }

    private func setScrollOffset(_ offset: Int) {
        // The alternate screen has no scrollback of its own; scrolling it back would show stale shell lines.
        let limit = isAltScreen ? 0 : scrollback.count
        let clamped = min(max(offset, 0), limit)
        guard clamped != scrollOffset else { return }
        scrollOffset = clamped
        damage.markAll()
    }
}
