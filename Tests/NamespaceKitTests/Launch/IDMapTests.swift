import Testing

@testable import NamespaceKit

@Suite("uid/gid maps")
struct IDMapTests {
    @Test("parses INSIDE OUTSIDE COUNT with any blanks")
    func parses() throws {
        #expect(try IDMapEntry(parsing: "0 1000 1") == IDMapEntry(inside: 0, outside: 1000, count: 1))
        #expect(try IDMapEntry(parsing: "  5\t100   20 ") == IDMapEntry(inside: 5, outside: 100, count: 20))
    }

    @Test("rejects what is not three numbers", arguments: ["", "0 1", "0 1 2 3", "a b c", "-1 0 1", "0 0 4294967296"])
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
        #expect(IDMap.text(IDMap.rootTo(1000) + [IDMapEntry(inside: 1, outside: 100000, count: 65536)])
                == "0 1000 1\n1 100000 65536\n")
    }
}
