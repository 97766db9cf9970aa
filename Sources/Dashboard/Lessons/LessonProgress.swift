/// A command the learner ran in a pane, as the pane's shell delimits it with prompt marks (OSC 133): what a
/// lesson's `child` and `host` steps tick on. TerminalKit's `ShellCommand` becomes one of these, with its tab.
public struct LearnerCommand: Equatable, Sendable {
    /// The tab whose pane ran it (the lesson's, an entered one, or the split's host shell).
    public var tabID: ChildTab.ID
    /// The command line as shown.
    public var text: String
    /// The exit status the shell reported; nil when its end mark carried none (nothing is then said about it).
    public var status: Int32?
    /// The rows it printed, oldest first.
    public var outputRows: [String]
    /// When it started, in monotonic nanoseconds (the clock of `ShellCommand.startTime` and of
    /// `DashboardUpdate.now`): a command started before its step became current does not count for it.
    public var started: UInt64

    /// Makes a command.
    public init(tabID: ChildTab.ID, text: String, status: Int32?, outputRows: [String] = [], started: UInt64) {
        self.tabID = tabID
        self.text = text
        self.status = status
        self.outputRows = outputRows
        self.started = started
    }
}

/// Where a learner's command ran, as far as the lesson cares.
public enum CommandSource: Equatable, Sendable {
    /// The lesson's pane, or a tab entered into the lesson's child (`e` on its row): `child` steps.
    case lessonPane
    /// nslab's own host shell (F7's left side): `host` steps.
    case hostShell
    /// Any other tab: not the lesson's.
    case elsewhere
}

/// How the current step failed: what the card's ✗ says and which hint follows.
public enum StepFailure: Equatable, Sendable {
    /// The command ended with this status, not the step's.
    case status(Int32)
    /// None of the command's output rows matched the step's `output`.
    case output
    /// The check shows the opposite of what the step expects: what it shows.
    case check(String)
    /// The command did what it should, but the check did not hold within `LessonProgress.grace`.
    case notSeen
}

/// What the card shows for one step.
public enum StepState: Equatable, Sendable {
    /// Done: ✓, and it stays so.
    case done
    /// The step to do now, nothing tried yet.
    case current
    /// A matching command ran and its check is not known yet (the facts are refreshed after a command).
    case checking
    /// The current step failed: ✗ and this text (what went wrong, then the hint).
    case failed(String)
    /// Not reached yet.
    case ahead

    /// The mark before the step's number.
    public var mark: String {
        switch self {
        case .done: "✓"
        case .current: "▸"
        case .checking: "…"
        case .failed: "✗"
        case .ahead: "·"
        }
    }
}

/// How the current step can tick, given where its command goes and what the panes can tell.
public enum StepMode: Equatable, Sendable {
    /// On a matching command from its pane, then its check.
    case command
    /// On its check alone: a `host` step while nslab has no host shell with prompt marks ("state only").
    case stateOnly
    /// On its check, once a key was typed in the lesson's pane: a `child` step whose shell gives no marks.
    case keys
    /// On its check once reached: an `observe` step.
    case observe
}

/// What the model tells the progress about the moment it is evaluated.
public struct LessonMoment: Equatable, Sendable {
    /// Monotonic nanoseconds.
    public var now: UInt64
    /// True unless the lesson pane's shell is known to give no prompt marks.
    public var lessonMarks: Bool
    /// True while nslab runs a host shell that gives prompt marks (the split's left side or a host tab).
    public var hostShell: Bool
    /// The lesson child's pid on the host, for `{pid}` in step commands.
    public var childPID: Int32?

    /// Makes a moment.
    public init(now: UInt64, lessonMarks: Bool = true, hostShell: Bool = false, childPID: Int32? = nil) {
        self.now = now
        self.lessonMarks = lessonMarks
        self.hostShell = hostShell
        self.childPID = childPID
    }
}

/// A lesson's progress through its steps, pure: which step is current, since when, and what the learner's last
/// command for it did. Steps become current in order; one before the current one is done for good.
///
/// A `child` step ticks on a command from the lesson's pane that started after the step became current,
/// matches the step's command (or an alternative), ended with its status, printed a row its `output` matches,
/// and whose check then holds. The check may read facts older than the command: a command that got that far is
/// kept pending and its check evaluated again at each refresh for `grace`; it ticks as soon as the check holds,
/// and is ✗ when the check shows the opposite or never held by then.
public struct LessonProgress: Equatable, Sendable {
    /// The current step's index; the step count once every step is done.
    public internal(set) var current = 0
    /// When the current step became current (monotonic nanoseconds).
    public internal(set) var since: UInt64 = 0
    /// How the current step failed last, if it did.
    public internal(set) var failure: StepFailure?
    /// The matching command whose check is awaited, and when it was recorded.
    public internal(set) var pending: (command: LearnerCommand, at: UInt64)?
    /// True once a key was typed in the lesson's pane since the current step became current.
    public internal(set) var keyTyped = false

    /// How long a matching command waits for its check to hold before it gets ✗: the facts are refreshed every
    /// second (`--interval`) and a quarter of a second after keys, but a scan of a busy machine can take seconds,
    /// and a check that still reads facts from before the command must not fail the learner for it (three seconds
    /// did, now and then, with many processes starting). The card shows `…` meanwhile.
    public static let grace: UInt64 = 10_000_000_000

    /// A fresh lesson: step 1 current since `now`.
    public init(now: UInt64 = 0) { since = now }

