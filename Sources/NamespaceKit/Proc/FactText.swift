/// The one place facts become text: `nslab inspect` (`ProcessFacts.lines`), the dashboard's host-vs-child
/// rows and its map viewer all say a fact the same way.
public enum FactText {
    /// How a fact that could not be read is said.
    public enum Missing: Sendable {
        /// `?` and `n/a`, for narrow panel columns.
        case short
        /// `unknown` and `unavailable`, for tables and messages.
        case words
    }

    /// The text of a known fact, or the words for a missing one. Unknown is never said as a value: it is `?` or
    /// `unknown`, so it cannot be mistaken for "the same".
    public static func of<Value>(_ fact: Fact<Value>, missing: Missing = .words, _ make: (Value) -> String) -> String {
        switch fact {
        case .known(let value): make(value)
        case .unknown: missing == .short ? "?" : "unknown"
        case .unavailable: missing == .short ? "n/a" : "unavailable"
        }
    }

    /// A text fact as it is, or the words for a missing one.
    public static func of(_ fact: Fact<String>, missing: Missing = .words) -> String {
        of(fact, missing: missing) { $0 }
    }

    /// A namespace id: `[4026531838]` in the panel, `4026531838` in tables; `?` or `unknown` when unreadable.
    public static func namespaceID(_ id: Fact<UInt64>, missing: Missing = .words) -> String {
        of(id, missing: missing) { missing == .short ? "[\($0)]" : String($0) }
    }

    /// An uptime as `[Nd ]H:MM:SS`.
    public static func duration(_ seconds: Double) -> String {
        let total = max(0, Int(seconds))
        let clock = "\(total % 86400 / 3600):" + twoDigits(total % 3600 / 60) + ":" + twoDigits(total % 60)
        return total >= 86400 ? "\(total / 86400)d " + clock : clock
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// A clock offset with its sign and unit, e.g. `+86400s`, `-5s`, `+0.5s`.
    public static func offset(_ offset: ClockOffset) -> String {
        var writer = JSONWriter(capacity: 24)
        writer.seconds(offset)
        let number = writer.text
        return (number.hasPrefix("-") ? "" : "+") + number + "s"
    }

    /// Map lines as `inside outside count`, joined by commas; `no map` when the map is empty.
    public static func map(_ entries: [IDMapEntry]) -> String {
        entries.isEmpty ? "no map" : entries.map { "\($0.inside) \($0.outside) \($0.count)" }.joined(separator: ", ")
    }

    /// SysV object counts, e.g. `msg 1 sem 0 shm 0`.
    public static func ipc(_ facts: IPCFacts) -> String {
        "msg \(facts.messageQueues) sem \(facts.semaphoreSets) shm \(facts.sharedMemorySegments)"
    }

    /// Whose `/proc` a process sees: its own pid namespace's, or another's.
    public static func procOwnership(_ procIsOwn: Bool?) -> String {
        switch procIsOwn {
        case true?: "own /proc"
        case false?: "inherited /proc"
        case nil: "/proc ?"
        }
    }

    /// A mount summary, e.g. `31 mounts, own /proc`.
    public static func mount(_ facts: MountFacts) -> String {
        "\(facts.mountCount) mounts, " + procOwnership(facts.procIsOwn)
    }

    /// Up or down, `?` when it could not be told.
    public static func linkState(_ isUp: Bool?) -> String { isUp.map { $0 ? "up" : "down" } ?? "?" }

    /// Every interface with its state, e.g. `lo up, eth0 down`; `no interfaces` when there is none. A namespace
    /// with `ip netns` names says them first: `netns blue: lo up`.
    public static func interfaces(_ facts: NetFacts) -> String {
        let names = facts.netnsNames.isEmpty ? "" : "netns " + facts.netnsNames.joined(separator: ", ") + ": "
        if facts.interfaces.isEmpty { return names + "no interfaces" }
        return names + facts.interfaces.map { "\($0.name) " + linkState($0.isUp) }.joined(separator: ", ")
    }

    /// The clocks, e.g. `up 1d 2:03:04 mono +0s boot +86400s`.
    public static func time(_ facts: TimeFacts) -> String {
        "up " + (facts.uptimeInside.map(duration) ?? "?") + " mono " + offset(facts.offsets.monotonic) + " boot "
            + offset(facts.offsets.boottime)
    }

    /// Propagation counts with the peer groups, e.g. `shared 20 (groups 1-5) slave 0 private 3 unbindable 0`.
    public static func propagation(_ counts: PropagationCounts) -> String {
        var text = "shared \(counts.shared)"
        if !counts.sharedGroups.isEmpty { text += " (" + groups(counts.sharedGroups) + ")" }
        text += " slave \(counts.slave)"
        if !counts.masterGroups.isEmpty { text += " (master " + groups(counts.masterGroups) + ")" }
        return text + " private \(counts.private) unbindable \(counts.unbindable)"
    }

    /// Peer groups as `shared:1,3,5`; more than six are cut to the first six and a count.
    static func groups(_ groups: [Int]) -> String {
        let shown = groups.prefix(6).map(String.init).joined(separator: ",")
        return (groups.count > 6 ? shown + ",… \(groups.count) groups" : shown)
    }

    /// The capability lines of the user facts: `cap eff`, `cap prm`, `cap bnd` and `caps in` (the user
    /// namespace they hold in).
    public static func capabilityLines(_ capabilities: Fact<CapabilitySets>) -> [FactLine] {
        guard let sets = capabilities.value else { return [FactLine("caps", of(capabilities) { _ in "" })] }
        return [
            FactLine("cap eff", sets.text(sets.effective)), FactLine("cap prm", sets.text(sets.permitted)),
            FactLine("cap bnd", sets.text(sets.bounding)),
            FactLine("caps in", "user ns " + namespaceID(sets.userNamespace)),
        ]
    }
}
