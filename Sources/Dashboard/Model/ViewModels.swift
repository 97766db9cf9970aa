import NamespaceKit

/// One process as the tree panel shows it, built from a snapshot by `ProcessRows`.
public struct ProcessRow: Equatable, Sendable {
    /// The pid as the host sees it.
    public var pid: Int32
    /// The pid inside the process's own (innermost) PID namespace, when it differs from `pid`.
    public var pidInside: Int32?
    /// The user name (or uid) owning the process.
    public var user: String {
        didSet { lowercasedUser = Self.lowercasedIfDifferent(user) }
    }
    /// The command line or name.
    public var command: String {
        didSet { lowercasedCommand = Self.lowercasedIfDifferent(command) }
    }
    /// `command` and `user` lowercased, as bytes, made once per scan: a search compares every row per key,
    /// and lowercasing 20,000 strings per key was most of that key's time. Nil when the text has no capital
    /// (most commands and user names): the search reads the text's own bytes, and 20,000 rows do not keep two
    /// arrays each.
    private var lowercasedCommand: [UInt8]?
    private var lowercasedUser: [UInt8]?
    /// Depth in the tree: 0 for roots.
    public var depth: Int
    /// The kinds in which the process's namespace differs from the host's (nslab's own).
    public var differingKinds: Set<NamespaceKind>
    /// The kinds whose namespace could not be read, for the process or the host: shown as `?`, never as same.
    public var unknownKinds: Set<NamespaceKind>
    /// True for a child nslab launched, or one of its descendants.
    public var isChild: Bool
    /// True when the next rows (deeper) are its descendants.
    public var hasChildren: Bool
    /// The container the process is in, as `ContainerLabel.text` says it (`docker:web`), nil when none.
    public var container: String? = nil
    /// The pids inside, outermost first, when the process is nested more than one PID namespace deep (`[146, 1]`
    /// for NSpid `6025 146 1`); empty otherwise, where `pidInside` says it all.
    public var pidLevels: [Int32] = []

    /// Makes a row.
    public init(
        pid: Int32, pidInside: Int32? = nil, user: String, command: String, depth: Int,
        differingKinds: Set<NamespaceKind> = [], unknownKinds: Set<NamespaceKind> = [], isChild: Bool = false,
        hasChildren: Bool = false, container: String? = nil
    ) {
        self.container = container
        self.pid = pid
        self.pidInside = pidInside
        self.user = user
        self.command = command
        self.depth = depth
        self.differingKinds = differingKinds
        self.unknownKinds = unknownKinds
        self.isChild = isChild
        self.hasChildren = hasChildren
        lowercasedCommand = Self.lowercasedIfDifferent(command)
        lowercasedUser = Self.lowercasedIfDifferent(user)
    }

    /// True when the command, the user or the container label (`podman:web`, as the tree shows it) contains
    /// `query` (case-insensitive), or the pid is it.
    public func matches(_ query: SearchQuery) -> Bool {
        Self.contains(command, lowered: lowercasedCommand, query.bytes)
            || Self.contains(user, lowered: lowercasedUser, query.bytes) || (query.pid != nil && query.pid == pid)
            || container.map { Self.contains($0, lowered: Self.lowercasedIfDifferent($0), query.bytes) } == true
    }

    /// `text` lowercased as bytes, or nil when lowercasing changes nothing.
    private static func lowercasedIfDifferent(_ text: String) -> [UInt8]? {
        let lowered = text.lowercased()
        return lowered == text ? nil : Array(lowered.utf8)
    }

    /// True when `needle` occurs in `text`'s lowercased bytes (`lowered`, or the text's own when nil).
    private static func contains(_ text: String, lowered: [UInt8]?, _ needle: [UInt8]) -> Bool {
        if let lowered { return lowered.withUnsafeBufferPointer { contains($0, needle) } }
        if let found = text.utf8.withContiguousStorageIfAvailable({ contains($0, needle) }) { return found }
        return Array(text.utf8).withUnsafeBufferPointer { contains($0, needle) }
    }

