import Glibc
import NamespaceKit
import TerminalKit

/// One child the dashboard launched: the process, its pty and the VT model of its screen.
final class PaneSession {
    /// The running (or ended) child.
    let child: Child
    /// The pty master; -1 once it is closed.
    var fd: Int32
    /// The child's screen.
    let terminal: Terminal
    /// What was asked for, for relaunching with the same choices.
    let request: LaunchRequest
    /// How it ended, once reaped.
    var exit: ExitStatus?
    /// True once the user closed its tab (F8); it goes as soon as it is reaped and its pty is closed.
    var closed = false

    init(child: Child, fd: Int32, terminal: Terminal, request: LaunchRequest) {
        self.child = child
        self.fd = fd
        self.terminal = terminal
        self.request = request
    }

    /// "uts,pid" for the pane's title.
    var kindList: String {
        let names = NamespaceKind.allCases.filter(request.kinds.contains).map(\.rawValue)
        return names.isEmpty ? "no new namespaces" : names.joined(separator: ",")
    }
}

/// The dashboard's children and their panes, one tab each. Owned by the main thread, which also launched the
/// children (their death signal is tied to it).
public final class ChildSessions {
    /// The shell each child runs.
    let shell: String
    /// Lines of scrollback per pane.
    let scrollback: Int
    /// Every child launched and not yet gone, oldest first; ended ones stay until closed, so their last
    /// screen shows, and closed ones until their pty is closed.
    private(set) var sessions: [PaneSession] = []
    /// The session on show.
    private(set) var focused: PaneSession?
    /// The size of the pane's inside at the last frame; new children start with it.
    private var paneSize = WindowSize(rows: 24, columns: 80)
    /// Where the pane's inside was drawn at the last frame, for the cursor and the mouse.
    private var paneArea = Rect(x: 0, y: 0, width: 0, height: 0)
    /// Where each tab's label was drawn in the title row at the last frame, for clicks.
    private var tabSpans: [(session: PaneSession, x: Range<Int>, y: Int)] = []

    /// The most bytes read from one pty per readable event: a flooding child cannot starve the keys.
    static let readBudget = 64 * 1024
    /// The most tabs; Alt-1..9 reaches the first nine.
    static let maximumTabs = 16

    /// Sessions for children that run `shell` with `scrollback` lines of history.
    public init(shell: String, scrollback: Int) {
        self.shell = shell
        self.scrollback = scrollback
    }

    deinit { shutdown() }

    /// The pids of the children that still run, for marking them in the process tree.
    var childPIDs: Set<Int32> { Set(sessions.filter { $0.exit == nil }.map(\.child.pid)) }

    /// The panes listed as tabs, oldest first.
    var tabs: [PaneSession] { sessions.filter { !$0.closed } }

    /// The index of the pane on show among the tabs.
    var current: Int? { focused.flatMap { session in tabs.firstIndex { $0 === session } } }

