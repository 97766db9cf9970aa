import Foundation
import Glibc
import TestSupport
import Testing

/// nslab against util-linux and procps on namespaces other tools made (see `ForeignNamespaces`): `ls --json` with
/// `lsns -J`, `ps --json` with `ps -eo …ns`, `inspect --json` with `nsenter` readings and /proc files.
///
/// Each comparison is taken at one moment: nslab, the reference, nslab again; only what is the same in both nslab
/// readings (a process with the same start time, a namespace with the same members) is compared, and it must then
/// agree exactly. The unprivileged half runs nslab and the reference tools both as nobody (setpriv).
@Suite(.serialized) struct DifferentialTests {
    @Test func lsAgreesWithLsnsAsRoot() throws {
        let lab = try ForeignNamespaces()
        defer { lab.remove() }
        try compareLs(lab, asNobody: false)
    }

    @Test func lsAgreesWithLsnsAsNobody() throws {
        let lab = try ForeignNamespaces()
        defer { lab.remove() }
        try compareLs(lab, asNobody: true)
    }

    @Test func psAgreesWithPsAsRoot() throws {
        let lab = try ForeignNamespaces()
        defer { lab.remove() }
        try comparePs(lab, asNobody: false)
    }

    @Test func psAgreesWithPsAsNobody() throws {
        let lab = try ForeignNamespaces()
        defer { lab.remove() }
        try comparePs(lab, asNobody: true)
    }