    /// True when `needle` occurs in `hay`.
    private static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard hay.count >= needle.count else { return false }
        return needle.withUnsafeBufferPointer { pin in
            var start = 0
            let last = hay.count - pin.count
            while start <= last {
                if hay[start] == first {
                    var offset = 1
                    while offset < pin.count && hay[start + offset] == pin[offset] { offset += 1 }
                    if offset == pin.count { return true }
                }
                start += 1
            }
            return false
        }
    }
}

/// A process search's text, prepared once per search rather than once per row.
public struct SearchQuery: Equatable, Sendable {
    /// The text lowercased, as bytes.
    let bytes: [UInt8]
    /// The text as a pid, when it is one.
    let pid: Int32?

    /// Prepares `text`.
    public init(_ text: String) {
        bytes = Array(text.lowercased().utf8)
        pid = Int32(text).flatMap { String($0) == text ? $0 : nil }  // "007" is no pid's spelling
    }
}

/// One line of a uid_map or gid_map, as the map panel shows it: the launcher's own map entry.
public typealias MapLine = IDMapEntry

/// The maps of one process, as the map panel shows them.
public struct MapView: Equatable, Sendable {
    /// Whose maps these are, e.g. "pid 4242 (bash), read from the host".
    public var subject: String
    /// uid_map lines.
    public var uidLines: [MapLine]
    /// gid_map lines.
    public var gidLines: [MapLine]
    /// The content of /proc/PID/setgroups ("allow" or "deny"); nil when unknown.
    public var setgroups: String?

    /// Makes a map view.
    public init(subject: String, uidLines: [MapLine], gidLines: [MapLine], setgroups: String?) {
        self.subject = subject
        self.uidLines = uidLines
        self.gidLines = gidLines
        self.setgroups = setgroups
    }
}

/// The per-kind options of the Namespaces panel, as typed (the launcher parses and checks them again).
public struct NamespaceOptions: Equatable, Sendable {
    /// Hostname for a new UTS namespace.
    public var hostname: String = "nslab"
    /// Mount a fresh /proc (needs Mount and PID).
    public var freshProc: Bool = true
    /// Bring `lo` up in a new network namespace.
    public var loopbackUp: Bool = true
    /// uid maps, each "INSIDE OUTSIDE COUNT"; empty means root inside is the caller outside.
    public var uidMaps: [String] = []
    /// gid maps, each "INSIDE OUTSIDE COUNT"; empty means root inside is the caller outside.
    public var gidMaps: [String] = []
    /// False: a new user namespace's maps are left unwritten (a lesson's `maps = false`).
    public var writeMaps = true
    /// Monotonic clock offset in seconds for a new time namespace.
    public var monotonicOffset: Int64 = 0
    /// Boottime clock offset in seconds for a new time namespace.
    public var boottimeOffset: Int64 = 0

    /// The defaults.
    public init() {}
}

/// What F5 asks the launcher for: the ticked kinds and their options.
public struct LaunchRequest: Equatable, Sendable {
    /// The ticked kinds.
    public var kinds: Set<NamespaceKind>
    /// Their options.
    public var options: NamespaceOptions
    /// A running process whose namespaces the child joins first, the ticked kinds then new on top of them
    /// (`e` in the tree, Shift-F5 in a child's tab); nil for a child of the host.
    public var joining: JoinTarget? = nil
    /// What the tab says instead of the kind list, e.g. "entered 4242 (sh)".
    public var title: String? = nil

    /// Makes a request.
    public init(kinds: Set<NamespaceKind>, options: NamespaceOptions) {
        self.kinds = kinds
        self.options = options
    }
}

