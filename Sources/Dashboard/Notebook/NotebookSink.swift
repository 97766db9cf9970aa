import Glibc
import NamespaceKit

/// Where a notebook writer's bytes go: a file in the notebook's directory, or memory in tests. Each call is one
/// `write()` of a whole event or entry, nothing is held back, so a `kill -9` of nslab leaves every event written
/// so far in the file.
public protocol NotebookSink: AnyObject {
    /// Writes all of `bytes`; nil when done, else the error that stopped the write (EROFS, ENOSPC, EIO...).
    func write(_ bytes: UnsafeRawBufferPointer) -> Errno?
}

extension NotebookSink {
    /// Writes all of `bytes`; see `write(_:)`.
    func write(_ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes `text` as UTF-8; see `write(_:)`.
    func write(_ text: String) -> Errno? {
        write(Array(text.utf8))
    }
}

/// A file opened for appending, written with plain `write()` (no user-space buffer to lose); closed on `close()`
/// or when dropped.
public final class FileSink: NotebookSink {
    /// The file's path, for messages.
    public let path: String
    /// The open fd; nil once closed.
    private(set) var fd: FileDescriptor?

    /// Takes ownership of `fd`, open for writing on `path`.
    init(fd: FileDescriptor, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close() }

    /// Writes all of `bytes` to the file.
    public func write(_ bytes: UnsafeRawBufferPointer) -> Errno? {
        guard let fd else { return Errno(EBADF) }
        return SystemCall.writeAll(fd, bytes)
    }

    /// Closes the file; later writes fail with EBADF.
    public func close() {
        guard let fd else { return }
        SystemCall.close(fd)
        self.fd = nil
    }
}

/// A sink that keeps everything in memory, optionally failing from some write on: the writers' tests.
final class MemorySink: NotebookSink {
    /// Everything written.
    var bytes: [UInt8] = []
    /// How many writes were made (one per event or entry).
    var writes = 0
    /// When set, every write fails with this error (a full or read-only disk).
    var failure: Errno?

    /// The bytes as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Keeps `bytes`, or fails with `failure` when set.
    func write(_ bytes: UnsafeRawBufferPointer) -> Errno? {
        if let failure { return failure }
        writes += 1
        self.bytes += bytes
        return nil
    }
}

/// A file written by a thread of its own, for the recording, which takes every byte a child prints: `write`
/// copies the bytes into a queue and returns, the thread writes the queue in order, one `write()` per batch.
/// The page-cache copy of a 16 MB `cat` (25 MB of events) then leaves the loop that feeds the panes.
///
/// A failed write is kept and returned by the next `write` (the recording then stops, as with a plain file).
/// `close()` waits until everything queued is written. A `kill -9` of nslab loses what is queued at that moment
/// (the last moment's output, never half an event: events are queued whole); every event before is in the file.
/// The first write (the header) and, when no thread can be started, every write go to the file at once.
final class ThreadedFileSink: NotebookSink, @unchecked Sendable {
    /// The file; written by the thread only (or by `write` when there is no thread).
    private let file: FileSink
    /// Guards everything below.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when bytes are queued or `close()` begins.
    private let queuedSignal = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Signalled when the thread took the queue (room for more).
    private let roomSignal = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Bytes waiting for the thread.
    private var queue: [UInt8] = []
    /// The first failed write's error.
    private var failure: Errno?
    /// Set by `close()`: the thread writes what is queued and leaves.
    private var closing = false
    /// True until the first write, which is made at once (the recording's header: an unwritable file is known
    /// before the lab starts).
    private var first = true
    /// The writer thread; nil when none could be started, or once joined.
    private var thread: pthread_t?
    /// A loop that outruns the disk waits once this much is queued, so the queue stays bounded.
    static let queueLimit = 8 << 20

    /// The file's path, for messages.
    var path: String { file.path }

    /// Starts the thread that writes to `file`.
    init(_ file: FileSink) {
        self.file = file
        pthread_mutex_init(lock, nil)
        pthread_cond_init(queuedSignal, nil)
        pthread_cond_init(roomSignal, nil)
        // Unretained: `deinit` joins the thread (through `close()`) before this object goes.
        let context = Unmanaged.passUnretained(self).toOpaque()
        var started = pthread_t()
        if pthread_create(
            &started, nil,
            { context in
                Unmanaged<ThreadedFileSink>.fromOpaque(context!).takeUnretainedValue().drain()
                return nil
            }, context) == 0
        {
            thread = started
        }
    }

    deinit {
        close()
        pthread_cond_destroy(roomSignal)
        pthread_cond_destroy(queuedSignal)
        pthread_mutex_destroy(lock)
        roomSignal.deallocate()
        queuedSignal.deallocate()
        lock.deallocate()
    }

    /// Queues all of `bytes`; nil when queued, else the error an earlier write failed with.
    func write(_ bytes: UnsafeRawBufferPointer) -> Errno? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let failure { return failure }
        guard thread != nil, !closing, !first else {
            first = false
            failure = file.write(bytes)
            return failure
        }
        while queue.count >= Self.queueLimit && failure == nil { pthread_cond_wait(roomSignal, lock) }
        if let failure { return failure }
        queue.append(contentsOf: bytes)
        pthread_cond_signal(queuedSignal)
        return nil
    }

    /// Writes what is queued, waits for the thread and closes the file.
    func close() {
        pthread_mutex_lock(lock)
        closing = true
        let running = thread
        thread = nil
        pthread_cond_signal(queuedSignal)
        pthread_mutex_unlock(lock)
        if let running { pthread_join(running, nil) }
        file.close()
    }

    /// The thread: takes the whole queue, writes it, until `close()` and nothing is left.
    private func drain() {
        var batch: [UInt8] = []
        while true {
            pthread_mutex_lock(lock)
            while queue.isEmpty && !closing { pthread_cond_wait(queuedSignal, lock) }
            if queue.isEmpty {
                pthread_mutex_unlock(lock)
                return
            }
            swap(&batch, &queue)
            pthread_cond_broadcast(roomSignal)
            pthread_mutex_unlock(lock)
            let error = file.write(batch)
            batch.removeAll(keepingCapacity: true)
            if let error {
                pthread_mutex_lock(lock)
                failure = failure ?? error
                queue.removeAll()
                pthread_cond_broadcast(roomSignal)
                pthread_mutex_unlock(lock)
            }
        }
    }
}
