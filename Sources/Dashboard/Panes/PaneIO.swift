import Glibc
import NamespaceKit
import TerminalKit

/// The panes' pty I/O: reading what children write, writing keys and answers, keeping sizes in line.
extension PaneSet {
    /// Reads what the child behind `fd` wrote, up to the budget, into its screen.
    func readable(_ fd: Int32) {
        guard let id = tab(forFD: fd), let pane = panes[id] else { return }
        drain(pane, budget: Self.readBudget)
    }

    /// The child closed its side of the pty: reads what is left (until EIO, so nothing is lost) and closes it.
    /// Returns the tab whose pty that was.
    func hangup(_ fd: Int32) -> ChildTab.ID? {
        guard let id = tab(forFD: fd), let pane = panes[id] else { return nil }
        drain(pane, budget: Int.max)
        close(pane.fd)
        pane.fd = -1
        return id
    }

    /// Reads into the pane's screen until the pty has nothing more (EAGAIN), is gone (EIO, 0) or the budget
    /// is spent; the screen's answers to the child's queries (cursor position, attributes) go straight back.
    func drain(_ pane: Pane, budget: Int) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < budget, pane.fd >= 0 {
            let result = buffer.withUnsafeMutableBytes { SystemCall.read(pane.fd, into: $0) }
            guard case .success(let count) = result, count > 0 else { break }
            buffer.withUnsafeBytes { pane.terminal.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if let lab, lab.follows(pane) {
                buffer.withUnsafeBytes { lab.output(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            total += count
        }
        let answer = pane.terminal.takeOutput()
        if !answer.isEmpty { write(answer, to: pane) }
    }

    /// Writes `bytes` to the pane's child. A child that reads nothing fills the pty: dropping keys then beats
    /// freezing the dashboard, so a full pty ends the write.
    func write(_ bytes: [UInt8], to pane: Pane) {
        guard pane.fd >= 0, !bytes.isEmpty else { return }
        SystemCall.writeAll(pane.fd, bytes)
    }

    /// Gives every open pane `newSize` (the split's sides their own, `sides`): the screen first, then the pty,
    /// whose resize sends the child SIGWINCH. Called by the update step after every event, so drawing never
    /// resizes anything.
    func fit(to defaultSize: WindowSize, sides: [ChildTab.ID: WindowSize] = [:]) {
        guard defaultSize.rows > 0, defaultSize.columns > 0 else { return }
        size = defaultSize
        for (id, pane) in panes {
            let newSize = sides[id] ?? defaultSize
            let terminal = pane.terminal
            guard terminal.rows != Int(newSize.rows) || terminal.cols != Int(newSize.columns) else { continue }
            terminal.resize(rows: Int(newSize.rows), cols: Int(newSize.columns))
            if pane.fd >= 0 { SystemCall.setWindowSize(pane.fd, rows: newSize.rows, columns: newSize.columns) }
        }
    }
}
