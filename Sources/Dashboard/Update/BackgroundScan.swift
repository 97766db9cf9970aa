import Glibc
import NamespaceKit
import Synchronization

/// What one scan is asked to do: which pids to re-read completely, which are the dashboard's children.
struct ScanRequest: Sendable, Equatable {
    /// Pids re-read completely (the running children, the compared process).
    var watched: Set<Int32>
    /// The running children, marked in the tree.
    var children: Set<Int32>
    /// The network map's reading, while the map is open.
    var network: NetworkReadRequest? = nil
    /// Whether to build the tree's rows: not while the map covers the tree (the update step asks for a scan as
    /// the map closes, so the tree is never shown older than a scan).
    var wantsRows = true

    /// Reads the network as `request` asks, from `snapshot` (on the scan thread, or the update step's in tests).
    static func readNetwork(_ request: NetworkReadRequest, of snapshot: Snapshot) -> NetworkMap {
        var reader = NetworkMapReader()
        reader.readsNeighbours = request.neighboursOf != nil
        // A partial reading is for what a box shows that changes (counters, state, addresses); the lines, titles
        // and routes come from full ones (and the detail's reading has its routes).
        let full = request.only == nil
        reader.readsPeers = full
        reader.readsRoutes = full || request.neighboursOf != nil
        return reader.read(snapshot, containers: full ? ContainerDirectory(for: snapshot.root) : nil, only: request.only)
    }
}

/// What one scan found: the snapshot and the tree rows built from it, for the update step to take.
struct ScanResult: Sendable {
    /// The request it answers (a result for children that changed since is still good: the next one follows).
    var request: ScanRequest
    /// The snapshot.
    var snapshot: Snapshot
    /// The process tree's rows; nil when not asked for (`ScanRequest.wantsRows`).
    var rows: [ProcessRow]?
    /// The network map's reading, when one was asked for.
    var network: NetworkMap? = nil
    /// The reading holds every namespace (asked for, or made so because namespaces came or went).
    var networkFull = false
}

/// Scans /proc on a thread of its own, so a refresh at 20,000 processes (hundreds of milliseconds of reading)
/// never holds up keys or a child's output: the event loop asks for a scan and goes on; when the scan is done,
/// a byte on `wakeFD` (which the loop polls) says so, and the update step takes the result and changes the
/// model. The worker never touches the model; it owns its own scanner and user-name cache (neither is
/// thread-safe), and the update step keeps another scanner for the comparison's live reads.
final class BackgroundScan: Sendable {
    /// Readable when a result waits (the loop polls it; `take()` drains it).
    let wakeFD: FileDescriptor
    private let wakeWrite: FileDescriptor
    private let requestRead: FileDescriptor
    private let requestWrite: FileDescriptor
    private let state = Mutex<State>(State())

    private struct State {
        /// The next request, when one waits for the worker.
        var pending: ScanRequest?
        /// True while the worker scans.
        var busy = false
        /// The newest result not taken yet.
        var result: ScanResult?
        /// Set on deinit: the worker leaves.
        var stopping = false
    }

    /// Starts the worker over a scanner of `root`, comparing with `host`; nil when no thread or pipe can be had
    /// (the update step then scans on its own thread, as before).
    init?(root: ProcRoot, host: Int32) {
        // Close-on-exec (as SystemCall.pipe makes them): a launched child must not inherit them.
        guard case .success(let wake) = SystemCall.pipe() else { return nil }
        guard case .success(let request) = SystemCall.pipe() else {
            wake.read.close()
            wake.write.close()
            return nil
        }
        // The wake pipe never blocks: the loop drains it to empty, and a full pipe already holds the byte that
        // matters.
        SystemCall.setNonBlocking(wake.read)
        SystemCall.setNonBlocking(wake.write)
        wakeFD = wake.read
        wakeWrite = wake.write
        requestRead = request.read
        requestWrite = request.write
        let worker = Worker(scan: self, root: root, host: host)
        let context = Unmanaged.passRetained(worker).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        guard started == 0 else {
            Unmanaged<Worker>.fromOpaque(context).release()
            for fd in [wakeFD, wakeWrite, requestRead, requestWrite] { fd.close() }
            return nil
        }
        pthread_detach(thread)
    }

    /// Asks for a scan; a request made while the worker is busy replaces any earlier waiting one (the worker
    /// does the newest once it is done), so requests never pile up behind a slow scan.
    func request(_ request: ScanRequest) {
        let wakeWorker = state.withLock { state -> Bool in
            guard !state.stopping else { return false }  // its request pipe is closed (and its number maybe reused)
            let idle = !state.busy && state.pending == nil
            state.pending = request
            return idle
        }
        if wakeWorker { _ = SystemCall.writeAll(requestWrite, [1]) }
    }

    /// The newest finished scan, if any; drains the wake-up byte(s).
    func take() -> ScanResult? {
        var bytes = [UInt8](repeating: 0, count: 64)
        while case .success(let count) = bytes.withUnsafeMutableBytes({ SystemCall.read(wakeFD, into: $0) }),
            count > 0
        {}
        return state.withLock { state in
            defer { state.result = nil }
            return state.result
        }
    }

    /// Waits (up to `seconds`) for the scan asked for to finish, and takes it: for the first frame, which should
    /// show the tree, while only the worker's scanner keeps a cache of every process.
    func waitForResult(seconds: Double) -> ScanResult? {
        _ = SystemCall.waitReadable(wakeFD, milliseconds: Int32(seconds * 1000))
        return take()
    }

