import NamespaceKit

/// One command the learner ran, as the notebook writes it: where it ran, what was typed, what it printed, how it
/// ended and what differed from the host right then. The pane's command parser fills it (see
/// `init(tab:model:...)`); the notebook only formats it.
public struct NotebookCommand: Equatable, Sendable {
    /// The tab as its title says it, e.g. "Child 4242 [uts,pid]".
    public var tab: String
    /// The line that makes the tab's namespaces with the standard tools (`unshare ...`, `nsenter ...`); nil for
    /// the host shell, which runs in nslab's own namespaces.
    public var namespaces: String?
    /// The command line as shown in the pane.
    public var command: String
    /// The output, one screen row per element, in order.
    public var output: [String]
    /// Rows of output not in `output`, older than its first row (they scrolled out of the pane's history).
    public var outputLeftOut: Int
    /// The exit status; nil when the shell did not say.
    public var status: Int32?
    /// Start and end on the monotonic clock, in nanoseconds.
    public var started: UInt64
    /// See `started`.
    public var ended: UInt64
    /// The host-vs-child rows that differ (or are unknown) when the command ended.
    public var differences: [ComparisonRow]

    /// Makes a record.
    public init(
        tab: String, namespaces: String?, command: String, output: [String], outputLeftOut: Int = 0,
        status: Int32?, started: UInt64 = 0, ended: UInt64 = 0, differences: [ComparisonRow] = []
    ) {
        self.tab = tab
        self.namespaces = namespaces
        self.command = command
        self.output = output
        self.outputLeftOut = outputLeftOut
        self.status = status
        self.started = started
        self.ended = ended
        self.differences = differences
    }

    /// A record for a command that ran in tab `tab`: its title and namespaces line from the tab, and the rows of
    /// the comparison on show that differ from the host (none when the comparison is about another process).
    public init(
        tab: ChildTab, model: DashboardModel, command: String, output: [String], outputLeftOut: Int = 0,
        status: Int32?, started: UInt64, ended: UInt64
    ) {
        let compared = model.comparison.target == .tab(tab.id) ? model.comparison.latest?.rows ?? [] : []
        self.init(
            tab: SplitPaneView.title(of: tab), namespaces: ExportLine.line(for: tab, shell: model.exportShell),
            command: command, output: output, outputLeftOut: outputLeftOut, status: status, started: started,
            ended: ended, differences: Self.differing(compared))
    }

    /// The rows that differ between host and child, or cannot be told apart: unknown is never "the same".
    public static func differing(_ rows: [ComparisonRow]) -> [ComparisonRow] {
        rows.filter { $0.same != true || $0.hostFact != $0.childFact }
    }
}

/// A lesson step as the notebook writes it.
public struct NotebookStep: Equatable, Sendable {
    /// The lesson's number and title, e.g. "1 UTS: a hostname of its own".
    public var lesson: String
    /// The step's number (from 1) and how many steps the lesson has.
    public var number: Int
    /// See `number`.
    public var of: Int
    /// What the step asked, e.g. "$ hostname myhost".
    public var text: String
    /// ✓ or ✗.
    public var passed: Bool
    /// Why it failed, when it did.
    public var hint: String?

    /// Makes a step record.
    public init(lesson: String, number: Int, of: Int, text: String, passed: Bool, hint: String? = nil) {
        self.lesson = lesson
        self.number = number
        self.of = of
        self.text = text
        self.passed = passed
        self.hint = hint
    }
}

extension ExportLine {
    /// The line that makes `tab`'s namespaces with the standard tools: `unshare ...` for a child of the host,
    /// `nsenter ...` for one that joined another process (with `unshare ...` after it for kinds new on top); nil
    /// for the host shell.
    public static func line(for tab: ChildTab, shell: String) -> String? {
        guard !tab.isHost else { return nil }
        var plain = tab.request
        plain.joining = nil
        let new = tab.request.kinds.isEmpty ? nil : unshare(plain, shell: shell)
        guard let target = tab.request.joining else { return new }
        return (nsenterWords(target) + [new ?? ShellQuoting.word(shell)]).joined(separator: " ")
    }
}
