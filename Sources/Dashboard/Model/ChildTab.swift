import NamespaceKit

/// One child launched from the dashboard, as the model knows it: which process, what was asked for, how it
/// ended. Its pty and its screen belong to the pane set (`Panes/`), found by `id`.
public struct ChildTab: Equatable, Sendable, Identifiable {
    /// Unique among the tabs of one dashboard run; never reused.
    public let id: Int
    /// The child's pid as nslab sees it.
    public var pid: Int32
    /// What was asked for, for relaunching with the same choices.
    public var request: LaunchRequest
    /// How it ended, once reaped.
    public var exit: ExitStatus?
    /// True once the user closed the tab (F8); it goes as soon as its child is reaped and its pty closed.
    public var closed = false
    /// True while its pty is open and watched by the loop.
    public var ptyOpen: Bool
    /// True for the host shell of a split (F7): `$SHELL` in nslab's own namespaces, none of the child's options.
    public var isHost = false
    /// Which OSC 133 prompt marks its shell emits (`ShellIntegration`): what a lesson can follow in it. A lesson
    /// ticks a `child` step on a command only where there are marks; without them it counts the check after a key.
    public var promptMarks = PromptMarks.none
    /// The number of the lesson being followed when the tab was opened: starting that lesson again closes it.
    public var lesson: Int?

    /// A running child's tab.
    public init(id: Int, pid: Int32, request: LaunchRequest, ptyOpen: Bool = true) {
        self.id = id
        self.pid = pid
        self.request = request
        self.ptyOpen = ptyOpen
    }

    /// The new kinds for the tab's title, e.g. "uts,pid"; "no new namespaces" when none.
    public var kindList: String { isHost ? "host" : Self.kindList(request) }

    /// The new kinds `request` asks for, e.g. "uts,pid"; "no new namespaces" when none.
    public static func kindList(_ request: LaunchRequest) -> String {
        if let title = request.title { return title }
        let names = NamespaceKind.allCases.filter(request.kinds.contains).map(\.rawValue)
        return names.isEmpty ? "no new namespaces" : names.joined(separator: ",")
    }

    /// True when nothing is left of it: closed, reaped, and its pty closed.
    public var isGone: Bool { closed && exit != nil && !ptyOpen }
}
