import Glibc
import Testing

@testable import NamespaceKit

/// The fact helpers' cost must not grow with nslab's memory.
@Suite(.serialized) struct HelperCostTests {
    /// Guards against the fact helpers being `fork()`s of nslab: with a 1.35 GB scrollback each fork copied page
    /// tables for 33-41 ms (170-260 ms for 1 GiB on this machine), about twice per refresh, so idle CPU and key
    /// echo grew with the scrollback. A helper that shares nslab's memory costs well under a millisecond whatever
    /// nslab's size; 40 ms is the bound here only so a loaded machine cannot make the test flaky.
    @Test func readingFactsWithAGigabyteTouchedStaysCheap() throws {
        let size = 1 << 30
        let block = try #require(malloc(size))
        defer { free(block) }
        memset(block, 1, size)  // every page present, as a full scrollback's are
        let reader = LiveInsideReader()
        var durations: [UInt64] = []
        var facts = InsideFacts()
        for _ in 0..<7 {
            let start = SystemCall.monotonicNanoseconds()
            facts = reader.facts(of: getpid(), root: .system, interfaceNames: ["lo"])
            durations.append(SystemCall.monotonicNanoseconds() - start)
        }
        #expect(block.load(fromByteOffset: size - 1, as: UInt8.self) == 1)
        #expect(facts.uts.value?.hostname.isEmpty == false)
        #expect(facts.interfaceFlags?.count == 1)
        let median = durations.sorted()[durations.count / 2]
        #expect(median < 40_000_000, "median \(Double(median) / 1e6) ms with 1 GiB touched")
    }
}
