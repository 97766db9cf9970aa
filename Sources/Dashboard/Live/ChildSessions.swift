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

/// The dashboard's children and their panes. Owned by the main thread, which also launched the
/// children (their death signal is tied to it).
public final class ChildSessions {
    /// The shell each child runs.
    let shell: String
    /// Lines of scrollback per pane.
    let scrollback: Int
    /// Every child launched, oldest first; ended ones stay until closed, so their last screen shows.
    private(set) var sessions: [PaneSession] = []
    /// The index of the pane on show.
    private(set) var current: Int?
    /// The size of the pane's inside at the last frame; new children start with it.
    private var paneSize = WindowSize(rows: 24, columns: 80)
    /// Where the pane's inside was drawn at the last frame, for the cursor.
    private var paneOrigin = (x: 0, y: 0)

    /// The most bytes read from one pty per readable event: a flooding child cannot starve the keys.
    static let readBudget = 64 * 1024

    /// Sessions for children that run `shell` with `scrollback` lines of history.
    public init(shell: String, scrollback: Int) {
        self.shell = shell
        self.scrollback = scrollback
    }

    deinit { shutdown() }

    /// The pids of the children that still run, for marking them in the process tree.
    var childPIDs: Set<Int32> { Set(sessions.filter { $0.exit == nil }.map(\.child.pid)) }

    /// The session on show.
    var focused: PaneSession? { current.map { sessions[$0] } }

    /// Launches a child for `request` on a new pty of the pane's size.
    func launch(_ request: LaunchRequest) -> LaunchOutcome {
        do {
            let spec = try request.spec(shell: shell, size: paneSize, environment: currentEnvironment())
            let child = try Launcher.launch(spec)
            guard let fd = child.terminalFD else { return .failed("launch: the child has no terminal") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let terminal = Terminal(rows: Int(paneSize.rows), cols: Int(paneSize.columns), scrollback: scrollback)
            let session = PaneSession(child: child, fd: fd, terminal: terminal, request: request)
            sessions.append(session)
            current = sessions.count - 1
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
            session.terminal.feed("\r\n\u{1b}[0m" + text + " Enter relaunches\r\n")
            messages.append("child \(session.child.pid) (\(session.kindList)) \(status)")
        }
        return messages
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

    /// Sends a key to the pane on show. Enter on an ended child asks for a relaunch with the same
    /// choices, which the caller carries out like any launch.
    func forward(_ key: Key) -> LaunchRequest? {
        guard let session = focused else { return nil }
        if session.exit != nil {
            return key == .enter ? session.request : nil
        }
        guard let (terminalKey, modifiers) = key.terminalKey else { return nil }
        session.terminal.scrollViewToBottom()
        writeToChild(session, session.terminal.encode(key: terminalKey, modifiers: modifiers))
        return nil
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

    /// Draws the pane on show into `rect`, and keeps the child's terminal the size of the pane.
    func render(in rect: Rect, focused isFocused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        guard let session = focused else {
            PlaceholderPanel.render(
                "Child", lines: ["Tick kinds with 1-8 and press F5 to launch a shell in them."],
                in: rect, focused: isFocused, buffer: &buffer, theme: theme)
            return
        }
        let state = session.exit.map { " \($0)" } ?? ""
        let title = "Child \(session.child.pid) [\(session.kindList)]\(state)"
        let inner = PanelFrame.draw(title, in: rect, focused: isFocused, buffer: &buffer, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        resize(to: WindowSize(rows: UInt16(clamping: inner.height), columns: UInt16(clamping: inner.width)))
        paneOrigin = (inner.x, inner.y)
        PaneRenderer.draw(session.terminal, in: inner, buffer: &buffer)
    }

    /// Where the child's cursor is on screen, when it shows one.
    func cursor() -> (x: Int, y: Int)? {
        guard let session = focused, session.exit == nil else { return nil }
        let cursor = session.terminal.cursor
        guard cursor.visible, session.terminal.scrollOffset == 0 else { return nil }
        return (paneOrigin.x + cursor.col, paneOrigin.y + cursor.row)
    }

    /// The pane's size changed: the VT first, then the pty, whose resize sends the child SIGWINCH.
    private func resize(to size: WindowSize) {
        guard size != paneSize || focused.map({ $0.terminal.rows != Int(size.rows) || $0.terminal.cols != Int(size.columns) }) == true else {
            return
        }
        paneSize = size
        for session in sessions where session.fd >= 0 {
            session.terminal.resize(rows: Int(size.rows), cols: Int(size.columns))
            var window = winsize(ws_row: size.rows, ws_col: size.columns, ws_xpixel: 0, ws_ypixel: 0)
            _ = ioctl(session.fd, UInt(TIOCSWINSZ), &window)
        }
    }
}
