import Glibc

/// Names containers from the engines' state on disk, on top of what the cgroup path says (`ContainerLabels`).
///
/// Read under `stateRoot` (`/` on a live system, a fixture directory in tests): Docker's
/// `var/lib/docker/containers/<id>/config.v2.json` (`Name`); containers/storage's `<store>/<driver>-containers/
/// containers.json` (Podman's `names`, any storage driver) in the machine's store `var/lib/containers/storage` and
/// in each user's own (rootless Podman: `~/.local/share/containers/storage`, or wherever a runc state's bundle
/// says); the pod log directories `var/log/pods/<namespace>_<pod>_<uid>` (a pod's name by uid); and runc's state
/// directories: `run/runc/<id>`, the per-user `run/user/<uid>/runc/<id>` and `tmp/podman-run-<uid>/runc/<id>`
/// (rootless Podman), and containerd's `run/containerd/runc/<namespace>/<id>` (`ctr`, Kubernetes' `k8s.io`).
/// A process with no container shape in its cgroup path belongs to a state when it is the state's init (pid and
/// start time), sits in the state's cgroup, or is in the init's own PID namespace; the state's engine is containerd under containerd's directory,
/// Podman when Podman made it (its `io.container.manager=libpod` label, its bundle in a store, or its id in one),
/// else runc. Unreadable files leave the name out; nothing here fails. Each file is read at most once per
/// directory object: make one per snapshot.
public final class ContainerDirectory {
    /// Where the engines' state is read from; nil reads none (cgroup shapes only).
    public let stateRoot: String?
    private var dockerNames: [String: String?] = [:]
    /// Podman's names by id in the machine's store; the users' stores are read only for an id not found here.
    private lazy var machinePodmanNames: [String: String] = readStoreNames(["var/lib/containers/storage"])
    private lazy var userPodmanNames: [String: String] = readStoreNames(userStores())
    private lazy var hasPodmanNames = !machinePodmanNames.isEmpty || !userPodmanNames.isEmpty
    private lazy var podNames: [String: String] = readPodNames()
    private lazy var runcStates: [RuncState] = readRuncStates()

    /// The `/proc` whose `<pid>/ns/pid` links say which PID namespace a state's init is in; nil reads none.
    public let procPath: String?
    /// The states whose init is in a PID namespace of its own, by that namespace.
    private lazy var statesByPIDNamespace: [UInt64: RuncState] = readInitNamespaces()

    /// A directory over `stateRoot`, with the inits' PID namespaces read under `procPath`.
    public init(stateRoot: String?, procPath: String? = nil) {
        self.stateRoot = stateRoot.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.procPath = procPath
    }

    /// The live engines' state for the kernel's /proc, none for a fixture tree.
    public convenience init(for root: ProcRoot) {
        self.init(stateRoot: root.isLive ? Self.liveStateRoot : nil, procPath: root.isLive ? root.path : nil)
    }

    /// Where the machine's engine state is on a live system: `/`, unless nslab runs in a container (its image,
    /// say, under `podman run --pid=host` or `kubectl debug node`) whose own `/` is not the host's. Then the
    /// host's files are read under `/host` (where `kubectl debug node` mounts the node's filesystem) or through
    /// `/proc/1/root` (the root of PID 1, the host's init under `--pid=host`). Found once per process.
    public static let liveStateRoot: String = hostRoot(candidates: ["/host", "/proc/1/root"])

    /// The first of `candidates` that is a directory other than this process's `/` and holds the state of an
    /// engine or at least a `var` directory; `/` when none is.
    static func hostRoot(candidates: [String]) -> String {
        guard let own = fileIdentity("/") else { return "/" }
        for candidate in candidates {
            guard let identity = fileIdentity(candidate), identity != own, fileIdentity(candidate + "/var") != nil
            else { continue }
            return candidate
        }
        return "/"
    }

    /// Device and inode of a directory, nil when it cannot be reached.
    private static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// The container of `process`, nil when it is in none nslab can tell.
    public func label(for process: ProcessRecord) -> ContainerLabel? {
        guard let entries = process.cgroup.value else { return nil }
        if var label = ContainerLabels.parse(entries) {
            if stateRoot != nil { complete(&label) }
            return label
        }
        guard stateRoot != nil else { return nil }
        for state in runcStates where state.matches(process, entries) { return label(of: state) }
        // Another process of a state's container, where it shares no cgroup with the init (rootless runc on
        // cgroup v1 makes none: `podman exec` in a rootless container): it is in the init's own PID namespace.
        if let namespace = process.namespaces[.pid].value, let state = statesByPIDNamespace[namespace] {
            return label(of: state)
        }
        // A bare id that a Podman store knows: rootless runc on cgroup v1 leaves `/user/USER/0/<id>` when it
        // could create the named hierarchy's directory but no state of it is readable. (Most machines have no
        // store: then no path is looked at.)
        guard hasPodmanNames else { return nil }
        for entry in entries {
            // Podman's ids are 64 hex digits: a path whose last component is shorter costs no string.
            let path = entry.path.utf8
            guard let slash = path.lastIndex(of: UInt8(ascii: "/")), path.distance(from: slash, to: path.endIndex) == 65
            else { continue }
            let last = String(entry.path[entry.path.index(after: slash)...])
            guard ContainerLabels.isLongHex(last), let name = podmanName(last) else { continue }
            return ContainerLabel(engine: .podman, fullID: last, name: name)
        }
        return nil
    }

