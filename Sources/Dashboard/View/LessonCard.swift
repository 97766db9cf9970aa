import NamespaceKit

/// The card beside the child pane while a lesson is followed: which step is current ("step 2 of 4"), the goal,
/// then every step with what to type and what to see, marked ✓ done, ▸ current, … checking a command just run,
/// ✗ with what went wrong and a hint, · not reached. Every step's command stays on the card (a later step may
/// use what an earlier one printed); only done steps' `expect` text is left out when space is short, and what
/// still does not fit scrolls to the current step, with `1-9 of 14` on the bottom border.
public enum LessonCard {
    /// What the card needs from the model besides the lesson.
    public struct Facts: Equatable, Sendable {
        /// Each step's state.
        public var states: [StepState]
        /// The lesson child's pid on the host, for `{pid}`.
        public var childPID: Int32?
        /// True while nslab has a host shell with prompt marks: `host` steps wait for its commands.
        public var hostShell: Bool
        /// True when the lesson pane's shell gives no prompt marks.
        public var noMarks: Bool
        /// What the card says once the child exited.
        public var ended: String?

        /// Makes the facts.
        public init(
            states: [StepState], childPID: Int32? = nil, hostShell: Bool = false, noMarks: Bool = false,
            ended: String? = nil
        ) {
            self.states = states
            self.childPID = childPID
            self.hostShell = hostShell
            self.noMarks = noMarks
            self.ended = ended
        }

        /// The facts of `session` in `state`.
        public init(_ session: LessonSession, state: DashboardModel) {
            let moment = state.lessonMoment(session, now: 0)
            self.init(
                states: state.lessonStates(session), childPID: moment.childPID, hostShell: moment.hostShell,
                noMarks: !moment.lessonMarks, ended: state.lessonEnd(session))
        }
    }

    /// The card's text: a head that always shows, and a body that scrolls.
    public struct Text {
        /// "step 2 of 4" and the notes under it.
        public var head: [(String, ThemeRole)]
        /// The goal and the steps.
        public var body: [(String, ThemeRole)]
        /// The body line each step starts on (its head line), so a card that scrolls shows the current step and,
        /// when there is room, the one before it, whose command a step often builds on (`$!`).
        public var stepLines: [Int]
        /// The current step's index, if a step is current.
        public var current: Int?
    }

    /// The card's text for `width` columns; done steps' `expect` is left out when `collapseDone`.
    public static func text(_ session: LessonSession, facts: Facts, width: Int, collapseDone: Bool) -> Text {
        let steps = session.lesson.steps
        let states = steps.indices.map { facts.states.indices.contains($0) ? facts.states[$0] : .ahead }
        var head: [(String, ThemeRole)] = []
        if let ended = facts.ended {
            for line in TextWrap.lines(ended, width: width) { head.append((line, .error)) }
        }
        let done = states.filter { $0 == .done }.count
        let where_ =
            done == steps.count
            ? "✓ all \(steps.count) step\(steps.count == 1 ? "" : "s") done: L picks another"
            : "step \(min(done + 1, steps.count)) of \(steps.count)"
        head.append((where_, done == steps.count ? .same : .title))
        if facts.noMarks && facts.ended == nil {
            for line in TextWrap.lines("no prompt marks: checks count after you type", width: width) {
                head.append((line, .hint))
            }
        }
        var body: [(String, ThemeRole)] = []
        for line in TextWrap.lines(session.lesson.goal, width: width) { body.append((line, .normal)) }
        var stepLines: [Int] = []
        for (index, step) in steps.enumerated() {
            let state = states[index]
            body.append(("", .normal))
            stepLines.append(body.count)
            let role: ThemeRole =
                switch state {
                case .done: .same
                case .failed: .error
                case .current, .checking: .title
                case .ahead: .normal
                }
            let command = LessonProgress.substitute(step.command, pid: facts.childPID)
            let place =
                step.kind == .host ? (facts.hostShell ? "in the host shell: " : "on the host (state only): ") : ""
            let what = step.command.isEmpty ? "look at the panels" : "\(place)$ \(command)"
            let headLines = TextWrap.lines("\(state.mark) \(index + 1). \(what)", width: width)
            for (n, line) in headLines.enumerated() { body.append((line, n == 0 ? role : .key)) }
            // A held namespace that ticked says which one and where, as `nslab ls` would, even collapsed.
            if state == .done, case .heldNamespace(let kind)? = step.check,
                let held = session.held.first(where: { $0.namespace.kind == kind })
            {
                body.append(("   " + held.text, .same))
            }
            if collapseDone && state == .done { continue }
            // What went wrong comes right under the command, before what should be seen: on a card that must
            // scroll, the command and the hint are what the learner needs first.
            // (Wrapping drops leading spaces, so the indent under the step's mark is added after it.)
            if case .failed(let why) = state {
                for line in TextWrap.lines("✗ " + why, width: max(1, width - 3)) { body.append(("   " + line, .error)) }
            }
            if state == .checking {
                for line in TextWrap.lines("… it ran; checking the panels", width: max(1, width - 3)) {
                    body.append(("   " + line, .hint))
                }
            }
            let expect = LessonProgress.substitute(step.expect, pid: facts.childPID)
            for line in TextWrap.lines(expect, width: max(1, width - 3)) { body.append(("   " + line, .hint)) }
        }
        return Text(head: head, body: body, stepLines: stepLines, current: states.firstIndex { $0 != .done })
    }

