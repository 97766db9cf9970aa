import Glibc
import NamespaceKit

/// The dashboard's one event loop: a blocking poll() over stdin, extra fds (pty masters), a signal pipe
/// and timers. Nothing spins: between events the process sleeps in poll.
public final class EventLoop {
    /// Something that happened.
    public enum Event: Equatable, Sendable {
        /// The fd has data.
        case readable(FileDescriptor)
        /// The fd hung up or failed with nothing left to read (a closed terminal, a child's pty after it
        /// exited); the owner must unwatch it, or poll would report it forever.
        case hangup(FileDescriptor)
        /// A routed signal arrived (SIGWINCH, SIGCHLD, SIGTERM, ...); repeats of one signal are merged.
        case signal(Int32)
        /// A timer fired.
        case timer(TimerID)
    }

    /// Names a timer.
    public struct TimerID: Hashable, Sendable {
        /// A number unique within the loop.
        let value: Int
    }

    private struct Timer {
        let id: TimerID
        let interval: UInt64
        var deadline: UInt64
        let repeating: Bool
    }

    private let pipeRead: FileDescriptor
    private let pipeWrite: FileDescriptor
    private let signals: [Int32]
    private var fds: [FileDescriptor] = []
    private var timers: [Timer] = []
    private var nextTimer = 0

    /// Routes `signals` into the loop. SIGPIPE is ignored while the loop lives, so a closed pty shows up
    /// as a read of 0 rather than killing nslab.
    public init(signals: [Int32] = [SIGWINCH, SIGCHLD, SIGTERM, SIGHUP, SIGINT]) throws(TerminalError) {
        // Close-on-exec (as SystemCall.pipe makes it): a launched child must not inherit the pipe.
        switch SystemCall.pipe() {
        case .success(let ends): (pipeRead, pipeWrite) = ends
        case .failure(let error): throw TerminalError(message: "cannot create the signal pipe: \(error).")
        }
        // Non-blocking: the C handler must never block, and draining stops at empty.
        SystemCall.setNonBlocking(pipeRead)
        SystemCall.setNonBlocking(pipeWrite)
        self.signals = signals
        for signal in signals where !SignalRouting.route(signal, toPipe: pipeWrite.rawValue) {
            throw TerminalError(message: "cannot catch signal \(signal): \(Errno.current).")
        }
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        for signal in signals { SignalRouting.reset(signal) }
        pipeRead.close()
        pipeWrite.close()
    }

    /// Starts reporting `fd` as readable.
    public func watch(_ fd: FileDescriptor) {
        if !fds.contains(fd) { fds.append(fd) }
    }

    /// Stops reporting `fd` (do this before closing it).
    public func unwatch(_ fd: FileDescriptor) {
        fds.removeAll { $0 == fd }
    }

    /// Adds a timer firing after `seconds`, and then every `seconds` when `repeating`.
    @discardableResult
    public func addTimer(seconds: Double, repeating: Bool) -> TimerID {
        let interval = UInt64(max(0.001, seconds) * 1_000_000_000)
        let id = TimerID(value: nextTimer)
        nextTimer += 1
        timers.append(Timer(id: id, interval: interval, deadline: Self.now() + interval, repeating: repeating))
        return id
    }

    /// Removes a timer.
    public func removeTimer(_ id: TimerID) {
        timers.removeAll { $0.id == id }
    }

    /// Nanoseconds on the monotonic clock.
    static func now() -> UInt64 { SystemCall.monotonicNanoseconds() }

    /// Sleeps until at least one event happens and returns all that are ready.
    public func wait() -> [Event] {
        while true {
            var events = firedTimers()
            var pollFDs = [pollfd(fd: pipeRead.rawValue, events: Int16(POLLIN), revents: 0)]
            pollFDs += fds.map { pollfd(fd: $0.rawValue, events: Int16(POLLIN), revents: 0) }
            let timeout = events.isEmpty ? pollTimeout() : 0
            // Not retried: a signal that interrupts the wait has written its byte to the pipe, read below.
            let ready = SystemCall.poll(&pollFDs, milliseconds: timeout, retryOnInterrupt: false)
            if case .failure(let error) = ready, error != .interrupted { return events }
            if case .success(let count) = ready, count > 0 {
                if pollFDs[0].revents != 0 { events += drainSignals() }
                for entry in pollFDs.dropFirst() where entry.revents != 0 {
                    let hungUp = entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
                    let hasData = entry.revents & Int16(POLLIN) != 0
                    let fd = FileDescriptor(rawValue: entry.fd)
                    events.append(hungUp && !hasData ? .hangup(fd) : .readable(fd))
                }
            }
            events += firedTimers()
            if !events.isEmpty { return events }
        }
    }

    /// Milliseconds until the nearest timer, rounded up; -1 (forever) without timers.
    private func pollTimeout() -> Int32 {
        guard let deadline = timers.map(\.deadline).min() else { return -1 }
        let now = Self.now()
        if deadline <= now { return 0 }
        return Int32(min(UInt64(Int32.max), (deadline - now + 999_999) / 1_000_000))
    }

    private func firedTimers() -> [Event] {
        let now = Self.now()
        var fired: [Event] = []
        timers = timers.compactMap { timer in
            guard timer.deadline <= now else { return timer }
            fired.append(.timer(timer.id))
            guard timer.repeating else { return nil }
            var next = timer
            // Skip missed periods instead of firing a burst after a long stall (e.g. a suspended laptop).
            while next.deadline <= now { next.deadline += next.interval }
            return next
        }
        return fired
    }

    private func drainSignals() -> [Event] {
        var seen: [Int32] = []
        var bytes = [UInt8](repeating: 0, count: 64)
        while case .success(let count) = bytes.withUnsafeMutableBytes({ SystemCall.read(pipeRead, into: $0) }),
            count > 0
        {
            for byte in bytes[..<count] where !seen.contains(Int32(byte)) { seen.append(Int32(byte)) }
        }
        return seen.map { .signal($0) }
    }
}
