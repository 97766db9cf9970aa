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
}
