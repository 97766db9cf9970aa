import Glibc
import NamespaceKit

/// The dashboard's start-up settings, from `nslab [--ns ...] [--hostname ...] ...` (already validated).
public struct DashboardOptions: Sendable {
    /// Kinds ticked at start (`--ns`).
    public var kinds: Set<NamespaceKind>
    /// Options at start (`--hostname`, `--uid-map`, `--gid-map`).
    public var options: NamespaceOptions
    /// Launch a child right away (`--launch`).
    public var launchAtStart: Bool
    /// `--theme NAME|PATH`; nil for the default.
    public var theme: String?
    /// Refresh interval in seconds (`--interval`).
    public var interval: Double

    /// Makes options; the defaults are the dashboard with nothing ticked and a 1 s refresh.
    public init(
        kinds: Set<NamespaceKind> = [], options: NamespaceOptions = NamespaceOptions(), launchAtStart: Bool = false,
        theme: String? = nil, interval: Double = 1
    ) {
        self.kinds = kinds
        self.options = options
        self.launchAtStart = launchAtStart
        self.theme = theme
        self.interval = interval
    }
}

/// What happened to a launch request.
public enum LaunchOutcome: Sendable {
    /// The child runs; `watch` lists fds (its pty master) the loop should report through `readable`.
    case started(message: String, watch: [Int32])
    /// It failed; the message goes to the status bar and the dashboard lives on.
    case failed(String)
}

/// How the dashboard reaches the rest of nslab: the /proc model, the launcher, the pane. The lead wires
/// these in the `nslab` command; the defaults draw sample data and refuse to launch.
public struct DashboardHooks {
    /// The process tree, in tree order; called at start and at every refresh.
    public var processes: () -> [ProcessRow] = { DemoData.processes }
    /// The maps of a pid for the map viewer, one view per reader (e.g. the host, then the child itself).
    public var maps: (Int32) -> [MapView] = { DemoData.maps(pid: $0) }
    /// Kinds the kernel lacks, with the reason.
    public var unavailable: () -> [NamespaceKind: String] = { [:] }
    /// Launches a child.
    public var launch: (LaunchRequest) -> LaunchOutcome = { _ in
        .failed("Launching is not wired up in this build.")
    }
    /// An fd from `LaunchOutcome.started(watch:)` is readable.
    public var readable: (Int32, EventLoop) -> Void = { _, _ in }
    /// An fd from `LaunchOutcome.started(watch:)` hung up; the default stops watching it.
    public var hangup: (Int32, EventLoop) -> Void = { fd, loop in loop.unwatch(fd) }
    /// SIGCHLD arrived: reap what exited; one status message per child that ended.
    public var reapChildren: () -> [String] = { [] }
    /// A key for the child's terminal; may answer with actions (Enter on an ended child relaunches it).
    public var forwardToChild: (Key) -> [DashboardAction] = { _ in [] }
    /// A key for the host-vs-child panel.
    public var comparisonKey: (Key) -> Void = { _ in }
    /// Kill and reap every child; runs before the terminal is restored, on every way out.
    public var shutdown: () -> Void = {}
    /// Draws the child pane (nil: a placeholder).
    public var childPane: PanelRenderer? = nil
    /// Where the child's cursor is on screen while the pane has focus (nil: hidden).
    public var childCursor: () -> (x: Int, y: Int)? = { nil }
    /// Draws the host-vs-child panel (nil: a placeholder).
    public var comparison: PanelRenderer? = nil
    /// Rules for the edit dialogs (the lead passes the same rules as `nslab run`).
    public var validators: DashboardValidators = .basic

    /// Hooks with the defaults.
    public init() {}
}

