import NamespaceKit

/// The vocabulary of live checks a lesson file may name (docs/lessons.md explains each). A check reads only
/// the comparison of the lesson's child with the host and the snapshot that the dashboard already keeps, so it
/// costs no I/O.
public enum LessonCheck: Equatable, Sendable {
    /// `own-namespace`, value a kind: the child's namespace of that kind is not the host's.
    case ownNamespace(NamespaceKind)
    /// `same-namespace`, value a kind: the child shares the host's namespace of that kind (joining lessons).
    case sameNamespace(NamespaceKind)
    /// `hostname`, value a name: the child's hostname is it and the host's is not.
    case hostname(String)
    /// `ipc-queues-isolated`: the child and the host see different numbers of message queues.
    case ipcQueuesIsolated
    /// `pid-inside`, value a number: the child's pid as it sees itself.
    case pidInside(Int)
    /// `processes-at-most`, value a number: how many processes the child's PID namespace holds.
    case processesAtMost(Int)
    /// `proc-is-own`: the child's /proc shows its own PID namespace.
    case procIsOwn
    /// `more-mounts-than-host`: the child's mount table has more entries than the host's.
    case moreMountsThanHost
    /// `root-maps-to-caller`: uid 0 inside is the host's (nslab's) uid outside.
    case rootMapsToCaller
    /// `unmapped-uid`: the child's user namespace has no uid map yet (its processes show as 65534 inside).
    case unmappedUID
    /// `only-loopback`: the child sees only `lo`.
    case onlyLoopback
    /// `interface-count-at-least`, value a number: the child sees at least this many interfaces (a veth end).
    case interfacesAtLeast(Int)
    /// `cgroup-root`: the child's cgroup reads `/` from inside.
    case cgroupRoot
    /// `boottime-offset`, value seconds: the child's boottime offset.
    case boottimeOffset(Int)
    /// `uptime-ahead`, value seconds: the child's uptime is ahead of the host's by about that much.
    case uptimeAhead(Int)
    /// `adopted-by-init`, value a command name: a process running it has the child (its namespace's pid 1)
    /// as parent; the lesson's command makes it an orphan first, so the parent is the one that adopted it.
    case adoptedByInit(String)
    /// `pid-levels-at-least`, value a number: a process in the child's tree has a pid at that many levels of
    /// nested PID namespaces (its `NSpid` line, from nslab's namespace down).
    case pidLevelsAtLeast(Int)
    /// `joined-by-another`: a process outside the child's tree (an `e` tab, `nslab enter`) is in every
    /// namespace the child has apart from nslab's.
    case joinedByAnother
    /// `mount-seen`, value a path: the child's mount table has a mount at that path.
    case mountSeen(String)
    /// `mount-shared`, value a path: the child's mount at that path is shared (in a peer group).
    case mountShared(String)
    /// `mount-private`, value a path: the child's mount at that path propagates neither way.
    case mountPrivate(String)
    /// `held-namespace`, value a kind: an nsfs bind mount in the child's mount namespace holds a namespace of
    /// that kind that is neither the child's nor the host's and that no process is in (LessonHeldCheck.swift).
    case heldNamespace(NamespaceKind)
    /// `held-entered`, value a kind: a process is in a namespace seen held before (joined through the mount).
    case heldEntered(NamespaceKind)
    /// `held-released`, value a kind: a namespace seen held before is held by no mount and no process: gone.
    case heldReleased(NamespaceKind)

    /// The Host vs child row whose facts the check reads, if one does: the row a step with this check is about.
    public var row: NamespaceKind? {
        switch self {
        case .ownNamespace(let kind), .sameNamespace(let kind): kind
        case .hostname: .uts
        case .ipcQueuesIsolated: .ipc
        case .pidInside, .processesAtMost, .adoptedByInit, .pidLevelsAtLeast: .pid
        case .procIsOwn, .moreMountsThanHost, .mountSeen, .mountShared, .mountPrivate: .mount
        case .rootMapsToCaller, .unmappedUID: .user
        case .onlyLoopback, .interfacesAtLeast: .net
        case .cgroupRoot: .cgroup
        case .boottimeOffset, .uptimeAhead: .time
        // Held namespaces and joiners are read from the mount table and the process tree, not from one row.
        case .joinedByAnother, .heldNamespace, .heldEntered, .heldReleased: nil
        }
    }

