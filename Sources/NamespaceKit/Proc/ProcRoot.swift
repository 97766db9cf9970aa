import CNamespaces
import Glibc

/// Where /proc is: `/proc` on a live system, a fixture directory in tests. Every /proc read in
/// NamespaceKit goes through a `ProcReader` opened on one of these.
public struct ProcRoot: Sendable, Hashable {
    /// Directory path of the proc tree.
    public var path: String

    /// A proc tree at `path`.
    public init(_ path: String = "/proc") {
        self.path = path
    }

    /// The live system's /proc.
    public static let system = ProcRoot()

    /// True when this is the kernel's /proc (only then can ioctls and setns reach real namespaces).
    public var isLive: Bool { path == "/proc" }
}

/// How a read under a process directory failed.
enum ProcFailure: Error {
    /// ENOENT/ESRCH: the process is gone, or the file does not exist on this kernel.
    case absent
    /// Any other error (EACCES, EISDIR, ...): the field is unknown.
    case unreadable
}

/// An open view of a proc tree with a reusable read buffer; not thread-safe, keep one per thread.
final class ProcReader {
    /// The tree this reader reads.
    let root: ProcRoot
    /// The open root directory every read is relative to.
    let rootFD: FileDescriptor
    /// The buffer every read lands in; parse before the next read.
    let buffer = ReadBuffer()
    /// Parsed cgroup files by their bytes: most processes share their cgroup, so they share one parsed array
    /// too. With cgroup v1's ten lines per process that array was most of a record's memory (about 800 of
    /// 1,350 bytes per process at 20,000 processes). Bounded: cleared when it holds too many.
    private var cgroupsSeen: [[UInt8]: [CgroupEntry]] = [:]
    /// Scratch space for a pid rendered as a C string.
    private let pidName = UnsafeMutablePointer<CChar>.allocate(capacity: 32)

    /// Opens the tree; nil when the directory cannot be opened.
    init?(root: ProcRoot) {
        guard case .success(let fd) = SystemCall.open(root.path, O_RDONLY | O_DIRECTORY) else { return nil }
        self.root = root
        rootFD = fd
    }

    deinit {
        rootFD.close()
        pidName.deallocate()
    }

    /// The numeric entries of the root, in directory order.
    func pids() -> [Int32] {
        var pids: [Int32] = []
        pids.reserveCapacity(1024)
        _ = SystemCall.forEachEntry(of: rootFD) { name in
            var value: Int32 = 0
            for byte in name {
                if byte == 0 { break }
                guard byte >= 0x30, byte <= 0x39 else { return }
                value = value &* 10 &+ Int32(byte - 0x30)
            }
            if value > 0 { pids.append(value) }
        }
        return pids
    }

    /// Writes `<pid><suffix>` NUL-terminated into the scratch name buffer.
    private func pidPath(_ pid: Int32, _ suffix: StaticString) -> UnsafePointer<CChar> {
        var digits = pid
        var length = 0
        repeat {
            length += 1
            digits /= 10
        } while digits > 0
        digits = pid
        for position in stride(from: length - 1, through: 0, by: -1) {
            pidName[position] = CChar(0x30 + digits % 10)
            digits /= 10
        }
        let tail = UnsafeRawPointer(suffix.utf8Start).assumingMemoryBound(to: CChar.self)
        for offset in 0...suffix.utf8CodeUnitCount { pidName[length + offset] = tail[offset] }
        return UnsafePointer(pidName)
    }

    /// Opens `/proc/<pid>` as a path fd to read relative to; nil when the process is gone.
    func openProcess(_ pid: Int32) -> FileDescriptor? {
        guard case .success(let fd) = SystemCall.openAt(rootFD, pidPath(pid, ""), nsl_o_path | O_DIRECTORY) else {
            return nil
        }
        return fd
    }

    /// Reads and parses `/proc/<pid>/stat` with a single open (no directory fd): the refresh path.
    func readStatOnly(_ pid: Int32) -> ProcStat? {
        let count = ProcSyscalls.readWhole(rootFD, pidPath(pid, "/stat"), into: buffer)
        return count > 0 ? StatParser.parse(buffer.bytes(count)) : nil
    }

    /// Reads `name` under `directory` and parses the bytes with `parse`.
    func read<Value>(
        _ directory: FileDescriptor, _ name: StaticString,
        _ parse: (UnsafeBufferPointer<UInt8>) -> Value
    ) -> Result<Value, ProcFailure> {
        let count = ProcSyscalls.readWhole(directory, Self.cName(name), into: buffer)
        if count < 0 { return .failure(Self.failure(Int32(-count))) }
        return .success(parse(buffer.bytes(count)))
    }

    /// Parses a cgroup file's bytes, answering with the array parsed before for the same bytes.
    func internedCgroup(_ bytes: UnsafeBufferPointer<UInt8>) -> [CgroupEntry] {
        let key = Array(bytes)
        if let seen = cgroupsSeen[key] { return seen }
        if cgroupsSeen.count >= 512 { cgroupsSeen.removeAll(keepingCapacity: true) }
        let parsed = SmallFileParsers.cgroup(bytes)
        cgroupsSeen[key] = parsed
        return parsed
    }

    /// Reads `name` (a relative path, e.g. `"1234/net/dev"`) under the root.
    func read<Value>(path: String, _ parse: (UnsafeBufferPointer<UInt8>) -> Value) -> Result<Value, ProcFailure> {
        let count = ProcSyscalls.readWhole(rootFD, path, into: buffer)
        if count < 0 { return .failure(Self.failure(Int32(-count))) }
        return .success(parse(buffer.bytes(count)))
    }

    /// Reads the symlink `name` under `directory` and parses its target.
    func readLink<Value>(
        _ directory: FileDescriptor, _ name: StaticString,
        _ parse: (UnsafeBufferPointer<UInt8>) -> Value
    ) -> Result<Value, ProcFailure> {
        let count = ProcSyscalls.readLink(directory, Self.cName(name), into: buffer)
        if count < 0 { return .failure(Self.failure(Int32(-count))) }
        return .success(parse(buffer.bytes(count)))
    }

    /// A static string literal as a C string (literals are NUL-terminated).
    static func cName(_ name: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Classifies an errno: gone or missing versus unreadable.
    static func failure(_ code: Int32) -> ProcFailure {
        code == ENOENT || code == ESRCH ? .absent : .unreadable
    }
}

extension Result where Failure == ProcFailure, Success: Sendable {
    /// The value as a fact: absent files are `unavailable`, unreadable ones `unknown`.
    var fact: Fact<Success> {
        switch self {
        case .success(let value): .known(value)
        case .failure(.absent): .unavailable
        case .failure(.unreadable): .unknown
        }
    }
}

extension Result where Failure == ProcFailure, Success: Sendable {
    /// The value as a fact where any failure means unknown (the file exists on every kernel).
    var knownOrUnknown: Fact<Success> {
        if case .success(let value) = self { return .known(value) }
        return .unknown
    }
}

extension Result where Failure == ProcFailure {
    /// The parsed value, or nil on any failure.
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
