import Glibc

/// How a child ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// It called exit with this status.
    case exited(Int32)
    /// A signal with this number killed it.
    case signaled(Int32)

    /// Decodes a status from waitpid(2).
    public init(waitStatus status: Int32) {
        // WIFEXITED: the low seven bits are zero; the exit code is in the next byte.
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }

    /// The status a shell would report: the exit code, or 128 + the signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// "exited: status 0" or "killed by signal 9".
    public var description: String {
        switch self {
        case .exited(let code): "exited: status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}
