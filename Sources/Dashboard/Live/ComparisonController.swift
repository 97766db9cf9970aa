import Glibc
import NamespaceKit

/// Keeps the host-vs-child panel live: what it compares (the focused child, or the process selected
/// in the tree), the latest comparison and maps, the cursor, and when to recompute.
///
/// Recomputing enters the compared process's namespaces through a forked helper, so it happens only
/// for that one process: at the refresh interval and once, shortly, after keys were sent to the child.
final class ComparisonController {
    /// What is compared with the host.
    enum Target {
        /// A child the dashboard launched; its exit status shows once it ends.
        case child(PaneSession)
        /// A process selected in the tree.
        case process(Int32)

        /// The pid as the host sees it.
        var pid: Int32 {
            switch self {
            case .child(let session): session.child.pid
            case .process(let pid): pid
            }
        }
    }

    /// How long after keys were sent to the child the comparison is recomputed (nanoseconds).
    static let afterKeysDelay: UInt64 = 250_000_000

    /// Compares a pid with the host; nil when it is gone.
    private let compare: (Int32) -> Comparison?
    /// Reads the maps panel's views of a pid.
    private let readMaps: (Int32) -> [MapView]
    /// What is compared now.
    private(set) var target: Target?
    /// The latest comparison's view (kept, greyed, after the process ended).
    private(set) var view: ComparisonView?
    /// The latest maps of the target (kept after it ended).
    private(set) var maps: [MapView] = []
    /// The row under the cursor.
    private(set) var cursor = 0
    /// The kind whose explanation is open.
    private(set) var expanded: NamespaceKind?
    /// When a recompute is due after keys were sent; nil when none is pending.
    private var dueAt: UInt64?
    /// The event loop, for the one-shot timer that wakes the dashboard when a recompute is due (weak: the
    /// dashboard owns it and tears it down on the way out).
    weak var loop: EventLoop?

    /// A controller over the given model functions.
    init(compare: @escaping (Int32) -> Comparison?, maps: @escaping (Int32) -> [MapView]) {
        self.compare = compare
        self.readMaps = maps
    }

    /// Points the panel (and the maps) at `target` and computes at once.
    func point(at target: Target) {
        self.target = target
        view = nil
        maps = []
        refresh()
    }

    /// The pid compared now.
    var targetPID: Int32? { target?.pid }

    /// Recomputes, unless the process has ended: then its last values stay, marked with how it ended.
    func refresh() {
        guard let target else { return }
        if case .child(let session) = target, let status = session.exit {
            view?.ended = Self.endText(status)
            return
        }
        guard let comparison = compare(target.pid), comparison.left.state != "Z" else {
            // Gone or a zombie not yet reaped: keep what was last seen.
            if case .process = target, view != nil { view?.ended = "ended" }
            return
        }
        var fresh = ComparisonRows.view(comparison)
        fresh.cursor = cursor
        fresh.expanded = expanded
        view = fresh
        maps = readMaps(target.pid)
    }

    /// "exited: status 0" or "killed by signal 9".
    static func endText(_ status: ExitStatus) -> String {
        switch status {
        case .exited(let code): "exited: status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }

    /// Keys went to the child: recompute shortly, once they had time to take effect. While keys keep
    /// coming, the pending recompute is not pushed back, so the panel updates at least every delay.
    func keysSent() {
        guard dueAt == nil else { return }
        dueAt = EventLoop.now() + Self.afterKeysDelay
        loop?.addTimer(seconds: Double(Self.afterKeysDelay) / 1e9, repeating: false)
    }

    /// Recomputes when the post-keys delay has passed; called before each frame is drawn.
    func recomputeIfDue() {
        guard let due = dueAt, EventLoop.now() >= due else { return }
        dueAt = nil
        refresh()
    }

    /// Keys of the panel: arrows and j/k move between kinds, Enter opens or closes the explanation,
    /// Escape closes it.
    func handle(_ key: Key) {
        let count = view?.rows.count ?? NamespaceKind.allCases.count
        switch key {
        case .up, .character("k"): cursor = max(0, cursor - 1)
        case .down, .character("j"): cursor = min(count - 1, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = count - 1
        case .enter, .character(" "):
            let kind = NamespaceKind.allCases[cursor]
            expanded = expanded == kind ? nil : kind
            view?.cursor = cursor
            view?.expanded = expanded
            return
        case .escape: expanded = nil
        default: return
        }
        // An open explanation follows the cursor, so a learner can read them one after another.
        if expanded != nil { expanded = NamespaceKind.allCases[cursor] }
        view?.cursor = cursor
        view?.expanded = expanded
    }

    /// Draws the panel.
    func render(in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        recomputeIfDue()
        ComparisonPanel.render(view, in: rect, focused: focused, buffer: &buffer, theme: theme)
    }
}
