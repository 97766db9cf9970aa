import CNamespaces
import Glibc

extension DoctorEnvironment {
    /// Reads every fact from the live system. `full` false reads only what the launch-error rules need
    /// (status, sysctls, the kernel version, chroot, the container), which is cheap enough for a failed launch.
    public static func read(full: Bool = true) -> DoctorEnvironment {
        var environment = DoctorEnvironment()
        environment.readStatus()
        environment.readNamespaceSysctls()
        environment.readKernel()
        environment.readIDMaps()
        environment.readChroot()
        // The container decides how the seccomp rule's fix is worded, in the doctor and in launch errors alike.
        environment.readContainer()
        guard full else { return environment }
        environment.readSubordinateIDs()
        environment.readCgroup()
        environment.readMounts()
        environment.readPty()
        environment.readTerminal()
        return environment
    }

    /// A small text file, nil when unreadable.
    static func text(_ path: String, limit: Int = 64 * 1024) -> String? {
        guard case .success(let bytes) = SystemCall.readRegularFile(path, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A sysctl file: a number, absent (ENOENT), or unreadable.
    static func sysctl(_ path: String) -> SysctlValue {
        switch SystemCall.readRegularFile(path, limit: 4096) {
        case .success(let bytes):
            let word = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).first
            return word.flatMap { Int($0) }.map(SysctlValue.value) ?? .unreadable
        case .failure(.system(let error)) where error == .noSuchFile: return .absent
        case .failure: return .unreadable
        }
    }

    /// The value after `name:` in a `Key:\tvalue` file such as /proc/self/status.
    static func field(_ name: String, in text: String) -> Substring? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).drop(while: { $0 == " " || $0 == "\t" })
        }
        return nil
    }

    mutating func readStatus() {
        guard let status = Self.text("/proc/self/status") else { return }
        seccompMode = Self.field("Seccomp", in: status).flatMap { Int($0) }
        seccompFilters = Self.field("Seccomp_filters", in: status).flatMap { Int($0) }
        effectiveCapabilities = Self.field("CapEff", in: status).flatMap { UInt64($0, radix: 16) }
        boundingCapabilities = Self.field("CapBnd", in: status).flatMap { UInt64($0, radix: 16) }
        noNewPrivs = Self.field("NoNewPrivs", in: status).map { $0 == "1" }
    }

    mutating func readNamespaceSysctls() {
        for kind in NamespaceKind.allCases {
            if let value = Self.sysctl("/proc/sys/user/max_\(kind.limitName)_namespaces").number {
                limits[kind] = value
            }
        }
        unprivilegedUsernsClone = Self.sysctl("/proc/sys/kernel/unprivileged_userns_clone")
        apparmorRestrictUserns = Self.sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
    }

    mutating func readKernel() {
        var names = utsname()
        guard uname(&names) == 0 else { return }
        let release = withUnsafeBytes(of: names.release) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        kernelRelease = release
        kernelVersion = KernelVersion(release: release)
    }

    /// Whether the effective ids appear in the inside column of this user namespace's maps.
    mutating func readIDMaps() {
        guard let uids = Self.text("/proc/self/uid_map"), let gids = Self.text("/proc/self/gid_map") else { return }
        func maps(_ id: UInt32, _ text: String) -> Bool {
            text.split(separator: "\n").contains { line in
                let numbers = line.split(whereSeparator: \.isWhitespace).compactMap { UInt64($0) }
                return numbers.count == 3 && UInt64(id) >= numbers[0] && UInt64(id) < numbers[0] + numbers[2]
            }
        }
        idsMapped = maps(euid, uids) && maps(egid, gids)
    }

    /// A process whose root differs from pid 1's is chrooted; unknown when pid 1's root cannot be read.
    mutating func readChroot() {
        var mine = stat()
        var first = stat()
        guard stat("/", &mine) == 0, stat("/proc/1/root/", &first) == 0 else { return }
        chrooted = mine.st_dev != first.st_dev || mine.st_ino != first.st_ino
    }

    mutating func readContainer() {
        var engine: String?
        if let cgroup = Self.text("/proc/self/cgroup") {
            let entries: [CgroupEntry] = Array(cgroup.utf8).withUnsafeBufferPointer { SmallFileParsers.cgroup($0) }
            if let label = ContainerLabels.parse(entries) {
                engine = label.engine.rawValue
                containerEvidence.append("cgroup \(label.text)")
            }
        }
        if access("/.dockerenv", F_OK) == 0 {
            engine = engine ?? ContainerEngine.docker.rawValue
            containerEvidence.append("/.dockerenv")
        }
        if access("/run/.containerenv", F_OK) == 0 {
            engine = engine ?? ContainerEngine.podman.rawValue
            containerEvidence.append("/run/.containerenv")
        }
        // systemd-nspawn, LXC and Podman tell pid 1 which container it is in (systemd's `container=`).
        if case .success(let bytes) = SystemCall.readRegularFile("/proc/1/environ", limit: 1 << 20) {
            for entry in bytes.split(separator: 0) where entry.starts(with: Array("container=".utf8)) {
                let value = String(decoding: entry.dropFirst(10), as: UTF8.self)
                engine = engine ?? value
                containerEvidence.append("pid 1 container=\(value)")
            }
        }
        containerEngine = engine
    }

    mutating func readSubordinateIDs() {
        let name = UserNames.passwdName(euid)  // not getpwuid: NSS modules crash a static binary (UserNames)
        func ranges(_ path: String) -> [SubordinateRange]? {
            guard let text = Self.text(path) else { return access(path, F_OK) == 0 ? nil : [] }
            return text.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: ":", omittingEmptySubsequences: false)
                guard fields.count == 3, fields[0] == name ?? "" || fields[0] == String(euid),
                    let start = UInt64(fields[1]), let count = UInt64(fields[2])
                else { return nil }
                return SubordinateRange(start: start, count: count)
            }
        }
        subuidRanges = ranges("/etc/subuid")
        subgidRanges = ranges("/etc/subgid")
        newuidmap = Self.executable("newuidmap")
        newgidmap = Self.executable("newgidmap")
    }

    /// The first executable `name` on PATH, then in /usr/bin.
    static func executable(_ name: String) -> String? {
        let path = SystemCall.environmentValue("PATH") ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    mutating func readCgroup() {
        guard let mountinfo = Self.text("/proc/self/mountinfo", limit: 4 << 20) else { return }
        var v1: [String: String] = [:]  // controller list -> mount point
        var v2: String?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count, fields.count > 4 else { continue }
            let type = fields[dash + 1]
            let point = String(fields[4])
            if type == "cgroup2" {
                v2 = v2 ?? point
            } else if type == "cgroup", dash + 3 < fields.count {
                v1[String(fields[dash + 3])] = point
            }
        }
        switch (v1.isEmpty, v2) {
        case (true, nil): cgroupVersion = nil
        case (true, _): cgroupVersion = "v2"
        case (false, nil): cgroupVersion = "v1"
        case (false, _): cgroupVersion = "hybrid"
        }
        // The checked directory: the unified hierarchy's own cgroup, else the pids (or first) v1 hierarchy's.
        guard let lines = Self.text("/proc/self/cgroup") else { return }
        let entries = Array(lines.utf8).withUnsafeBufferPointer { SmallFileParsers.cgroup($0) }
        var directory: String?
        if cgroupVersion == "v2", let point = v2, let own = entries.first(where: { $0.hierarchy == 0 }) {
            directory = point + own.path
        } else if let hierarchy = v1.first(where: { $0.key.split(separator: ",").contains("pids") })
            ?? v1.sorted(by: { $0.key < $1.key }).first
        {
            let point = hierarchy.value
            let controllers = hierarchy.key.split(separator: ",").filter { $0 != "rw" && $0 != "ro" }
            if let own = entries.first(where: { entry in
                entry.hierarchy != 0 && controllers.contains { entry.controllers.split(separator: ",").contains($0) }
            }) {
                directory = point + own.path
            }
        }
        guard let directory else { return }
        cgroupDirectory = directory
        // access() answers for this user's credentials and a read-only mount alike, and creates nothing.
        cgroupWritable = access(directory, W_OK) == 0
    }

    mutating func readMounts() {
        guard let mountinfo = Self.text("/proc/self/mountinfo", limit: 4 << 20) else { return }
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 3 < fields.count, fields.count > 4 else { continue }
            let options = fields[dash + 3].split(separator: ",")
            func option(_ name: String) -> String? {
                options.first(where: { $0.hasPrefix(name + "=") }).map { String($0.dropFirst(name.count + 1)) }
            }
            if fields[4] == "/proc", fields[dash + 1] == "proc" {
                procHidepid = option("hidepid")
                procSubset = option("subset")
            }
            if fields[4] == "/dev/pts", fields[dash + 1] == "devpts" {
                devptsMax = option("max").flatMap { Int($0) }
            }
        }
    }

    mutating func readPty() {
        ptyMax = Self.sysctl("/proc/sys/kernel/pty/max").number
        ptyInUse = Self.sysctl("/proc/sys/kernel/pty/nr").number
        let error = nsl_doctor_try_pty()
        ptyError = error == 0 ? nil : Errno(error)
    }

    mutating func readTerminal() {
        term = SystemCall.environmentValue("TERM").flatMap { $0.isEmpty ? nil : $0 }
        if let term {
            terminfoPath = Self.terminfoFile(term)
            colours = terminfoPath.flatMap(Self.terminfoColours)
        }
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let value = SystemCall.environmentValue(name), !value.isEmpty {
                localeVariable = "\(name)=\(value)"
                let lower = value.lowercased()
                localeIsUTF8 = lower.contains("utf-8") || lower.contains("utf8")
                return
            }
        }
        // No variable set: the C locale, which is ASCII.
        localeIsUTF8 = false
    }

    /// The compiled terminfo entry ncurses would load for `term` (terminfo(5)'s search order).
    static func terminfoFile(_ term: String) -> String? {
        guard !term.contains("/"), let first = term.unicodeScalars.first else { return nil }
        var directories: [String] = []
        if let own = SystemCall.environmentValue("TERMINFO") { directories.append(own) }
        if let home = SystemCall.environmentValue("HOME") { directories.append(home + "/.terminfo") }
        if let list = SystemCall.environmentValue("TERMINFO_DIRS") {
            directories += list.split(separator: ":").map(String.init)
        }
        directories += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]
        let letter = String(first)
        let hex = String(first.value, radix: 16)
        for directory in directories {
            for sub in [letter, hex] where access(directory + "/" + sub + "/" + term, R_OK) == 0 {
                return directory + "/" + sub + "/" + term
            }
        }
        return nil
    }

    /// The `colors` number of a compiled terminfo file (term(5): the legacy and the 32-bit formats).
    static func terminfoColours(_ path: String) -> Int? {
        guard case .success(let bytes) = SystemCall.readRegularFile(path, limit: 1 << 20), bytes.count >= 12 else {
            return nil
        }
        func short(_ at: Int) -> Int { Int(Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)) }
        let magic = short(0)
        let width = magic == 0o1036 ? 4 : magic == 0o432 ? 2 : 0
        guard width > 0 else { return nil }
        let namesSize = short(2)
        let booleans = short(4)
        let numbers = short(6)
        let colorsIndex = 13  // term(5): `colors` is the 14th numeric capability
        guard numbers > colorsIndex else { return nil }
        var offset = 12 + namesSize + booleans
        if offset % 2 == 1 { offset += 1 }  // numbers start on an even byte
        let at = offset + colorsIndex * width
        guard at + width <= bytes.count else { return nil }
        let value: Int
        if width == 4 {
            value = Int(
                Int32(
                    bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
                        | UInt32(bytes[at + 3]) << 24))
        } else {
            value = short(at)
        }
        return value < 0 ? nil : value
    }
}
