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
