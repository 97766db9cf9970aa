import Glibc

/// A share of a full scan done on its own thread with its own reader (readers are not thread-safe).
private final class ScanShare: @unchecked Sendable {
    /// The tree to read.
    let root: ProcRoot
    /// The pids of this share.
    let pids: [Int32]
    /// Written only by the share's thread, read only after it is joined.
    var records: [ProcessRecord] = []

    /// A share of `pids` under `root`.
    init(root: ProcRoot, pids: [Int32]) {
        self.root = root
        self.pids = pids
    }

    /// Reads the share with a reader of its own.
    func run() {
        guard let reader = ProcReader(root: root) else { return }
        records.reserveCapacity(pids.count)
        for pid in pids {
            if let record = reader.readProcess(pid) { records.append(record) }
        }
    }
}

/// The first, full scan split over two threads.
enum ParallelRead {
    /// Below this many processes a second thread costs more than it saves.
    static let threshold = 512

    /// Reads every process in `pids` completely, on two threads when there are many and two CPUs:
    /// the kernel work (formatting stat, status, the ns links) is per process and runs in parallel.
    /// The current thread does one share; vanished processes are left out.
    static func readAll(
        _ pids: [Int32], root: ProcRoot, using reader: ProcReader, minimumForThreads: Int = threshold
    ) -> [ProcessRecord] {
        guard pids.count >= minimumForThreads, sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 else {
            return pids.compactMap { reader.readProcess($0) }
        }
        // Interleaved shares: low pids (kernel threads) are cheaper than high ones.
        let other = ScanShare(root: root, pids: stride(from: 1, to: pids.count, by: 2).map { pids[$0] })
        var thread = pthread_t()
        let context = Unmanaged.passRetained(other).toOpaque()
        let started = pthread_create(
            &thread, nil,
            { context in
                let share = Unmanaged<ScanShare>.fromOpaque(context!).takeRetainedValue()
                share.run()
                return nil
            }, context)
        if started != 0 {
            Unmanaged<ScanShare>.fromOpaque(context).release()
            return pids.compactMap { reader.readProcess($0) }
        }
        var records = stride(from: 0, to: pids.count, by: 2).compactMap { reader.readProcess(pids[$0]) }
        pthread_join(thread, nil)
        records.append(contentsOf: other.records)
        return records
    }
}
