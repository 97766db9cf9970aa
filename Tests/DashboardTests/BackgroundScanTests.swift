import Glibc
import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Refreshes scan off the event loop's thread; the update step alone puts the result into the model.
@Suite struct BackgroundScanTests {
    /// Waits up to `seconds` for `fd` to be readable, as the event loop's poll would.
    static func readable(_ fd: FileDescriptor, within seconds: Double = 5) -> Bool {
        var entry = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(seconds * 1000)) == 1
    }

    /// Guards against the scan blocking the event loop: at 20,000 processes a refresh took 390-410 ms inside
    /// the update step, and a key or a child's echo that arrived meanwhile waited for it. Now `.refresh` only asks
    /// the scanning thread and returns; the model changes when `.scanFinished` hands the result to the update step.
    @Test(".refresh returns without scanning; .scanFinished puts the scan into the model")
    func refreshDoesNotScanOnTheLoop() throws {
        let system = try LabFixture.system(scansInBackground: true)
        let fd = try #require(system.scanWakeFD)
        let harness = Harness(system: system)
        let rows = harness.model.processes
        #expect(!rows.isEmpty, "the first scan, before the first frame, is waited for")
        harness.model.setProcesses([])  // stale on purpose: only a finished scan may bring the rows back
        harness.send(.refresh)
        #expect(harness.model.processes.isEmpty, "the refresh itself changed nothing")
        harness.press(.down)  // keys are handled while the scan runs
        #expect(Self.readable(fd), "the scan finished and woke the loop")
        let outcome = harness.send(.scanFinished)
        #expect(outcome.changedPanels)
        #expect(harness.model.processes == rows)
        #expect(!Self.readable(fd, within: 0.05), "the wake-up was drained")
        #expect(!harness.send(.scanFinished).changedPanels, "a wake-up without a result changes nothing")
    }

    /// Guards against refreshes piling up behind a slow scan: requests made while one runs collapse into one.
    @Test("many refreshes while a scan runs lead to at most two scans")
    func requestsCollapse() throws {
        let scan = try #require(BackgroundScan(root: ProcRoot(LabFixture.path), host: LabFixture.host))
        defer { scan.stop() }
        let request = ScanRequest(watched: [], children: [])
        for _ in 0..<50 { scan.request(request) }
        var results = 0
        while Self.readable(scan.wakeFD, within: 1) {
            if scan.take() != nil { results += 1 }
            if !scan.isScanning { break }
        }
        #expect(results >= 1 && results <= 2, "\(results) results")
    }
}