/// The interactive dashboard's entry point.
public enum Dashboard {
    /// Runs the dashboard until `q` or a terminating signal; returns the exit status (0, or 128+N after
    /// signal N). The theme is loaded before the terminal is touched: a bad one prints one line to stderr
    /// and returns 2. Children are shut down and the terminal restored on every way out.
    public static func run(options: DashboardOptions, hooks: DashboardHooks = DashboardHooks()) -> Int32 {
        let loader = ThemeLoader.current()
        var theme: Theme
        do {
            theme = try loader.load(options.theme)
        } catch {
            printError("nslab: \(error.message)")
            return 2
        }
        let terminal: NcursesTerminal
        let loop: EventLoop
        do {
            terminal = try NcursesTerminal(colors: !loader.noColor)
            loop = try EventLoop()
        } catch {
            printError("nslab: \(error.message)")
            return 1
        }
        if terminal.depth < .ansi16 && options.theme == nil { theme = .builtinMono }
        var session = Session(terminal: terminal, loop: loop, hooks: hooks, theme: theme, options: options)
        let status = session.run()
        hooks.shutdown()
        terminal.restore()
        return status
    }

    /// Writes one line to stderr (the terminal is not ours yet, or no longer).
    static func printError(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// One running dashboard: the state, the loop and the terminal tied together.
struct Session {
    /// The screen.
    let terminal: NcursesTerminal
    /// The event loop.
    let loop: EventLoop
    /// The rest of nslab.
    let hooks: DashboardHooks
    /// The styles.
    let theme: Theme
    /// What is shown.
    var state: AppState
    /// `--launch`.
    let launchAtStart: Bool
    /// `--interval` in seconds.
    let interval: Double
    /// The last frame drawn; a frame that only the child's output asked for redraws just the pane into it.
    var lastFrame: ScreenBuffer?
    /// True when something besides the child pane may have changed since the last whole frame.
    var dirty = true

    /// Sets up the state from the options and the hooks.
    init(terminal: NcursesTerminal, loop: EventLoop, hooks: DashboardHooks, theme: Theme, options: DashboardOptions) {
        self.terminal = terminal
        self.loop = loop
        self.hooks = hooks
        self.theme = theme
        state = AppState(size: terminal.size, isRoot: geteuid() == 0, validators: hooks.validators)
        state.ticked = options.kinds
        state.options = options.options
        state.unavailable = hooks.unavailable()
        launchAtStart = options.launchAtStart
        interval = options.interval
    }

    /// The loop: wait, apply events, draw; returns the exit status.
    ///
    /// Keys, signals and ticks redraw at once. Output from the child alone redraws at most every
    /// `frameInterval`: a flood of pty reads would otherwise render the whole screen per read.
    mutating func run() -> Int32 {
        loop.watch(STDIN_FILENO)
        let refreshTimer = loop.addTimer(seconds: interval, repeating: true)
        var frameTimer: EventLoop.TimerID?
        var lastDraw: UInt64 = 0
        // Keys just went to the child: its echo is drawn at once, not at the next frame, so typing in the
        // pane feels as quick as in a plain terminal.
        var awaitingEcho = false
        refresh()
        if launchAtStart, perform(state.launch()) { return 0 }
        draw()
        while true {
            var onlyChildOutput = true
            var sawChildOutput = false
            var keysToChild = false
            for event in loop.wait() {
                switch event {
                case .readable(STDIN_FILENO):
                    let inPane = state.focus == .child && state.overlay == .none
                    for input in terminal.readInput() {
                        let actions = state.handle(input)
                        if !actions.allSatisfy(Self.onlyForChild) { dirty = true }
                        if perform(actions) { return 0 }
                    }
                    if inPane && state.focus == .child && state.overlay == .none {
                        keysToChild = true
                    } else {
                        onlyChildOutput = false
                    }
                case .readable(let fd):
                    sawChildOutput = true
                    hooks.readable(fd, loop)
                case .hangup(STDIN_FILENO):
                    return 128 + SIGHUP  // the terminal is gone: leave as if hung up
                case .hangup(let fd):
                    onlyChildOutput = false
                    dirty = true
                    hooks.hangup(fd, loop)
                case .signal(SIGWINCH):
                    onlyChildOutput = false
                    dirty = true
                    _ = state.handle(.resize(terminal.updateSize()))
                case .signal(SIGCHLD):
                    onlyChildOutput = false
                    dirty = true
                    for message in hooks.reapChildren() { state.childExited(message: message) }
                case .signal(let signal):
                    return 128 + signal  // SIGTERM, SIGHUP, SIGINT: leave cleanly
                case .timer(refreshTimer):
                    onlyChildOutput = false
                    dirty = true
                    refresh()
                case .timer(let id):
                    onlyChildOutput = false
                    if id == frameTimer {
                        frameTimer = nil  // the deferred frame is due
                    } else {
                        // Another part's timer (the comparison's recompute after keys) may change any
                        // panel: a pane-only frame would leave that change unshown until the next tick.
                        dirty = true
                    }
                }
            }
            let now = EventLoop.now()
            if onlyChildOutput && sawChildOutput && awaitingEcho {
                awaitingEcho = false
            } else if onlyChildOutput && keysToChild {
                // Keys went to the child: drawing now would only delay reading its echo. The echo draws at
                // once; a key that echoes nothing is drawn by the frame timer.
                awaitingEcho = true
                if frameTimer == nil {
                    frameTimer = loop.addTimer(seconds: Double(Self.frameInterval) / 1e9, repeating: false)
                }
                continue
            } else if onlyChildOutput && now - lastDraw < Self.frameInterval {
                if frameTimer == nil {
                    let wait = Double(Self.frameInterval - (now - lastDraw)) / 1e9
                    frameTimer = loop.addTimer(seconds: wait, repeating: false)
                }
                continue
            }
            if let pending = frameTimer {
                loop.removeTimer(pending)
                frameTimer = nil
            }
            draw()
            lastDraw = EventLoop.now()
        }
    }

    /// The shortest time between two frames caused by child output alone (nanoseconds; about 60 fps).
    static let frameInterval: UInt64 = 16_000_000

    /// True for an action that only hands input to the child, which changes nothing but the pane.
    static func onlyForChild(_ action: DashboardAction) -> Bool {
        if case .forwardToChild = action { return true }
        return false
    }

    /// Re-reads the model at the refresh interval.
    mutating func refresh() {
        state.setProcesses(hooks.processes())
        if let pid = state.selectedPID { state.maps = hooks.maps(pid) }
    }

    /// Carries out actions; true when the dashboard should quit.
    mutating func perform(_ actions: [DashboardAction]) -> Bool {
        for action in actions {
            switch action {
            case .quit:
                return true
            case .launch(let request):
                dirty = true
                switch hooks.launch(request) {
                case .started(let message, let fds):
                    fds.forEach(loop.watch)
                    state.childStarted(message: message)
                    refresh()  // show the child in the tree at once, not at the next tick
                case .failed(let message):
                    state.show(message, isError: true)
                }
            case .selectProcess(let pid):
                state.maps = hooks.maps(pid)
            case .forwardToChild(let key):
                if perform(hooks.forwardToChild(key)) { return true }
            case .comparisonKey(let key):
                hooks.comparisonKey(key)
            case .childPanesClosed:
                dirty = true
                state.childPanesClosed()
            case .redraw:
                terminal.invalidate()
            }
        }
        return false
    }

    /// Renders the state and sends the changed cells. When only the child wrote since the last frame, just
    /// the pane is drawn again, over the last frame: the rest of the dashboard would come out the same, and
    /// rendering it (the process tree above all) was most of the cost of a key echo.
    mutating func draw() {
        let cursor = state.focus == .child && state.overlay == .none ? hooks.childCursor() : nil
        let layout = state.layout
        var frame: ScreenBuffer
        if !dirty, let last = lastFrame, last.size == state.size, state.overlay == .none, !layout.tooSmall,
            let rect = layout.panels[.child], let childPane = hooks.childPane
        {
            frame = last
            lastFrame = nil  // one reference fewer to copy on write
            childPane(rect, state.focus == .child, &frame, theme)
        } else {
            frame = DashboardView.render(state, theme: theme, childPane: hooks.childPane, comparison: hooks.comparison)
            dirty = false
        }
        lastFrame = frame
        terminal.present(frame, cursor: cursor)
    }
}
