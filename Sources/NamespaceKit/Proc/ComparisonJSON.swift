/// The JSON document of `nslab inspect --json` (schema: docs/json.md).
extension JSONWriter {
    /// Writes `{"pid": .., "against": .., "kinds": [{kind, ids, same, facts}...]}`.
    public mutating func writeComparison(_ comparison: Comparison) {
        beginObject()
        key("pid")
        number(comparison.left.pid)
        key("against")
        number(comparison.right.pid)
        key("left")
        writeProcessSummary(comparison.left, comparison.leftFacts)
        key("right")
        writeProcessSummary(comparison.right, comparison.rightFacts)
        key("differs")
        beginArray()
        for kind in comparison.differingKinds { string(kind.procName) }
        endArray()
        key("kinds")
        beginArray()
        for row in comparison.kinds {
            beginObject()
            key("type")
            string(row.kind.procName)
            key("available")
            bool(row.leftID != .unavailable || row.rightID != .unavailable)
            key("left_id")
            writeID(row.leftID)
            key("right_id")
            writeID(row.rightID)
            key("same")
            if let same = row.same { bool(same) } else { null() }
            key("left_facts")
            writeFacts(row.kind, comparison.leftFacts)
            key("right_facts")
            writeFacts(row.kind, comparison.rightFacts)
            endObject()
        }
        endArray()
        endObject()
    }

    private mutating func writeProcessSummary(_ process: ProcessRecord, _ facts: ProcessFacts) {
        beginObject()
        key("pid")
        number(process.pid)
        key("comm")
        string(process.comm)
        key("command")
        string(process.commandForJSON)
        key("kernel_thread")
        bool(process.isKernelThread)
        key("pid_inside")
        if let inside = process.pidInside { number(inside) } else { null() }
        key("container")
        writeContainer(facts.container)
        // Every level, for nested PID namespaces (ps and ls carry the same array).
        key("nspid")
        numbers(process.nspid.value)
        endObject()
    }

    private mutating func writeID(_ id: Fact<UInt64>) {
        switch id {
        case .known(let value): number(value)
        case .unknown, .unavailable: null()
        }
    }

    /// Writes the typed facts of one kind: an object, `null` when unknown, `"unavailable"` when the
    /// kernel lacks the kind.
    mutating func writeFacts(_ kind: NamespaceKind, _ facts: ProcessFacts) {
        switch kind {
        case .uts:
            writeFact(facts.uts) { writer, value in
                writer.key("hostname")
                writer.string(value.hostname)
                writer.key("domainname")
                writer.string(value.domainname)
            }
        case .ipc:
            writeFact(facts.ipc) { writer, value in
                writer.key("msg_queues")
                writer.number(value.messageQueues)
                writer.key("sem_sets")
                writer.number(value.semaphoreSets)
                writer.key("shm_segments")
                writer.number(value.sharedMemorySegments)
            }
        case .pid:
            writeFact(facts.pid) { writer, value in
                writer.key("pid_inside")
                writer.number(value.pidInside)
                writer.key("process_count")
                writer.number(value.processCount)
                writer.key("levels")
                writer.beginArray()
                for pid in value.levels { writer.number(pid) }
                writer.endArray()
            }
        case .mount:
            writeFact(facts.mount) { writer, value in
                writer.key("mount_count")
                writer.number(value.mountCount)
                writer.key("proc_is_own")
                if let own = value.procIsOwn { writer.bool(own) } else { writer.null() }
                writer.key("propagation")
                writer.writePropagation(value.propagation)
            }
        case .net:
            writeFact(facts.net) { writer, value in
                writer.key("interfaces")
                writer.beginArray()
                for interface in value.interfaces {
                    writer.beginObject()
                    writer.key("name")
                    writer.string(interface.name)
                    writer.key("up")
                    if let up = interface.isUp { writer.bool(up) } else { writer.null() }
                    writer.key("addresses")
                    writer.strings(interface.addresses)
                    writer.endObject()
                }
                writer.endArray()
                writer.key("netns_names")
                writer.strings(value.netnsNames)
            }
        case .user:
            writeFact(facts.user) { writer, value in
                writer.key("uid_map")
                writer.writeIDMap(value.uidMap)
                writer.key("gid_map")
                writer.writeIDMap(value.gidMap)
                writer.key("setgroups")
                if let policy = value.setgroups.value { writer.string(policy.rawValue) } else { writer.null() }
                writer.key("owner_uid")
                if let owner = value.ownerUID { writer.number(owner) } else { writer.null() }
                writer.key("uid")
                writer.writeIDSet(value.uids)
                writer.key("gid")
                writer.writeIDSet(value.gids)
                writer.key("capabilities")
                writer.writeCapabilities(value.capabilities)
            }
        case .cgroup:
            writeFact(facts.cgroup) { writer, value in
                writer.key("host_path")
                if let path = value.hostPath.value { writer.string(path) } else { writer.null() }
                writer.key("inside_path")
                if let path = value.insidePath.value { writer.string(path) } else { writer.null() }
            }
        case .time:
            writeFact(facts.time) { writer, value in
                writer.key("monotonic_offset")
                writer.seconds(value.offsets.monotonic)
                writer.key("boottime_offset")
                writer.seconds(value.offsets.boottime)
                writer.key("uptime")
                if let uptime = value.uptimeInside { writer.decimal(uptime) } else { writer.null() }
            }
        }
    }

    private mutating func writeFact<Value>(_ fact: Fact<Value>, _ body: (inout JSONWriter, Value) -> Void) {
        switch fact {
        case .known(let value):
            beginObject()
            body(&self, value)
            endObject()
        case .unknown: null()
        case .unavailable: string("unavailable")
        }
    }

    /// Writes `{shared, slave, private, unbindable, shared_groups, master_groups}`, or null.
    mutating func writePropagation(_ counts: PropagationCounts?) {
        guard let counts else { return null() }
        beginObject()
        key("shared")
        number(counts.shared)
        key("slave")
        number(counts.slave)
        key("private")
        number(counts.private)
        key("unbindable")
        number(counts.unbindable)
        key("shared_groups")
        beginArray()
        for group in counts.sharedGroups { number(group) }
        endArray()
        key("master_groups")
        beginArray()
        for group in counts.masterGroups { number(group) }
        endArray()
        endObject()
    }

    /// Writes the three sets as names and hex masks, with the user namespace they hold in, or null.
    mutating func writeCapabilities(_ capabilities: Fact<CapabilitySets>) {
        guard let sets = capabilities.value else { return null() }
        beginObject()
        let masks = [("effective", sets.effective), ("permitted", sets.permitted), ("bounding", sets.bounding)]
        for (name, mask) in masks {
            key(name)
            strings(CapabilitySets.names(mask))
            key(name + "_hex")
            string(Self.hex16(mask))
            key(name + "_all")
            bool(mask & sets.allMask == sets.allMask)
        }
        key("user_ns")
        if let id = sets.userNamespace.value { number(id) } else { null() }
        endObject()
    }

    /// A mask as the kernel prints it in status: 16 hex digits.
    static func hex16(_ mask: UInt64) -> String {
        let digits = String(mask, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
