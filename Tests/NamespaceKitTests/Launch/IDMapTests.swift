import Testing

@testable import NamespaceKit

@Suite("uid/gid maps")
struct IDMapTests {
    @Test("parses INSIDE OUTSIDE COUNT with any blanks")
    func parses() throws {
        #expect(try IDMapEntry(parsing: "0 1000 1") == IDMapEntry(inside: 0, outside: 1000, count: 1))
        #expect(try IDMapEntry(parsing: "  5\t100   20 ") == IDMapEntry(inside: 5, outside: 100, count: 20))
    }

    /// "-0 0 1" and "+5 0 1" guard against signs slipping through UInt32's parser (issue 13, point 15).
    @Test(
        "rejects what is not three numbers",
        arguments: [
            "", "0 1", "0 1 2 3", "a b c", "-1 0 1", "0 0 4294967296", "-0 0 1", "+5 0 1", "0 -0 1",
        ])
    func rejects(text: String) {
        #expect(throws: IDMapError.malformed(text)) { try IDMapEntry(parsing: text) }
    }

    @Test("a zero count, an overflow, overlaps and too many lines are refused")
    func validation() {
        let line = { (a: UInt32, b: UInt32, c: UInt32) in IDMapEntry(inside: a, outside: b, count: c) }
        #expect(throws: IDMapError.zeroCount(.uid, line(0, 0, 0))) {
            try IDMap.validate([line(0, 0, 0)], kind: .uid, privileged: true, ownID: 0)
        }
        #expect(throws: IDMapError.overflow(.gid, line(4_294_967_290, 0, 10))) {
            try IDMap.validate([line(4_294_967_290, 0, 10)], kind: .gid, privileged: true, ownID: 0)
        }
        #expect(throws: IDMapError.overlap(.uid, column: "inside", line(0, 0, 10), line(9, 100, 1))) {
            try IDMap.validate([line(0, 0, 10), line(9, 100, 1)], kind: .uid, privileged: true, ownID: 0)
        }
        #expect(throws: IDMapError.overlap(.uid, column: "outside", line(0, 0, 10), line(20, 5, 1))) {
            try IDMap.validate([line(0, 0, 10), line(20, 5, 1)], kind: .uid, privileged: true, ownID: 0)
        }
        let many = (0..<341).map { line(UInt32($0), UInt32($0), 1) }
        #expect(throws: IDMapError.tooManyLines(.uid, 341)) {
            try IDMap.validate(many, kind: .uid, privileged: true, ownID: 0)
        }
        // Adjacent ranges do not overlap, and 340 lines are fine.
        #expect(throws: Never.self) {
            try IDMap.validate([line(0, 0, 10), line(10, 10, 10)], kind: .uid, privileged: true, ownID: 0)
            try IDMap.validate(Array(many.prefix(340)), kind: .uid, privileged: true, ownID: 0)
        }
    }

    @Test("an unprivileged caller may map only its own id, once")
    func unprivileged() {
        let own = [IDMapEntry(inside: 0, outside: 1000, count: 1)]
        #expect(throws: Never.self) { try IDMap.validate(own, kind: .uid, privileged: false, ownID: 1000) }
        for lines in [
            [IDMapEntry(inside: 0, outside: 0, count: 1)],
            [IDMapEntry(inside: 0, outside: 1000, count: 2)],
            own + [IDMapEntry(inside: 1, outside: 2000, count: 1)],
        ] {
            #expect(throws: IDMapError.unprivileged(.uid, own: 1000)) {
                try IDMap.validate(lines, kind: .uid, privileged: false, ownID: 1000)
            }
        }
        #expect(IDMapError.unprivileged(.gid, own: 1000).description.contains("'0 1000 1'"))
    }

    @Test("the kernel text is one line per entry")
    func text() {
        #expect(
            IDMap.text(IDMap.rootTo(1000) + [IDMapEntry(inside: 1, outside: 100000, count: 65536)])
                == "0 1000 1\n1 100000 65536\n")
    }
}

/// Map limits the kernel enforces and nslab must check before launching (issue 13, points 13 and 14).
@Suite("uid/gid map limits")
struct IDMapLimitTests {
    private func line(_ a: UInt32, _ b: UInt32, _ c: UInt32) -> IDMapEntry {
        IDMapEntry(inside: a, outside: b, count: c)
    }

    /// Guards against 171 lines of "400000000N 400000000N 1" passing the check (under 340 lines) and failing
    /// only at launch with "writing uid_map: Invalid argument": the 4,096-byte limit is checked and named.
    @Test("a map over the kernel's byte limit is refused, naming the limit")
    func byteLimit() {
        let long = (0..<171).map { line(4_000_000_000 + UInt32($0), 4_000_000_000 + UInt32($0), 1) }
        #expect(IDMap.text(long).utf8.count == 4104)
        #expect(throws: IDMapError.tooManyBytes(.uid, 4104)) {
            try IDMap.validate(long, kind: .uid, privileged: true, ownID: 0)
        }
        #expect(IDMapError.tooManyBytes(.uid, 4104).description.contains("at most 4095 bytes"))
        // Just under the limit is fine: 170 such lines are 4080 bytes.
        #expect(throws: Never.self) {
            try IDMap.validate(Array(long.prefix(170)), kind: .uid, privileged: true, ownID: 0)
        }
    }

    /// Guards against the quadratic check: 10,000 lines are refused on their count at once, before any
    /// other check runs.
    @Test("too many lines are refused on the count, before anything else")
    func countFirst() {
        let absurd = Array(repeating: line(0, 0, 0), count: 10_000)
        #expect(throws: IDMapError.tooManyLines(.gid, 10_000)) {
            try IDMap.validate(absurd, kind: .gid, privileged: true, ownID: 0)
        }
    }

    /// Guards the sorting overlap check (O(n log n)) against missing an overlap the pairwise check found:
    /// on random maps, both agree on whether a column overlaps, and the pair reported does overlap.
    @Test("the sorted overlap check agrees with checking every pair")
    func overlapMatchesPairwise() {
        var state: UInt64 = 0x1234_5678
        func next(_ bound: UInt32) -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: state >> 33) % bound
        }
        for _ in 0..<500 {
            let lines = (0..<(1 + Int(next(12)))).map { _ in line(next(200), next(200), 1 + next(30)) }
            for column in [\IDMapEntry.insideRange, \IDMapEntry.outsideRange] {
                var pairwise = false
                for (i, a) in lines.enumerated() {
                    for b in lines[(i + 1)...] where a[keyPath: column].overlaps(b[keyPath: column]) { pairwise = true }
                }
                let found = IDMap.firstOverlap(lines, column)
                #expect((found != nil) == pairwise, "\(lines)")
                if let (a, b) = found { #expect(a[keyPath: column].overlaps(b[keyPath: column])) }
            }
        }
    }
}