    @Test func inspectAgreesWithNsenter() throws {
        let lab = try ForeignNamespaces()
        defer { lab.remove() }
        let sleepers = lab.sleepers
        #expect(sleepers.count >= 20, "the script starts at least 20 holders")
        var sawOffsets = false
        var sawAddress = false
        var sawChildCgroup = false
        var sawSegments = false
        var sawDomain = false
        var sawMultiLineMap = false
        for pid in sleepers {
            let run = try runNslab(["inspect", "--json", String(pid)])
            guard run.status == 0 else {
                Issue.record("inspect \(pid): \(run.stderr)")
                continue
            }
            let kinds = try #require(try run.json()["kinds"] as? [[String: Any]])
            func facts(_ type: String) -> [String: Any] {
                kinds.first { $0["type"] as? String == type }?["left_facts"] as? [String: Any] ?? [:]
            }
            let label = "pid \(pid) (\(try commandLine(pid)))"
            // UTS: hostname and domain name as seen inside.
            let hostname = try nsenter(pid, ["-u"], ["hostname"])
            #expect(facts("uts")["hostname"] as? String == hostname, "\(label)")
            let domain = try nsenter(pid, ["-u"], ["cat", "/proc/sys/kernel/domainname"])
            #expect(facts("uts")["domainname"] as? String == domain, "\(label)")
            sawDomain = sawDomain || domain == lab.domainName
            // IPC: object counts as ipcs counts them inside.
            for (key, option) in [("msg_queues", "-q"), ("sem_sets", "-s"), ("shm_segments", "-m")] {
                let listing = try nsenter(pid, ["-i"], ["ipcs", option])
                let count = listing.split(separator: "\n").filter { $0.hasPrefix("0x") }.count
                #expect(facts("ipc")[key] as? Int == count, "\(label) \(key)")
                sawSegments = sawSegments || (key == "shm_segments" && count > 0)
            }
            // Net: interfaces, up flags and addresses as `ip -j addr` gives them.
            let expected = try ipAddresses(pid)
            let interfaces = facts("net")["interfaces"] as? [[String: Any]] ?? []
            let seen = interfaces.map {
                Interface(
                    name: $0["name"] as? String ?? "", up: $0["up"] as? Bool ?? false,
                    addresses: (($0["addresses"] as? [String]) ?? []).sorted())
            }
            #expect(seen.sorted { $0.name < $1.name } == expected.sorted { $0.name < $1.name }, "\(label)")
            sawAddress = sawAddress || expected.contains { $0.addresses.contains("10.213.0.1/24") }
            // Cgroup: the unified path from the host and from inside the cgroup namespace.
            let hostPath = unifiedPath(try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8))
            let insidePath = unifiedPath(try nsenter(pid, ["-C"], ["cat", "/proc/\(pid)/cgroup"]))
            #expect(facts("cgroup")["host_path"] as? String == hostPath, "\(label)")
            #expect(facts("cgroup")["inside_path"] as? String == insidePath, "\(label)")
            sawChildCgroup = sawChildCgroup || (hostPath == "/" + lab.tag && insidePath == "/")
            // Time: offsets from timens_offsets, uptime as read inside (a moment later, so within a second).
            let offsets = try String(contentsOfFile: "/proc/\(pid)/timens_offsets", encoding: .utf8)
            let monotonic = offsetSeconds(offsets, "monotonic")
            let boottime = offsetSeconds(offsets, "boottime")
            #expect(facts("time")["monotonic_offset"] as? Int == monotonic, "\(label)")
            #expect(facts("time")["boottime_offset"] as? Int == boottime, "\(label)")
            sawOffsets = sawOffsets || (monotonic == 1000 && boottime == 86400)
            let uptime = Double(try nsenter(pid, ["-T"], ["cat", "/proc/uptime"]).split(separator: " ")[0]) ?? -1
            let reported = facts("time")["uptime"] as? Double ?? -100
            #expect(abs(uptime - reported) < 1.0, "\(label) uptime \(reported) vs \(uptime)")
            // User: the maps exactly as /proc/PID/uid_map and gid_map read from here.
            let uidMap = try procMap(pid, "uid_map")
            #expect(facts("user")["uid_map"] as? [[Int]] == uidMap, "\(label)")
            #expect(facts("user")["gid_map"] as? [[Int]] == (try procMap(pid, "gid_map")), "\(label)")
            sawMultiLineMap = sawMultiLineMap || uidMap.count == 3
        }
        // The comparison covered what the script set up.
        #expect(sawOffsets && sawAddress && sawSegments && sawDomain && sawMultiLineMap)
        #expect(sawChildCgroup || lab.cgroup == nil)
    }

    @Test func namespacesHeldWithoutProcesses() throws {
        let lab = try ForeignNamespaces()
        defer { lab.remove() }
        // An fd of this test holds the IPC namespace of a sleeper that is alone in it; then the sleeper goes.
        let ownIPC = linkedNamespace(getpid(), "ipc")
        let alone = try #require(
            lab.sleepers.first { pid in
                let id = linkedNamespace(pid, "ipc")
                return id != ownIPC && lab.pids.filter { linkedNamespace($0, "ipc") == id }.count == 1
            })
        let ipcID = try #require(linkedNamespace(alone, "ipc"))
        let fd = open("/proc/\(alone)/ns/ipc", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        kill(alone, SIGKILL)
        #expect(Processes.endsSoon(alone))
        let netID = try #require(
            lab.sleepers.compactMap { pid -> UInt64? in
                let id = linkedNamespace(pid, "net")
                return id == (try? boundNamespace("/run/netns/" + lab.tag)) ? id : nil
            }.first)
        let document = try namespaces(try nslab(["ls", "--json"], asNobody: false))
        let uts = try #require(document["uts/\(try boundNamespace(lab.boundFile))"], "the bound UTS namespace")
        #expect(uts["nprocs"] as? Int == 0)
        #expect(uts["pid"] is NSNull)
        let utsHolders = uts["held_by"] as? [[String: Any]] ?? []
        #expect(utsHolders.map { $0["how"] as? String } == ["bind_mount"])
        #expect(utsHolders.first?["path"] as? String == lab.boundFile)
        let ipc = try #require(document["ipc/\(ipcID)"], "the fd-held IPC namespace")
        #expect(ipc["nprocs"] as? Int == 0)
        let ipcHolders = ipc["held_by"] as? [[String: Any]] ?? []
        #expect(ipcHolders.first { $0["how"] as? String == "fd" }?["path"] as? String == "/proc/\(getpid())/fd/\(fd)")
        let net = try #require(document["net/\(netID)"])
        #expect(net["netns_names"] as? [String] == [lab.tag])
        #expect((net["nprocs"] as? Int ?? 0) >= 1)
        let table = try nslab(["ls"], asNobody: false)
        #expect(table.contains("[netns \(lab.tag)]"))
        #expect(table.contains("(held by bind mount \(lab.boundFile))"))
        // As nobody, bwrap's user namespace has no process left in it; what it owns nests under it.
        let tree = try nslab(["ls", "--tree"], asNobody: true)
        #expect(!tree.contains("owner not visible"), "\(tree)")
        let owner = try #require(tree.split(separator: "\n").firstIndex { $0.contains("(held by owner of namespaces)") })
        let lines = tree.split(separator: "\n")
        #expect(owner + 1 < lines.count && lines[owner + 1].hasPrefix("│  ") || lines[owner + 1].hasPrefix("   "))
    }

    /// The namespace id of an nsfs file (a bind mount of one).
    private func boundNamespace(_ path: String) throws -> UInt64 {
        var info = stat()
        try #require(stat(path, &info) == 0, "stat \(path)")
        return UInt64(info.st_ino)
    }

    // MARK: - ls against lsns

    private func compareLs(_ lab: ForeignNamespaces, asNobody: Bool) throws {
        let before = try namespaces(try nslab(["ls", "--json"], asNobody: asNobody))
        let lsns = try tool("/usr/bin/lsns", ["-J", "-o", "NS,TYPE,NPROCS,PID,PNS,ONS"], asNobody: asNobody)
        let after = try namespaces(try nslab(["ls", "--json"], asNobody: asNobody))
        let reference = try #require(try json(lsns)["namespaces"] as? [[String: Any]])
        var lsnsByKey: [String: [String: Any]] = [:]
        for row in reference { lsnsByKey["\(row["type"] ?? "")/\(row["ns"] ?? "")"] = row }
        var compared = 0
        for (key, mine) in before {
            guard let later = after[key], (mine["members"] as? [Int]) == (later["members"] as? [Int]) else { continue }
            guard let theirs = lsnsByKey[key] else {
                // Held only by a bind mount or fd: lsns 2.38 lists only namespaces with processes.
                if (mine["nprocs"] as? Int ?? 0) > 0 { Issue.record("\(key) is missing from lsns") }
                continue
            }
            compared += 1
            #expect(mine["nprocs"] as? Int == theirs["nprocs"] as? Int, "\(key) nprocs")
            #expect(mine["pid"] as? Int == theirs["pid"] as? Int, "\(key) representative pid")
            #expect((mine["parent"] as? UInt64 ?? 0) == theirs["pns"] as? UInt64, "\(key) parent")
            #expect((mine["owner_user_ns"] as? UInt64 ?? 0) == theirs["ons"] as? UInt64, "\(key) owner")
        }
        for (key, row) in lsnsByKey where before[key] == nil && after[key] == nil {
            // Still there (not a process of another test that came and went between the readings)?
            let parts = key.split(separator: "/")
            guard let pid = row["pid"] as? Int, linkedNamespace(pid_t(pid), String(parts[0])).map(String.init) == String(parts[1])
            else { continue }
            Issue.record("lsns has \(key) (pid \(row["pid"] ?? "")) that nslab does not")
        }
        // Every namespace a sleeper is in was compared (as nobody: the sleepers nobody owns).
        var ownerOfProc = stat()
        for pid in lab.sleepers where !asNobody || (stat("/proc/\(pid)", &ownerOfProc) == 0 && ownerOfProc.st_uid == 65534) {
            for name in namespaceNames {
                guard let id = linkedNamespace(pid, name) else { continue }
                #expect(before["\(name)/\(id)"] != nil, "nslab lacks \(name)/\(id) of \(pid)")
            }
        }
        #expect(compared > (asNobody ? 10 : 30))
    }

    private func namespaces(_ text: String) throws -> [String: [String: Any]] {
        let rows = try #require(try json(text)["namespaces"] as? [[String: Any]])
        var byKey: [String: [String: Any]] = [:]
        for row in rows { byKey["\(row["type"] ?? "")/\(row["id"] ?? "")"] = row }
        return byKey
    }

    // MARK: - ps against ps

    private func comparePs(_ lab: ForeignNamespaces, asNobody: Bool) throws {
        let columns = ["utsns", "ipcns", "pidns", "mntns", "netns", "userns", "cgroupns", "timens"]
        let before = try processes(try nslab(["ps", "--flat", "--json"], asNobody: asNobody))
        let listing = try tool(
            "/usr/bin/ps", ["-eo", "pid=,ppid=," + columns.map { $0 + "=" }.joined(separator: ",") + ",comm="],
            asNobody: asNobody)
        let maps = try tool("/bin/sh", ["-c", Self.mapDump], asNobody: asNobody)
        let after = try processes(try nslab(["ps", "--flat", "--json"], asNobody: asNobody))
        var reference: [Int: [Substring]] = [:]
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 10, omittingEmptySubsequences: true)
            if fields.count == 11, let pid = Int(fields[0]) { reference[pid] = fields }
        }
        var readableMaps: [Int: [String: String]] = [:]
        for line in maps.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let pid = Int(parts[0]) else { continue }
            readableMaps[pid, default: [:]][String(parts[1])] = String(parts[2])
        }
        var compared = 0
        var changed = 0
        for (pid, mine) in before {
            guard let later = after[pid], later["start_time"] as? UInt64 == mine["start_time"] as? UInt64 else {
                continue
            }
            // A process that changed between the two reads (it exec'd, unshared, or its parent died) was in flux
            // while ps read it: the comparison holds for what stayed the same on both sides of ps.
            // (A kworker's comm names the work queue it runs: only its other fields need to hold still.)
            let kernel = mine["kernel_thread"] as? Bool == true
            let keys = ["ppid", "ns", "uid_map", "gid_map", "setgroups", "timens_offsets"] + (kernel ? [] : ["comm"])
            guard
                NSDictionary(dictionary: mine.filter { keys.contains($0.key) }).isEqual(
                    to: later.filter { keys.contains($0.key) })
            else {
                changed += 1
                continue
            }
            guard let fields = reference[pid] else {
                Issue.record("ps lacks pid \(pid)")
                continue
            }
            compared += 1
            #expect(mine["ppid"] as? Int == Int(fields[1]), "pid \(pid) ppid")
            // A kworker's comm ends in the work queue it last ran (`kworker/1:2-events`) or runs now (`+events`), which
            // changes between two reads: compare the worker name.
            let comm = mine["comm"] as? String ?? ""
            if mine["kernel_thread"] as? Bool == true, comm.hasPrefix("kworker/") {
                let worker = { (name: Substring) in name.split(whereSeparator: { $0 == "-" || $0 == "+" }).first }
                #expect(worker(Substring(comm)) == worker(fields[10]), "pid \(pid) comm")
            } else {
                #expect(comm == String(fields[10]), "pid \(pid) comm")
            }
            let ns = mine["ns"] as? [String: Any] ?? [:]
            for (index, name) in namespaceNames.enumerated() {
                let theirs = UInt64(fields[2 + index])  // ps prints - for unreadable
                #expect(ns[name] as? UInt64 == theirs, "pid \(pid) \(name): nslab \(ns[name] ?? "none"), ps \(theirs ?? 0)")
            }
            // Maps, setgroups and offsets: given exactly when the file is readable, null when it is not.
            for (file, key) in [("uid_map", "uid_map"), ("gid_map", "gid_map")] {
                let expected = readableMaps[pid]?[file].map(Self.mapTriples)
                #expect(mine[key] as? [[Int]] == expected, "pid \(pid) \(key)")
                if expected == nil { #expect(mine[key] is NSNull, "pid \(pid) \(key) not null") }
            }
            let setgroups = readableMaps[pid]?["setgroups"]
            #expect(mine["setgroups"] as? String == setgroups, "pid \(pid) setgroups")
            // timens_offsets shows the time_for_children namespace: compare where that is the process's own.
            let ownTime = ns["time"] == nil || (ns["time"] as? UInt64) == (ns["time_for_children"] as? UInt64)
            if !ownTime {
            } else if let offsets = readableMaps[pid]?["timens_offsets"] {
                let document = mine["timens_offsets"] as? [String: Any]
                #expect(document?["monotonic"] as? Int == offsetSeconds(offsets, "monotonic"), "pid \(pid) offsets")
                #expect(document?["boottime"] as? Int == offsetSeconds(offsets, "boottime"), "pid \(pid) offsets")
            } else {
                #expect(mine["timens_offsets"] is NSNull, "pid \(pid) offsets not null")
            }
        }
        for pid in reference.keys where before[pid] == nil && after[pid] == nil && kill(pid_t(pid), 0) == 0 {
            Issue.record("nslab lacks pid \(pid) that ps lists")
        }
        for pid in lab.sleepers { #expect(before[Int(pid)] != nil, "nslab lacks sleeper \(pid)") }
        #expect(compared > 40)
        #expect(changed < compared / 4, "\(changed) processes changed while ps read, \(compared) compared")
    }

    /// Prints `PID FILE CONTENT` for each readable uid_map, gid_map, setgroups and timens_offsets (content on one
    /// line, `;` between lines), as whoever runs it can read them.
    static let mapDump = #"""
        for d in /proc/[0-9]*; do
            p=${d#/proc/}
            for f in uid_map gid_map setgroups timens_offsets; do
                c=$(cat "$d/$f" 2>/dev/null) && printf '%s %s %s\n' "$p" "$f" "$(printf '%s' "$c" | tr -s ' ' | sed 's/^ //' | tr '\n' ';')"
            done
        done
        exit 0
        """#

    /// `0 0 4294967295;` → `[[0, 0, 4294967295]]`.
    static func mapTriples(_ text: String) -> [[Int]] {
        text.split(separator: ";").map { $0.split(separator: " ").compactMap { Int($0) } }.filter { $0.count == 3 }
    }

    private func processes(_ text: String) throws -> [Int: [String: Any]] {
        let rows = try #require(try json(text)["processes"] as? [[String: Any]])
        var byPid: [Int: [String: Any]] = [:]
        for row in rows { if let pid = row["pid"] as? Int { byPid[pid] = row } }
        return byPid
    }

    // MARK: - Helpers

    private func nslab(_ arguments: [String], asNobody: Bool) throws -> String {
        let result = asNobody ? try Binary.runUnprivileged(arguments) : try Binary.run(arguments)
        try #require(result.status == 0, "nslab \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    private func tool(_ path: String, _ arguments: [String], asNobody: Bool) throws -> String {
        let result =
            asNobody
            ? try Binary.runProgram(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", path] + arguments,
                environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": "/"])
            : try Binary.runProgram(path, arguments)
        try #require(result.status == 0, "\(path): \(result.stderr)")
        return result.stdout
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func nsenter(_ pid: pid_t, _ options: [String], _ command: [String]) throws -> String {
        let result = try Binary.runProgram("/usr/bin/nsenter", ["-t", String(pid)] + options + ["--"] + command)
        try #require(result.status == 0, "nsenter \(options) \(command): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    private func commandLine(_ pid: pid_t) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
    }

    private struct Interface: Equatable {
        var name: String
        var up: Bool
        var addresses: [String]
    }

    /// `ip -j addr` inside `pid`'s network namespace.
    private func ipAddresses(_ pid: pid_t) throws -> [Interface] {
        let text = try nsenter(pid, ["-n"], ["ip", "-j", "addr"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        return rows.map { row in
            let flags = row["flags"] as? [String] ?? []
            let addresses = (row["addr_info"] as? [[String: Any]] ?? []).compactMap { info -> String? in
                guard let local = info["local"] as? String, let length = info["prefixlen"] as? Int else { return nil }
                return "\(local)/\(length)"
            }
            return Interface(name: row["ifname"] as? String ?? "", up: flags.contains("UP"), addresses: addresses.sorted())
        }
    }

    /// The path of the `0::` (cgroup2) line.
    private func unifiedPath(_ text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) }
    }

    /// The seconds of one clock's line in timens_offsets (`monotonic 1000 0`, or `;`-joined lines).
    private func offsetSeconds(_ text: String, _ clock: String) -> Int? {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == ";" }) {
            let fields = line.split(separator: " ")
            if fields.first.map(String.init) == clock, fields.count >= 2 { return Int(fields[1]) }
        }
        return nil
    }

    /// /proc/PID/<file> as `[inside, outside, count]` triples.
    private func procMap(_ pid: pid_t, _ file: String) throws -> [[Int]] {
        let text = try String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
    }
}