    /// The lines on show in a card `width` by `height` inside its frame, and the scroll marker for its bottom
    /// border when the body does not fit (`1-9 of 14`: the body lines on show of all); pure, for tests.
    public static func lines(
        _ session: LessonSession, facts: Facts, width: Int, height: Int = .max
    ) -> (lines: [(String, ThemeRole)], marker: String?) {
        var text = Self.text(session, facts: facts, width: width, collapseDone: false)
        if text.head.count + text.body.count > height {
            text = Self.text(session, facts: facts, width: width, collapseDone: true)
        }
        let room = max(0, height - text.head.count)
        guard text.body.count > room else { return (text.head + text.body, nil) }
        // Scrolled to the current step: from the step before it when both fit, else from its own head.
        var wanted = text.body.count
        if let current = text.current {
            let end = text.stepLines.indices.contains(current + 1) ? text.stepLines[current + 1] - 1 : text.body.count
            let own = text.stepLines[current]
            let before = current > 0 ? text.stepLines[current - 1] : 0
            wanted = end - before <= room ? before : own
        }
        let first = max(0, min(wanted, text.body.count - room))
        let shown = Array(text.body[first..<min(text.body.count, first + room)])
        let marker = room > 0 ? "\(first + 1)-\(first + shown.count) of \(text.body.count)" : nil
        return (Array(text.head.prefix(height)) + shown, marker)
    }

    /// The compact layout's one line: the current step with its mark and number out of all, and what went wrong
    /// when it is ✗; "done" once every step is, and the end when the child exited. A pane whose shell gives no
    /// prompt marks says so, as the card does.
    public static func line(_ session: LessonSession, facts: Facts) -> (String, ThemeRole) {
        let lesson = session.lesson
        if let ended = facts.ended { return ("Lesson \(lesson.number): \(ended)", .error) }
        // A pane without prompt marks is said first: the line is cut at the screen's width.
        let head = "Lesson \(lesson.number)\(facts.noMarks ? " (no prompt marks: checks count after you type)" : "")"
        let steps = lesson.steps
        let states = steps.indices.map { facts.states.indices.contains($0) ? facts.states[$0] : .ahead }
        guard let index = states.firstIndex(where: { $0 != .done }) else {
            let all = steps.count == 1 ? "its step is done" : "all \(steps.count) steps done"
            return ("\(head) ✓ \(all): L picks another", .same)
        }
        let step = steps[index]
        let place = step.kind == .host ? (facts.hostShell ? "in the host shell: " : "on the host (state only): ") : ""
        let command = LessonProgress.substitute(step.command, pid: facts.childPID)
        let what = step.command.isEmpty ? step.expect : "\(place)$ \(command)"
        let text = "\(head) \(states[index].mark) \(index + 1)/\(steps.count) \(what)"
        guard case .failed(let why) = states[index] else { return (text, .normal) }
        return (text + " ✗ " + why, .error)
    }

