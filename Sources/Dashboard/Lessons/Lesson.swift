import NamespaceKit

/// A guided experiment, read from a `lessons/*.toml` file (see docs/lessons.md): what to tick and set, what
/// to type, and the checks that tick each step off from the live model.
public struct Lesson: Equatable, Sendable {
    /// Its number in the list (`L 8 Enter`, `nslab lesson 8`); unique among the loaded lessons.
    public var number: Int
    /// A short name for `nslab lesson NAME`, e.g. "uts".
    public var name: String
    /// The title shown in the list and on the card.
    public var title: String
    /// The goal, in one sentence.
    public var goal: String
    /// The kinds ticked before the launch.
    public var kinds: Set<NamespaceKind>
    /// The options set before the launch (defaults for anything the file leaves out).
    public var options: NamespaceOptions
    /// True when the lesson cannot work without root; greyed in the list for an ordinary user.
    public var needsRoot: Bool
    /// The steps, in order.
    public var steps: [LessonStep]
    /// The file it came from.
    public var file: String

    /// Makes a lesson.
    public init(
        number: Int, name: String, title: String, goal: String, kinds: Set<NamespaceKind>,
        options: NamespaceOptions = NamespaceOptions(), needsRoot: Bool = false, steps: [LessonStep],
        file: String = ""
    ) {
        self.number = number
        self.name = name
        self.title = title
        self.goal = goal
        self.kinds = kinds
        self.options = options
        self.needsRoot = needsRoot
        self.steps = steps
        self.file = file
    }
}

/// Where a step's command is typed.
public enum StepKind: String, CaseIterable, Equatable, Sendable {
    /// In the child's pane.
    case child
    /// In another terminal on the host (outside nslab).
    case host
    /// Nothing to type: look at a panel.
    case observe
}

/// One step of a lesson.
public struct LessonStep: Equatable, Sendable {
    /// Where the command goes.
    public var kind: StepKind
    /// What to type (empty for `observe`); `{pid}` stands for the lesson child's pid on the host.
    public var command: String
    /// Other command lines that do the same experiment (`cat /proc/sys/kernel/hostname` for `hostname`).
    public var alternatives: [String]
    /// The exit status the command must end with.
    public var status: Int32
    /// What at least one of the command's output rows must match, if anything.
    public var output: OutputPattern?
    /// What should be seen; `{pid}` as in `command`.
    public var expect: String
    /// The live check that ticks the step off, if any.
    public var check: LessonCheck?
    /// The one-line hint shown when the check fails (the check's own when the file gives none), and when the
    /// status or output is wrong and the file gives no hint of its own for that.
    public var hint: String?
    /// The hint shown when the command ended with another status.
    public var hintStatus: String?
    /// The hint shown when no output row matched `output`.
    public var hintOutput: String?
    /// The Host vs child row the step is about, when the file names one (`row`); else its check's.
    public var row: NamespaceKind?

    /// The Host vs child row the step points at: the one the file names, else the one its check reads. The
    /// panel brings it into view when the step becomes current.
    public var shownRow: NamespaceKind? { row ?? check?.row }

    /// Makes a step.
    public init(
        kind: StepKind, command: String, expect: String, check: LessonCheck?, hint: String? = nil,
        alternatives: [String] = [], status: Int32 = 0, output: OutputPattern? = nil, hintStatus: String? = nil,
        hintOutput: String? = nil
    ) {
        self.kind = kind
        self.command = command
        self.alternatives = alternatives
        self.status = status
        self.output = output
        self.expect = expect
        self.check = check
        self.hint = hint
        self.hintStatus = hintStatus
        self.hintOutput = hintOutput
    }
}

/// What a check found in the model.
public enum CheckResult: Equatable, Sendable {
    /// The model shows what the step expects: ✓.
    case holds
    /// The model shows the opposite: ✗ and the hint.
    case fails(String)
    /// Not known yet (no child, no facts, or not done yet): neutral.
    case unknown
}

/// A lesson being followed: which lesson, and the tab its child got.
public struct LessonSession: Equatable, Sendable {
    /// The lesson.
    public var lesson: Lesson
    /// The id of the tab the lesson's launch gets; the card's checks are about that tab's child.
    public var tabID: ChildTab.ID
    /// Which step is current, what the learner's last command for it did, and whether the pane's shell gives
    /// prompt marks (LessonProgress.swift). Steps before the current one stay ✓, since a later step may undo
    /// what an earlier one saw (the map written in step 2 ends step 1's "no map").
    public var progress = LessonProgress()
    /// Namespaces seen held by a bind mount in the child's mount namespace, first seen first: the held checks'
    /// memory, since once `umount` released one nothing in the model names it any more. Only a lesson with a
    /// held check keeps any.
    public var held: [HeldMount] = []
    /// The namespaces nsfs bind mounts held in the child's mount table at its first comparison, copied from the
    /// host's at launch: not the lesson's doing, so the held checks leave them out. Nil until then.
    public var inherited: Set<NamespaceKey>?

    /// Makes a session for `lesson`, whose child gets tab `tabID`.
    public init(lesson: Lesson, tabID: ChildTab.ID) {
        self.lesson = lesson
        self.tabID = tabID
    }
}

/// The lesson list overlay (`L`): the cursor and any digits typed so far.
public struct LessonPicker: Equatable, Sendable {
    /// The lesson under the cursor, as an index into the loaded lessons.
    public var cursor = 0
    /// Digits typed, so lesson 12 can be picked with `1 2`.
    public var digits = ""
}