    /// True while a scan runs or waits.
    var isScanning: Bool { state.withLock { $0.busy || $0.pending != nil } }

    /// Stops the worker (it leaves after the scan it is in, if any).
    func stop() {
        state.withLock { $0.stopping = true }
        requestWrite.close()  // the worker's read sees end of file
    }

    /// The worker's side: wait for a request, scan, publish, wake the loop.
    fileprivate func next() -> ScanRequest? {
        while true {
            let taken = state.withLock { state -> (ScanRequest?, Bool) in
                if state.stopping { return (nil, true) }
                guard let request = state.pending else { return (nil, false) }
                state.pending = nil
                state.busy = true
                return (request, false)
            }
            if taken.1 { return nil }
            if let request = taken.0 { return request }
            var byte: UInt8 = 0
            let got = withUnsafeMutableBytes(of: &byte) { SystemCall.read(requestRead, into: $0) }
            guard case .success(let count) = got, count > 0 else {
                requestRead.close()
                return nil  // stop() closed the other end
            }
        }
    }

    fileprivate func publish(_ result: ScanResult) {
        state.withLock { state in
            state.result = result
            state.busy = false
        }
        _ = SystemCall.writeAll(wakeWrite, [1])  // a full pipe is fine: one byte is waiting already
    }
}

/// The scanning thread's own objects.
private final class Worker: @unchecked Sendable {
    let scan: BackgroundScan
    let root: ProcRoot
    let host: Int32

    init(scan: BackgroundScan, root: ProcRoot, host: Int32) {
        self.scan = scan
        self.root = root
        self.host = host
    }

    func run() {
        // Signals stay with the loop's thread, whose handlers write them to its pipe.
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, nil)
        // A lower priority for this thread alone (Linux nices threads one by one): on a busy machine the loop's
        // thread, which echoes keys and draws the child's output, and the child itself get the CPU first; a
        // scan that waits a little only makes the tree a little older.
        SystemCall.lowerThisThreadsPriority(by: 10)
        guard let scanner = try? ProcScanner(root: root) else { return }
        let users = UserNames()
        // The network map also wants namespaces no process is in (`ip netns` bind mounts, open fds): found on its
        // full readings only (they cost a look through every mount namespace), and kept for the partial ones
        // between, which need their holders to open them again.
        var held: [Namespace] = []
        // The network namespaces processes were in at the last full reading: when they change, a namespace came
        // or went, and the partial reading asked for becomes a full one.
        var lastNetIDs: Set<UInt64> = []
        // `ip netns add` and `delete` change /run/netns: a named namespace came or went.
        var lastNames = NetnsDirectoryStamp()
        // The boxes on screen, watched between full readings (their sockets closed as soon as the map closes).
        let watch = NetworkCounterWatch(root: root)
        while let request = scan.next() {
            scanner.watchedPids = request.watched
            // A full reading when asked for, or when `ip netns add` or `delete` changed the directory: the held
            // namespaces are then looked for again, so a name added meanwhile is on the map at once.
            let names = NetnsDirectoryStamp()
            var full = request.network.map { $0.only == nil || names != lastNames } ?? false
            scanner.findsHeldNamespaces = full
            var snapshot = scanner.refresh(relations: full)
            var network: NetworkMap?
            if var asked = request.network {
                var netIDs = Self.netIDs(snapshot)
                if !full, netIDs != lastNetIDs {
                    // A namespace with processes came or went; the one that went may still be held (its name, an
                    // fd): scan again, looking for held ones this time.
                    full = true
                    scanner.findsHeldNamespaces = true
                    snapshot = scanner.refresh(relations: true)
                    netIDs = Self.netIDs(snapshot)
                }
                var seen = snapshot
                if full {
                    asked.only = nil
                    held = snapshot.heldNamespaces
                    lastNetIDs = netIDs
                    lastNames = names
                } else {
                    seen.heldNamespaces = held
                }
                if let only = asked.only, asked.neighboursOf == nil {
                    network = watch.read(seen, only: only)
                } else {
                    let reading = ScanRequest.readNetwork(asked, of: seen)
                    // The detail reads its one namespace whole each interval: no box is watched meanwhile.
                    watch.keepOnly(full ? Set(reading.namespaces.map(\.id)) : [])
                    network = reading
                }
            } else {
                full = false
                watch.keepOnly([])
            }
            let rows =
                request.wantsRows
                ? ProcessRows.rows(snapshot, host: host, children: request.children, userName: users.name) : nil
            scan.publish(
                ScanResult(request: request, snapshot: snapshot, rows: rows, network: network, networkFull: full))
        }
    }

    /// The network namespaces with processes in them.
    private static func netIDs(_ snapshot: Snapshot) -> Set<UInt64> {
        Set(snapshot.namespaces.lazy.filter { $0.kind == .net }.map(\.inode))
    }
}

/// What /run/netns looked like (its inode and modification time), so that the scan sees `ip netns add` and
/// `delete` with one `stat` a reading; all zero when it does not exist.
struct NetnsDirectoryStamp: Equatable {
    /// The directory's device, inode and modification time.
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var seconds = 0
    var nanoseconds = 0

    /// The stamp of /run/netns as it is now.
    init(path: String = "/run/netns") {
        guard case .success(let status) = SystemCall.fileStatus(path) else { return }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        seconds = Int(status.st_mtim.tv_sec)
        nanoseconds = Int(status.st_mtim.tv_nsec)
    }
}
