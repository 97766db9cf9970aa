import CNamespaces
import Glibc

/// Retries `body` while it fails with EINTR: the one place nslab handles interrupted calls.
@inline(__always)
public func retryingOnInterrupt<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result >= 0 || errno != EINTR { return result }
    }
}

/// The calls into Glibc that nslab's Swift code shares: each wrapped once, with EINTR retried and a failure
/// reported as an `Errno`. The /proc fast path (`ProcSyscalls`) builds on the same helper.
public enum SystemCall {
    /// Writes all of `bytes` to `fd`, carrying on after partial writes. Nil when everything was written, else
    /// the error that stopped it (EAGAIN from a full non-blocking pty, EPIPE from a closed pipe, ...).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Errno? {
        guard var cursor = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = retryingOnInterrupt { Glibc.write(fd, cursor, left) }
            if written < 0 { return .current }
            if written == 0 { return Errno(EIO) }
            cursor += written
            left -= written
        }
        return nil
    }

    /// Writes all of `bytes` to `fd`; see `writeAll(_:_:)` for the result.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes all of `text` as UTF-8 to `fd`; see `writeAll(_:_:)` for the result.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ text: String) -> Errno? {
        var text = text
        return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Reads what `fd` has, up to `buffer.count` bytes: the count (0 at end of file), or the error
    /// (EAGAIN when a non-blocking fd has nothing now, EIO once a pty's other side is gone).
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        let got = retryingOnInterrupt { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        return got < 0 ? .failure(.current) : .success(got)
    }

    /// Opens `path` with `flags` (close-on-exec always added); the fd, or why not.
    public static func open(_ path: String, _ flags: Int32) -> Result<Int32, Errno> {
        let fd = retryingOnInterrupt { Glibc.open(path, flags | O_CLOEXEC) }
        return fd < 0 ? .failure(.current) : .success(fd)
    }

    /// Why a whole-file read was refused.
    public enum FileReadError: Error, Sendable, Equatable {
        /// The call failed.
        case system(Errno)
        /// The path is a device, FIFO, socket or directory: reading it might never end or block for ever.
        case notRegular
        /// The file has `size` bytes (at least), more than the reader's limit.
        case tooLarge(size: Int, limit: Int)
    }

    /// Reads a whole regular file of at most `limit` bytes. The file is opened without blocking, so a FIFO
    /// cannot hang the caller, and checked to be a regular file before a byte is read, so `/dev/zero` is no
    /// endless read.
    public static func readRegularFile(_ path: String, limit: Int) -> Result<[UInt8], FileReadError> {
        let fd: Int32
        switch open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY) {
        case .success(let opened): fd = opened
        case .failure(let error): return .failure(.system(error))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .failure(.system(.current)) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        guard status.st_size <= limit else { return .failure(.tooLarge(size: Int(status.st_size), limit: limit)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let result = chunk.withUnsafeMutableBytes { read(fd, into: $0) }
            switch result {
            case .failure(let error): return .failure(.system(error))
            case .success(0): return .success(bytes)
            case .success(let count):
                // A file that grows while it is read is held to the same limit.
                guard bytes.count + count <= limit else {
                    return .failure(.tooLarge(size: bytes.count + count, limit: limit))
                }
                bytes += chunk[..<count]
            }
        }
    }

    /// Makes `fd` non-blocking, so a read or write returns EAGAIN instead of waiting.
    @discardableResult
    public static func setNonBlocking(_ fd: Int32) -> Errno? {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return .current }
        return nil
    }

    /// Tells the terminal behind `fd` (a pty master) its size; the process group in it gets SIGWINCH.
    @discardableResult
    public static func setWindowSize(_ fd: Int32, rows: UInt16, columns: UInt16) -> Errno? {
        var window = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        return ioctl(fd, UInt(TIOCSWINSZ), &window) == 0 ? nil : .current
    }

    /// Nanoseconds on the monotonic clock.
    public static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Every variable of nslab's environment, as "NAME=value" strings in their order.
    public static func environment() -> [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }

    /// One variable of nslab's environment.
    public static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The path of the running binary (the kernel's `exe` link of this process); nil when unreadable.
    public static func executablePath(procRoot: ProcRoot = .system) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(procRoot.path + "/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Lowers the calling thread's priority alone by `increment` (nice); false when the kernel refused.
    @discardableResult
    public static func lowerThisThreadsPriority(by increment: Int32) -> Bool {
        nsl_nice_this_thread(increment) == 0
    }
}
