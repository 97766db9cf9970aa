import Glibc

/// The /proc model's file calls, kept apart from `SystemCall` because they read into one reusable buffer and
/// report `-errno` without allocating: a scan makes tens of thousands of them.
enum ProcSyscalls {
    /// Opens `name` relative to `directory`; returns the fd or `-errno`.
    static func openAt(_ directory: Int32, _ name: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
        let fd = retryingOnInterrupt { openat(directory, name, flags | O_CLOEXEC) }
        return fd >= 0 ? fd : -errno
    }

    /// Reads the whole file `name` under `directory` into `buffer` (growing it when full).
    /// Returns the byte count or `-errno`.
    static func readWhole(_ directory: Int32, _ name: UnsafePointer<CChar>, into buffer: ReadBuffer) -> Int {
        let fd = openAt(directory, name, O_RDONLY)
        if fd < 0 { return Int(fd) }
        defer { close(fd) }
        var total = 0
        while true {
            if total == buffer.capacity { buffer.grow() }
            let got = retryingOnInterrupt { read(fd, buffer.base + total, buffer.capacity - total) }
            if got < 0 { return -Int(errno) }
            if got == 0 { return total }
            total += got
        }
    }

    /// Reads the target of the symlink `name` under `directory` into `buffer`; returns the length or `-errno`.
    static func readLink(_ directory: Int32, _ name: UnsafePointer<CChar>, into buffer: ReadBuffer) -> Int {
        let got = readlinkat(directory, name, buffer.base.assumingMemoryBound(to: CChar.self), buffer.capacity)
        return got >= 0 ? got : -Int(errno)
    }
}

/// A reusable byte buffer for /proc reads, so a scan of 2,000 processes does not allocate per file.
final class ReadBuffer {
    /// Start of the storage.
    private(set) var base: UnsafeMutableRawPointer
    /// Current size in bytes.
    private(set) var capacity: Int

    /// Creates a buffer of `capacity` bytes; it doubles when a file does not fit.
    init(capacity: Int = 64 * 1024) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Doubles the capacity, keeping the bytes read so far.
    func grow() {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
        bigger.copyMemory(from: base, byteCount: capacity)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// The first `count` bytes as a buffer pointer, valid until the next read into this buffer.
    func bytes(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }
}
