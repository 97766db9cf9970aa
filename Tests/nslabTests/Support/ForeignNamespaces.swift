import Foundation
import TestSupport
import Testing

/// Why the namespaces could not be set up.
enum LabError: Error { case notReady }

/// Namespaces made by other tools (util-linux `unshare`, `ip netns`, bubblewrap), as a user would make them, so the
/// differential tests compare nslab with lsns, ps and nsenter on namespaces nslab did not create itself.
///
/// Every process lives in one session (a `setsid` shell), so `remove()` finds and kills them all, however the test
/// ended; it then deletes the netns name, the child cgroup, the bind-mounted namespace file and the scratch folder.
/// Needs root (it uses `ip netns add` and writes another process's uid_map).
final class ForeignNamespaces {
    /// Session id of the shell that started everything.
    let sid: pid_t
    /// The `ip netns` name (also used for the cgroup and the scratch folder).
    let tag: String
    /// The scratch folder (the renamed sleep program lives here, world-readable).
    let directory: String
    /// The child cgroup in the cgroup2 hierarchy, or nil when the host has none.
    let cgroup: String?
    /// A file with a UTS namespace bind-mounted on it (`unshare --uts=FILE`), held by no process.
    let boundFile: String
    /// The domain name set inside the one UTS namespace the script names.
    let domainName: String
    private var removed = false

    /// Starts the processes and waits until each has exec'd its final program.
    init() throws {
        try requireRoot()
        let tag = "nslab-diff-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.tag = tag
        directory = "/tmp/" + tag
        domainName = "diff.example"
        boundFile = directory + "/uts-bound"
        cgroup = Self.cgroup2Root().map { $0 + "/" + tag }
        mkdir("/tmp/" + tag, 0o755)
        chmod("/tmp/" + tag, 0o755)
        Binary.copyExecutable(from: "/bin/sleep", to: "/tmp/\(tag)/sl ee)p")
        let ready = "/tmp/\(tag)/ready"
        let started = try Binary.runProgram(
            "/usr/bin/setsid", ["-f", "/bin/sh", "-c", Self.script, "sh", directory, tag, cgroup ?? "", "diff.example"])
        try #require(started.status == 0, "setsid: \(started.stderr)")
        var sid: pid_t = 0
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: ready) { usleep(10_000) }
        if let text = try? String(contentsOfFile: "/tmp/\(tag)/sid", encoding: .utf8) {
            sid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        self.sid = sid
        guard sid > 0, FileManager.default.fileExists(atPath: ready) else {
            remove()
            throw LabError.notReady
        }
        // Wait until every member runs its final program (no unshare/bwrap still between fork and exec).
        for _ in 0..<300 {
            let settling = Processes.liveMembers(ofSession: sid).filter { pid in
                let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
                return ["setpriv", "ip", "sh\n"].contains { comm.hasPrefix($0) } && pid != sid
            }
            if settling.isEmpty { break }
            usleep(10_000)
        }
    }

    deinit { remove() }

    /// The session's live processes now.
    var pids: [pid_t] { Processes.liveMembers(ofSession: sid) }

    /// The session's processes running one of the two sleep programs (the namespace holders).
    var sleepers: [pid_t] {
        pids.filter { pid in
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            return comm == "sleep\n" || comm == "sl ee)p\n"
        }
    }

    /// Kills every process of the session and removes the netns name, cgroup, bind mount and folder.
    func remove() {
        guard !removed else { return }
        removed = true
        if sid > 0 {
            for _ in 0..<50 {
                Processes.killSession(sid)
                if Processes.sessionEndsSoon(sid, within: 0.2) { break }
            }
        }
        _ = try? Binary.runProgram("/usr/sbin/ip", ["netns", "delete", tag])
        umount2(boundFile, Int32(MNT_DETACH))
        if let cgroup {
            for _ in 0..<100 where rmdir(cgroup) != 0 && errno == EBUSY { usleep(20_000) }
        }
        _ = try? FileManager.default.removeItem(atPath: directory)
    }

    /// Where the cgroup2 hierarchy is mounted (`/sys/fs/cgroup` or, on a hybrid host, `/sys/fs/cgroup/unified`).
    static func cgroup2Root() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2, halves[1].hasPrefix("cgroup2 ") else { continue }
            let fields = halves[0].split(separator: " ")
            if fields.count > 4 { return String(fields[4]) }
        }
        return nil
    }

    /// The shell that makes the namespaces: $1 folder, $2 tag, $3 child cgroup (may be empty), $4 domain name.
    static let script = #"""
        set -u
        dir=$1; tag=$2; cg=$3; domain=$4
        echo $$ > "$dir/sid"
        nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
        for kind in --uts --ipc --net --mount --cgroup --user --time; do unshare $kind sleep 1000 & done
        unshare --uts sh -c 'domainname "$1" && exec sleep 1000' sh "$domain" &
        unshare --ipc sh -c 'ipcmk -M 4096 >/dev/null && ipcmk -Q >/dev/null && exec sleep 1000' &
        unshare --pid --fork sleep 1000 &
        unshare --pid --fork --mount-proc sleep 1000 &
        unshare --uts --pid --fork sleep 1000 &
        unshare -r unshare -r sleep 1000 &
        $nobody unshare -r unshare -r sleep 1000 &
        $nobody unshare -r --uts --ipc --net --mount --cgroup --pid --fork sleep 1000 &
        ip netns add "$tag"
        ip netns exec "$tag" sh -c 'ip link set lo up && ip addr add 10.213.0.1/24 dev lo && exec sleep 1000' &
        bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev sleep 1000 &
        $nobody bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev sleep 1000 &
        unshare --time --fork --monotonic 1000 --boottime 86400 sleep 1000 &
        unshare --net "$dir/sl ee)p" 1000 &
        touch "$dir/uts-bound" && unshare --uts="$dir/uts-bound" true
        unshare --user sleep 1000 &
        mapped=$!
        if [ -n "$cg" ] && mkdir "$cg"; then
            sh -c 'echo $$ > "$1/cgroup.procs" && exec unshare --cgroup sleep 1000' sh "$cg" &
        fi
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ "$(readlink /proc/$mapped/ns/user)" != "$(readlink /proc/$$/ns/user)" ] && break
            sleep 0.05
        done
        printf '0 100000 10\n10 200000 10\n20 300000 5\n' > /proc/$mapped/uid_map
        echo ready > "$dir/ready"
        wait
        """#
}
