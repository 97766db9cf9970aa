import Foundation
import Glibc

/// What tests read about processes from outside, through /proc.
public enum Processes {
    /// The /proc names of the eight kinds, in nslab's order.
    public static let kindNames = ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"]

    /// The namespace link of `pid` for a kind's /proc name, e.g. "uts:[4026531838]".
    public static func namespaceLink(_ pid: pid_t, _ name: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(name)")
    }

    /// The /proc names of the kinds in which `pid` differs from the calling process.
    public static func differingKinds(_ pid: pid_t) -> Set<String> {
        Set(kindNames.filter { namespaceLink(pid, $0) != namespaceLink(getpid(), $0) })
    }

    /// Whether `pid` is gone, or a zombie about to be reaped by whoever inherited it, within
    /// `seconds`: a killed process is reaped by its new parent, which may take a moment.
    public static func endsSoon(_ pid: pid_t, within seconds: Double = 2) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
            if status.contains("State:\tZ") { return true }
            usleep(10_000)
        } while Date() < deadline
        return false
    }

    /// The live (not zombie) processes of session `sid`, by field 6 of /proc/<pid>/stat.
    public static func liveMembers(ofSession sid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, fields[0] != "Z", fields[0] != "X", pid_t(fields[3]) == sid else { return nil }
            return pid
        }
    }

    /// Whether every process of session `sid` is gone (zombies count as gone) within `seconds`.
    public static func sessionEndsSoon(_ sid: pid_t, within seconds: Double = 3) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if liveMembers(ofSession: sid).isEmpty { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    /// Kills whatever is left of session `sid`, so a failing test orphans nothing on the host.
    public static func killSession(_ sid: pid_t) {
        for pid in liveMembers(ofSession: sid) { kill(pid, SIGKILL) }
    }
}
