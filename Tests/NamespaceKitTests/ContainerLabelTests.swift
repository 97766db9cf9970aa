import Foundation
import Testing

@testable import NamespaceKit

/// Container labels from the cgroup shapes each engine leaves (v1 and v2), and the names read from engine state.
@Suite struct ContainerLabelTests {
    private let hex = "3f2a9c81d4e0b6f7a8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5"

    private func label(_ text: String) -> ContainerLabel? {
        ContainerLabels.parse(SmallFileParsersBridge.cgroup(text))
    }

    @Test func dockerSystemdAndCgroupfsShapes() {
        let v2 = label("0::/system.slice/docker-\(hex).scope\n")
        #expect(v2?.engine == .docker)
        #expect(v2?.id == String(hex.prefix(12)))
        #expect(v2?.fullID == hex)
        let v1 = label("12:pids:/docker/\(hex)\n11:memory:/docker/\(hex)\n0::/\n")
        #expect(v1?.engine == .docker && v1?.id == String(hex.prefix(12)))
        #expect(label("0::/docker/notanid\n") == nil)
    }

    @Test func podmanContainerdCrioShapes() {
        let podman = label(
            "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-\(hex).scope/container\n")
        #expect(podman?.engine == .podman && podman?.id == String(hex.prefix(12)))
        #expect(label("0::/machine.slice/libpod-conmon-\(hex).scope\n") == nil)
        #expect(label("0::/system.slice/cri-containerd-\(hex).scope\n")?.engine == .containerd)
        #expect(label("3:cpu:/system.slice/crio-\(hex).scope\n")?.engine == .crio)
        #expect(label("0::/system.slice/crio-conmon-\(hex).scope\n") == nil)
    }

    @Test func kubernetesPodsSystemdAndCgroupfs() {
        let systemd = label(
            "0::/kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod1a2b3c4d_0000_1111_2222_333344445555.slice/cri-containerd-\(hex).scope\n")
        #expect(systemd?.engine == .containerd)
        #expect(systemd?.pod == "1a2b3c4d-0000-1111-2222-333344445555")
        let cgroupfs = label("4:memory:/kubepods/besteffort/pod1a2b3c4d-0000-1111-2222-333344445555/\(hex)\n")
        #expect(cgroupfs?.engine == .kubernetes)
        #expect(cgroupfs?.id == String(hex.prefix(12)))
        #expect(cgroupfs?.pod == "1a2b3c4d-0000-1111-2222-333344445555")
        let podOnly = label("0::/kubepods.slice/kubepods-pod1a2b3c4d_0000_1111_2222_333344445555.slice\n")
        #expect(podOnly?.engine == .kubernetes && podOnly?.pod == "1a2b3c4d-0000-1111-2222-333344445555")
    }

    @Test func nspawnAndLXCByName() {
        let machine = label("0::/machine.slice/machine-web\\x2d1.scope/payload/system.slice/cron.service\n")
        #expect(machine?.engine == .nspawn && machine?.id == "web-1")
        #expect(label("0::/machine.slice/machine-web.scope/supervisor\n") == nil)
        let lxc2 = label("0::/lxc.payload.box/init.scope\n")
        #expect(lxc2?.engine == .lxc && lxc2?.id == "box")
        #expect(label("0::/lxc.monitor.box\n") == nil)
        let lxc1 = label("5:cpuset:/lxc/box\n0::/\n")
        #expect(lxc1?.engine == .lxc && lxc1?.id == "box")
    }

    @Test func hostCgroupsHaveNoLabel() {
        #expect(label("0::/init.scope\n") == nil)
        #expect(label("0::/user.slice/user-1000.slice/session-3.scope\n") == nil)
        #expect(label("9:name=systemd:/\n0::/\n") == nil)
        // Docker in Docker names the inner container.
        let other = String(hex.reversed())
        #expect(label("0::/docker/\(hex)/docker/\(other)\n")?.fullID == other)
    }

