import Glibc
import NamespaceKit

/// The dashboard's one event loop: a blocking poll() over stdin, extra fds (pty masters), a signal pipe
/// and timers. Nothing spins: between events the process sleeps in poll.
public final class EventLoop {
    /// Something that happened.
    public enum Event: Equatable, Sendable {
        /// The fd has data.
        case readable(Int32)
        /// The fd hung up or failed with nothing left to read (a closed terminal, a child's pty after it
        /// exited); the owner must unwatch it, or poll would report it forever.
        case hangup(Int32)
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

    private let pipeRead: Int32
    private let pipeWrite: Int32
    private let signals: [Int32]
    private var fds: [Int32] = []
    private var timers: [Timer] = []
    private var nextTimer = 0

    /// Routes `signals` into the loop. SIGPIPE is ignored while the loop lives, so a closed pty shows up
    /// as a read of 0 rather than killing nslab.
    public init(signals: [Int32] = [SIGWINCH, SIGCHLD, SIGTERM, SIGHUP, SIGINT]) throws(TerminalError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw TerminalError(message: "cannot create the signal pipe: \(Errno.current).")
        }
        // Non-blocking: the C handler must never block, and draining stops at empty. Close-on-exec: a
        // launched child must not inherit the pipe.
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        pipeRead = ends[0]
        pipeWrite = ends[1]
        self.signals = signals
        for signal in signals where !SignalRouting.route(signal, toPipe: pipeWrite) {
            throw TerminalError(message: "cannot catch signal \(signal): \(Errno.current).")
        }
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        for signal in signals { SignalRouting.reset(signal) }
        close(pipeRead)
        close(pipeWrite)
    }

    /// Starts reporting `fd` as readable.
    public func watch(_ fd: Int32) {
        if !fds.contains(fd) { fds.append(fd) }
    }

    /// Stops reporting `fd` (do this before closing it).
    public func unwatch(_ fd: Int32) {
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
            var pollFDs = [pollfd(fd: pipeRead, events: Int16(POLLIN), revents: 0)]
            pollFDs += fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let timeout = events.isEmpty ? pollTimeout() : 0
            let ready = poll(&pollFDs, nfds_t(pollFDs.count), timeout)
            if ready < 0 && errno != EINTR { return events }
            if ready > 0 {
                if pollFDs[0].revents != 0 { events += drainSignals() }
                for entry in pollFDs.dropFirst() where entry.revents != 0 {
                    let hungUp = entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
                    let hasData = entry.revents & Int16(POLLIN) != 0
                    events.append(hungUp && !hasData ? .hangup(entry.fd) : .readable(entry.fd))
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
