import Glibc
import NamespaceKit

/// What one of the recording's events is; its payload's meaning depends on it.
enum CastEventKind: UInt8 {
    /// Pane output (`o`): the payload is the bytes as read, any chunk of them.
    case output
    /// A resize (`r`): the payload is `COLSxROWS`.
    case resize
    /// A marker (`m`): the payload is its label as UTF-8.
    case marker
    /// The recorded pane changed: a character half-read from the last one is dropped. No line.
    case restart
    /// The end: a held incomplete character is written as U+FFFD (an `o` line, when one is held).
    case finish
}

/// Makes the recording's events into asciicast v2 lines: `[seconds, "CODE", "TEXT"]`. Pure; it runs where the
/// lines are written (the recording's thread), so the loop that feeds the panes only copies bytes.
struct AsciicastEncoder {
    /// A character the last output ended in the middle of.
    private var carry = UTF8Carry()
    /// Where an output event's escaped text is built; only ever grows.
    private var scratch: [UInt8] = []

    /// Appends the line of a `kind` event made `nanoseconds` after the header to `out`. Nothing is appended for
    /// a restart, nor for output that is only the start of a character (it is held for the next output).
    mutating func append(
        _ kind: CastEventKind, at nanoseconds: UInt64, payload: UnsafeRawBufferPointer, to out: inout [UInt8]
    ) {
        switch kind {
        case .output:
            let needed = UTF8Carry.worstCase(payload.count)
            if scratch.count < needed { scratch = [UInt8](repeating: 0, count: needed) }
            let written = scratch.withUnsafeMutableBufferPointer { carry.escape(payload, into: $0.baseAddress!) }
            guard written > 0 else { return }
            Self.begin(UInt8(ascii: "o"), at: nanoseconds, in: &out)
            scratch.withUnsafeBufferPointer { out.append(contentsOf: $0[0..<written]) }
        case .resize:
            Self.begin(UInt8(ascii: "r"), at: nanoseconds, in: &out)
            out.append(contentsOf: payload)
        case .marker:
            Self.begin(UInt8(ascii: "m"), at: nanoseconds, in: &out)
            for byte in payload {
                if byte < 0x80 { UTF8Carry.escapeASCII(byte, into: &out) } else { out.append(byte) }
            }
        case .restart:
            carry.reset()
            return
        case .finish:
            var held: [UInt8] = []
            carry.finish(into: &held)
            guard !held.isEmpty else { return }
            Self.begin(UInt8(ascii: "o"), at: nanoseconds, in: &out)
            out += held
        }
        out += [UInt8(ascii: "\""), UInt8(ascii: "]"), UInt8(ascii: "\n")]
    }

