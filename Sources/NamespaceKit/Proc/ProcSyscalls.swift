import Glibc

/// The /proc model's file calls over `SystemCall`: they read into one reusable buffer and report `-errno`
/// without allocating, since a scan makes tens of thousands of them.
enum ProcSyscalls {
    /// Opens `name` relative to `directory`; returns the fd or `-errno`.
    @inline(__always)
    static func openAt(_ directory: FileDescriptor, _ name: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
        switch SystemCall.openAt(directory, name, flags) {
        case .success(let fd): fd.rawValue
        case .failure(let error): -error.rawValue
        }
    }

    /// Reads the whole file `name` under `directory` into `buffer` (growing it when full).
    /// Returns the byte count or `-errno`.
    static func readWhole(_ directory: FileDescriptor, _ name: UnsafePointer<CChar>, into buffer: ReadBuffer) -> Int {
        let opened = openAt(directory, name, O_RDONLY)
        if opened < 0 { return Int(opened) }
        let fd = FileDescriptor(rawValue: opened)
        defer { fd.close() }
        var total = 0
        while true {
            if total == buffer.capacity { buffer.grow() }
            let free = UnsafeMutableRawBufferPointer(start: buffer.base + total, count: buffer.capacity - total)
            switch SystemCall.read(fd, into: free) {
            case .failure(let error): return -Int(error.rawValue)
            case .success(0): return total
            case .success(let got): total += got
            }
        }
    }

    /// Reads the target of the symlink `name` under `directory` into `buffer`; returns the length or `-errno`.
    static func readLink(_ directory: FileDescriptor, _ name: UnsafePointer<CChar>, into buffer: ReadBuffer) -> Int {
        let whole = UnsafeMutableRawBufferPointer(start: buffer.base, count: buffer.capacity)
        switch SystemCall.readLinkAt(directory, name, into: whole) {
        case .success(let count): return count
        case .failure(let error): return -Int(error.rawValue)
        }
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