    /// Adds what the state says to a label from a cgroup shape: the name, and containerd's namespace (which also
    /// names the engine of a bare Kubernetes id under the cgroupfs driver).
    private func complete(_ label: inout ContainerLabel) {
        switch label.engine {
        case .docker: label.name = dockerName(label.fullID)
        case .podman: label.name = podmanName(label.fullID)
        case .containerd, .kubernetes:
            if label.pod == nil || label.fullID != label.pod,
                let state = runcStates.first(where: { $0.id == label.fullID && $0.containerdNamespace != nil })
            {
                label.engine = .containerd
                label.namespace = state.containerdNamespace
            }
            label.name = label.pod.flatMap { podNames[$0] }
        default: label.name = label.pod.flatMap { podNames[$0] }
        }
    }

    /// The label of a runc state a process belongs to.
    private func label(of state: RuncState) -> ContainerLabel {
        if let namespace = state.containerdNamespace {
            return ContainerLabel(engine: .containerd, fullID: state.id, namespace: namespace)
        }
        let name = podmanName(state.id)
        if name != nil || state.manager == "libpod" || state.store != nil {
            return ContainerLabel(engine: .podman, fullID: state.id, name: name)
        }
        return ContainerLabel(engine: .runc, fullID: state.id)
    }

    private func podmanName(_ id: String) -> String? {
        machinePodmanNames[id] ?? userPodmanNames[id]
    }

    private func dockerName(_ id: String) -> String? {
        if let known = dockerNames[id] { return known }
        let name = read("var/lib/docker/containers/\(id)/config.v2.json").flatMap(StateJSON.parse)?["Name"]?.text
            .map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        dockerNames[id] = .some(name)
        return name
    }

    /// The names in containers/storage stores (paths under the state root): one `containers.json` per storage
    /// driver that has been used (`overlay-containers`, `vfs-containers`, `btrfs-containers`, ...).
    private func readStoreNames(_ stores: [String]) -> [String: String] {
        var names: [String: String] = [:]
        for store in stores {
            for entry in list(store) where entry.hasSuffix("-containers") {
                for container in read("\(store)/\(entry)/containers.json").flatMap(StateJSON.parse)?.elements ?? [] {
                    if let id = container["id"]?.text, let name = container["names"]?.elements.first?.text {
                        names[id] = name
                    }
                }
            }
        }
        return names
    }

    /// The users' own stores: where a runc state's bundle lies in one (whatever `graphroot` says), and the
    /// default `~/.local/share/containers/storage` of each home directory in `etc/passwd`.
    private func userStores() -> [String] {
        var stores: [String] = []
        func add(_ store: String) {
            let relative = String(store.drop { $0 == "/" })
            if !relative.isEmpty, relative != "var/lib/containers/storage", !stores.contains(relative) {
                stores.append(relative)
            }
        }
        for state in runcStates { if let store = state.store { add(store) } }
        for entry in PasswdEntry.entries(read("etc/passwd") ?? []) {
            guard let home = entry.home, home.hasPrefix("/"), home.count > 1 else { continue }
            add(home + "/.local/share/containers/storage")
        }
        return stores
    }

    /// The PID namespace of each state's init, when it is not this process's own (a container run with the
    /// machine's PID namespace shares it with every process): from `<procPath>/<pid>/ns/pid`.
    private func readInitNamespaces() -> [UInt64: RuncState] {
        guard let procPath, !runcStates.isEmpty else { return [:] }
        func namespace(_ pid: String) -> UInt64? {
            // The link reads `pid:[4026531836]`.
            guard let link = SystemCall.readLink("\(procPath)/\(pid)/ns/pid"), link.hasPrefix("pid:["),
                link.hasSuffix("]")
            else { return nil }
            return UInt64(link.dropFirst(5).dropLast())
        }
        guard let own = namespace("self") else { return [:] }
        var states: [UInt64: RuncState] = [:]
        for state in runcStates {
            guard let pid = state.initPID, let inode = namespace(String(pid)), inode != own else { continue }
            states[inode] = state
        }
        return states
    }

