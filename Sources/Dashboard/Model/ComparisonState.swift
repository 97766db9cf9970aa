import NamespaceKit

/// One kind in the host-vs-child panel: the namespace id and a telling fact on each side.
public struct ComparisonRow: Equatable, Sendable {
    /// The kind.
    public var kind: NamespaceKind
    /// The host's namespace id, e.g. `[4026531838]`.
    public var hostID: String
    /// The host's side of the fact (e.g. its hostname).
    public var hostFact: String
    /// The child's namespace id.
    public var childID: String
    /// The child's side of the fact.
    public var childFact: String
    /// True/false when both ids are known, nil otherwise.
    public var same: Bool?
    /// Lines shown under the explanation when the row is open (Enter): the child's capabilities on the user row,
    /// propagation and the mounts that differ from the host's on the mount row.
    public var detail: [String] = []

    /// Makes a row.
    public init(
        kind: NamespaceKind, hostID: String, hostFact: String, childID: String, childFact: String, same: Bool?
    ) {
        self.kind = kind
        self.hostID = hostID
        self.hostFact = hostFact
        self.childID = childID
        self.childFact = childFact
        self.same = same
    }
}

/// What the host-vs-child panel shows: whose comparison, the rows, the cursor and the open explanation.
public struct ComparisonView: Equatable, Sendable {
    /// Who is compared with the host, e.g. "pid 4242 (bash)".
    public var subject: String
    /// One row per kind.
    public var rows: [ComparisonRow]
    /// Set once the process has ended (e.g. "exited: status 0"): the last values stay, greyed.
    public var ended: String?
    /// The row under the cursor.
    public var cursor: Int
    /// The kind whose explanation is open (Enter), if any.
    public var expanded: NamespaceKind?
    /// True when the subject is a child nslab launched (a tab's), which "tick it and launch again" can change.
    public var isOwnChild: Bool
    /// The process of the left column when it is not the host (a child launched or entered inside it), e.g.
    /// "pid 2002 (bash)"; nil against the host.
    public var reference: String? = nil
    /// The first line shown when the rows and the open explanation do not all fit the panel.
    public var scroll = 0

    /// Makes a view.
    public init(
        subject: String, rows: [ComparisonRow], ended: String? = nil, cursor: Int = 0,
        expanded: NamespaceKind? = nil, isOwnChild: Bool = true
    ) {
        self.isOwnChild = isOwnChild
        self.subject = subject
        self.rows = rows
        self.ended = ended
        self.cursor = cursor
        self.expanded = expanded
    }
}

/// What the host-vs-child panel compares with the host.
public enum ComparisonTarget: Equatable, Sendable {
    /// A child launched from the dashboard; its exit status shows once it ends.
    case tab(ChildTab.ID)
    /// A process selected in the tree.
    case process(Int32)
}

/// The host-vs-child panel's part of the model: what it compares, the latest rows, its cursor, the open
/// explanation, and when the next recompute is due after keys went to the child.
public struct ComparisonState: Equatable, Sendable {
    /// What is compared; nil until a launch or a move in the tree.
    public var target: ComparisonTarget?
    /// The latest comparison (kept, greyed, after the process ended); nil until the first one is read.
    public var latest: ComparisonView?
    /// The row under the cursor.
    public var cursor = 0
    /// The kind whose explanation is open.
    public var expanded: NamespaceKind?
    /// The first line shown, when the rows and the open explanation do not fit the panel (kept in range when
    /// drawn: the rows may have shrunk since).
    public var scroll = 0
    /// The lesson step whose row was last brought into view (its lesson's tab and the step's index), so a step
    /// scrolls the panel once, when it becomes current, and the learner's own scrolling is left alone after.
    public var revealedStep: RevealedStep?
    /// When a recompute is due after keys were sent to the child (monotonic nanoseconds); nil when none is.
    public var recomputeDue: UInt64?
    /// A child started inside another process's namespaces is compared with that process, unless this is set
    /// (`r` switches): then with the host, as every other child.
    public var againstHost = false

    /// Nothing compared yet.
    public init() {}

    /// The view the panel draws: the latest rows with the cursor and the open explanation.
    public var view: ComparisonView? {
        guard var view = latest else { return nil }
        view.cursor = cursor
        view.expanded = expanded
        view.scroll = scroll
        return view
    }

    /// Points the panel at `target`; its rows are read at the next recompute.
    public mutating func point(at target: ComparisonTarget) {
        self.target = target
        latest = nil
    }

    /// A lesson step whose row the panel brought into view.
    public struct RevealedStep: Equatable, Sendable {
        /// The lesson's tab.
        public var tabID: ChildTab.ID
        /// The step's index.
        public var step: Int
    }

    /// Keys of the panel: ↑↓ j/k and Home/End move between kinds (an open explanation follows the cursor, so a
    /// learner can read them one after another), Enter or Space opens or closes it, Esc closes it. True when
    /// the key was one of them.
    public mutating func handle(_ key: Key) -> Bool {
        let last = (latest?.rows.count ?? NamespaceKind.allCases.count) - 1
        if key != .pageUp, key != .pageDown, let moved = key.movedPosition(from: cursor, last: last, page: 1) {
            cursor = moved
            if expanded != nil { expanded = NamespaceKind.allCases[safe: cursor] }
            return true
        }
        switch key {
        case .enter, .character(" "):
            let kind = NamespaceKind.allCases[safe: cursor]
            expanded = expanded == kind ? nil : kind
        case .escape:
            expanded = nil
        default:
            return false
        }
        return true
    }
}
