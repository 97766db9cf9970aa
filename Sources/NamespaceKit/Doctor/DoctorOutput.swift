import Glibc

/// The deepest level of user namespace the kernel lets a process create (kernel/user_namespace.c refuses a new one
/// below a parent of level 32: `parent_ns->level > 32`, hence 33 with the initial namespace at 0).
let deepestUserNamespaceLevel = 33

extension ProbeResult {
    /// This process's user namespace level (0 is the initial one), from how many more the probe could nest:
    /// known only when the kernel's depth limit (EUSERS) stopped the count.
    /// The depth limit gives ENOSPC since Linux 4.9 (EUSERS before); a per-user limit of an enclosing namespace
    /// gives ENOSPC too, which would make this level read deeper than it is.
    public var userNamespaceLevel: Int? {
        let limits: Set<Errno> = [.tooManyUsers, .noSpace]
        if let error = directError(.user) {
            // No new one at all: this one is as deep as the kernel lets a process go.
            return limits.contains(error) ? deepestUserNamespaceLevel : nil
        }
        guard mapWrite == nil, let stop = levelsStop, limits.contains(stop) else { return nil }
        return deepestUserNamespaceLevel - 1 - moreLevels
    }
}

extension Errno {
    /// The symbolic name (`EPERM`), as the kernel's headers spell it, for the errors namespace calls give.
    public var name: String {
        switch rawValue {
        case EPERM: "EPERM"
        case EACCES: "EACCES"
        case ENOSPC: "ENOSPC"
        case EUSERS: "EUSERS"
        case EINVAL: "EINVAL"
        case ENOSYS: "ENOSYS"
        case ENOMEM: "ENOMEM"
        case ENOENT: "ENOENT"
        case EROFS: "EROFS"
        case EIO: "EIO"
        case ENXIO: "ENXIO"
        default: "E\(rawValue)"
        }
    }
}

extension DoctorReport {
    /// The report as text: one line per kind, then the notes, then the facts behind them.
    public var text: String {
        var lines: [String] = []
        if let error = probeError { lines.append("the probe child could not run (\(error)): every kind is unknown") }
        for verdict in kinds {
            let label = (verdict.kind.title + ":").padding(8)
            switch verdict.availability {
            case .yes:
                lines.append("\(label) yes")
            case .insideUserNamespace:
                let why = verdict.direct.map { " (\($0.summary))" } ?? ""
                lines.append("\(label) only inside a new user namespace (--user)\(why)")
            case .no:
                let main = verdict.main
                lines.append("\(label) no: " + (main.map { "\($0.summary) [\($0.rule.rawValue)]" } ?? "?"))
                if let main { lines.append("          fix: \(main.fix)") }
                if let other = [verdict.direct, verdict.insideNewUser].compactMap({ $0 }).first(where: {
                    $0.rule != main?.rule
                }) {
                    lines.append("          also: \(other.summary) [\(other.rule.rawValue)]")
                }
            case .unknown:
                lines.append("\(label) ?")
            }
            if verdict.kind == .user, verdict.availability == .yes, let nested = verdict.insideNewUser {
                lines.append("          but no user namespace can be nested inside it: \(nested.summary)")
            }
        }
        if !notes.isEmpty {
            lines.append("")
            for note in notes {
                lines.append("note: \(note.summary) [\(note.rule.rawValue)]")
                lines.append("      fix: \(note.fix)")
            }
        }
        lines.append("")
        lines += environmentLines
        return lines.joined(separator: "\n") + "\n"
    }