    /// Pod names from `var/log/pods/<namespace>_<pod>_<uid>` (the kubelet's layout), as `namespace/pod`.
    private func readPodNames() -> [String: String] {
        var names: [String: String] = [:]
        for entry in list("var/log/pods") {
            let parts = entry.split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            names[String(parts[2])] = parts[0] + "/" + parts[1]
        }
        return names
    }

    private func readRuncStates() -> [RuncState] {
        // (directory of state directories, containerd namespace)
        var directories: [(String, String?)] = [("run/runc", nil)]
        for user in list("run/user") where UInt32(user) != nil { directories.append(("run/user/\(user)/runc", nil)) }
        for entry in list("tmp") where entry.hasPrefix("podman-run-") && UInt32(entry.dropFirst(11)) != nil {
            directories.append(("tmp/\(entry)/runc", nil))
        }
        for namespace in list("run/containerd/runc") {
            directories.append(("run/containerd/runc/\(namespace)", namespace))
        }
        var states: [RuncState] = []
        for (directory, namespace) in directories {
            for id in list(directory) {
                guard let document = read("\(directory)/\(id)/state.json").flatMap(StateJSON.parse) else { continue }
                states.append(RuncState(document, id: id, containerdNamespace: namespace))
            }
        }
        return states
    }

    /// The bytes of a file under the state root (at most 4 MiB), nil when unreadable.
    private func read(_ relative: String) -> [UInt8]? {
        guard let stateRoot else { return nil }
        guard case .success(let fd) = SystemCall.open(stateRoot + "/" + relative, O_RDONLY) else { return nil }
        defer { fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 4 << 20 {
            let result = chunk.withUnsafeMutableBytes { SystemCall.read(fd, into: $0) }
            guard case .success(let count) = result, count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// The entry names of a directory under the state root, without `.` and `..`.
    private func list(_ relative: String) -> [String] {
        guard let stateRoot else { return [] }
        return SystemCall.directoryEntries(stateRoot + "/" + relative) ?? []
    }
}

/// What nslab needs from runc's `state.json`: the id, the init process, the cgroup directories, and who made it.
struct RuncState {
    var id: String
    var initPID: Int32?
    var initStart: UInt64?
    /// Directories of `cgroup_paths` (`/sys/fs/cgroup/...`), one per hierarchy.
    var cgroupDirectories: [String]
    /// containerd's namespace when the state is in containerd's runc directory.
    var containerdNamespace: String?
    /// The `io.container.manager` label (`libpod` for Podman), nil when absent.
    var manager: String?
    /// The containers/storage store the bundle lies in (`<store>/<driver>-containers/<id>/userdata`), nil when
    /// the bundle is elsewhere.
    var store: String?

    init(_ document: StateJSON, id: String, containerdNamespace: String? = nil) {
        self.id = document["id"]?.text ?? id
        initPID = document["init_process_pid"]?.integer.map { Int32(truncatingIfNeeded: $0) }
        initStart = document["init_process_start"]?.integer.map { UInt64(truncatingIfNeeded: $0) }
        cgroupDirectories = document["cgroup_paths"]?.members.values.compactMap(\.text) ?? []
        self.containerdNamespace = containerdNamespace
        for label in document["config"]?["labels"]?.elements.compactMap(\.text) ?? [] {
            if label.hasPrefix("io.container.manager=") { manager = String(label.dropFirst(21)) }
            if label.hasPrefix("bundle=") { store = Self.store(bundle: String(label.dropFirst(7)), id: self.id) }
        }
    }

    /// `<store>` of a bundle `<store>/<driver>-containers/<id>/userdata`, nil for any other bundle.
    static func store(bundle: String, id: String) -> String? {
        let parts = bundle.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 1] == "userdata", parts[parts.count - 2] == id,
            parts[parts.count - 3].hasSuffix("-containers")
        else { return nil }
        let store = parts.dropLast(3).joined(separator: "/")
        return store.isEmpty ? nil : store
    }

    /// True when `process` is the state's init (same pid and start time), or one of its cgroup lines names a
    /// directory of the state (the path after the hierarchy's mount point, e.g. `/sys/fs/cgroup/unified`).
    func matches(_ process: ProcessRecord, _ entries: [CgroupEntry]) -> Bool {
        if let initPID, process.pid == initPID, initStart == nil || initStart == process.startTime { return true }
        for entry in entries where entry.path != "/" && !entry.path.isEmpty {
            for directory in cgroupDirectories where directory.hasSuffix(entry.path) {
                let mount = directory.dropLast(entry.path.count)
                // The mount point is /sys/fs/cgroup itself (v2) or one level below it (v1, hybrid).
                if mount == "/sys/fs/cgroup" { return true }
                if mount.hasPrefix("/sys/fs/cgroup/"), !mount.dropFirst(15).contains("/") { return true }
            }
        }
        return false
    }
}
