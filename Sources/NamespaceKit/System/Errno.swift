import Glibc

/// An errno value with the C library's wording, e.g. `Errno(EPERM).description`.
///
/// nslab's own rather than swift-system's `Errno`: the calls here report it in a `Result` or as nil, never by
/// throwing, so a failure costs no allocation; and swift-system keeps the errno of the last call (`current`)
/// internal. The names below follow swift-system's where nslab needs one.
@frozen
public struct Errno: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The raw errno number.
    public let rawValue: Int32

    /// Wraps a raw errno number.
    @inlinable
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The errno of the last failed call on this thread.
    @inlinable
    public static var current: Errno { Errno(errno) }

    /// "Operation not permitted", as strerror(3) says it.
    public var description: String { String(cString: strerror(rawValue)) }

    /// A call was refused for lack of privilege (EPERM).
    public static let notPermitted = Errno(EPERM)
    /// Permission denied (EACCES).
    public static let accessDenied = Errno(EACCES)
    /// No such file or directory (ENOENT).
    public static let noSuchFile = Errno(ENOENT)
    /// No such process (ESRCH).
    public static let noSuchProcess = Errno(ESRCH)
    /// Invalid argument (EINVAL).
    public static let invalidArgument = Errno(EINVAL)
    /// A per-user or system limit is reached (ENOSPC for namespaces).
    public static let noSpace = Errno(ENOSPC)
    /// Too many users (EUSERS, nesting of user namespaces too deep).
    public static let tooManyUsers = Errno(EUSERS)
    /// The call was interrupted by a signal (EINTR).
    public static let interrupted = Errno(EINTR)
    /// A non-blocking call would have had to wait (EAGAIN).
    public static let wouldBlock = Errno(EAGAIN)
    /// Input/output error (EIO), as a pty master reads once its other side is gone.
    public static let ioError = Errno(EIO)
}