    /// Draws the compact layout's lesson line into `rect` (one row).
    public static func renderLine(
        _ session: LessonSession, state: DashboardModel, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let (text, role) = line(session, facts: Facts(session, state: state))
        buffer.fill(rect, style: theme[.normal])
        buffer.write(DisplayWidth.truncated(text, to: rect.width), x: rect.x, y: rect.y, style: theme[role], clip: rect)
    }

    /// Draws the card for `session` into `rect`.
    public static func render(
        _ session: LessonSession, state: DashboardModel, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let title = "Lesson \(session.lesson.number): \(session.lesson.title)"
        let inner = PanelFrame.draw(title, in: rect, focused: false, buffer: &buffer, theme: theme)
        guard inner.width > 4, inner.height > 0 else { return }
        let (shown, marker) = lines(
            session, facts: Facts(session, state: state), width: inner.width, height: inner.height)
        for (offset, (text, role)) in shown.enumerated() {
            buffer.write(
                DisplayWidth.truncated(text, to: inner.width), x: inner.x, y: inner.y + offset, style: theme[role],
                clip: inner)
        }
        if let marker {
            let label = " \(marker) "
            let border = Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1)
            let x = max(border.x, border.maxX - DisplayWidth.width(of: label) - 1)
            buffer.write(label, x: x, y: border.y, style: theme[.title], clip: border)
        }
    }
}

/// The lesson list `L` opens, centred over the screen: number, title, and "root" for lessons that need it
/// (greyed for an ordinary user).
public enum LessonListView {
    /// The list's lines: "8  Time: ... (root)".
    public static func line(_ lesson: Lesson) -> String {
        "\(lesson.number < 10 ? " " : "")\(lesson.number)  \(lesson.title)\(lesson.needsRoot ? "  (root)" : "")"
    }

    /// Draws the list over `bounds`.
    public static func render(
        _ state: DashboardModel, picker: LessonPicker, in bounds: Rect, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let list = state.lessons.lessons
        let width = min(bounds.width, max(50, (list.map { DisplayWidth.width(of: line($0)) }.max() ?? 0) + 6))
        let rows = min(list.count, max(1, bounds.height - 6))
        let rect = bounds.centered(width: width, height: rows + 4)
        buffer.fill(rect, style: theme[.dialog])
        buffer.box(rect, style: theme[.focusedBorder], title: "Lessons", titleStyle: theme[.title])
        let inner = rect.inset(by: 1)
        let top = max(0, min(picker.cursor - rows + 1, list.count - rows))
        for (offset, lesson) in list.dropFirst(top).prefix(rows).enumerated() {
            let index = top + offset
            let greyed = lesson.needsRoot && !state.isRoot
            let style = index == picker.cursor ? theme[.selection] : greyed ? theme[.disabled] : theme[.dialog]
            let text = DisplayWidth.padded(
                DisplayWidth.truncated(line(lesson), to: inner.width - 2), to: inner.width - 2)
            buffer.write(text, x: inner.x + 1, y: inner.y + offset, style: style, clip: inner)
        }
        buffer.write(
            "digit or ↑↓ pick · Enter start · Esc close", x: inner.x + 1, y: inner.maxY - 1,
            style: theme[.hint].on(theme[.dialog].background), clip: inner)
        // A short screen shows only some lessons: the border says which.
        if list.count > rows {
            PanelFrame.marker(
                ["\(top + 1)-\(min(list.count, top + rows)) of \(list.count)"], in: rect, focused: false,
                buffer: &buffer, theme: theme)
        }
    }
}
