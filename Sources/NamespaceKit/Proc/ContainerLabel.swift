/// The container engines nslab can name a process's container for, from its cgroup path and the engine's
/// state on disk. No engine is asked anything: no API, no socket, no daemon has to run.
public enum ContainerEngine: String, Sendable, CaseIterable {
    case docker
    case podman
    case containerd
    case crio = "cri-o"
    case kubernetes
    case nspawn = "systemd-nspawn"
    case lxc
    case runc
}

/// Which container a process is in: the engine, the id as the engine's own tools print it (12 characters for
/// the 64-hex ids of Docker, Podman, containerd and CRI-O; the machine or container name for nspawn and LXC;
/// the id given to `runc`), and a name where the engine's state names it.
public struct ContainerLabel: Sendable, Hashable {
    /// The engine that made the container.
    public var engine: ContainerEngine
    /// The short id.
    public var id: String
    /// The id as the cgroup path or the state file spells it (64 hex characters for most engines).
    public var fullID: String
    /// The container's name (Docker's `--name`, Podman's, a Kubernetes `namespace/pod`), nil when unknown.
    public var name: String?
    /// The Kubernetes pod uid the container belongs to, nil outside Kubernetes.
    public var pod: String?
    /// containerd's namespace (`ctr -n NAMESPACE`; `k8s.io` under Kubernetes), nil for other engines.
    public var namespace: String?

    /// A label from an engine and the id as found; hex ids are shortened to 12 characters.
    public init(
        engine: ContainerEngine, fullID: String, name: String? = nil, pod: String? = nil, namespace: String? = nil
    ) {
        self.engine = engine
        self.fullID = fullID
        id = ContainerLabels.isLongHex(fullID) ? String(fullID.prefix(12)) : fullID
        self.name = name
        self.pod = pod
        self.namespace = namespace
    }

    /// How the tree and `inspect` say it: `docker:web`, `podman:3f2a9c81d4e0`, `runc:demo`, and containerd's
    /// `containerd:NAMESPACE/ID` as `ctr -n NAMESPACE` names it.
    public var text: String { engine.rawValue + ":" + (name ?? namespace.map { $0 + "/" + id } ?? id) }
}

/// The pure part: a container label from cgroup paths (what `/proc/PID/cgroup` says), v1 and v2.
public enum ContainerLabels {
    /// The label the cgroup lines give: the unified line first, then each v1 hierarchy; nil when no line has a
    /// container's shape.
    public static func parse(_ entries: [CgroupEntry]) -> ContainerLabel? {
        for entry in entries where entry.hierarchy == 0 {
            if let label = parse(path: entry.path) { return label }
        }
        for entry in entries where entry.hierarchy != 0 {
            if let label = parse(path: entry.path) { return label }
        }
        return nil
    }

    /// The label of one cgroup path. The innermost container component wins (Docker in Docker names the inner
    /// container); a Kubernetes pod component anywhere above it adds the pod uid.
    public static func parse(path: String) -> ContainerLabel? {
        let components = path.split(separator: "/").map(String.init)
        guard !components.isEmpty else { return nil }
        // The supervisor of an nspawn machine and the monitors of LXC and Podman run on the host's side.
        if components.last == "supervisor" { return nil }
        let pod = components.lazy.compactMap(podUID).first
        for index in components.indices.reversed() {
            let component = components[index]
            let previous = index > 0 ? components[index - 1] : nil
            if let (engine, id) = scope(component) {
                return ContainerLabel(engine: engine, fullID: id, pod: pod)
            }
            if component.hasPrefix("lxc.payload.") {
                return ContainerLabel(engine: .lxc, fullID: String(component.dropFirst("lxc.payload.".count)))
            }
            if previous == "lxc" {
                return ContainerLabel(engine: .lxc, fullID: component)
            }
            if isLongHex(component) {
                // cgroupfs drivers: /docker/<id>, /kubepods/<qos>/pod<uid>/<id>, /libpod_parent/libpod-<id>.
                if previous == "docker" { return ContainerLabel(engine: .docker, fullID: component) }
                if let pod, previous.flatMap(podUID) != nil {
                    return ContainerLabel(engine: .kubernetes, fullID: component, pod: pod)
                }
            }
            if component.hasPrefix("machine-"), component.hasSuffix(".scope") {
                let name = systemdUnescape(String(component.dropFirst(8).dropLast(6)))
                if !name.isEmpty { return ContainerLabel(engine: .nspawn, fullID: name) }
            }
        }
        // A process in a pod's cgroup but in no container's (rare: the pod's own processes).
        if let pod { return ContainerLabel(engine: .kubernetes, fullID: pod, pod: pod) }
        return nil
    }

    /// `docker-<id>.scope`, `libpod-<id>.scope`, `cri-containerd-<id>.scope`, `crio-<id>.scope`, and Podman's
    /// cgroupfs `libpod-<id>`. The `conmon` scopes of Podman and CRI-O hold the monitor, not the container.
    static func scope(_ component: String) -> (ContainerEngine, String)? {
        let prefixes: [(String, ContainerEngine)] = [
            ("docker-", .docker), ("libpod-", .podman), ("cri-containerd-", .containerd), ("crio-", .crio),
        ]
        for (prefix, engine) in prefixes where component.hasPrefix(prefix) {
            var id = component.dropFirst(prefix.count)
            if id.hasSuffix(".scope") { id = id.dropLast(6) }
            if isLongHex(String(id)) { return (engine, String(id)) }
        }
        return nil
    }

    /// The pod uid of `pod<uid>` (cgroupfs) or `kubepods[-qos]-pod<uid>.slice` (systemd, `-` escaped as `_`).
    static func podUID(_ component: String) -> String? {
        if component.hasPrefix("pod"), component.count > 3, !component.contains(".") {
            return String(component.dropFirst(3))
        }
        guard component.hasPrefix("kubepods"), component.hasSuffix(".slice"),
            let range = component.lastRange(of: "-pod")
        else { return nil }
        let uid = component[range.upperBound...].dropLast(6)
        return uid.isEmpty ? nil : String(uid).replacingAll("_", with: "-")
    }

    /// Whether `text` is a container id of 32 or more lower-case hex digits.
    static func isLongHex(_ text: String) -> Bool {
        text.utf8.count >= 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Undoes systemd's unit name escaping (`\x2d` for `-`), as machined writes machine names.
    static func systemdUnescape(_ text: String) -> String {
        ByteEscapes.decoding(Substring(text), marker: UInt8(ascii: "x"), digits: 2, radix: 16)
    }
}

extension String {
    /// Every `target` character replaced (NamespaceKit does without Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// The last range of a plain substring.
    func lastRange(of target: String) -> Range<Index>? {
        var index = endIndex
        while index > startIndex {
            index = self.index(before: index)
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
        }
        return nil
    }
}
