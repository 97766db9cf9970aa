/// An open file descriptor, as nslab's modules hand it to each other: a pty master from the launcher to the
/// dashboard, a pipe end to the event loop, a /proc directory to its readers.
///
/// nslab's own small type rather than swift-system's `FileDescriptor`: that one's calls throw untyped errors,
/// which box every failure on the heap, and a /proc scan fails routinely (a process gone, a file refused) tens of
/// thousands of times; nor does it have the fd-relative calls (`openat`, `readlinkat`) the scan is built on, or
/// `poll`, `ioctl` and `waitpid`. The calls are `SystemCall`'s, each wrapped once.
@frozen
public struct FileDescriptor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kernel's number for it.
    public let rawValue: Int32

    /// Wraps a descriptor number the caller owns.
    @inlinable
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Standard input (0).
    public static let standardInput = FileDescriptor(rawValue: 0)
    /// Standard output (1).
    public static let standardOutput = FileDescriptor(rawValue: 1)
    /// Standard error (2).
    public static let standardError = FileDescriptor(rawValue: 2)

    /// "fd N", for messages and test output.
    public var description: String { "fd \(rawValue)" }

    /// Closes it; the value must not be used afterwards. A failed close (EBADF, or EIO from a device) has nothing
    /// left to undo, so nothing is reported.
    @inlinable
    public func close() { SystemCall.close(self) }
}
