import NamespaceKit

/// The lesson list's keys and what starting a lesson does to the model.
extension DashboardModel {
    /// `L`: opens the list on the lesson being followed, else the first.
    mutating func openLessonList() {
        guard !lessons.lessons.isEmpty else {
            let why = lessons.problems.first.map { ": \($0)" } ?? " (none found on the lesson path)"
            show("No lessons to list\(why)", isError: true)
            return
        }
        let current = lesson.flatMap { session in lessons.lessons.firstIndex { $0.number == session.lesson.number } }
        overlay = .lessons(LessonPicker(cursor: current ?? 0))
    }

    /// Keys of the open list: a digit picks by number (two digits for lessons past 9), arrows move, Enter
    /// starts, Esc closes.
    mutating func handleLessonListKey(_ key: Key, picker given: LessonPicker) -> [DashboardAction] {
        var picker = given
        let list = lessons.lessons
        if case .character(let c) = key, c.isASCII, c.isNumber {
            let joined = picker.digits + String(c)
            if let index = list.firstIndex(where: { String($0.number) == joined }) {
                picker.cursor = index
                picker.digits = joined
            } else if let index = list.firstIndex(where: { String($0.number) == String(c) }) {
                picker.cursor = index
                picker.digits = String(c)
            } else {
                picker.digits = ""
            }
            overlay = .lessons(picker)
            return []
        }
        picker.digits = ""
        if let moved = key.movedPosition(from: picker.cursor, last: max(0, list.count - 1), page: 5) {
            picker.cursor = moved
            overlay = .lessons(picker)
            return []
        }
        switch key {
        case .enter:
            overlay = .none
            guard list.indices.contains(picker.cursor) else { return [] }
            return startLesson(list[picker.cursor])
        case .escape, .character("L"), .character("q"):
            overlay = .none
        default:
            overlay = .lessons(picker)
        }
        return []
    }

    /// Sets the lesson's kinds and options and launches its child; the card follows the tab it gets. A lesson
    /// that needs root is refused for an ordinary user, with the reason.
    public mutating func startLesson(_ chosen: Lesson) -> [DashboardAction] {
        if chosen.needsRoot && !isRoot {
            show("Lesson \(chosen.number) (\(chosen.title)) needs root: run nslab with sudo.", isError: true)
            return []
        }
        let missing = chosen.kinds.filter { unavailable[$0] != nil }
        if let kind = missing.first {
            show("Lesson \(chosen.number) needs \(kind.title), which is not available here.", isError: true)
            return []
        }
        // Starting a lesson again closes its earlier tabs (their children are killed): a class restarting it
        // does not pile up shells.
        let closing = closeLessonTabs(chosen.number).map { DashboardAction.kill($0) }
        ticked = chosen.kinds
        // An ordinary user gets the other kinds only inside a user namespace of their own (root maps to them).
        if !isRoot && !ticked.isEmpty { ticked.insert(.user) }
        options = chosen.options
        lesson = LessonSession(lesson: chosen, tabID: nextTabID)
        show("Lesson \(chosen.number): \(chosen.title)")
        return closing + launch()
    }

    /// Advances the lesson as far as the facts now allow: called after each recompute of the comparison, so a
    /// command waiting for its check is decided on fresh facts. Also keeps the held checks' memory.
    public mutating func noteLessonProgress(now: UInt64) {
        guard var session = lesson else { return }
        if session.lesson.steps.contains(where: { $0.check?.isHeldCheck == true }) {
            let comparison = lessonComparison(session)
            if session.inherited == nil { session.inherited = LessonCheck.nsfsMounts(comparison) }
            for mount in LessonCheck.heldMounts(comparison, snapshot: snapshot, inherited: session.inherited ?? [])
            where !session.held.contains(where: { $0.namespace == mount.namespace }) {
                session.held.append(mount)
            }
        }
        let model = self
        let frozen = session
        let moment = lessonMoment(session, now: now)
        session.progress.advance(session.lesson.steps, at: moment) { check, rows in
            model.evaluateLessonCheck(check, output: rows, session: frozen)
        }
        lesson = session
    }

