import NamespaceKit
import TerminalKit

/// The panes' pty I/O: reading what children write, writing keys and answers, keeping sizes in line.
extension PaneSet {
    /// Reads what the child behind `fd` wrote, up to the budget, into its screen; returns the tab whose pty that is.
    @discardableResult
    func readable(_ fd: FileDescriptor) -> ChildTab.ID? {
        guard let id = tab(forFD: fd), let pane = panes[id] else { return nil }
        drain(pane, budget: Self.readBudget)
        return id
    }

    /// The child closed its side of the pty: reads what is left (until EIO, so nothing is lost) and closes it.
    /// Returns the tab whose pty that was.
    func hangup(_ fd: FileDescriptor) -> ChildTab.ID? {
        guard let id = tab(forFD: fd), let pane = panes[id] else { return nil }
        drain(pane, budget: Int.max)
        pane.fd?.close()
        pane.fd = nil
        return id
    }

    /// Reads into the pane's screen until the pty has nothing more (EAGAIN), is gone (EIO, 0) or the budget
    /// is spent; the screen's answers to the child's queries (cursor position, attributes) go straight back.
    func drain(_ pane: Pane, budget: Int) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < budget, let fd = pane.fd {
            let result = buffer.withUnsafeMutableBytes { SystemCall.read(fd, into: $0) }
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
        guard let fd = pane.fd, !bytes.isEmpty else { return }
        SystemCall.writeAll(fd, bytes)
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
            if let fd = pane.fd { SystemCall.setWindowSize(fd, rows: newSize.rows, columns: newSize.columns) }
        }
    }
}