    /// Appends `[SECONDS, "CODE", "` to `out`.
    private static func begin(_ code: UInt8, at nanoseconds: UInt64, in out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        appendSeconds(nanoseconds, to: &out)
        out += [UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\""), code, UInt8(ascii: "\"")]
        out += [UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\"")]
    }

    /// Appends nanoseconds as seconds with six decimals, e.g. `12.003400` (no Foundation, no locale).
    static func appendSeconds(_ nanoseconds: UInt64, to out: inout [UInt8]) {
        let micros = nanoseconds / 1_000
        appendDecimal(micros / 1_000_000, to: &out)
        out.append(UInt8(ascii: "."))
        var fraction = micros % 1_000_000
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 6)
        for index in stride(from: 5, through: 0, by: -1) {
            digits[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        out += digits
    }

    /// Appends `value` in decimal.
    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        guard value >= 10 else { return out.append(UInt8(ascii: "0") + UInt8(value)) }
        appendDecimal(value / 10, to: &out)
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

/// Where a recording's events go, in the order given.
protocol CastWriter: AnyObject {
    /// Writes the header line at once, so an unwritable file is known before the lab starts; its error if not.
    func header(_ line: [UInt8]) -> Errno?
    /// Takes an event made `time` nanoseconds after the header (`payload` is copied before it returns); nil, or
    /// the error that stopped the recording.
    func put(_ kind: CastEventKind, at time: UInt64, _ payload: UnsafeRawBufferPointer) -> Errno?
}

/// Encodes each event and writes its line at once, one `write()` per event: the recording's tests, into memory.
final class EncodingCastWriter: CastWriter {
    /// Where the lines go.
    let sink: any NotebookSink
    /// The encoder, with its held character.
    private var encoder = AsciicastEncoder()
    /// The line being written; kept to reuse its storage.
    private var line: [UInt8] = []

    /// Writes into `sink`.
    init(_ sink: any NotebookSink) { self.sink = sink }

    /// Writes the header.
    func header(_ line: [UInt8]) -> Errno? { sink.write(line) }

    /// Encodes the event and writes its line, when it has one.
    func put(_ kind: CastEventKind, at time: UInt64, _ payload: UnsafeRawBufferPointer) -> Errno? {
        line.removeAll(keepingCapacity: true)
        encoder.append(kind, at: time, payload: payload, to: &line)
        return line.isEmpty ? nil : sink.write(line)
    }
}

/// The recording's file, encoded and written by a thread of its own. `put` copies the event, raw, into a queue
/// and returns; the thread encodes what is queued (the JSON escaping, six bytes for every ESC) and writes it with
/// one `write()` per batch. The loop that feeds the panes then spends on a recorded byte what a copy costs.
///
/// The thread is woken once per batch, not per event: it lets output gather for `gatherTime` or until
/// `flushSize` bytes wait (a wake-up per pty read cost more than the escaping). A marker (a launch, a command's
/// end, a lesson step) is written at once, with everything before it. A failed write is kept and returned by the
/// next `put` (the recording then stops). `close()` waits until everything queued is written. A `kill -9` of
/// nslab loses what is queued at that moment, output of the last few milliseconds since the last marker, never
/// half an event; every event before is in the file.
final class ThreadedCastWriter: CastWriter, @unchecked Sendable {
    /// The file; written by the thread only (or under the lock when there is no thread).
    private let file: FileSink
    /// Guards everything below.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when a batch is due: the first event of one, a full batch, a marker, or `close()`.
    private let queuedSignal = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Signalled when the thread took the queue (room for more).
    private let roomSignal = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Events waiting for the thread, each as kind (1 byte), time (8), payload length (4), payload.
    private var queue: [UInt8] = []
    /// True when a queued event must be written without waiting for more (a marker).
    private var urgent = false
    /// The first failed write's error.
    private var failure: Errno?
    /// Set by `close()`: the thread writes what is queued and leaves.
    private var closing = false
    /// The writer thread; nil when none could be started, or once joined.
    private var thread: pthread_t?
    /// Encodes under the lock when there is no thread (none could be started, or after close).
    private var encoder = AsciicastEncoder()
    /// A loop that outruns the disk waits once this much is queued, so the queue stays bounded.
    static let queueLimit = 8 << 20
    /// A batch is written once this much is queued, without waiting for `gatherTime`.
    static let flushSize = 512 << 10
    /// How long the thread lets a batch gather after its first event, in nanoseconds (20 ms unless a test says).
    let gatherTime: Int
    /// The bytes before each payload in the queue.
    private static let frameHeader = 13

    /// The file's path, for messages.
    var path: String { file.path }

    /// Starts the thread that writes to `file`, letting each batch gather for `gatherTime` nanoseconds.
    init(_ file: FileSink, gatherTime: Int = 20_000_000) {
        self.file = file
        self.gatherTime = gatherTime
        pthread_mutex_init(lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(queuedSignal, &attributes)
        pthread_condattr_destroy(&attributes)
        pthread_cond_init(roomSignal, nil)
        // Unretained: `deinit` joins the thread (through `close()`) before this object goes.
        let context = Unmanaged.passUnretained(self).toOpaque()
        var started = pthread_t()
        if pthread_create(
            &started, nil,
            { context in
                Unmanaged<ThreadedCastWriter>.fromOpaque(context!).takeUnretainedValue().drain()
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

    /// Writes the header at once.
    func header(_ line: [UInt8]) -> Errno? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let failure { return failure }
        failure = file.write(line)
        return failure
    }

    /// Queues the event; nil when queued, else the error an earlier write failed with.
    func put(_ kind: CastEventKind, at time: UInt64, _ payload: UnsafeRawBufferPointer) -> Errno? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let failure { return failure }
        guard thread != nil, !closing else {
            var line: [UInt8] = []
            encoder.append(kind, at: time, payload: payload, to: &line)
            if !line.isEmpty { failure = file.write(line) }
            return failure
        }
        while queue.count >= Self.queueLimit && failure == nil { pthread_cond_wait(roomSignal, lock) }
        if let failure { return failure }
        let wasEmpty = queue.isEmpty
        queue.append(kind.rawValue)
        withUnsafeBytes(of: time.littleEndian) { queue.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { queue.append(contentsOf: $0) }
        queue.append(contentsOf: payload)
        if kind == .marker || kind == .finish { urgent = true }
        // A signal costs a system call only when the thread waits: it does when the queue was empty, and while
        // it lets a batch gather.
        if wasEmpty || urgent || queue.count >= Self.flushSize { pthread_cond_signal(queuedSignal) }
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

    /// The thread: waits for an event, lets a batch gather, encodes and writes it; until `close()` and nothing
    /// is left.
    private func drain() {
        var batch: [UInt8] = []
        var encoded: [UInt8] = []
        var threadEncoder = AsciicastEncoder()
        // Behind the loop and the children: during a flood the writing waits for a free moment, and the queue's
        // limit keeps what waits bounded.
        SystemCall.lowerThisThreadsPriority(by: 10)
        pthread_mutex_lock(lock)
        while true {
            while queue.isEmpty && !closing { pthread_cond_wait(queuedSignal, lock) }
            if queue.isEmpty { break }
            if !closing && !urgent && queue.count < Self.flushSize {
                var deadline = timespec()
                clock_gettime(CLOCK_MONOTONIC, &deadline)
                let end = Int(deadline.tv_nsec) + gatherTime
                deadline.tv_sec += end / 1_000_000_000
                deadline.tv_nsec = end % 1_000_000_000
                while !closing && !urgent && queue.count < Self.flushSize {
                    if pthread_cond_timedwait(queuedSignal, lock, &deadline) == ETIMEDOUT { break }
                }
            }
            swap(&batch, &queue)
            urgent = false
            pthread_cond_broadcast(roomSignal)
            pthread_mutex_unlock(lock)
            Self.encode(batch, with: &threadEncoder, into: &encoded)
            let error = encoded.isEmpty ? nil : file.write(encoded)
            batch.removeAll(keepingCapacity: true)
            encoded.removeAll(keepingCapacity: true)
            pthread_mutex_lock(lock)
            if let error {
                failure = failure ?? error
                queue.removeAll()
                pthread_cond_broadcast(roomSignal)
            }
        }
        pthread_mutex_unlock(lock)
    }

    /// Encodes every event of `batch` (as `put` queued them) into `out`.
    private static func encode(_ batch: [UInt8], with encoder: inout AsciicastEncoder, into out: inout [UInt8]) {
        batch.withUnsafeBytes { bytes in
            var offset = 0
            while offset + frameHeader <= bytes.count {
                let kind = CastEventKind(rawValue: bytes[offset]) ?? .output
                let time = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 1, as: UInt64.self))
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 9, as: UInt32.self)))
                let start = offset + frameHeader
                let payload = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
                encoder.append(kind, at: time, payload: payload, to: &out)
                offset = start + length
            }
        }
    }
}
