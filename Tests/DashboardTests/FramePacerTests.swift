import Testing

@testable import Dashboard

/// The frame pacer's transitions, without a terminal: times are plain numbers of nanoseconds. Guards the three
/// promises the run loop keeps (DESIGN's key echo and 16 MB throughput bars rest on them): keys typed into the
/// child draw its echo at once, a child's output alone draws at most every 16 ms, anything else draws at once.
@Suite("Frame pacer")
struct FramePacerTests {
    let ms: UInt64 = 1_000_000
    let interval = FramePacer.interval

    /// A pacer whose last frame was drawn at `time`.
    func drawn(at time: UInt64) -> FramePacer {
        var pacer = FramePacer()
        pacer.drawn(now: time)
        return pacer
    }

    @Test("keys to the child arm the fallback timer and wait; the output of a later poll is the echo, drawn at once")
    func echo() {
        var pacer = drawn(at: 1000 * ms)
        #expect(pacer.keysSentToChild(now: 1001 * ms) == .schedule(at: 1001 * ms + interval))
        #expect(pacer.state == .waitingForEcho(since: 1001 * ms, fallback: 1001 * ms + interval))
        // The echo comes 1 ms after the last frame, well inside 16 ms: it is drawn all the same.
        #expect(pacer.childOutput(polledAt: 1001 * ms + 200, now: 1001 * ms + 300) == .drawPane)
        #expect(pacer.state == .idle)
        pacer.drawn(now: 1001 * ms + 400)
        #expect(pacer.lastDraw == 1001 * ms + 400)
    }

    @Test("output the same poll reported as the keys is not their echo: nothing is drawn before it")
    func sameWakeUp() {
        var pacer = drawn(at: 0)
        let polled = 500 * ms
        #expect(pacer.keysSentToChild(now: polled + 10) == .schedule(at: polled + 10 + interval))
        #expect(pacer.childOutput(polledAt: polled, now: polled + 20) == .nothing)
        #expect(pacer.childOutput(polledAt: polled + 30, now: polled + 40) == .drawPane)
    }

    @Test("more keys before the echo keep the armed fallback and wait for the first keys' echo")
    func moreKeys() {
        var pacer = drawn(at: 0)
        _ = pacer.keysSentToChild(now: 100 * ms)
        #expect(pacer.keysSentToChild(now: 105 * ms) == .nothing)
        #expect(pacer.state == .waitingForEcho(since: 100 * ms, fallback: 100 * ms + interval))
        // A reply to the first keys, read in the wake-up that sent more, draws.
        #expect(pacer.childOutput(polledAt: 105 * ms, now: 105 * ms + 10) == .drawPane)
    }

    @Test("a key that echoes nothing is drawn by the fallback timer; a late echo still draws at once")
    func fallback() {
        var pacer = drawn(at: 0)
        _ = pacer.keysSentToChild(now: 100 * ms)
        #expect(pacer.timerFired() == .drawPane)
        pacer.drawn(now: 116 * ms)
        #expect(pacer.state == .waitingForEcho(since: 100 * ms, fallback: nil))
        #expect(pacer.childOutput(polledAt: 120 * ms, now: 120 * ms) == .drawPane, "4 ms after a frame, an echo")
        pacer.drawn(now: 121 * ms)
        #expect(pacer.state == .idle)
    }

    @Test("keys after the fallback frame arm a new fallback")
    func keysAfterFallback() {
        var pacer = drawn(at: 0)
        _ = pacer.keysSentToChild(now: 100 * ms)
        pacer.drawn(now: 116 * ms)
        #expect(pacer.keysSentToChild(now: 200 * ms) == .schedule(at: 200 * ms + interval))
    }

    @Test("a child's output alone draws at once when the last frame is 16 ms old, else at the 16 ms mark")
    func outputAlone() {
        var pacer = drawn(at: 100 * ms)
        #expect(pacer.childOutput(polledAt: 116 * ms, now: 116 * ms) == .drawPane)
        pacer.drawn(now: 117 * ms)
        #expect(pacer.childOutput(polledAt: 120 * ms, now: 121 * ms) == .schedule(at: 117 * ms + interval))
        #expect(pacer.state == .deferred(until: 117 * ms + interval))
        #expect(pacer.childOutput(polledAt: 125 * ms, now: 126 * ms) == .nothing, "the timer is armed already")
        #expect(pacer.timerFired() == .drawPane)
        pacer.drawn(now: 133 * ms)
        #expect(pacer.state == .idle)
    }

    @Test("a flood of output draws at most once per 16 ms")
    func flood() {
        var pacer = drawn(at: 0)
        var armed: UInt64?
        var draws: [UInt64] = []
        // A read every 0.5 ms for a second, the timer firing when due, as the loop would run it.
        for step in 1...2000 {
            let now = UInt64(step) * ms / 2
            var decision = FramePacer.Decision.nothing
            if let due = armed, due <= now {
                armed = nil
                decision = decision.merged(with: pacer.timerFired())
            }
            decision = decision.merged(with: pacer.childOutput(polledAt: now, now: now))
            switch decision {
            case .schedule(let at): armed = at
            case .drawPane, .drawAll:
                armed = nil
                draws.append(now)
                pacer.drawn(now: now)
            case .nothing: break
            }
        }
        #expect(draws.count >= 55 && draws.count <= 63, "\(draws.count) frames in a second")
        for (earlier, later) in zip(draws, draws.dropFirst()) { #expect(later - earlier >= interval) }
    }

    @Test("anything else draws the whole dashboard at once, whatever the pacer waits for")
    func panels() {
        var waiting = drawn(at: 0)
        _ = waiting.keysSentToChild(now: 1 * ms)
        var deferred = drawn(at: 0)
        _ = deferred.childOutput(polledAt: 1 * ms, now: 1 * ms)
        for pacer in [drawn(at: 0), waiting, deferred] {
            #expect(pacer.panelsChanged() == .drawAll)
            #expect(pacer.panelsChanged().merged(with: .drawPane) == .drawAll)
        }
        // A whole frame while the output waited for its slot: the timer is gone, nothing is owed.
        deferred.drawn(now: 2 * ms)
        #expect(deferred.state == .idle)
        // A whole frame while keys wait for their echo: the echo still draws at once.
        waiting.drawn(now: 2 * ms)
        #expect(waiting.childOutput(polledAt: 3 * ms, now: 3 * ms) == .drawPane)
    }

    @Test("one wake-up, several events: a draw beats a timer, the whole frame the pane, the earlier timer the later")
    func merging() {
        let decisions: [FramePacer.Decision] = [.nothing, .schedule(at: 5), .drawPane, .drawAll]
        for (index, weaker) in decisions.enumerated() {
            for stronger in decisions[index...] {
                #expect(weaker.merged(with: stronger) == stronger)
                #expect(stronger.merged(with: weaker) == stronger)
            }
        }
        #expect(FramePacer.Decision.schedule(at: 9).merged(with: .schedule(at: 4)) == .schedule(at: 4))
    }

    @Test("output waiting for its slot when keys go out: the armed timer becomes their fallback")
    func keysWhileDeferred() {
        var pacer = drawn(at: 100 * ms)
        #expect(pacer.childOutput(polledAt: 105 * ms, now: 105 * ms) == .schedule(at: 116 * ms))
        #expect(pacer.keysSentToChild(now: 106 * ms) == .nothing)
        #expect(pacer.state == .waitingForEcho(since: 106 * ms, fallback: 116 * ms))
        #expect(pacer.childOutput(polledAt: 107 * ms, now: 107 * ms) == .drawPane)
    }
}
