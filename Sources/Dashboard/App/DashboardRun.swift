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
    /// The lesson to start in (`nslab lesson N`), by number; nil for none.
    public var lesson: Int?
    /// The lessons `L` lists; nil: loaded from the lesson path at start.
    public var lessons: LoadedLessons?
    /// `--notebook DIR`: keep notebook.md and lab.cast there from the start; also where the notebook key writes.
    public var notebook: String?
    /// `--present`: start in the presenter layout.
    public var present = false

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

/// The interactive dashboard's entry point.
public enum Dashboard {
    /// Runs the dashboard over `system` until `q` or a terminating signal; returns the exit status (0, or
    /// 128+N after signal N). The theme is loaded before the terminal is touched: a bad one prints one line to
    /// stderr and returns 2. Children are shut down and the terminal restored on every way out.
    public static func run(options: DashboardOptions, system: DashboardSystem) -> Int32 {
        let loader = ThemeLoader.current()
        var theme: Theme
        do {
            theme = try loader.load(options.theme)
        } catch {
            printError("nslab: \(error.message)")
            return 2
        }
        // The notebook's directory is made and written before the terminal is touched: a read-only or full one
        // is one line on stderr, not a dashboard that cannot keep its promise.
        var lab: LabSession?
        if let directory = options.notebook {
            do {
                lab = try LabSession(directory: directory)
            } catch {
                printError("nslab: --notebook \(directory): \(error.message)")
                return 2
            }
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
        let update = DashboardUpdate(system: system)
        update.notebookDirectory = options.notebook
        var runner = Runner(terminal: terminal, loop: loop, update: update, theme: theme, options: options)
        runner.lab = lab
        let status = runner.run()
        update.shutdown()
        terminal.restore()
        return status
    }

    /// Writes one line to stderr (the terminal is not ours yet, or no longer).
    static func printError(_ line: String) {
        SystemCall.writeAll(.standardError, line + "\n")
    }
}

/// One running dashboard: the event loop turned into `DashboardEvent`s for the update step, and frames drawn
/// from the model it leaves.
struct Runner {
    /// The screen.
    let terminal: NcursesTerminal
    /// The event loop.
    let loop: EventLoop
    /// The one update step.
    let update: DashboardUpdate
    /// The styles.
    let theme: Theme
    /// The model.
    var model: DashboardModel
    /// `--launch`.
    let launchAtStart: Bool
    /// `--interval` in seconds.
    let interval: Double
    /// The lesson to start in, by number.
    let startLesson: Int?
    /// The last frame drawn; a frame that only the child's output asked for redraws just the pane into it.
    var lastFrame: ScreenBuffer?
    /// When to draw (`FramePacer`): the echo of typed keys at once, a child's output alone at most every 16 ms.
    var pacer = FramePacer()
    /// The frame timer the pacer asked for, while armed.
    var frameTimer: EventLoop.TimerID?
    /// The notebook `--notebook` opened, started once the panes have their size.
    var lab: LabSession?

    init(terminal: NcursesTerminal, loop: EventLoop, update: DashboardUpdate, theme: Theme, options: DashboardOptions) {
        self.terminal = terminal
        self.loop = loop
        self.update = update
        self.theme = theme
        model = DashboardModel(size: terminal.size, isRoot: LaunchSpec.mayMapAnyIDs())
        model.ticked = options.kinds
        model.options = options.options
        model.startChoices = StartChoices(ticked: options.kinds, options: options.options)
        model.presenter = options.present
        launchAtStart = options.launchAtStart
        interval = options.interval
        model.lessons = options.lessons ?? LessonLoader.current().load()
        if let problem = model.lessons.problems.first {
            let more = model.lessons.problems.count - 1
            model.show("Lesson left out: \(problem)\(more > 0 ? " (and \(more) more)" : "")", isError: true)
        }
        startLesson = options.lesson
        model.exportShell = update.system.shell
        model.asciiGlyphs = !terminal.unicode
        model.clipboardWorks = ExportLine.supportsClipboard(term: SystemCall.environmentValue("TERM"))
    }

