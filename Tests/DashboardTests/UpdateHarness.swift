import Glibc
import NamespaceKit

@testable import Dashboard

/// The dashboard without a terminal: a model and the real update step, driven by events as the loop would
/// drive them, with the loop's part (watched fds, wake-ups) recorded.
final class Harness {
    /// The update step under test.
    let update: DashboardUpdate
    /// The model it leaves.
    var model: DashboardModel
    /// The fds the loop would watch.
    private(set) var watched: Set<FileDescriptor> = []
    /// Wake-ups asked for, in seconds.
    private(set) var wakes: [Double] = []
    /// True once an update asked to quit.
    private(set) var quitAsked = false
    /// Texts the update asked to put on the clipboard (OSC 52).
    private(set) var clipboard: [String] = []

    /// A harness over `system`, for a terminal of `size`; the first scan is done.
    init(system: DashboardSystem, size: TerminalSize = TerminalSize(columns: 120, rows: 35)) {
        update = DashboardUpdate(system: system)
        model = DashboardModel(size: size, isRoot: getuid() == 0)
        update.start(&model)
    }

    deinit { update.shutdown() }

    /// Applies `event` and records the loop's effects.
    @discardableResult
    func send(_ event: DashboardEvent) -> UpdateOutcome {
        let outcome = update.apply(event, to: &model)
        for effect in outcome.effects {
            switch effect {
            case .watch(let fd): watched.insert(fd)
            case .unwatch(let fd): watched.remove(fd)
            case .wake(let seconds): wakes.append(seconds)
            case .quit: quitAsked = true
            case .redrawAll: break
            case .clipboard(let text): clipboard.append(text)
            }
        }
        return outcome
    }

    /// Presses keys one after another.
    func press(_ keys: Key...) {
        for key in keys { send(.input(.key(key))) }
    }

    /// Ticks exactly `kinds` and presses F5; the new tab, if the launch worked.
    @discardableResult
    func launch(_ kinds: Set<NamespaceKind>) -> ChildTab? {
        let before = model.nextTabID
        model.ticked = kinds
        model.focus = .namespaces
        press(.function(5))
        return model.tabs.last.flatMap { $0.id >= before ? $0 : nil }
    }

    /// The pty master of tab `id`, while open.
    func fd(of id: ChildTab.ID) -> FileDescriptor? {
        update.panes.panes[id]?.fd
    }

    /// Waits (up to 5 s) for tab `id`'s child to end, delivering SIGCHLD and the pty's hangup as the loop
    /// would; true when it ended.
    func waitEnded(_ id: ChildTab.ID) -> Bool {
        for _ in 0..<500 {
            send(.childExited)
            if model.tab(id)?.exit != nil || model.tab(id) == nil { break }
            usleep(10_000)
        }
        if let fd = fd(of: id) { send(.ptyHangup(fd)) }
        return model.tab(id) == nil || model.tab(id)?.exit != nil
    }
}
