import NamespaceKit

/// The card beside the child pane while a lesson is followed: the title, the goal, then each step with what to
/// type, what to see, and its check: ✓ holds, ✗ and a hint when the model shows the opposite, · while unknown.
public enum LessonCard {
    /// The mark for a check's result.
    public static func mark(_ result: CheckResult, hasCheck: Bool) -> String {
        switch result {
        case .holds: "✓"
        case .fails: "✗"
        case .unknown: hasCheck ? "·" : " "
        }
    }

    /// The card's lines with their roles, before clipping; pure, for tests.
    /// `ended` (the child exited) heads the card when given.
    public static func lines(
        _ session: LessonSession, results: [CheckResult], width: Int, height: Int = .max, ended: String? = nil
    ) -> [(String, ThemeRole)] {
        let full = lines(session, results: results, width: width, collapsePassed: false, goal: true, ended: ended)
        if full.count <= height { return full }
        // Too tall: steps already ✓ keep only their first line, then the goal goes, so the step to do shows.
        let collapsed = lines(session, results: results, width: width, collapsePassed: true, goal: true, ended: ended)
        if collapsed.count <= height { return collapsed }
        return lines(session, results: results, width: width, collapsePassed: true, goal: false, ended: ended)
    }

    static func lines(
        _ session: LessonSession, results: [CheckResult], width: Int, collapsePassed: Bool, goal: Bool,
        ended: String?
    ) -> [(String, ThemeRole)] {
        var out: [(String, ThemeRole)] = []
        if let ended {
            for line in TextWrap.lines(ended, width: width) { out.append((line, .error)) }
        }
        if goal { for line in TextWrap.lines(session.lesson.goal, width: width) { out.append((line, .normal)) } }
        for (index, step) in session.lesson.steps.enumerated() {
            let result = results.indices.contains(index) ? results[index] : .unknown
            if !out.isEmpty && !(collapsePassed && result == .holds) { out.append(("", .normal)) }
            let mark = mark(result, hasCheck: step.check != nil)
            let role: ThemeRole =
                switch result {
                case .holds: .same
                case .fails: .error
                case .unknown: .normal
                }
            let place = step.kind == .host ? "on the host: " : ""
            let head = step.command.isEmpty ? "look at the panels" : "\(place)$ \(step.command)"
            let headLines = TextWrap.lines("\(mark) \(index + 1). \(head)", width: width)
            // A held namespace that ticked says which one and where, as `nslab ls` would, even collapsed.
            var held: String?
            if result == .holds, case .heldNamespace(let kind)? = step.check {
                held = session.held.first { $0.namespace.kind == kind }.map { "   " + $0.text }
            }
            if collapsePassed && result == .holds {
                out.append((headLines.first ?? "", role))
                if let held { out.append((held, .same)) }
                continue
            }
            for (n, line) in headLines.enumerated() { out.append((line, n == 0 ? role : .key)) }
            // Wrapping drops leading spaces, so the indent under the step's mark is added after it.
            for line in TextWrap.lines(step.expect, width: max(1, width - 3)) { out.append(("   " + line, .hint)) }
            if let held { out.append((held, .same)) }
            if case .fails(let hint) = result {
                for line in TextWrap.lines("✗ " + hint, width: max(1, width - 3)) { out.append(("   " + line, .error)) }
            }
        }
        return out
    }

    /// The compact layout's one line: the first step not ✓ yet with its mark and number out of all, and the
    /// hint when it is ✗; "done" once every step holds, and the end when the child exited.
    public static func line(
        _ session: LessonSession, results: [CheckResult], ended: String? = nil
    ) -> (String, ThemeRole) {
        let lesson = session.lesson
        let head = "Lesson \(lesson.number)"
        if let ended { return ("\(head): \(ended)", .error) }
        let steps = lesson.steps
        guard
            let index = steps.indices.first(where: { !(results.indices.contains($0) && results[$0] == .holds) })
        else {
            let all = steps.count == 1 ? "its step holds" : "all \(steps.count) steps hold"
            return ("\(head) ✓ \(all): L picks another", .same)
        }
        let step = steps[index]
        let result = results.indices.contains(index) ? results[index] : .unknown
        let place = step.kind == .host ? "on the host: " : ""
        let what = step.command.isEmpty ? step.expect : "\(place)$ \(step.command)"
        let text = "\(head) \(mark(result, hasCheck: step.check != nil)) \(index + 1)/\(steps.count) \(what)"
        guard case .fails(let hint) = result else { return (text, .normal) }
        return (text + " ✗ " + hint, .error)
    }

    /// Draws the compact layout's lesson line into `rect` (one row).
    public static func renderLine(
        _ session: LessonSession, state: DashboardModel, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let (text, role) = line(session, results: state.lessonResults(session), ended: state.lessonEnd(session))
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
        let all = lines(
            session, results: state.lessonResults(session), width: inner.width, height: inner.height,
            ended: state.lessonEnd(session))
        for (offset, (text, role)) in all.prefix(inner.height).enumerated() {
            buffer.write(
                DisplayWidth.truncated(text, to: inner.width), x: inner.x, y: inner.y + offset, style: theme[role],
                clip: inner)
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
            let text = DisplayWidth.padded(DisplayWidth.truncated(line(lesson), to: inner.width - 2), to: inner.width - 2)
            buffer.write(text, x: inner.x + 1, y: inner.y + offset, style: style, clip: inner)
        }
        buffer.write(
            "digit or ↑↓ pick · Enter start · Esc close", x: inner.x + 1, y: inner.maxY - 1,
            style: theme[.hint].on(theme[.dialog].background), clip: inner)
    }
}