    /// The loop: wait, update, draw; returns the exit status. What each wake-up's events ask of the screen is
    /// the pacer's to decide (one frame per wake-up at most).
    mutating func run() -> Int32 {
        loop.watch(.standardInput)
        let scanFD = update.system.scanWakeFD
        if let scanFD { loop.watch(scanFD) }
        let refreshTimer = loop.addTimer(seconds: interval, repeating: true)
        update.start(&model)
        if let lab { update.startNotebook(lab, model: &model) }
        if launchAtStart, apply(.input(.key(.function(5)))) { return 0 }
        if let number = startLesson, let chosen = model.lessons.lessons.first(where: { $0.number == number }) {
            // The same path as `L N Enter`: the list is not shown, but the launch is the update step's.
            model.overlay = .lessons(LessonPicker(cursor: model.lessons.lessons.firstIndex(of: chosen) ?? 0))
            if apply(.input(.key(.enter))) { return 0 }
        }
        draw(whole: true)
        pacer.drawn(now: EventLoop.now())
        while true {
            let events = loop.wait()
            let polled = EventLoop.now()
            var decision = FramePacer.Decision.nothing
            for event in events {
                switch event {
                case .readable(.standardInput):
                    for input in terminal.readInput() {
                        let before = (model.focus, model.overlay)
                        let outcome = update.apply(.input(input), to: &model)
                        if carryOut(outcome) { return 0 }
                        let typed = !outcome.changedPanels && before.0 == .child && before.1 == .none
                        let step = typed ? pacer.keysSentToChild(now: EventLoop.now()) : pacer.panelsChanged()
                        decision = decision.merged(with: step)
                    }
                case .readable(let fd) where fd == scanFD:
                    let outcome = update.apply(.scanFinished, to: &model)
                    if carryOut(outcome) { return 0 }
                    // A scan that changed nothing shown (the open map, idle) draws no frame.
                    if outcome.changedPanels { decision = decision.merged(with: pacer.panelsChanged()) }
                case .readable(let fd):
                    _ = update.apply(.ptyReadable(fd), to: &model)
                    decision = decision.merged(with: pacer.childOutput(polledAt: polled, now: EventLoop.now()))
                case .hangup(.standardInput):
                    return 128 + SIGHUP  // the terminal is gone: leave as if hung up
                case .hangup(let fd):
                    if apply(.ptyHangup(fd)) { return 0 }
                    decision = decision.merged(with: pacer.panelsChanged())
                case .signal(SIGWINCH):
                    if apply(.input(.resize(terminal.updateSize()))) { return 0 }
                    decision = decision.merged(with: pacer.panelsChanged())
                case .signal(SIGCHLD):
                    if apply(.childExited) { return 0 }
                    decision = decision.merged(with: pacer.panelsChanged())
                case .signal(let signal):
                    return 128 + signal  // SIGTERM, SIGHUP, SIGINT: leave cleanly
                case .timer(refreshTimer):
                    // With the scan on its thread, the tick only asks for a scan: its result brings the frame.
                    let outcome = update.apply(.refresh, to: &model)
                    if carryOut(outcome) { return 0 }
                    if outcome.changedPanels { decision = decision.merged(with: pacer.panelsChanged()) }
                case .timer(let id) where id == frameTimer:
                    frameTimer = nil
                    decision = decision.merged(with: pacer.timerFired())
                case .timer:
                    if apply(.wake) { return 0 }
                    decision = decision.merged(with: pacer.panelsChanged())
                }
            }
            switch decision {
            case .nothing:
                break
            case .schedule(let at):
                if let pending = frameTimer { loop.removeTimer(pending) }  // never two: the pacer has one time
                let now = EventLoop.now()
                frameTimer = loop.addTimer(seconds: Double(at > now ? at - now : 0) / 1e9, repeating: false)
            case .drawPane, .drawAll:
                if let pending = frameTimer {
                    loop.removeTimer(pending)
                    frameTimer = nil
                }
                draw(whole: decision == .drawAll)
                pacer.drawn(now: EventLoop.now())
            }
        }
    }

    /// Applies an event that may change any panel; true when the dashboard should quit.
    private mutating func apply(_ event: DashboardEvent) -> Bool {
        carryOut(update.apply(event, to: &model))
    }

    /// Does what the update asked of the loop; true when the dashboard should quit.
    private mutating func carryOut(_ outcome: UpdateOutcome) -> Bool {
        for effect in outcome.effects {
            switch effect {
            case .watch(let fd): loop.watch(fd)
            case .unwatch(let fd): loop.unwatch(fd)
            case .wake(let seconds): loop.addTimer(seconds: seconds, repeating: false)
            case .redrawAll:
                terminal.invalidate()  // Ctrl-L changes the panels too: the frame drawn next is a whole one
            case .quit: return true
            case .clipboard(let text): terminal.copyToClipboard(text)
            }
        }
        return false
    }

    /// Renders the model and sends the changed cells. Unless `whole` (something besides the pane may have
    /// changed), just the pane is drawn again, over the last frame: the rest of the dashboard would come out the
    /// same, and rendering it (the process tree above all) was most of the cost of a key echo.
    mutating func draw(whole: Bool) {
        let cursor = ChildPaneView.cursor(model, screens: update.panes)
        let layout = model.layout
        var frame: ScreenBuffer
        if !whole, let last = lastFrame, last.size == model.size, model.overlay == .none, !layout.tooSmall,
            let rect = layout.panels[.child]
        {
            frame = last
            lastFrame = nil  // one reference fewer to copy on write
            ChildPaneView.render(
                model, in: rect, focused: model.focus == .child, screens: update.panes, buffer: &frame, theme: theme)
        } else {
            frame = DashboardView.render(model, theme: theme, screens: update.panes)
        }
        lastFrame = frame
        terminal.present(frame, cursor: cursor)
    }
}
