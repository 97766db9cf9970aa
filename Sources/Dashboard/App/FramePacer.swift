/// When the dashboard draws: one state and named transitions, pure. The run loop owns the clock, the frame timer
/// and the terminal; it tells the pacer what happened and does what the decisions say.
///
/// Keys typed into a child draw its echo as soon as it is read, so typing in the pane feels as quick as in a
/// plain terminal. Output from a child alone draws at most every `interval`: a flood of pty reads would
/// otherwise render a frame per read. Anything else draws at once.
struct FramePacer: Equatable {
    /// What the pacer is waiting for.
    enum State: Equatable {
        /// Nothing: the screen shows everything.
        case idle
        /// Keys went to a child at `since`: its next output that a poll reports after that time is their echo,
        /// drawn at once (drawing before it would only delay reading it). The frame timer draws at `fallback`
        /// for a key that echoes nothing; nil once a frame was drawn, the echo still awaited.
        case waitingForEcho(since: UInt64, fallback: UInt64?)
        /// A child wrote too soon after the last frame: the frame timer draws at `until`.
        case deferred(until: UInt64)
    }

    /// What the run loop does next; when several events came at once it does the strongest (`merged`).
    enum Decision: Equatable {
        /// Nothing to draw yet.
        case nothing
        /// Arm the frame timer for this time (the pacer asks only when none is armed).
        case schedule(at: UInt64)
        /// Draw now; only the pane can have changed, so the rest of the last frame may be kept.
        case drawPane
        /// Draw the whole dashboard now.
        case drawAll

        /// The decision for two events at once: a draw beats a timer, the whole frame beats the pane, and of
        /// two timers the earlier one.
        func merged(with other: Decision) -> Decision {
            if case .schedule(let mine) = self, case .schedule(let theirs) = other {
                return .schedule(at: min(mine, theirs))
            }
            return rank >= other.rank ? self : other
        }

        private var rank: Int {
            switch self {
            case .nothing: 0
            case .schedule: 1
            case .drawPane: 2
            case .drawAll: 3
            }
        }
    }

    /// The shortest time between two frames caused by child output alone (nanoseconds; about 60 fps), and how
    /// long a key's echo is waited for before the pane is drawn anyway.
    static let interval: UInt64 = 16_000_000

    /// Where the pacer is.
    private(set) var state = State.idle
    /// When the last frame was drawn (monotonic nanoseconds).
    private(set) var lastDraw: UInt64 = 0

    /// Keys (or a mouse event) went to a child at `now` and changed nothing else: wait for its echo, with the
    /// frame timer as a fallback.
    mutating func keysSentToChild(now: UInt64) -> Decision {
        switch state {
        case .idle, .waitingForEcho(_, fallback: .none):
            let fallback = now + Self.interval
            state = .waitingForEcho(since: now, fallback: fallback)
            return .schedule(at: fallback)
        case .waitingForEcho(let since, let fallback?):
            // Still waiting for the first keys' echo: a reply to them draws, and the armed fallback stays.
            state = .waitingForEcho(since: since, fallback: fallback)
            return .nothing
        case .deferred(let until):
            // The armed timer becomes the fallback.
            state = .waitingForEcho(since: now, fallback: until)
            return .nothing
        }
    }

    /// A child's output was read into its pane at `now`, found by the poll that returned at `polledAt`.
    mutating func childOutput(polledAt: UInt64, now: UInt64) -> Decision {
        switch state {
        case .waitingForEcho(let since, _):
            // Output the poll reported before the keys were written cannot be their echo; the fallback is armed
            // (keys sent in this same wake-up arm it).
            guard polledAt > since else { return .nothing }
            state = .idle
            return .drawPane
        case .deferred:
            return .nothing
        case .idle:
            if now >= lastDraw + Self.interval { return .drawPane }
            state = .deferred(until: lastDraw + Self.interval)
            return .schedule(at: lastDraw + Self.interval)
        }
    }

    /// Something besides the pane may look different (a key for the dashboard, a scan, a signal, a resize, a
    /// tick, a child that ended): draw it all at once.
    func panelsChanged() -> Decision {
        .drawAll
    }

    /// The frame timer the pacer asked for fired: the deferred output, or the pane after keys that echoed
    /// nothing yet, is drawn.
    func timerFired() -> Decision {
        .drawPane
    }

    /// A frame was drawn at `now` (any armed frame timer was removed). An echo still awaited stays awaited: when
    /// it comes late, it draws at once.
    mutating func drawn(now: UInt64) {
        lastDraw = now
        switch state {
        case .idle, .deferred: state = .idle
        case .waitingForEcho(let since, _): state = .waitingForEcho(since: since, fallback: nil)
        }
    }
}