    /// Equal when every field is (the pending command is a tuple, which Swift cannot compare by itself).
    public static func == (a: LessonProgress, b: LessonProgress) -> Bool {
        a.current == b.current && a.since == b.since && a.failure == b.failure && a.keyTyped == b.keyTyped
            && a.pending?.command == b.pending?.command && a.pending?.at == b.pending?.at
    }

    /// How `step` ticks at `moment`.
    public static func mode(of step: LessonStep, at moment: LessonMoment) -> StepMode {
        switch step.kind {
        case .observe: .observe
        case .host: moment.hostShell ? .command : .stateOnly
        case .child: moment.lessonMarks ? .command : .keys
        }
    }

    /// Ticks the current step, and the ones after it, as far as `evaluate` (a check, with the output rows of
    /// the command it is about when there is one) lets them: called at every refresh of the facts.
    public mutating func advance(
        _ steps: [LessonStep], at moment: LessonMoment, evaluate: (LessonCheck, [String]?) -> CheckResult
    ) {
        while current < steps.count {
            let step = steps[current]
            let result: CheckResult
            switch Self.mode(of: step, at: moment) {
            case .observe, .stateOnly:
                result = step.check.map { evaluate($0, nil) } ?? .holds
            case .keys:
                guard keyTyped else { return }
                result = step.check.map { evaluate($0, nil) } ?? .holds
            case .command:
                guard let pending else { return }
                result = step.check.map { evaluate($0, pending.command.outputRows) } ?? .holds
                let expired = moment.now >= pending.at &+ Self.grace
                switch result {
                case .holds: break
                case .fails(let shown):
                    failure = .check(shown)
                    if expired { self.pending = nil }
                    return
                case .unknown:
                    if expired {
                        failure = .notSeen
                        self.pending = nil
                    }
                    return
                }
            }
            switch result {
            case .holds:
                tick(at: moment.now)
            case .fails(let shown):
                failure = .check(shown)
                return
            case .unknown:
                failure = nil
                return
            }
        }
    }

    /// Takes a command the learner ran: true when it was the current step's (matched its command from the
    /// right pane, after the step became current), whether it then passed or failed.
    @discardableResult
    public mutating func record(
        _ command: LearnerCommand, from source: CommandSource, steps: [LessonStep], at moment: LessonMoment,
        evaluate: (LessonCheck, [String]?) -> CheckResult
    ) -> Bool {
        guard current < steps.count else { return false }
        let step = steps[current]
        guard Self.mode(of: step, at: moment) == .command else { return false }
        let wanted: CommandSource = step.kind == .host ? .hostShell : .lessonPane
        guard source == wanted, command.started >= since else { return false }
        guard Self.matches(command.text, step: step, pid: moment.childPID) else { return false }
        pending = nil
        failure = nil
        if let status = command.status, status != step.status {
            failure = .status(status)
            return true
        }
        if let output = step.output, !command.outputRows.contains(where: output.matches) {
            failure = .output
            return true
        }
        pending = (command, moment.now)
        advance(steps, at: moment, evaluate: evaluate)
        return true
    }

    /// A key was typed in the lesson's pane: a step of a shell without prompt marks may now count its check.
    public mutating func noteKey(
        _ steps: [LessonStep], at moment: LessonMoment, evaluate: (LessonCheck, [String]?) -> CheckResult
    ) {
        keyTyped = true
        advance(steps, at: moment, evaluate: evaluate)
    }

    private mutating func tick(at now: UInt64) {
        current += 1
        since = now
        failure = nil
        pending = nil
        keyTyped = false
    }

    /// What the card shows for each of `steps`.
    public func states(_ steps: [LessonStep]) -> [StepState] {
        steps.indices.map { index in
            if index < current { return .done }
            if index > current { return .ahead }
            if let failure { return .failed(Self.message(failure, step: steps[index])) }
            return pending == nil ? .current : .checking
        }
    }

    /// What went wrong and what to do, in one line: the step's own hint for that kind of failure, else its
    /// general hint, else the check's advice.
    public static func message(_ failure: StepFailure, step: LessonStep) -> String {
        let advice = step.check?.defaultAdvice ?? "compare with what the step says"
        switch failure {
        case .status(let status):
            return "it ended with status \(status), not \(step.status): "
                + (step.hintStatus ?? step.hint ?? "read the error it printed")
        case .output:
            let pattern = step.output.map { " matching \($0.source.quoted)" } ?? ""
            return "it printed no line\(pattern): " + (step.hintOutput ?? step.hint ?? advice)
        case .check(let shown):
            return "\(shown): " + (step.hint ?? advice)
        case .notSeen:
            return "it ran, but the panels do not show it: " + (step.hint ?? advice)
        }
    }

    /// True when `typed`, its runs of blanks collapsed, is the step's command or one of its alternatives (with
    /// `{pid}` standing for `pid`).
    public static func matches(_ typed: String, step: LessonStep, pid: Int32?) -> Bool {
        let line = collapsed(typed)
        guard !line.isEmpty else { return false }
        return ([step.command] + step.alternatives).contains { collapsed(substitute($0, pid: pid)) == line }
    }

    /// `text` with every run of spaces and tabs one space, and none at either end.
    public static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `text` with `{pid}` replaced by the lesson child's pid on the host, or left as `{pid}` while none runs.
    public static func substitute(_ text: String, pid: Int32?) -> String {
        guard let pid, text.contains("{pid}") else { return text }
        return text.replacing("{pid}", with: String(pid))
    }
}
