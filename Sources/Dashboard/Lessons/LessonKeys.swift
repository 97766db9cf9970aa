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
        ticked = chosen.kinds
        // An ordinary user gets the other kinds only inside a user namespace of their own (root maps to them).
        if !isRoot && !ticked.isEmpty { ticked.insert(.user) }
        options = chosen.options
        lesson = LessonSession(lesson: chosen, tabID: nextTabID)
        show("Lesson \(chosen.number): \(chosen.title)")
        return launch()
    }

    /// Remembers the steps whose checks hold now, so they stay ✓; called after each recompute.
    public mutating func noteLessonProgress() {
        guard var session = lesson else { return }
        if session.lesson.steps.contains(where: { $0.check?.isHeldCheck == true }) {
            for mount in LessonCheck.heldMounts(lessonComparison(session), snapshot: snapshot)
            where !session.held.contains(where: { $0.namespace == mount.namespace }) {
                session.held.append(mount)
            }
            lesson?.held = session.held
        }
        for (index, result) in lessonResults(session).enumerated() where result == .holds {
            lesson?.passed.insert(index)
        }
    }

    /// The lesson's steps with what their checks find now: about the lesson's child only, and only once the
    /// comparison is of that child.
    public func lessonResults(_ session: LessonSession) -> [CheckResult] {
        let comparison = lessonComparison(session)
        return session.lesson.steps.enumerated().map { index, step in
            if session.passed.contains(index) { return .holds }
            guard let check = step.check else { return .unknown }
            // A check about the processes around the child holds whichever tab is compared.
            let live = tab(session.tabID).flatMap { $0.exit == nil ? $0.pid : nil }
            let found =
                check.readsSnapshotOnly
                ? live.map { check.evaluate(child: $0, snapshot: snapshot) } ?? .unknown
                : check.evaluate(comparison, snapshot: snapshot, held: session.held)
            switch found {
            case .fails(let shown): return .fails(step.hint.map { "\(shown): \($0)" } ?? "\(shown): \(check.defaultAdvice)")
            case let other: return other
            }
        }
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
