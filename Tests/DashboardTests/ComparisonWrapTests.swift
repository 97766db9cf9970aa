import Testing

@testable import Dashboard
@testable import NamespaceKit

/// The Host vs child panel never cuts off the fact that differs.
@Suite struct ComparisonWrapTests {
    static let time = ComparisonRow(
        kind: .time, hostID: "[4026531834]", hostFact: "up 1:02:03 mono +0s boot +0s", childID: "[4026532205]",
        childFact: "up 1d 1:02:03 mono +0s boot +86400s", same: false)
    static let net = ComparisonRow(
        kind: .net, hostID: "[4026531833]", hostFact: "lo up, eth0 up, veth-lab1 up, docker0 down",
        childID: "[4026532203]", childFact: "lo up", same: false)
    static let uts = ComparisonRow(
        kind: .uts, hostID: "[4026531838]", hostFact: "vm", childID: "[4026532201]", childFact: "lab", same: false)

    /// The words of one side of the panel's lines, joined: what a reader sees of each fact, whatever the wrapping.
    static func text(_ view: ComparisonView, width: Int) -> String {
        ComparisonPanel.lines(view, width: width).lines.map(\.text).joined(separator: "\n")
    }

    /// Guards against the time row ending `mono +0s b…` at 120x35 (so a boottime offset was never visible) and
    /// the net row cutting the interface list: the row wraps instead, and no fact is truncated.
    @Test("at the 120x35 width the time and net rows wrap; every word of every fact is on screen")
    func wrapsInsteadOfTruncating() {
        let view = ComparisonView(subject: "pid 2002 (bash)", rows: [Self.uts, Self.net, Self.time])
        let (lines, _, _) = ComparisonPanel.lines(view, width: 64)
        let shown = lines.map(\.text).joined(separator: " ")
        #expect(!lines.contains { $0.text.hasSuffix("…") }, "\(lines.map(\.text))")
        for fact in [Self.time.hostFact, Self.time.childFact, Self.net.hostFact] {
            for word in fact.split(separator: " ") { #expect(shown.contains(word), "\(word) in \(shown)") }
        }
        #expect(shown.contains("+86400s"))
        #expect(shown.contains("docker0 down") || shown.contains("docker0"), "the last interface")
        #expect(lines.count > 3, "the long rows took more than one line each")
        #expect(lines.allSatisfy { DisplayWidth.width(of: $0.text) <= 64 })
    }

    /// Guards against the ids crowding out the facts: when a row does not fit, the ids shorten before any row
    /// wraps (and then on every row alike), so a row that fits with short ids stays on one line.
    @Test("the namespace id shortens first, then the row wraps")
    func idShortensFirst() {
        let fitsShort = ComparisonRow(
            kind: .net, hostID: "[4026531833]", hostFact: "lo up, eth0 up", childID: "[4026532203]",
            childFact: "lo up, veth1 up", same: false)
        let view = ComparisonView(subject: "pid 2002 (bash)", rows: [Self.uts, fitsShort])
        let text = Self.text(view, width: 64)
        #expect(text.contains("[…1833] lo up, eth0 up") && text.contains("[…2203] lo up, veth1 up"), "\(text)")
        #expect(text.contains("[…1838] vm"), "every row's ids shorten alike: \(text)")
        #expect(ComparisonPanel.lines(view, width: 64).lines.count == 2, "\(text)")
        // Wide enough for everything: the ids stay whole.
        let wide = Self.text(view, width: 90)
        #expect(wide.contains("[4026531833] lo up, eth0 up"), "\(wide)")
    }

    /// Guards against the cursor marking only the first line of a wrapped row.
    @Test("the cursor covers every line of a wrapped row")
    func cursorCoversTheWrappedRow() {
        let view = ComparisonView(subject: "pid 2002 (bash)", rows: [Self.uts, Self.time], cursor: 1)
        let (lines, cursorLine, cursorCount) = ComparisonPanel.lines(view, width: 64)
        #expect(cursorLine == 1)
        #expect(cursorCount >= 2 && cursorLine + cursorCount == lines.count)
    }
}