    /// A check's name and what its value must be, for the parser and the docs.
    public enum Argument: Equatable, Sendable {
        case none, kind, text, number
    }

    /// Every name the parser accepts, with its argument.
    public static let vocabulary: [(name: String, argument: Argument)] = [
        ("own-namespace", .kind), ("same-namespace", .kind), ("hostname", .text), ("ipc-queues-isolated", .none),
        ("pid-inside", .number), ("processes-at-most", .number), ("proc-is-own", .none),
        ("more-mounts-than-host", .none), ("root-maps-to-caller", .none), ("unmapped-uid", .none),
        ("only-loopback", .none), ("interface-count-at-least", .number), ("cgroup-root", .none),
        ("boottime-offset", .number), ("uptime-ahead", .number), ("adopted-by-init", .text),
        ("pid-levels-at-least", .number), ("joined-by-another", .none), ("mount-seen", .text),
        ("mount-shared", .text), ("mount-private", .text), ("held-namespace", .kind), ("held-entered", .kind),
        ("held-released", .kind),
    ]

    /// Makes the check `name` with its value (already of the argument's type); nil for an unknown name.
    static func make(_ name: String, kind: NamespaceKind?, text: String?, number: Int?) -> LessonCheck? {
        switch name {
        case "own-namespace": kind.map(LessonCheck.ownNamespace)
        case "same-namespace": kind.map(LessonCheck.sameNamespace)
        case "hostname": text.map(LessonCheck.hostname)
        case "ipc-queues-isolated": .ipcQueuesIsolated
        case "pid-inside": number.map(LessonCheck.pidInside)
        case "processes-at-most": number.map(LessonCheck.processesAtMost)
        case "proc-is-own": .procIsOwn
        case "more-mounts-than-host": .moreMountsThanHost
        case "root-maps-to-caller": .rootMapsToCaller
        case "unmapped-uid": .unmappedUID
        case "only-loopback": .onlyLoopback
        case "interface-count-at-least": number.map(LessonCheck.interfacesAtLeast)
        case "cgroup-root": .cgroupRoot
        case "boottime-offset": number.map(LessonCheck.boottimeOffset)
        case "uptime-ahead": number.map(LessonCheck.uptimeAhead)
        case "adopted-by-init": text.map(LessonCheck.adoptedByInit)
        case "pid-levels-at-least": number.map(LessonCheck.pidLevelsAtLeast)
        case "joined-by-another": .joinedByAnother
        case "mount-seen": text.map(LessonCheck.mountSeen)
        case "mount-shared": text.map(LessonCheck.mountShared)
        case "mount-private": text.map(LessonCheck.mountPrivate)
        case "held-namespace": kind.map(LessonCheck.heldNamespace)
        case "held-entered": kind.map(LessonCheck.heldEntered)
        case "held-released": kind.map(LessonCheck.heldReleased)
        default: nil
        }
    }

