import Glibc

/// Names containers from the engines' state on disk, on top of what the cgroup path says (`ContainerLabels`).
///
/// Read under `stateRoot` (`/` on a live system, a fixture directory in tests): Docker's
/// `var/lib/docker/containers/<id>/config.v2.json` (`Name`), containers/storage's
/// `var/lib/containers/storage/{overlay,vfs}-containers/containers.json` (Podman's `names`), the pod log directories
/// `var/log/pods/<namespace>_<pod>_<uid>` (a pod's name by uid), and runc's state directories
/// (`run/runc/<id>/state.json` and the per-user `run/user/<uid>/runc`): a process with no container shape in
/// its cgroup path is runc's when it is a state's init (pid and start time) or sits in the state's cgroup.
/// Unreadable files leave the name out; nothing here fails. Each file is read at most once per directory
/// object: make one per snapshot.
public final class ContainerDirectory {
    /// Where the engines' state is read from; nil reads none (cgroup shapes only).
    public let stateRoot: String?
    private var dockerNames: [String: String?] = [:]
    private lazy var podmanNames: [String: String] = readPodmanNames()
    private lazy var podNames: [String: String] = readPodNames()
    private lazy var runcStates: [RuncState] = readRuncStates()

    /// A directory over `stateRoot`.
    public init(stateRoot: String?) {
        self.stateRoot = stateRoot.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The live engines' state for the kernel's /proc, none for a fixture tree.
    public convenience init(for root: ProcRoot) {
        self.init(stateRoot: root.isLive ? Self.liveStateRoot : nil)
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
            label.name = name(of: label)
            return label
        }
        guard stateRoot != nil else { return nil }
        for state in runcStates where state.matches(process, entries) {
            return ContainerLabel(engine: .runc, fullID: state.id)
        }
        return nil
    }

    private func name(of label: ContainerLabel) -> String? {
        guard stateRoot != nil else { return nil }
        switch label.engine {
        case .docker: return dockerName(label.fullID)
        case .podman: return podmanNames[label.fullID]
        default: return label.pod.flatMap { podNames[$0] }
        }
    }

    private func dockerName(_ id: String) -> String? {
        if let known = dockerNames[id] { return known }
        let name = read("var/lib/docker/containers/\(id)/config.v2.json").flatMap(StateJSON.parse)?["Name"]?.text
            .map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        dockerNames[id] = .some(name)
        return name
    }

    private func readPodmanNames() -> [String: String] {
        var names: [String: String] = [:]
        // One list per storage driver: overlay where the kernel and filesystem allow it, vfs elsewhere.
        for driver in ["overlay", "vfs"] {
            let path = "var/lib/containers/storage/\(driver)-containers/containers.json"
            for container in read(path).flatMap(StateJSON.parse)?.elements ?? [] {
                if let id = container["id"]?.text, let name = container["names"]?.elements.first?.text {
                    names[id] = name
                }
            }
        }
        return names
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
        var directories = ["run/runc"]
        for user in list("run/user") where UInt32(user) != nil { directories.append("run/user/\(user)/runc") }
        var states: [RuncState] = []
        for directory in directories {
            for id in list(directory) {
                guard let document = read("\(directory)/\(id)/state.json").flatMap(StateJSON.parse) else { continue }
                states.append(RuncState(document, id: id))
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

/// What nslab needs from runc's `state.json`: the id, the init process and the cgroup directories.
struct RuncState {
    var id: String
    var initPID: Int32?
    var initStart: UInt64?
    /// Directories of `cgroup_paths` (`/sys/fs/cgroup/...`), one per hierarchy.
    var cgroupDirectories: [String]

    init(_ document: StateJSON, id: String) {
        self.id = document["id"]?.text ?? id
        initPID = document["init_process_pid"]?.integer.map { Int32(truncatingIfNeeded: $0) }
        initStart = document["init_process_start"]?.integer.map { UInt64(truncatingIfNeeded: $0) }
        cgroupDirectories = document["cgroup_paths"]?.members.values.compactMap(\.text) ?? []
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
