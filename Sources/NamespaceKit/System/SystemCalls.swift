import CNamespaces
import Glibc

/// Retries `body` while it fails with EINTR: the one place nslab handles interrupted calls. Every wrapper in
/// `SystemCall` that retries goes through it; internal, so no other module can loop on EINTR on its own.
@inlinable @inline(__always)
func retryingOnInterrupt<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result >= 0 || errno != EINTR { return result }
    }
}

/// The calls into Glibc that nslab's Swift code makes: each wrapped once here, with EINTR retried (through
/// `retryingOnInterrupt`) and a failure reported as an `Errno` or nil, never by throwing, so that a failure costs
/// no allocation. The small ones are `@inlinable`, so that a call from another module (the dashboard's pty reads)
/// is the bare system call, as is one from the /proc fast path (`ProcSyscalls`) in this module.
public enum SystemCall {
    // MARK: Descriptors

    /// Closes `fd`. Never retried: on Linux the descriptor is released even when close reports EINTR, and a
    /// second close could close a descriptor another thread has just been given.
    @inlinable
    public static func close(_ fd: FileDescriptor) {
        _ = Glibc.close(fd.rawValue)
    }

    /// Opens `path` with `flags` (close-on-exec always added), a new file with `mode`; the fd, or why not.
    @inlinable
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) -> Result<FileDescriptor, Errno> {
        let fd = retryingOnInterrupt { Glibc.open(path, flags | O_CLOEXEC, mode) }
        return fd < 0 ? .failure(.current) : .success(FileDescriptor(rawValue: fd))
    }

    /// Sets the mode of the file open as `fd` (the umask does not apply, unlike open's mode).
    @inlinable
    public static func changeMode(_ fd: FileDescriptor, _ mode: mode_t) -> Errno? {
        fchmod(fd.rawValue, mode) == 0 ? nil : .current
    }

    /// Opens `name` relative to the directory `directory` (or `AT_FDCWD`) with `flags`, close-on-exec added.
    @inlinable
    public static func openAt(_ directory: FileDescriptor, _ name: UnsafePointer<CChar>, _ flags: Int32)
        -> Result<FileDescriptor, Errno>
    {
        let fd = retryingOnInterrupt { openat(directory.rawValue, name, flags | O_CLOEXEC) }
        return fd < 0 ? .failure(.current) : .success(FileDescriptor(rawValue: fd))
    }

    /// Opens `path` as if `root` were the root directory (openat2 with RESOLVE_IN_ROOT, magic links refused):
    /// an absolute path, an absolute symbolic link met on the way and ".." all stay under `root`, as for a process
    /// chrooted there; a relative `path` starts at `root` too. Close-on-exec is added. EINTR is retried, and so is
    /// EAGAIN a few times (the kernel's answer when a rename raced the look-up).
    public static func openInRoot(_ root: FileDescriptor, _ path: String, _ flags: Int32)
        -> Result<FileDescriptor, Errno>
    {
        for _ in 0..<8 {
            let fd = retryingOnInterrupt {
                nsl_openat2(
                    root.rawValue, path, UInt64(UInt32(bitPattern: flags)),
                    nsl_resolve_in_root | nsl_resolve_no_magiclinks)
            }
            if fd >= 0 { return .success(FileDescriptor(rawValue: fd)) }
            if errno != EAGAIN { return .failure(.current) }
        }
        return .failure(.wouldBlock)
    }

    /// A second descriptor for what `fd` refers to, close-on-exec.
    @inlinable
    public static func duplicate(_ fd: FileDescriptor) -> Result<FileDescriptor, Errno> {
        let copy = Glibc.fcntl(fd.rawValue, F_DUPFD_CLOEXEC, 0)
        return copy < 0 ? .failure(.current) : .success(FileDescriptor(rawValue: copy))
    }

    /// A pipe: its read end and its write end, both close-on-exec.
    public static func pipe() -> Result<(read: FileDescriptor, write: FileDescriptor), Errno> {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { return .failure(.current) }
        for end in ends { _ = Glibc.fcntl(end, F_SETFD, FD_CLOEXEC) }
        return .success((FileDescriptor(rawValue: ends[0]), FileDescriptor(rawValue: ends[1])))
    }

    /// Makes `fd` non-blocking, so a read or write returns EAGAIN instead of waiting.
    @discardableResult
    public static func setNonBlocking(_ fd: FileDescriptor) -> Errno? {
        let flags = Glibc.fcntl(fd.rawValue, F_GETFL)
        guard flags >= 0, Glibc.fcntl(fd.rawValue, F_SETFL, flags | O_NONBLOCK) == 0 else { return .current }
        return nil
    }

    // MARK: Reading and writing

    /// Reads what `fd` has, up to `buffer.count` bytes: the count (0 at end of file), or the error
    /// (EAGAIN when a non-blocking fd has nothing now, EIO once a pty's other side is gone).
    @inlinable
    public static func read(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        let got = retryingOnInterrupt { Glibc.read(fd.rawValue, buffer.baseAddress, buffer.count) }
        return got < 0 ? .failure(.current) : .success(got)
    }

    /// Writes all of `bytes` to `fd`, carrying on after partial writes: the one writeAll of nslab. Nil when
    /// everything was written, else the error that stopped it (EAGAIN from a full non-blocking pty, EPIPE from a
    /// closed pipe, ...).
    @discardableResult
    public static func writeAll(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) -> Errno? {
        guard var cursor = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = retryingOnInterrupt { Glibc.write(fd.rawValue, cursor, left) }
            if written < 0 { return .current }
            if written == 0 { return Errno(EIO) }
            cursor += written
            left -= written
        }
        return nil
    }

    /// Writes all of `bytes` to `fd`; see `writeAll(_:_:)` for the result.
    @discardableResult
    public static func writeAll(_ fd: FileDescriptor, _ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes all of `text` as UTF-8 to `fd`; see `writeAll(_:_:)` for the result.
    @discardableResult
    public static func writeAll(_ fd: FileDescriptor, _ text: String) -> Errno? {
        var text = text
        return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Reads the target of the symlink `name` under `directory` into `buffer` (not NUL-terminated): its length,
    /// or why not. A target longer than the buffer comes back cut to it, as readlinkat(2) does.
    @inlinable
    public static func readLinkAt(
        _ directory: FileDescriptor, _ name: UnsafePointer<CChar>, into buffer: UnsafeMutableRawBufferPointer
    ) -> Result<Int, Errno> {
        guard let base = buffer.baseAddress else { return .success(0) }
        let got = readlinkat(directory.rawValue, name, base.assumingMemoryBound(to: CChar.self), buffer.count)
        return got < 0 ? .failure(.current) : .success(got)
    }

    /// Reads the target of the symlink at `path` into `buffer`, as `readLinkAt(_:_:into:)` does.
    public static func readLink(_ path: String, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        path.withCString { readLinkAt(FileDescriptor(rawValue: AT_FDCWD), $0, into: buffer) }
    }

    /// The target of the symlink at `path`; nil when it is no symlink or cannot be read.
    public static func readLink(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let result = buffer.withUnsafeMutableBytes { readLink(path, into: $0) }
        guard case .success(let count) = result, count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
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
        let fd: FileDescriptor
        switch open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY) {
        case .success(let opened): fd = opened
        case .failure(let error): return .failure(.system(error))
        }
        defer { close(fd) }
        let status: stat
        switch fileStatus(fd) {
        case .success(let found): status = found
        case .failure(let error): return .failure(.system(error))
        }
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

    // MARK: Files and directories

    /// What `fstat(2)` says of `fd`.
    @inlinable
    public static func fileStatus(_ fd: FileDescriptor) -> Result<stat, Errno> {
        var status = stat()
        return Glibc.fstat(fd.rawValue, &status) == 0 ? .success(status) : .failure(.current)
    }

    /// Makes the directory `path` with `mode` (less the umask).
    public static func makeDirectory(_ path: String, mode: mode_t) -> Errno? {
        mkdir(path, mode) == 0 ? nil : .current
    }

    /// Reads up to `buffer.count` bytes at `offset` of `fd` without moving its file position.
    @inlinable
    public static func read(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int)
        -> Result<Int, Errno>
    {
        let count = retryingOnInterrupt { pread(fd.rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }
        return count < 0 ? .failure(.current) : .success(count)
    }

    /// What `stat(2)` says of `path` (symlinks followed).
    public static func fileStatus(_ path: String) -> Result<stat, Errno> {
        var status = stat()
        return stat(path, &status) == 0 ? .success(status) : .failure(.current)
    }

    /// The inode number of what `fd` refers to; nil when fstat fails.
    @inlinable
    public static func inode(of fd: FileDescriptor) -> UInt64? {
        guard case .success(let status) = fileStatus(fd) else { return nil }
        return UInt64(status.st_ino)
    }

    /// Whether `access(2)` grants `mode` (`F_OK`, `X_OK`, ...) on `path` to the real user.
    public static func isAccessible(_ path: String, _ mode: Int32) -> Bool {
        Glibc.access(path, mode) == 0
    }

    /// Whether something exists at `path` (`access(path, F_OK)`, symlinks followed).
    public static func fileExists(_ path: String) -> Bool {
        isAccessible(path, F_OK)
    }

    /// Calls `body` with each entry's NUL-terminated name (`d_name`, "." and ".." included) of the directory
    /// open as `directory`, from its start; false when it cannot be listed. The names are the C library's bytes,
    /// valid only during the call, so a scan of /proc allocates nothing per entry. `directory` stays open.
    public static func forEachEntry(
        of directory: FileDescriptor, _ body: (UnsafeRawBufferPointer) -> Void
    ) -> Bool {
        // fdopendir takes over the descriptor it is given, and closedir closes it: list a copy.
        guard case .success(let copy) = duplicate(directory) else { return false }
        guard let stream = fdopendir(copy.rawValue) else {
            close(copy)
            return false
        }
        defer { closedir(stream) }
        rewinddir(stream)
        while let entry = readdir(stream) {
            withUnsafeBytes(of: &entry.pointee.d_name) { body($0) }
        }
        return true
    }

    /// The names of the entries of the directory at `path` but "." and "..", in directory order; nil when it
    /// cannot be opened.
    public static func directoryEntries(_ path: String) -> [String]? {
        guard let stream = opendir(path) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    // MARK: Terminals

    /// Tells the terminal behind `fd` (a pty master) its size; the process group in it gets SIGWINCH.
    @discardableResult
    public static func setWindowSize(_ fd: FileDescriptor, rows: UInt16, columns: UInt16) -> Errno? {
        var window = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        return ioctl(fd.rawValue, UInt(TIOCSWINSZ), &window) == 0 ? nil : .current
    }

    /// The size of the terminal behind `fd` (TIOCGWINSZ); nil when it is no terminal or says 0 by 0.
    public static func windowSize(_ fd: FileDescriptor) -> (rows: UInt16, columns: UInt16)? {
        var window = winsize()
        guard ioctl(fd.rawValue, UInt(TIOCGWINSZ), &window) == 0 else { return nil }
        return (window.ws_row, window.ws_col)
    }

    /// Whether `fd` is a terminal.
    public static func isTerminal(_ fd: FileDescriptor) -> Bool {
        isatty(fd.rawValue) == 1
    }

    // MARK: Waiting

    /// Waits up to `milliseconds` (-1: for ever) for one of `fds` to be ready, as `poll(2)`: the number ready
    /// (0: the time ran out), each entry's `revents` filled in. With `retryOnInterrupt` false a signal ends the
    /// wait with `.interrupted`, for a loop that must look at what the signal brought.
    public static func poll(
        _ fds: inout [pollfd], milliseconds: Int32, retryOnInterrupt: Bool = true
    ) -> Result<Int, Errno> {
        let count = nfds_t(fds.count)
        let ready =
            retryOnInterrupt
            ? retryingOnInterrupt { Glibc.poll(&fds, count, milliseconds) } : Glibc.poll(&fds, count, milliseconds)
        return ready < 0 ? .failure(.current) : .success(Int(ready))
    }

    /// Waits for `fd` to be readable for up to `milliseconds`; true when it is.
    public static func waitReadable(_ fd: FileDescriptor, milliseconds: Int32) -> Bool {
        var fds = [pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)]
        guard case .success(let ready) = poll(&fds, milliseconds: milliseconds), ready > 0 else { return false }
        return fds[0].revents & Int16(POLLIN) != 0
    }

    // MARK: Processes

    /// Reaps `pid` as `waitpid(2)` with `options` (`WNOHANG`, ...): the pid and its wait status, 0 for the pid
    /// when WNOHANG found it still running, or why not (ECHILD: nothing of that pid to wait for).
    public static func wait(for pid: pid_t, options: Int32) -> Result<(pid: pid_t, status: Int32), Errno> {
        var status: Int32 = 0
        let result = retryingOnInterrupt { waitpid(pid, &status, options) }
        return result < 0 ? .failure(.current) : .success((result, status))
    }

    /// Sends `signal` to `pid` (`kill(2)`); nil when it was sent.
    @discardableResult
    public static func sendSignal(_ signal: Int32, to pid: pid_t) -> Errno? {
        Glibc.kill(pid, signal) == 0 ? nil : .current
    }

    /// Takes one pending signal of `signals` (which the caller has blocked), waiting for one if none is pending,
    /// as `sigwaitinfo(2)`: the signal and what the kernel says of it. Nil only on a failure other than EINTR.
    public static func takeSignal(of signals: sigset_t) -> (signal: Int32, info: siginfo_t)? {
        var signals = signals
        var info = siginfo_t()
        let signal = retryingOnInterrupt { sigwaitinfo(&signals, &info) }
        return signal < 0 ? nil : (signal, info)
    }

    // MARK: The process itself

    /// nslab's own pid.
    @inlinable
    public static var processID: pid_t { getpid() }

    /// nslab's effective uid (0: root).
    @inlinable
    public static var effectiveUserID: uid_t { geteuid() }

    /// nslab's effective gid.
    @inlinable
    public static var effectiveGroupID: gid_t { getegid() }

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
        readLink(procRoot.path + "/self/exe")
    }

    /// Lowers the calling thread's priority alone by `increment` (nice); false when the kernel refused.
    @discardableResult
    public static func lowerThisThreadsPriority(by increment: Int32) -> Bool {
        nsl_nice_this_thread(increment) == 0
    }
}