    /// What the check finds in `comparison` (left: the lesson's child, right: the host); nil means no
    /// comparison yet. Failing checks carry a hint that says what the model shows instead. `held` is what the
    /// lesson remembers of namespaces seen held by a bind mount, for the held checks.
    public func evaluate(
        _ comparison: Comparison?, snapshot: Snapshot? = nil, held: [HeldMount] = [], inherited: Set<NamespaceKey> = []
    ) -> CheckResult {
        if isHeldCheck { return evaluateHeld(comparison, snapshot: snapshot, held: held, inherited: inherited) }
        guard let comparison else { return .unknown }
        let child = comparison.leftFacts
        let host = comparison.rightFacts
        func same(_ kind: NamespaceKind) -> Bool? { comparison.kinds.first { $0.kind == kind }?.same }
        /// ✗ when the kind is shared with the host, else what `body` says.
        func isolated(_ kind: NamespaceKind, _ body: () -> CheckResult) -> CheckResult {
            if same(kind) == true { return .fails("the child shares the host's \(kind.title) namespace") }
            return body()
        }
        switch self {
        case .ownNamespace(let kind):
            switch same(kind) {
            case true?: return .fails("the child shares the host's \(kind.title) namespace")
            case false?: return .holds
            case nil: return .unknown
            }
        case .sameNamespace(let kind):
            switch same(kind) {
            case true?: return .holds
            case false?: return .fails("the child has a \(kind.title) namespace of its own")
            case nil: return .unknown
            }
        case .hostname(let name):
            guard let inside = child.uts.value?.hostname, let outside = host.uts.value?.hostname else {
                return .unknown
            }
            if outside == name { return .fails("the host's hostname is \(name.quoted) too") }
            return inside == name ? .holds : .unknown
        case .ipcQueuesIsolated:
            return isolated(.ipc) {
                guard let inside = child.ipc.value?.messageQueues, let outside = host.ipc.value?.messageQueues else {
                    return .unknown
                }
                return inside != outside ? .holds : .unknown
            }
        case .pidInside(let expected):
            guard let inside = child.pid.value?.pidInside ?? comparison.left.pidInside else { return .unknown }
            return inside == Int32(expected) ? .holds : .fails("the child is pid \(inside) from inside")
        case .processesAtMost(let limit):
            return isolated(.pid) {
                guard let count = child.pid.value?.processCount else { return .unknown }
                return count <= limit ? .holds : .fails("its PID namespace holds \(count) processes")
            }
        case .procIsOwn:
            guard let own = child.mount.value?.procIsOwn else { return .unknown }
            return own ? .holds : .fails("the child's /proc is the host's")
        case .moreMountsThanHost:
            return isolated(.mount) {
                guard let inside = child.mount.value?.mountCount, let outside = host.mount.value?.mountCount else {
                    return .unknown
                }
                return inside > outside ? .holds : .unknown
            }
        case .rootMapsToCaller:
            guard let map = child.user.value?.uidMap.value, let caller = comparison.right.uid.value?.real else {
                return .unknown
            }
            guard let root = map.first(where: { $0.inside == 0 }) else {
                return map.isEmpty ? .unknown : .fails("uid 0 is not mapped")
            }
            return root.outside == caller ? .holds : .fails("uid 0 inside is uid \(root.outside) outside")
        case .unmappedUID:
            return isolated(.user) {
                guard let map = child.user.value?.uidMap.value else { return .unknown }
                return map.isEmpty ? .holds : .fails("the uid map is written already")
            }
        case .onlyLoopback:
            return isolated(.net) {
                guard let names = child.net.value?.interfaces.map(\.name) else { return .unknown }
                return names == ["lo"] ? .holds : .fails("the child sees \(names.joined(separator: ", "))")
            }
        case .interfacesAtLeast(let count):
            return isolated(.net) {
                guard let names = child.net.value?.interfaces else { return .unknown }
                return names.count >= count ? .holds : .unknown
            }
        case .cgroupRoot:
            guard let inside = child.cgroup.value?.insidePath.value else { return .unknown }
            return inside == "/" ? .holds : .fails("the child's cgroup reads \(inside) from inside")
        case .boottimeOffset(let seconds):
            guard let offset = child.time.value?.offsets.boottime else { return .unknown }
            return offset.seconds == Int64(seconds)
                ? .holds : .fails("the child's boottime offset is \(offset.seconds) s")
        case .uptimeAhead(let seconds):
            guard let inside = child.time.value?.uptimeInside else { return .unknown }
            if let outside = host.time.value?.uptimeInside {
                let ahead = inside - outside
                return abs(ahead - Double(seconds)) < 60
                    ? .holds : .fails("the child's uptime is \(Int(ahead)) s ahead")
            }
            return inside >= Double(seconds) ? .holds : .unknown
        case .adoptedByInit(let command):
            guard let inside = child.pid.value?.pidInside ?? comparison.left.pidInside else { return .unknown }
            if inside != 1 { return .fails("the child is pid \(inside) inside, so orphans go to the host's init") }
            guard let snapshot else { return .unknown }
            let namespaceInit = comparison.left.pid
            let adopted = snapshot.processes.contains {
                $0.ppid == namespaceInit && $0.comm == command && $0.state != "Z"
            }
            return adopted ? .holds : .unknown
        case .pidLevelsAtLeast, .joinedByAnother:
            return evaluate(child: comparison.left.pid, snapshot: snapshot)
        case .heldNamespace, .heldEntered, .heldReleased:
            return evaluateHeld(comparison, snapshot: snapshot, held: held, inherited: inherited)
        case .mountSeen(let path), .mountShared(let path), .mountPrivate(let path):
            // Mounts are only ever checked inside the child's own mount namespace: on the host's, the lesson
            // would be mounting on the machine itself.
            return isolated(.mount) {
                guard let mounts = child.mount.value?.mounts else { return .unknown }
                // The last mount at a path is the one on top, the one the path reaches.
                guard let mount = mounts.last(where: { $0.mountPoint == path }) else { return .unknown }
                switch self {
                case .mountShared: return mount.sharedGroup != nil ? .holds : .unknown
                case .mountPrivate: return mount.isPrivate ? .holds : .unknown
                default: return .holds
                }
            }
        }
    }

