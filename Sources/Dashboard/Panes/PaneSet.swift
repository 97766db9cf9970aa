import NamespaceKit
import TerminalKit

/// One tab's live resources: the VT model of its screen, its pty master and the handle of its process.
final class Pane {
    /// The child's pid as nslab sees it.
    let pid: Int32
    /// The child's screen.
    let terminal: Terminal
    /// The pty master; nil once closed (or for a stand-in child without one).
    var fd: FileDescriptor?
    /// Signals and reaps the child; nil for a stand-in.
    let process: Child?
    /// Which OSC 133 prompt marks its shell emits.
    var promptMarks = PromptMarks.none
    /// For a pane inside another process's namespaces: the shell it runs, and why when not nslab's own.
    var shellNote: String?

    init(pid: Int32, terminal: Terminal, fd: FileDescriptor?, process: Child?) {
        self.pid = pid
        self.terminal = terminal
        self.fd = fd
        self.process = process
    }
}

/// What the view may read of the panes: each tab's screen. Drawing only reads it.
public protocol PaneScreens {
    /// The VT model of tab `id`'s screen, if the tab has a pane.
    func screen(of id: ChildTab.ID) -> Terminal?
}

/// The live panes behind the model's tabs, by tab id: the resources a value model cannot hold. The update
/// step is their only user; the jobs are split over `PaneLaunching.swift` (start, reap, kill), `PaneIO.swift`
/// (pty reads, writes and sizes) and `PaneInput.swift` (keys and the mouse for the child).
///
/// Owned by the main thread, which also launched the children: their death signal is tied to it.
public final class PaneSet: PaneScreens {
    /// Panes by tab id.
    var panes: [ChildTab.ID: Pane] = [:]
    /// The size of the pane's inside; every pty has it, and new children start with it.
    var size = WindowSize(rows: 24, columns: 80)
    /// The lab notebook while it runs: the pane it follows has its output recorded as it is read.
    var lab: LabSession?

    /// The most bytes read from one pty per readable event: a flooding child cannot starve the keys.
    static let readBudget = 64 * 1024
    /// The most tabs; Alt-1..9 reaches the first nine.
    static let maximumTabs = 16

    /// No panes yet.
    public init() {}

    deinit { shutdown() }

    /// The screen of tab `id`.
    public func screen(of id: ChildTab.ID) -> Terminal? { panes[id]?.terminal }

    /// The tab whose pty master is `fd`.
    func tab(forFD fd: FileDescriptor) -> ChildTab.ID? {
        panes.first { $0.value.fd == fd }?.key
    }
}
