import NamespaceKit

/// Turns the /proc model's comparison into the panel's rows: one per kind, the namespace id and that
/// kind's telling fact on each side. Pure, so the panel can be tested with a hand-made comparison.
public enum ComparisonRows {
    /// The rows for `comparison`, whose left process is the child and right process the host (nslab).
    public static func rows(_ comparison: Comparison) -> [ComparisonRow] {
        comparison.kinds.map { row in
            let (host, child) = facts(row.kind, comparison)
            return ComparisonRow(
                kind: row.kind, hostID: idText(row.rightID), hostFact: host, childID: idText(row.leftID),
                childFact: child, same: row.same)
        }
    }

    /// The whole view: the subject's title and the rows.
    public static func view(_ comparison: Comparison) -> ComparisonView {
        ComparisonView(subject: "pid \(comparison.left.pid) (\(comparison.left.comm))", rows: rows(comparison))
    }

    /// A namespace id as `[4026531838]`, or `?` when it could not be read.
    static func idText(_ id: Fact<UInt64>) -> String {
        switch id {
        case .known(let value): "[\(value)]"
        case .unknown: "[?]"
        case .unavailable: "n/a"
        }
    }

    /// The host's and the child's fact for `kind`. PID and cgroup show the child from both sides (its
    /// pid and cgroup path as the host sees them, then as it sees them itself); the other kinds show
    /// the host's own value next to the child's.
    static func facts(_ kind: NamespaceKind, _ comparison: Comparison) -> (host: String, child: String) {
        let child = comparison.leftFacts
        let host = comparison.rightFacts
        switch kind {
        case .uts:
            return (text(host.uts) { $0.hostname }, text(child.uts) { $0.hostname })
        case .ipc:
            return (text(host.ipc, ipcText), text(child.ipc, ipcText))
        case .pid:
            let inside = child.pid.value?.pidInside ?? comparison.left.pidInside
            return ("pid \(comparison.left.pid)", inside.map { "pid \($0)" } ?? "pid ?")
        case .mount:
            return (text(host.mount, mountText), text(child.mount, mountText))
        case .net:
            return (text(host.net, netText), text(child.net, netText))
        case .user:
            return (text(host.user) { mapText($0.uidMap) }, text(child.user) { mapText($0.uidMap) })
        case .cgroup:
            return (
                text(child.cgroup) { factText($0.hostPath) }, text(child.cgroup) { factText($0.insidePath) }
            )
        case .time:
            return (text(host.time, timeText), text(child.time, timeText))
        }
    }

    static func text<Value>(_ fact: Fact<Value>, _ make: (Value) -> String) -> String {
        switch fact {
        case .known(let value): make(value)
        case .unknown: "?"
        case .unavailable: "n/a"
        }
    }

    static func factText(_ fact: Fact<String>) -> String { text(fact) { $0 } }

    static func ipcText(_ facts: IPCFacts) -> String {
        "msg \(facts.messageQueues) sem \(facts.semaphoreSets) shm \(facts.sharedMemorySegments)"
    }

    static func mountText(_ facts: MountFacts) -> String {
        let proc: String
        switch facts.procIsOwn {
        case true?: proc = ", own /proc"
        case false?: proc = ", inherited /proc"
        case nil: proc = ""
        }
        return "\(facts.mountCount) mounts" + proc
    }

    static func netText(_ facts: NetFacts) -> String {
        if facts.interfaces.isEmpty { return "no interfaces" }
        return facts.interfaces.map { "\($0.name) " + ($0.isUp.map { $0 ? "up" : "down" } ?? "?") }
            .joined(separator: ", ")
    }

    static func mapText(_ map: Fact<[IDMapEntry]>) -> String {
        text(map) { entries in
            entries.isEmpty
                ? "no map" : entries.map { "\($0.inside) \($0.outside) \($0.count)" }.joined(separator: ", ")
        }
    }

    static func timeText(_ facts: TimeFacts) -> String {
        let uptime = facts.uptimeInside.map { "up " + durationText($0) } ?? "up ?"
        return uptime + " mono " + offsetText(facts.offsets.monotonic) + " boot " + offsetText(facts.offsets.boottime)
    }

    /// An uptime as `[Nd ]H:MM:SS`.
    static func durationText(_ seconds: Double) -> String {
        let total = max(0, Int(seconds))
        let minutes = total % 3600 / 60
        let secs = total % 60
        let clock =
            "\(total % 86400 / 3600):" + (minutes < 10 ? "0" : "") + "\(minutes):" + (secs < 10 ? "0" : "") + "\(secs)"
        return total >= 86400 ? "\(total / 86400)d " + clock : clock
    }

    /// An offset in whole seconds with its sign, e.g. `+3600s` or `+0s`.
    static func offsetText(_ offset: ClockOffset) -> String {
        let seconds = offset.totalSeconds
        let whole = Int(seconds.rounded(.towardZero))
        let text = seconds == Double(whole) ? String(whole) : String(seconds)
        return (seconds < 0 ? "" : "+") + text + "s"
    }
}