    /// Launches a child for `request` on a new pty of the pane's size; it gets a tab of its own.
    func launch(_ request: LaunchRequest) -> LaunchOutcome {
        guard tabs.count < Self.maximumTabs else {
            return .failed("At most \(Self.maximumTabs) child panes; close one with F8 first.")
        }
        do {
            let spec = try request.spec(shell: shell, size: paneSize, environment: currentEnvironment())
            let child = try Launcher.launch(spec)
            guard let fd = child.terminalFD else { return .failed("launch: the child has no terminal") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let terminal = Terminal(rows: Int(paneSize.rows), cols: Int(paneSize.columns), scrollback: scrollback)
            let session = PaneSession(child: child, fd: fd, terminal: terminal, request: request)
            add(session)
            return .started(message: "launched pid \(child.pid) in \(session.kindList)", watch: [fd])
        } catch let error as LaunchError {
            return .failed(error.message(for: .dashboard))
        } catch let error as LaunchSpecError {
            return .failed(error.description)
        } catch let error as IDMapError {
            return .failed(error.description)
        } catch {
            return .failed("launch failed: \(error)")
        }
    }

    /// Adds a session as the last tab and shows it.
    func add(_ session: PaneSession) {
        sessions.append(session)
        focused = session
    }

    /// Reads what the child wrote, up to the budget, into its VT model.
    func readable(_ fd: Int32) {
        guard let session = sessions.first(where: { $0.fd == fd }) else { return }
        drain(session, budget: Self.readBudget)
    }

    /// The child closed its side of the pty: read what is left (until EIO, so nothing is lost) and close.
    func hangup(_ fd: Int32) {
        guard let session = sessions.first(where: { $0.fd == fd }) else { return }
        drain(session, budget: Int.max)
        close(session.fd)
        session.fd = -1
        removeGone()
    }

    private func drain(_ session: PaneSession, budget: Int) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < budget {
            let n = buffer.withUnsafeMutableBytes { read(session.fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.withUnsafeBytes { session.terminal.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                total += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break  // EAGAIN: all read for now; EIO or 0: the child side is gone
            }
        }
        // Answers to the child's queries (cursor position, device attributes) go straight back.
        let answer = session.terminal.takeOutput()
        if !answer.isEmpty { writeToChild(session, answer) }
    }

    /// Reaps children that ended; one status line per child, also shown in its pane.
    func reap() -> [String] {
        var messages: [String] = []
        for session in sessions where session.exit == nil {
            guard let status = session.child.poll() else { continue }
            session.exit = status
            let text: String
            switch status {
            case .exited(let code): text = "[exited: status \(code)]"
            case .signaled(let signal): text = "[killed by signal \(signal)]"
            }
            if session.fd >= 0 { drain(session, budget: Int.max) }
            session.terminal.feed("\r\n\u{1b}[0m" + text + " Enter relaunches, F8 closes\r\n")
            messages.append("child \(session.child.pid) (\(session.kindList)) \(status)")
        }
        removeGone()
        return messages
    }

    /// Drops closed sessions whose child is reaped and whose pty is closed (the loop no longer watches it).
    private func removeGone() {
        sessions.removeAll { $0.closed && $0.exit != nil && $0.fd < 0 }
    }

    /// Kills every child that still runs, reaps them all, and closes their ptys.
    public func shutdown() {
        for session in sessions where session.exit == nil { session.child.kill() }
        for session in sessions {
            if session.exit == nil { session.exit = session.child.wait() }
            if session.fd >= 0 {
                close(session.fd)
                session.fd = -1
            }
        }
    }

    /// Handles a key while the pane has focus: tab and scrollback keys act on the pane, the rest go to
    /// the child on show. Enter on an ended child asks for a relaunch with the same choices, which the
    /// caller carries out like any launch.
    func forward(_ key: Key) -> LaunchRequest? {
        if handlePaneKey(key) { return nil }
        guard let session = focused else { return nil }
        if session.exit != nil {
            return key == .enter ? session.request : nil
        }
        switch key {
        case .paste(let text):
            session.terminal.scrollViewToBottom()
            writeToChild(session, session.terminal.encodePaste(Array(text.utf8)))
        case .mouse(let mouse):
            forwardMouse(mouse, to: session)
        default:
            guard let (terminalKey, modifiers) = key.terminalKey else { return nil }
            session.terminal.scrollViewToBottom()
            writeToChild(session, session.terminal.encode(key: terminalKey, modifiers: modifiers))
        }
        return nil
    }

    /// Keys the pane keeps: F6 / Shift-F6 and Alt-1..9 switch tabs, F8 closes one, Shift-PgUp / Shift-PgDn
    /// scroll the view. True when the key was one of them.
    func handlePaneKey(_ key: Key) -> Bool {
        switch key {
        case .function(6): switchTab(by: 1)
        case .modified(.function(6), .shift): switchTab(by: -1)
        case .modified(.character(let c), .alt) where ("1"..."9").contains(c):
            let index = c.wholeNumberValue! - 1
            if index < tabs.count { focused = tabs[index] }
        case .function(8): closeFocused()
        case .modified(.pageUp, .shift):
            focused.map { $0.terminal.scrollViewUp(max(1, $0.terminal.rows - 1)) }
        case .modified(.pageDown, .shift):
            focused.map { $0.terminal.scrollViewDown(max(1, $0.terminal.rows - 1)) }
        default:
            return false
        }
        return true
    }

    /// Shows the tab `step` places along, wrapping around.
    func switchTab(by step: Int) {
        let list = tabs
        guard !list.isEmpty else { return }
        let index = current ?? 0
        focused = list[((index + step) % list.count + list.count) % list.count]
    }

    /// Closes the tab on show: an ended child's pane goes at once, a running child is killed and its pane
    /// goes once it is reaped. The next tab (or the one before) is shown.
    func closeFocused() {
        guard let session = focused, let index = current else { return }
        session.closed = true
        if session.exit == nil { session.child.kill() }
        let rest = tabs
        focused = rest.isEmpty ? nil : rest[min(index, rest.count - 1)]
        removeGone()
    }

    /// A mouse event on the pane: a click on a tab shows it; inside, the child gets it when it asked for the
    /// mouse, else the wheel scrolls the view.
    private func forwardMouse(_ mouse: MouseEvent, to session: PaneSession) {
        if mouse.kind == .leftClick,
            let tab = tabSpans.first(where: { $0.y == mouse.y && $0.x.contains(mouse.x) })
        {
            focused = tab.session
            return
        }
        guard paneArea.contains(x: mouse.x, y: mouse.y) else { return }
        let row = mouse.y - paneArea.y, col = mouse.x - paneArea.x
        let terminal = session.terminal
        guard terminal.mouseMode != .none else {
            if mouse.kind == .scrollUp { terminal.scrollViewUp(3) }
            if mouse.kind == .scrollDown { terminal.scrollViewDown(3) }
            return
        }
        let button: Int
        switch mouse.kind {
        case .leftClick: button = 1
        case .otherClick: button = 3
        case .scrollUp: button = 4
        case .scrollDown: button = 5
        }
        var bytes = terminal.encodeMouseButton(button, pressed: true, row: row, col: col)
        if button <= 3 { bytes += terminal.encodeMouseButton(button, pressed: false, row: row, col: col) }
        writeToChild(session, bytes)
    }

    private func writeToChild(_ session: PaneSession, _ bytes: [UInt8]) {
        guard session.fd >= 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(session.fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return  // a child that reads nothing fills the pty; dropping keys beats freezing the dashboard
            }
        }
    }

    /// Draws the pane on show into `rect`, with the tabs in its title row, and keeps the children's
    /// terminals the size of the pane.
    func render(in rect: Rect, focused isFocused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        tabSpans = []
        guard let session = focused else {
            IdleChildPane.render(in: rect, focused: isFocused, buffer: &buffer, theme: theme)
            return
        }
        let inner = PanelFrame.draw("", in: rect, focused: isFocused, buffer: &buffer, theme: theme)
        drawTabs(in: rect, focused: isFocused, buffer: &buffer, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        resize(to: WindowSize(rows: UInt16(clamping: inner.height), columns: UInt16(clamping: inner.width)))
        paneArea = inner
        PaneRenderer.draw(session.terminal, in: inner, buffer: &buffer)
    }

    /// The title row: one label per tab, "2 Child 4711 [pid,net]" for the one on show (highlighted), "3 uts"
    /// for the others.
    private func drawTabs(in rect: Rect, focused isFocused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        guard rect.width > 4 else { return }
        let clip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
        var x = rect.x + 2
        for (index, session) in tabs.enumerated() where x < clip.maxX {
            // The one on show says it all; the others are short, so nine fit beside it.
            var label = " \(index + 1) "
            if session === focused {
                label += "Child \(session.child.pid) [\(session.kindList)]" + (session.exit.map { " \($0)" } ?? "")
                if session.terminal.scrollOffset > 0 { label += " ↑\(session.terminal.scrollOffset)" }
            } else {
                label += session.kindList + (session.exit == nil ? "" : " ended")
            }
            label += " "
            let style = session === focused ? theme[.selection] : (isFocused ? theme[.focusedBorder] : theme[.title])
            let width = buffer.write(label, x: x, y: rect.y, style: style, clip: clip)
            tabSpans.append((session, x..<(x + width), rect.y))
            x += width + 1
        }
    }

    /// Where the child's cursor is on screen, when it shows one.
    func cursor() -> (x: Int, y: Int)? {
        guard let session = focused, session.exit == nil else { return nil }
        let cursor = session.terminal.cursor
        guard cursor.visible, session.terminal.scrollOffset == 0 else { return nil }
        return (paneArea.x + cursor.col, paneArea.y + cursor.row)
    }

    /// The pane's size changed: the VT first, then the pty, whose resize sends the child SIGWINCH.
    private func resize(to size: WindowSize) {
        let stale = sessions.contains {
            $0.fd >= 0 && ($0.terminal.rows != Int(size.rows) || $0.terminal.cols != Int(size.columns))
        }
        guard size != paneSize || stale else { return }
        paneSize = size
        for session in sessions where session.fd >= 0 {
            guard session.terminal.rows != Int(size.rows) || session.terminal.cols != Int(size.columns) else {
                continue
            }
            session.terminal.resize(rows: Int(size.rows), cols: Int(size.columns))
            var window = winsize(ws_row: size.rows, ws_col: size.columns, ws_xpixel: 0, ws_ypixel: 0)
            _ = ioctl(session.fd, UInt(TIOCSWINSZ), &window)
        }
    }
}