    /// A command the learner ran in tab `command.tabID` finished: the current step takes it when it is that
    /// step's (see LessonProgress). True when it was.
    @discardableResult
    public mutating func lessonCommandRan(_ command: LearnerCommand, now: UInt64) -> Bool {
        guard var session = lesson else { return false }
        let model = self
        let frozen = session
        let taken = session.progress.record(
            command, from: lessonSource(of: command.tabID, session: session), steps: session.lesson.steps,
            at: lessonMoment(session, now: now)
        ) { check, rows in
            model.evaluateLessonCheck(check, output: rows, session: frozen)
        }
        lesson = session
        return taken
    }

    /// A key (or paste) went to tab `id`: for a lesson pane whose shell gives no prompt marks, the current
    /// step's check counts from now on.
    public mutating func lessonKeyTyped(tab id: ChildTab.ID, now: UInt64) {
        guard var session = lesson, lessonSource(of: id, session: session) == .lessonPane else { return }
        let model = self
        let frozen = session
        session.progress.noteKey(session.lesson.steps, at: lessonMoment(session, now: now)) { check, rows in
            model.evaluateLessonCheck(check, output: rows, session: frozen)
        }
        lesson = session
    }

    /// What the card shows for each step of `session`.
    public func lessonStates(_ session: LessonSession) -> [StepState] {
        session.progress.states(session.lesson.steps)
    }

    /// The lesson child's pid on the host while it runs, for `{pid}` in the steps.
    public func lessonChildPID(_ session: LessonSession) -> Int32? {
        tab(session.tabID).flatMap { $0.exit == nil ? $0.pid : nil }
    }

    /// What the progress needs to know of the model at `now`.
    func lessonMoment(_ session: LessonSession, now: UInt64) -> LessonMoment {
        let hostShell = tabs.contains { $0.isHost && $0.exit == nil && !$0.closed && $0.promptMarks != .none }
        return LessonMoment(
            now: now, lessonMarks: tab(session.tabID).map { $0.promptMarks != .none } ?? true, hostShell: hostShell,
            childPID: lessonChildPID(session))
    }

    /// Where a command from tab `id` ran, for the lesson: its own pane, a shell entered into its child (lesson
    /// 13 types its last step there), the host shell, or elsewhere.
    func lessonSource(of id: ChildTab.ID, session: LessonSession) -> CommandSource {
        guard let tab = tab(id) else { return .elsewhere }
        if tab.isHost { return .hostShell }
        if id == session.tabID { return .lessonPane }
        if let child = lessonChildPID(session), tab.request.joining?.pid == child, tab.request.kinds.isEmpty {
            return .lessonPane
        }
        return .elsewhere
    }

    /// What `check` finds now, about the lesson's child only and only once the comparison is of that child;
    /// with `output`, the rows of the learner's command first, for checks that count what it printed.
    func evaluateLessonCheck(_ check: LessonCheck, output: [String]?, session: LessonSession) -> CheckResult {
        if let output, let found = check.evaluate(output: output) { return found }
        // A check about the processes around the child holds whichever tab is compared.
        if check.readsSnapshotOnly {
            return lessonChildPID(session).map { check.evaluate(child: $0, snapshot: snapshot) } ?? .unknown
        }
        return check.evaluate(
            lessonComparison(session), snapshot: snapshot, held: session.held, inherited: session.inherited ?? [])
    }

    /// The latest comparison when it is of the lesson's running child, else nil.
    func lessonComparison(_ session: LessonSession) -> Comparison? {
        guard let tab = tab(session.tabID), tab.exit == nil, lastComparison?.left.pid == tab.pid else { return nil }
        return lastComparison
    }

    /// The lesson whose card is on screen: the one followed, until its tab is closed (F8, or the last pane
    /// gone); a launch not answered yet still shows it. An exited child keeps its card, which says so.
    public var lessonShown: LessonSession? {
        guard let session = lesson else { return nil }
        guard let tab = tab(session.tabID) else { return session.tabID >= nextTabID ? session : nil }
        return tab.closed ? nil : session
    }

    /// What the card says once the lesson's child has exited (its pane stays to show the last screen); nil while
    /// it runs.
    public func lessonEnd(_ session: LessonSession) -> String? {
        guard let status = tab(session.tabID)?.exit else { return nil }
        return "ended: the lesson's shell \(status). F8 closes its tab, L starts a lesson again."
    }
}