    private var environmentLines: [String] {
        let facts = environment
        func show<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "?" }
        func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "?" }
        func sysctl(_ value: DoctorEnvironment.SysctlValue) -> String {
            switch value {
            case .value(let number): "\(number)"
            case .absent: "not in this kernel"
            case .unreadable: "?"
            }
        }
        func capabilities(_ mask: UInt64?) -> String {
            mask.map {
                CapabilitySets(effective: $0, permitted: $0, bounding: $0, lastCapability: lastCapability).text($0)
            }
                ?? "?"
        }
        var lines: [String] = []
        let container =
            facts.containerEngine.map { "\($0) (" + facts.containerEvidence.joined(separator: ", ") + ")" }
            ?? "none seen"
        lines.append("container:        \(container)")
        let filtered = probe.map { $0.filter == nil ? "unshare not filtered" : "unshare filtered (\($0.filter!))" }
        lines.append(
            "seccomp:          mode \(show(facts.seccompMode)), \(show(facts.seccompFilters)) filters"
                + (filtered.map { ", " + $0 } ?? ""))
        lines.append("capabilities:     effective \(capabilities(facts.effectiveCapabilities))")
        lines.append("                  bounding \(capabilities(facts.boundingCapabilities))")
        lines.append("no_new_privs:     \(yesNo(facts.noNewPrivs))")
        lines.append(
            "ids:              uid \(facts.euid), gid \(facts.egid), mapped here: \(yesNo(facts.idsMapped)), "
                + "chrooted: \(yesNo(facts.chrooted))")
        let limits = NamespaceKind.allCases.map { kind in
            "\(kind.limitName) \(show(facts.limits[kind]))" + (facts.inUse[kind].map { " (\($0)+ in use)" } ?? "")
        }
        lines.append("user.max_*:       " + limits.joined(separator: ", "))
        lines.append("unprivileged_userns_clone: \(sysctl(facts.unprivilegedUsernsClone))")
        lines.append("apparmor_restrict_unprivileged_userns: \(sysctl(facts.apparmorRestrictUserns))")
        let depth =
            probe.flatMap { probe in
                probe.userNamespaceLevel.map {
                    "level \($0) (0 is the initial one; the kernel allows \(deepestUserNamespaceLevel))"
                }
                    ?? "? (\(probe.moreLevels + 1) more could be created before \(show(probe.levelsStop)))"
            } ?? "?"
        lines.append("user ns depth:    \(depth)")
        func ranges(_ list: [SubordinateRange]?) -> String {
            guard let list else { return "?" }
            return list.isEmpty ? "none" : list.map { "\($0.start)+\($0.count)" }.joined(separator: ", ")
        }
        lines.append(
            "subuid/subgid:    \(ranges(facts.subuidRanges)) / \(ranges(facts.subgidRanges)); newuidmap "
                + "\(facts.newuidmap ?? "not found"), newgidmap \(facts.newgidmap ?? "not found")")
        lines.append(
            "kernel:           \(show(facts.kernelRelease)); time namespaces (5.6): \(yesNo(facts.kernelHasTime))")
        lines.append(
            "cgroup:           \(facts.cgroupVersion ?? "?"); child cgroup in \(facts.cgroupDirectory ?? "?"): "
                + "\(yesNo(facts.cgroupWritable))")
        lines.append(
            "/proc:            hidepid=\(facts.procHidepid ?? "0"), subset=\(facts.procSubset ?? "none")")
        lines.append(
            "ptys:             "
                + (facts.ptyError.map { "cannot open /dev/ptmx (\($0))" } ?? "a pty opens")
                + ", \(show(facts.ptyInUse)) in use of kernel.pty.max \(show(facts.ptyMax))"
                + (facts.devptsMax.map { ", /dev/pts max=\($0)" } ?? ""))
        lines.append(
            "terminal:         TERM=\(facts.term ?? "(unset)") "
                + (facts.terminfoPath.map { "(\($0), \(show(facts.colours)) colours)" } ?? "(not in terminfo)")
                + ", locale \(facts.localeVariable ?? "(unset)") UTF-8: \(yesNo(facts.localeIsUTF8))")
        return lines
    }

    private var lastCapability: Int {
        DoctorEnvironment.sysctl("/proc/sys/kernel/cap_last_cap").number ?? 40
    }

    /// The report as JSON (docs/json.md, "nslab doctor --json").
    public var json: JSONWriter {
        var writer = JSONWriter(capacity: 8 * 1024)
        writer.beginObject()
        writer.key("kinds")
        writer.beginArray()
        for verdict in kinds {
            writer.beginObject()
            writer.key("kind")
            writer.string(verdict.kind.rawValue)
            writer.key("can_create")
            if verdict.availability == .unknown { writer.null() } else { writer.string(verdict.availability.rawValue) }
            let main = verdict.main
            writer.key("rule")
            writer.optionalString(main?.rule.rawValue)
            writer.key("reason")
            writer.optionalString(main?.summary)
            writer.key("fix")
            writer.optionalString(main?.fix)
            writer.key("errno")
            writer.optionalString(
                probe.flatMap { probe in
                    verdict.availability == .insideUserNamespace
                        ? probe.directError(verdict.kind)?.name
                        : (probe.directError(verdict.kind) ?? probe.nestedError(verdict.kind))?.name
                })
            writer.key("direct")
            writer.finding(verdict.direct)
            writer.key("inside_new_user_namespace")
            writer.finding(verdict.insideNewUser)
            writer.endObject()
        }
        writer.endArray()
        writer.key("notes")
        writer.beginArray()
        for note in notes { writer.finding(note) }
        writer.endArray()
        writer.key("probe_error")
        writer.optionalString(probeError?.name)
        writer.key("environment")
        writeEnvironment(&writer)
        writer.endObject()
        return writer
    }

    private func writeEnvironment(_ writer: inout JSONWriter) {
        let facts = environment
        writer.beginObject()
        writer.key("container")
        writer.beginObject()
        writer.key("engine")
        writer.optionalString(facts.containerEngine)
        writer.key("evidence")
        writer.strings(facts.containerEvidence)
        writer.endObject()
        writer.key("seccomp")
        writer.beginObject()
        writer.key("mode")
        writer.optionalNumber(facts.seccompMode)
        writer.key("filters")
        writer.optionalNumber(facts.seccompFilters)
        writer.key("unshare_filtered")
        if let probe { writer.bool(probe.filter != nil) } else { writer.null() }
        writer.endObject()
        writer.key("capabilities")
        writer.beginObject()
        writer.key("effective")
        writer.strings(facts.effectiveCapabilities.map { CapabilitySets.names($0) })
        writer.key("bounding")
        writer.strings(facts.boundingCapabilities.map { CapabilitySets.names($0) })
        writer.key("cap_sys_admin")
        writer.optionalBool(facts.hasSysAdmin)
        writer.endObject()
        writer.key("no_new_privs")
        writer.optionalBool(facts.noNewPrivs)
        writer.key("uid")
        writer.number(facts.euid)
        writer.key("gid")
        writer.number(facts.egid)
        writer.key("ids_mapped")
        writer.optionalBool(facts.idsMapped)
        writer.key("chrooted")
        writer.optionalBool(facts.chrooted)
        writer.key("limits")
        writer.beginObject()
        for kind in NamespaceKind.allCases {
            writer.key(kind.rawValue)
            writer.beginObject()
            writer.key("sysctl")
            writer.string("user.max_\(kind.limitName)_namespaces")
            writer.key("max")
            writer.optionalNumber(facts.limits[kind])
            writer.key("in_use_at_least")
            writer.optionalNumber(facts.inUse.isEmpty ? nil : facts.inUse[kind] ?? 0)
            writer.endObject()
        }
        writer.endObject()
        writer.key("unprivileged_userns_clone")
        writer.sysctl(facts.unprivilegedUsernsClone)
        writer.key("apparmor_restrict_unprivileged_userns")
        writer.sysctl(facts.apparmorRestrictUserns)
        writer.key("user_namespace")
        writer.beginObject()
        writer.key("level")
        writer.optionalNumber(probe?.userNamespaceLevel)
        writer.key("deepest_level")
        writer.number(deepestUserNamespaceLevel)
        writer.key("more_levels")
        writer.optionalNumber(probe.map { $0.directError(.user) == nil && $0.mapWrite == nil ? $0.moreLevels + 1 : 0 })
        writer.key("stopped_by")
        writer.optionalString(probe.flatMap { ($0.directError(.user) ?? $0.mapWrite ?? $0.levelsStop)?.name })
        writer.endObject()
        writer.key("subuid")
        writer.ranges(facts.subuidRanges)
        writer.key("subgid")
        writer.ranges(facts.subgidRanges)
        writer.key("newuidmap")
        writer.optionalString(facts.newuidmap)
        writer.key("newgidmap")
        writer.optionalString(facts.newgidmap)
        writer.key("kernel")
        writer.beginObject()
        writer.key("release")
        writer.optionalString(facts.kernelRelease)
        writer.key("time_namespaces")
        writer.optionalBool(facts.kernelHasTime)
        writer.endObject()
        writer.key("cgroup")
        writer.beginObject()
        writer.key("version")
        writer.optionalString(facts.cgroupVersion)
        writer.key("directory")
        writer.optionalString(facts.cgroupDirectory)
        writer.key("can_create_child")
        writer.optionalBool(facts.cgroupWritable)
        writer.endObject()
        writer.key("proc")
        writer.beginObject()
        writer.key("hidepid")
        writer.optionalString(facts.procHidepid)
        writer.key("subset")
        writer.optionalString(facts.procSubset)
        writer.endObject()
        writer.key("pty")
        writer.beginObject()
        writer.key("can_open")
        writer.bool(facts.ptyError == nil)
        writer.key("error")
        writer.optionalString(facts.ptyError?.name)
        writer.key("max")
        writer.optionalNumber(facts.ptyMax)
        writer.key("in_use")
        writer.optionalNumber(facts.ptyInUse)
        writer.key("devpts_max")
        writer.optionalNumber(facts.devptsMax)
        writer.endObject()
        writer.key("terminal")
        writer.beginObject()
        writer.key("term")
        writer.optionalString(facts.term)
        writer.key("terminfo")
        writer.optionalString(facts.terminfoPath)
        writer.key("colours")
        writer.optionalNumber(facts.colours)
        writer.key("locale")
        writer.optionalString(facts.localeVariable)
        writer.key("utf8")
        writer.optionalBool(facts.localeIsUTF8)
        writer.endObject()
        writer.endObject()
    }
}

extension JSONWriter {
    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func optionalNumber<Integer: BinaryInteger>(_ value: Integer?) {
        if let value { number(value) } else { null() }
    }

    mutating func optionalBool(_ value: Bool?) {
        if let value { bool(value) } else { null() }
    }

    mutating func finding(_ finding: DoctorFinding?) {
        guard let finding else { return null() }
        beginObject()
        key("rule")
        string(finding.rule.rawValue)
        key("reason")
        string(finding.summary)
        key("fix")
        string(finding.fix)
        endObject()
    }

    mutating func sysctl(_ value: DoctorEnvironment.SysctlValue) {
        beginObject()
        key("present")
        switch value {
        case .value(let found):
            bool(true)
            key("value")
            number(found)
        case .absent:
            bool(false)
            key("value")
            null()
        case .unreadable:
            null()
            key("value")
            null()
        }
        endObject()
    }

    mutating func ranges(_ list: [SubordinateRange]?) {
        guard let list else { return null() }
        beginArray()
        for range in list {
            beginObject()
            key("start")
            number(range.start)
            key("count")
            number(range.count)
            endObject()
        }
        endArray()
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
