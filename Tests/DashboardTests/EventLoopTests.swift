import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// The event loop routes process-wide signal handlers, so these tests run one at a time.
@Suite("Event loop", .serialized)
struct EventLoopTests {
    @Test("a readable fd wakes the loop; a closed writer is a hangup")
    func readable() throws {
        let loop = try EventLoop(signals: [])
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let watched = FileDescriptor(rawValue: ends[0])
        loop.watch(watched)
        #expect(write(ends[1], "x", 1) == 1)
        #expect(loop.wait() == [.readable(watched)])
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 1)
        close(ends[1])
        #expect(loop.wait() == [.hangup(watched)])
        loop.unwatch(watched)
        loop.addTimer(seconds: 0.01, repeating: false)
        #expect(loop.wait().allSatisfy { if case .timer = $0 { true } else { false } })
    }

    @Test("timers fire on time without spinning, and repeating ones keep firing")
    func timers() throws {
        let loop = try EventLoop(signals: [])
        let id = loop.addTimer(seconds: 0.05, repeating: true)
        // This thread's CPU time: other tests run in parallel and would blur a process-wide figure.
        func threadCPU() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let cpuBefore = threadCPU()
        let start = EventLoop.now()
        #expect(loop.wait() == [.timer(id)])
        #expect(loop.wait() == [.timer(id)])
        let elapsed = Double(EventLoop.now() - start) / 1e9
        #expect(elapsed >= 0.095 && elapsed < 0.5)
        // Two 50 ms sleeps must cost next to no CPU: a busy loop would burn about 100 ms.
        #expect(threadCPU() - cpuBefore < 0.03)
        loop.removeTimer(id)
    }

    // kill, not raise: test threads block most signals, and raise targets the calling thread. The kernel
    // delivers them to another thread asynchronously, so collect until both arrived (or a 2 s guard fires).
    @Test("routed signals arrive as events")
    func signals() throws {
        let loop = try EventLoop(signals: [SIGWINCH, SIGUSR1])
        let guardTimer = loop.addTimer(seconds: 2, repeating: false)
        kill(getpid(), SIGWINCH)
        kill(getpid(), SIGUSR1)
        var signals: Set<Int32> = []
        var timedOut = false
        while signals.count < 2 && !timedOut {
            for event in loop.wait() {
                switch event {
                case .signal(let number): signals.insert(number)
                case .timer(guardTimer): timedOut = true
                default: break
                }
            }
        }
        #expect(signals == [SIGWINCH, SIGUSR1])
    }
}