/// Something the pure key handlers ask `DashboardUpdate` to do, because it needs I/O.
public enum DashboardAction: Equatable, Sendable {
    /// Launch a child (F5 or the Launch button).
    case launch(LaunchRequest)
    /// Kill and reap the children, restore the terminal, exit.
    case quit
    /// The tree selection changed: point the maps and comparison panels at this pid.
    case selectProcess(Int32)
    /// A key (or mouse event) for the focused child pane: `handlePaneKey` turns it into the pane's own actions
    /// (tabs, split, scrollback) or typing for the child.
    case forwardToChild(Key)
    /// Ctrl-L: forget what the terminal shows and send every cell again.
    case redraw
    /// F7 with no host shell running: start one (no namespaces, none of the child's options) on the left.
    case openSplit
    /// Put this text on the terminal's clipboard (OSC 52), for the `unshare` line.
    case copy(String)
    /// Type this key (or paste) into these tabs' children: the one with the keys, or both sides while
    /// broadcasting.
    case type(Key, into: [ChildTab.ID])
    /// Hand this mouse event to a tab's child, whose screen is `area` (or scroll its view, when the child did not
    /// ask for the mouse).
    case mouse(MouseEvent, to: ChildTab.ID, area: Rect)
    /// Scroll a tab's view a page back through its history, or forward.
    case scroll(ChildTab.ID, forward: Bool)
    /// A tab was closed (F8): kill its child and every process of its session; it goes once nothing is left.
    case kill(ChildTab.ID)
    /// The comparison points at another tab: read the facts of its child again.
    case recompute
    /// `N`: start or stop the lab notebook (notebook.md and the lab.cast recording).
    case toggleNotebook
    /// `R`, answered y: close every tab, kill every child, undo the wiring, back to the start (`Update/Reset.swift`).
    case reset
    /// The network map opened or wants its detail: read the network now rather than at the next refresh.
    case readNetwork
    /// `w` in the map: wire the first child's namespace to the second's with a veth pair (or a bridge), or unwire
    /// them when they are wired (`WiringState.toggle`).
    case wire(WireParty, WireParty)
}

/// Checks what the user types in the edit dialogs; nil means valid, else the problem in one sentence.
///
/// `launchRules` are launch's own checks (`LaunchSpec`'s, which `nslab run` and the launcher call), so a dialog
/// never says ok to what launch then refuses; tests may inject others.
public struct DashboardValidators: Sendable {
    /// Checks a hostname.
    public var hostname: @Sendable (String) -> String?
    /// Checks a whole uid or gid map, given as its lines ("INSIDE OUTSIDE COUNT" each): lines that overlap
    /// each other are refused, not only bad lines.
    public var idMap: @Sendable (_ lines: [String], _ kind: IDKind) -> String?
    /// Checks a clock offset in seconds.
    public var offset: @Sendable (String) -> String?

    /// Makes validators.
    public init(
        hostname: @escaping @Sendable (String) -> String?,
        idMap: @escaping @Sendable (_ lines: [String], _ kind: IDKind) -> String?,
        offset: @escaping @Sendable (String) -> String?
    ) {
        self.hostname = hostname
        self.idMap = idMap
        self.offset = offset
    }
}

extension DashboardValidators {
    /// Launch's own checks, for a caller who may map any ids (`privileged`: root) or only their own.
    public static func launchRules(privileged: Bool) -> DashboardValidators {
        DashboardValidators(
            hostname: { name in
                do {
                    try LaunchSpec.validateHostname(name)
                    return nil
                } catch {
                    return "\(error)"
                }
            },
            idMap: { lines, kind in
                do {
                    try LaunchSpec.validateMap(lines: lines, kind: kind, privileged: privileged)
                    return nil
                } catch {
                    return "\(error)"
                }
            },
            offset: { text in
                guard let value = Int64(text) else { return "an offset is whole seconds, e.g. 3600 or -60" }
                do {
                    try LaunchSpec.validateOffset(Double(value), clock: "the")
                    return nil
                } catch {
                    return "\(error)"
                }
            }
        )
    }
}