    /// Engine state on disk: Docker's name, Podman's names, a pod's name by uid, and runc's state matched by init
    /// pid and by cgroup directory.
    @Test func namesFromEngineState() throws {
        let root = NSTemporaryDirectory() + "nslab-state-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        func write(_ relative: String, _ text: String) throws {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write(
            "var/lib/docker/containers/\(hex)/config.v2.json",
            #"{"State":{"Running":true},"ID":"\#(hex)","Config":{"Hostname":"x"},"Name":"/web","MountPoints":{}}"#)
        try write(
            "var/lib/containers/storage/overlay-containers/containers.json",
            #"[{"id":"\#(hex)","names":["db"],"image":"i"}]"#)
        try FileManager.default.createDirectory(
            atPath: root + "/var/log/pods/default_nginx_1a2b3c4d-0000-1111-2222-333344445555/nginx",
            withIntermediateDirectories: true)
        try write(
            "run/runc/demo/state.json",
            #"{"id":"demo","init_process_pid":4242,"init_process_start":777,"cgroup_paths":{"":"/sys/fs/cgroup/demo","#
                + #""memory":"/sys/fs/cgroup/memory/outer/demo"}}"#)
        let directory = ContainerDirectory(stateRoot: root)
        func record(_ pid: Int32, start: UInt64 = 1, _ cgroup: String) -> ProcessRecord {
            ProcessRecord(
                pid: pid, ppid: 1, comm: "x", state: "S", startTime: start,
                cgroup: .known(SmallFileParsersBridge.cgroup(cgroup)))
        }
        #expect(directory.label(for: record(10, "0::/system.slice/docker-\(hex).scope\n"))?.name == "web")
        #expect(directory.label(for: record(11, "0::/machine.slice/libpod-\(hex).scope\n"))?.name == "db")
        // Podman on the vfs storage driver keeps its list in a directory of that driver's name.
        let vfsID = String(hex.reversed())
        try write(
            "var/lib/containers/storage/vfs-containers/containers.json",
            #"[{"id":"\#(vfsID)","names":["cache"],"image":"i"}]"#)
        #expect(
            ContainerDirectory(stateRoot: root).label(for: record(13, "0::/machine.slice/libpod-\(vfsID).scope\n"))?
                .name == "cache")
        let pod = directory.label(
            for: record(12, "0::/kubepods/pod1a2b3c4d-0000-1111-2222-333344445555/\(hex)\n"))
        #expect(pod?.name == "default/nginx")
        // runc: its init by pid and start time, a child by the cgroup directory (v2 and v1), not the host.
        #expect(directory.label(for: record(4242, start: 777, "0::/\n"))?.engine == .runc)
        #expect(directory.label(for: record(4242, start: 778, "0::/\n")) == nil)
        #expect(directory.label(for: record(4243, "0::/demo\n"))?.id == "demo")
        #expect(directory.label(for: record(4244, "4:memory:/outer/demo\n"))?.id == "demo")
        #expect(directory.label(for: record(4245, "0::/user.slice\n")) == nil)
        // Without a state root only the cgroup shape counts.
        #expect(ContainerDirectory(stateRoot: nil).label(for: record(10, "0::/docker/\(hex)\n"))?.name == nil)
    }

    /// Regression: a rootless Podman container was labelled `runc` with no name (only the machine's store was
    /// read), a `ctr run` container got no label (containerd's runc directory was not read), and Kubernetes' bare
    /// containerd ids under the cgroupfs driver were named `kubernetes`. The users' stores are found by a runc
    /// state's bundle (any graphroot) and by the home directories in etc/passwd, whatever the storage driver.
    @Test func rootlessPodmanAndContainerdFromState() throws {
        let root = NSTemporaryDirectory() + "nslab-state-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        func write(_ relative: String, _ text: String) throws {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let inHome = hex
        let inCustomStore = String(hex.reversed())
        let kubernetesID = String(hex.dropFirst(4)) + "abcd"
        try write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\n")
        try write(
            "home/alice/.local/share/containers/storage/btrfs-containers/containers.json",
            #"[{"id":"\#(inHome)","names":["webapp"]}]"#)
        try write("srv/pods/vfs-containers/containers.json", #"[{"id":"\#(inCustomStore)","names":["custom"]}]"#)
        try write(
            "run/user/1000/runc/\(inCustomStore)/state.json",
            #"{"id":"\#(inCustomStore)","init_process_pid":5000,"init_process_start":9,"#
                + #""cgroup_paths":{"name=systemd":"/sys/fs/cgroup/systemd/\#(inCustomStore)"},"#
                + #""config":{"labels":["io.container.manager=libpod","#
                + #""bundle=/srv/pods/vfs-containers/\#(inCustomStore)/userdata"]}}"#)
        try write(
            "run/containerd/runc/labns/web1/state.json",
            #"{"id":"web1","init_process_pid":6000,"init_process_start":3,"cgroup_paths":{"#
                + #""memory":"/sys/fs/cgroup/memory/labns/web1","":"/sys/fs/cgroup/unified/labns/web1"},"#
                + #""config":{"labels":["bundle=/run/containerd/io.containerd.runtime.v2.task/labns/web1"]}}"#)
        try write(
            "run/containerd/runc/k8s.io/\(kubernetesID)/state.json",
            #"{"id":"\#(kubernetesID)","init_process_pid":7000,"cgroup_paths":{}}"#)
        try FileManager.default.createDirectory(
            atPath: root + "/var/log/pods/default_nginx_1a2b3c4d-0000-1111-2222-333344445555/nginx",
            withIntermediateDirectories: true)
        let directory = ContainerDirectory(stateRoot: root)
        func record(_ pid: Int32, start: UInt64 = 1, _ cgroup: String) -> ProcessRecord {
            ProcessRecord(
                pid: pid, ppid: 1, comm: "x", state: "S", startTime: start,
                cgroup: .known(SmallFileParsersBridge.cgroup(cgroup)))
        }
        // Rootless on cgroup v1: a bare id under the user's named hierarchy, named from the home's store.
        let bare = directory.label(for: record(20, "9:name=systemd:/user/alice/0/\(inHome)\n0::/\n"))
        #expect(bare?.engine == .podman && bare?.name == "webapp" && bare?.text == "podman:webapp")
        // Rootless on cgroup v2 (systemd driver): the libpod scope in the user's slice.
        let scoped = directory.label(
            for: record(21, "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-\(inHome).scope\n"))
        #expect(scoped?.engine == .podman && scoped?.name == "webapp")
        // The init of a state that Podman made, its store found from the bundle.
        let initLabel = directory.label(for: record(5000, start: 9, "9:name=systemd:/\n0::/\n"))
        #expect(initLabel?.engine == .podman && initLabel?.name == "custom", "\(String(describing: initLabel))")
        // Another process of that container (`podman exec`), in no cgroup of the state's: known by the init's PID
        // namespace, read under the proc path; a process in this machine's PID namespace is not, even where an
        // init shares it (`--pid=host`).
        let proc = root + "/proc"
        for (pid, namespace) in [("self", 1), ("5000", 777), ("6000", 1)] {
            try FileManager.default.createDirectory(atPath: "\(proc)/\(pid)/ns", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: "\(proc)/\(pid)/ns/pid", withDestinationPath: "pid:[\(namespace)]")
        }
        let withProc = ContainerDirectory(stateRoot: root, procPath: proc)
        func member(_ pid: Int32, pidNamespace: UInt64) -> ProcessRecord {
            ProcessRecord(
                pid: pid, ppid: 5000, comm: "sh", state: "S", startTime: 99,
                namespaces: NamespaceSet([.pid: pidNamespace]), cgroup: .known(SmallFileParsersBridge.cgroup("0::/\n")))
        }
        #expect(withProc.label(for: member(5001, pidNamespace: 777))?.text == "podman:custom")
        #expect(withProc.label(for: member(5002, pidNamespace: 1)) == nil)
        #expect(directory.label(for: member(5001, pidNamespace: 777)) == nil, "no proc path, no namespace read")
        // ctr: the state in containerd's directory, matched by cgroup (v1 and v2) and by init.
        for cgroup in ["4:memory:/labns/web1\n0::/\n", "0::/labns/web1\n"] {
            let ctr = directory.label(for: record(6001, cgroup))
            #expect(ctr?.engine == .containerd && ctr?.namespace == "labns" && ctr?.id == "web1", "\(cgroup)")
            #expect(ctr?.text == "containerd:labns/web1")
        }
        #expect(directory.label(for: record(6000, start: 3, "0::/\n"))?.text == "containerd:labns/web1")
        // Kubernetes: a bare id under a pod (cgroupfs) that containerd's k8s.io directory holds is containerd's,
        // named by its pod; CRI shapes keep their engines.
        let pod = "1a2b3c4d-0000-1111-2222-333344445555"
        let bareKubernetes = directory.label(
            for: record(22, "4:memory:/kubepods/besteffort/pod\(pod)/\(kubernetesID)\n"))
        #expect(bareKubernetes?.engine == .containerd && bareKubernetes?.namespace == "k8s.io")
        #expect(bareKubernetes?.pod == pod && bareKubernetes?.name == "default/nginx")
        let slice =
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod\(pod.replacingAll("-", with: "_")).slice"
        let criContainerd = directory.label(for: record(23, "0::\(slice)/cri-containerd-\(kubernetesID).scope\n"))
        #expect(criContainerd?.engine == .containerd && criContainerd?.namespace == "k8s.io")
        #expect(criContainerd?.text == "containerd:default/nginx")
        let crio = directory.label(for: record(24, "0::\(slice)/crio-\(hex).scope\n"))
        #expect(crio?.engine == .crio && crio?.name == "default/nginx" && crio?.namespace == nil)
        #expect(directory.label(for: record(25, "0::\(slice)/crio-conmon-\(hex).scope\n"))?.engine == .kubernetes)
        // An unknown bare id is no one's container, and a plain runc state stays runc.
        #expect(directory.label(for: record(26, "9:name=systemd:/user/alice/0/\(String(hex.dropLast(2)))ff\n")) == nil)
        try write("run/runc/plain/state.json", #"{"id":"plain","init_process_pid":8000,"cgroup_paths":{}}"#)
        #expect(ContainerDirectory(stateRoot: root).label(for: record(8000, "0::/\n"))?.text == "runc:plain")
    }

    /// The JSON of a containerd label carries its namespace.
    @Test func containerdNamespaceInJSON() {
        var writer = JSONWriter()
        writer.writeContainer(ContainerLabel(engine: .containerd, fullID: "web1", namespace: "labns"))
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.contains(#""namespace":"labns""#), "\(text)")
        #expect(text.contains(#""id":"web1""#), "\(text)")
    }

    @Test func stateJSONReadsWhatEnginesWrite() {
        let document = StateJSON.parse(Array(#"{"a":[1,2.5,"x\"y\u00e9"],"b":{"c":null,"d":true}}"#.utf8))
        #expect(document?["a"]?.elements.count == 3)
        #expect(document?["a"]?.elements[2].text == "x\"yé")
        #expect(document?["b"]?["d"] == .bool(true))
        #expect(StateJSON.parse(Array(#"{"a":"#.utf8)) == nil)
    }
}

/// The cgroup parser over text.
enum SmallFileParsersBridge {
    static func cgroup(_ text: String) -> [CgroupEntry] {
        UnsafeBufferPointer<UInt8>.withBytes(of: text) { SmallFileParsers.cgroup($0) }
    }
}

/// The `container` key of ps, ls and inspect JSON on a fixture tree whose child sits in a Docker scope.
@Suite struct ContainerJSONTests {
    @Test func psLsAndInspectCarryTheContainer() throws {
        let hex = "3f2a9c81d4e0b6f7a8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5"
        let tree = try Fixture.copy("basic")
        defer { try? FileManager.default.removeItem(atPath: tree) }
        try "0::/system.slice/docker-\(hex).scope\n".write(
            toFile: tree + "/200/cgroup", atomically: true, encoding: .utf8)
        let scanner = try ProcScanner(root: ProcRoot(tree))
        let snapshot = scanner.refresh()
        func object(_ writer: JSONWriter) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        }
        var ps = JSONWriter()
        ps.writeProcesses(snapshot)
        let processes = try #require(try object(ps)["processes"] as? [[String: Any]])
        let child = try #require(processes.first { $0["pid"] as? Int == 200 })
        let container = try #require(child["container"] as? [String: Any], "\(child)")
        #expect(container["engine"] as? String == "docker")
        #expect(container["id"] as? String == "3f2a9c81d4e0")
        #expect(container["full_id"] as? String == hex)
        #expect(container["name"] is NSNull, "a fixture tree reads no engine state")
        #expect(processes.first { $0["pid"] as? Int == 1 }?["container"] is NSNull)

        var ls = JSONWriter()
        ls.writeNamespaces(snapshot)
        let namespaces = try #require(try object(ls)["namespaces"] as? [[String: Any]])
        let uts = try #require(namespaces.first { $0["type"] as? String == "uts" && $0["pid"] as? Int == 200 })
        #expect((uts["container"] as? [String: Any])?["engine"] as? String == "docker")

        var inspect = JSONWriter()
        inspect.writeComparison(try scanner.compare(200, with: 1, in: snapshot))
        let document = try object(inspect)
        #expect(
            ((document["left"] as? [String: Any])?["container"] as? [String: Any])?["id"] as? String == "3f2a9c81d4e0")
        #expect((document["right"] as? [String: Any])?["container"] is NSNull)
    }

    /// The engines' state is read from the host's files when nslab runs in a container of its own (the OCI image
    /// under `--pid=host` or `kubectl debug node`), not from the image's empty `/`.
    @Test func hostRootIsFoundOutsideTheImage() throws {
        let host = NSTemporaryDirectory() + "nslab-hostroot-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: host) }
        try FileManager.default.createDirectory(atPath: host + "/var/lib", withIntermediateDirectories: true)
        #expect(ContainerDirectory.hostRoot(candidates: [host]) == host)
        #expect(ContainerDirectory.hostRoot(candidates: ["/nonexistent-\(getpid())", host]) == host)
        // This process's own root, reached by another name, is not another host.
        #expect(ContainerDirectory.hostRoot(candidates: ["/.", "/proc/self/root"]) == "/")
        // A directory without var is not taken for a machine's root.
        try FileManager.default.removeItem(atPath: host + "/var")
        #expect(ContainerDirectory.hostRoot(candidates: [host]) == "/")
    }
}