    /// True for the checks read from the snapshot alone: they must hold while another tab (the entered or
    /// nested one they are about) is on show and the comparison is of that tab.
    var readsSnapshotOnly: Bool {
        switch self {
        case .pidLevelsAtLeast, .joinedByAnother: true
        default: false
        }
    }

    /// The snapshot-only checks, about the child `pid` and the processes around it.
    func evaluate(child pid: Int32, snapshot: Snapshot?) -> CheckResult {
        guard let snapshot, let child = snapshot.process(pid) else { return .unknown }
        switch self {
        case .pidLevelsAtLeast(let levels):
            guard let own = child.nspid.value?.count else { return .unknown }
            if own < 2 { return .fails("the child is in nslab's PID namespace: tick PID") }
            let tree = Self.tree(of: pid, in: snapshot)
            let deepest = tree.compactMap { snapshot.process($0)?.nspid.value?.count }.max()
            return (deepest ?? 0) >= levels ? .holds : .unknown
        case .joinedByAnother:
            // The child's parent is nslab: the kinds it differs in are the ones it made.
            guard let parent = snapshot.process(child.ppid) else { return .unknown }
            let kinds = child.namespaces.differingKinds(from: parent.namespaces)
            guard !kinds.isEmpty else { return .fails("the child has no namespace of its own to join") }
            let tree = Self.tree(of: pid, in: snapshot)
            let joined = snapshot.processes.contains { other in
                !tree.contains(other.pid) && other.state != "Z"
                    && kinds.allSatisfy { kind in
                        other.namespaces[kind].value.map { $0 == child.namespaces[kind].value } ?? false
                    }
            }
            return joined ? .holds : .unknown
        default:
            return .unknown
        }
    }

    /// `pid` and every process descended from it.
    static func tree(of pid: Int32, in snapshot: Snapshot) -> Set<Int32> {
        var children: [Int32: [Int32]] = [:]
        for process in snapshot.processes { children[process.ppid, default: []].append(process.pid) }
        var tree: Set<Int32> = [pid]
        var queue = [pid]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where tree.insert(child).inserted { queue.append(child) }
        }
        return tree
    }

    /// What the check finds in the output of the learner's command, for the checks that count what it printed;
    /// nil for the others, which read the model, and for output that is not a `ps` listing. `processes-at-most`
    /// counts the rows under `ps`'s header (the one with PID): the learner's own `ps`, not a refresh that may come
    /// before or after another process started or ended.
    public func evaluate(output rows: [String]) -> CheckResult? {
        switch self {
        case .processesAtMost(let limit):
            let listed = rows.filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
            guard let header = listed.first, header.split(separator: " ").contains("PID") else { return nil }
            let count = listed.count - 1
            return count <= limit ? .holds : .fails("ps listed \(count) processes")
        default:
            return nil
        }
    }

    /// The hint shown with ✗ when the lesson gives none: what to do about it.
    var defaultAdvice: String {
        switch self {
        case .ownNamespace(let kind), .sameNamespace(let kind): "check which kinds are ticked (\(kind.title))"
        case .heldNamespace, .heldEntered, .heldReleased: "tick Mount: the lesson mounts only in its own namespace"
        default: "compare with the Host vs child panel"
        }
    }
}
