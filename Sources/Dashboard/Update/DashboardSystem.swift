import NamespaceKit

/// A child started for a tab: its pid, its pty master, and the process handle that kills and reaps it.
public struct StartedChild {
    /// The child's pid as nslab sees it.
    public var pid: Int32
    /// The pty master; nil for a stand-in child in tests, which has no terminal.
    public var terminalFD: FileDescriptor?
    /// The handle that signals and reaps it; nil for a stand-in.
    public var process: Child?

    /// A started child.
    public init(pid: Int32, terminalFD: FileDescriptor?, process: Child?) {
        self.pid = pid
        self.terminalFD = terminalFD
        self.process = process
    }
}

/// Starts the dashboard's children: the real launcher, or a stand-in in screen tests.
public protocol ChildLauncher {
    /// Starts `spec`'s command attached to a new pty.
    func start(_ spec: LaunchSpec) throws -> StartedChild

    /// The shell for a pane inside `target`'s namespaces: `preferred` when the target's root has it, else
    /// `/bin/sh` (see `Launcher.shell`).
    func shell(_ preferred: String, inside target: JoinTarget) throws -> ShellChoice
}

extension ChildLauncher {
    /// A stand-in's answer: the preferred shell, as it starts nothing anyway.
    public func shell(_ preferred: String, inside target: JoinTarget) throws -> ShellChoice {
        ShellChoice(path: preferred, fellBack: false, file: nil)
    }
}

/// The real launcher (NamespaceKit's C spawn core).
public struct NamespaceLauncher: ChildLauncher {
    /// The launcher.
    public init() {}

    /// Launches `spec` and hands over its pty master.
    public func start(_ spec: LaunchSpec) throws -> StartedChild {
        let child = try Launcher.launch(spec)
        return StartedChild(pid: child.pid, terminalFD: child.terminalFD, process: child)
    }

    /// Looks for `preferred` in the target's root (see `Launcher.shell`).
    public func shell(_ preferred: String, inside target: JoinTarget) throws -> ShellChoice {
        try Launcher.shell(preferred, inside: target)
    }
}

/// Everything outside the model that the update step reads or starts: /proc through one `ProcScanner` (the
/// kernel's, or a fixture tree with its inside reader), children through a `ChildLauncher`, user names. The
/// live dashboard gets `live(shell:scrollback:)`; tests build one over a fixture.
public final class DashboardSystem {
    /// The proc tree's scanner; nil when /proc cannot be opened (the panels then stay empty).
    let scanner: ProcScanner?
    /// The process whose namespaces are "the host": nslab itself on the live system.
    public let hostPID: Int32
    /// Starts children.
    let launcher: any ChildLauncher
    /// The shell each child runs.
    public let shell: String
    /// Lines of scrollback per pane.
    public let scrollback: Int
    /// The environment children start from (the pane's TERM and size are set on top).
    let environment: [String]
    /// Scans on a thread of their own, on the live system; nil in tests (and when no thread can be had), where
    /// a refresh scans in the update step itself.
    let backgroundScan: BackgroundScan?
    private let users = UserNames()
    /// The panes' shells' wrapper start-up files, written at the first launch; nil when they cannot be.
    private(set) lazy var shellStartupFiles: ShellStartupFiles? = ShellStartupFiles.create()

    /// Removes the wrapper start-up files: the dashboard is ending and its shells are gone.
    func removeShellStartupFiles() {
        shellStartupFiles?.remove()
    }
    /// Whether the dashboard asks the doctor about this machine (the live dashboard) or not (fixture tests, where the
    /// machine running them is not the one on screen).
    let probesKinds: Bool
    /// How the doctor's verdicts are worked out when `probesKinds`: the probe gets 1.5 s (it takes milliseconds on
    /// a sound machine).
    var doctorWork: () -> [KindVerdict] = { Doctor.examine(countInUse: false, probeTimeoutMilliseconds: 1_500).kinds }

    /// A system over `scanner`, comparing with `hostPID`, starting children with `launcher`.
    public init(
        scanner: ProcScanner?, hostPID: Int32, launcher: any ChildLauncher, shell: String, scrollback: Int,
        environment: [String] = SystemCall.environment(), scansInBackground: Bool = false, probesKinds: Bool = false
    ) {
        self.probesKinds = probesKinds
        self.scanner = scanner
        self.hostPID = hostPID
        self.launcher = launcher
        self.shell = shell
        self.scrollback = scrollback
        self.environment = environment
        backgroundScan = scansInBackground && scanner != nil ? BackgroundScan(root: scanner!.root, host: hostPID) : nil
    }

    /// The fd the event loop polls for finished background scans (`DashboardEvent.scanFinished`); nil when
    /// scans run in the update step.
    public var scanWakeFD: FileDescriptor? { backgroundScan?.wakeFD }

    /// The real system: the kernel's /proc, nslab itself as the host, the C launcher. The dashboard scans
    /// `inBackground`; tests that drive the update step by hand scan in it.
    public static func live(shell: String, scrollback: Int, inBackground: Bool = false) -> DashboardSystem {
        DashboardSystem(
            scanner: try? ProcScanner(), hostPID: SystemCall.processID, launcher: NamespaceLauncher(), shell: shell,
            scrollback: scrollback, scansInBackground: inBackground, probesKinds: true)
    }

    /// The login name of `uid` (cached), or its number.
    func userName(_ uid: UInt32) -> String { users.name(uid) }

    /// Re-reads the tree; `watched` pids are re-read completely (a namespace change without an exec shows).
    func scan(watching watched: Set<Int32>) -> Snapshot? {
        guard let scanner else { return nil }
        scanner.watchedPids = watched
        return scanner.refresh(relations: false)
    }

    /// `pid` compared with the host in `snapshot`, facts read live; nil when either is gone.
    func compareWithHost(_ pid: Int32, in snapshot: Snapshot) -> Comparison? {
        guard let scanner, let left = snapshot.process(pid) ?? scanner.readProcess(pid),
            let host = snapshot.process(hostPID) ?? scanner.readProcess(hostPID)
        else { return nil }
        let hostFacts = cachedHostFacts ?? scanner.readFacts(of: hostPID, in: snapshot)
        cachedHostFacts = hostFacts
        return Comparison(
            left: left, right: host, leftFacts: scanner.readFacts(of: pid, in: snapshot), rightFacts: hostFacts)
    }

    /// The host's facts as last read: kept between scans, so moving through the tree (each key compares
    /// another process with the host) reads one process's facts, not two. A new scan forgets them.
    private var cachedHostFacts: ProcessFacts?

    /// A scan came in: the host's facts are read again at the next comparison.
    func forgetHostFacts() { cachedHostFacts = nil }

    /// `pid` compared with `other` (a child's parent child, say) in `snapshot`; nil when either is gone.
    func compare(_ pid: Int32, with other: Int32, in snapshot: Snapshot) -> Comparison? {
        if other == hostPID { return compareWithHost(pid, in: snapshot) }
        return try? scanner?.compare(pid, with: other, in: snapshot)
    }

    /// `pid`'s own maps and the host's, as read from inside `pid`'s user namespace; nil when it cannot be joined.
    func mapsReadInside(_ pid: Int32) -> [MapReading]? {
        scanner?.maps(readInUserNamespaceOf: pid, subjects: [pid, hostPID])
    }

    /// The kinds this kernel lacks, with the reason, as the scan found them.
    func unavailableKinds(in snapshot: Snapshot?) -> [NamespaceKind: String] {
        var result: [NamespaceKind: String] = [:]
        for kind in snapshot?.unavailableKinds ?? [] { result[kind] = "this kernel has no \(kind.title) namespaces" }
        return result
    }

    /// One word for the rule that stops a kind, short enough for the Namespaces panel's row.
    static func oneWord(_ rule: DoctorRule) -> String {
        switch rule {
        case .seccompFilter: "seccomp"
        case .missingCapSysAdmin: "capability"
        case .namespaceLimit: "limit"
        case .depthLimit: "depth"
        case .unprivilegedUsernsDisabled: "sysctl"
        case .apparmorRestriction: "apparmor"
        case .kernelTooOld, .kernelLacksKind: "kernel"
        case .chrooted: "chroot"
        case .unmappedID, .mapRefused: "unmapped"
        default: "refused"
        }
    }
}
