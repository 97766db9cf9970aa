import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Issue 25: with a Podman process selected at 160x45 the net row wrapped to two lines and the cgroup path to three,
/// so the time row never showed. Long values now shorten to one or two lines, and Enter shows them whole.
@Suite("Host vs child: long values")
struct ComparisonFitTests {
    /// A Podman container's cgroup v1 path: `/libpod_parent/libpod-` and the 64-hex container id.
    static let podmanCgroup =
        "/libpod_parent/libpod-3f2a9c1e5b7d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f/ctr"
    /// A host with a container engine's bridge and veths.
    static let hostInterfaces = [
        "lo", "eth0", "ifb0", "ifb1", "podman0", "veth3f2a9c1e", "veth7b8c9d0e", "cni-podman1", "vethlast",
    ]

    /// A comparison of a container process with the host: long cgroup path on both sides (cgroup v1 has no
    /// cgroup namespace under Podman), many interfaces on the host, every kind its own but time.
    static func containerView(cursor: Int = 0, expanded: NamespaceKind? = nil) -> ComparisonView {
        var comparison = sampleComparison(childHostname: "3f2a9c1e5b7d")
        var hostNet = NetFacts(interfaces: [])
        hostNet.interfaces = hostInterfaces.map { NetInterface(name: $0, isUp: $0 != "ifb0", addresses: []) }
        comparison.rightFacts.net = .known(hostNet)
        comparison.leftFacts.net = .known(
            NetFacts(interfaces: ["lo", "eth0"].map { NetInterface(name: $0, isUp: true, addresses: []) }))
        comparison.leftFacts.cgroup = .known(
            CgroupFacts(hostPath: .known(podmanCgroup), insidePath: .known(podmanCgroup)))
        var view = ComparisonRows.view(comparison)
        view.cursor = cursor
        view.expanded = expanded
        return view
    }

    /// The Host vs child panel's rect at `columns` x `rows`, from the real layout.
    static func panelRect(columns: Int, rows: Int) throws -> Rect {
        let layout = DashboardLayout(size: TerminalSize(columns: columns, rows: rows), focus: .namespaces)
        return try #require(layout.panels[.comparison])
    }

    @Test("at 160x45 all eight rows of a container with a long cgroup path and many interfaces fit, unmarked")
    func allRowsFitAt160x45() throws {
        let rect = try Self.panelRect(columns: 160, rows: 45)
        var buffer = ScreenBuffer(size: TerminalSize(columns: rect.width, rows: rect.height))
        ComparisonPanel.render(
            Self.containerView(), in: buffer.bounds, focused: false, buffer: &buffer, theme: .builtinDefault)
        let lines = buffer.lines()
        for kind in NamespaceKind.allCases {
            #expect(lines.contains { $0.hasPrefix("│" + kind.procName + " ") }, "\(kind) row:\n\(buffer.snapshot())")
        }
        #expect(!lines.last!.contains(" of "), "no marker when nothing is hidden:\n\(buffer.snapshot())")
        let text = ComparisonPanel.text(Self.containerView(), width: rect.width - 2, height: rect.height - 2)
        #expect(text.rowCounts.allSatisfy { $0 <= 2 }, "\(text.rowCounts)")
        let shown = buffer.snapshot()
        // Shortened where it says least: the container id's middle, the interfaces between the first and last.
        #expect(shown.contains("…"), "\(shown)")
        #expect(shown.contains("vethlast"), "the last interface stays:\n\(shown)")
        #expect(shown.contains("more"), "hidden interfaces are counted:\n\(shown)")
    }

    @Test("Enter's explanation of a shortened row starts with the whole values")
    func explanationStartsWhole() throws {
        let rect = try Self.panelRect(columns: 160, rows: 45)
        let index = NamespaceKind.allCases.firstIndex(of: .cgroup)!
        let text = ComparisonPanel.text(
            Self.containerView(cursor: index, expanded: .cgroup), width: rect.width - 2, height: rect.height - 2)
        let explanation = text.lines[(text.cursorLine + text.cursorCount)...].prefix(text.explanationCount)
            .map(\.text)
        let joined = explanation.prefix(4).map { String($0.drop { $0 == " " }) }.joined()
        #expect(joined.hasPrefix("host sees " + Self.podmanCgroup), "\(explanation)")
        #expect(joined.contains(Self.podmanCgroup + " [4026531835]"), "\(explanation)")
        let net = ComparisonPanel.text(
            Self.containerView(cursor: 4, expanded: .net), width: rect.width - 2, height: rect.height - 2)
        let netLines = net.lines[(net.cursorLine + net.cursorCount)...].prefix(net.explanationCount).map(\.text)
        let netText = netLines.joined(separator: " ")
        for name in Self.hostInterfaces { #expect(netText.contains(name + " "), "\(name) in \(netLines)") }
    }

    @Test("where the rows still do not fit the panel, long values shorten to one line")
    func oneLineWhenShort() {
        // 100x30: eight inner rows for eight kinds; only the clock may still wrap (its end is the point).
        let view = Self.containerView()
        let text = ComparisonPanel.text(view, width: 50, height: 8)
        for (row, count) in zip(view.rows, text.rowCounts) where row.kind != .time {
            #expect(count == 1, "\(row.kind): \(text.lines.map(\.text))")
        }
        let roomy = ComparisonPanel.text(view, width: 50)
        #expect(roomy.rowCounts.contains(2), "with room, two lines: \(roomy.lines.map(\.text))")
    }

    /// Guards against every long value going to one line at once when the rows did not fit: at 120x35 the mount
    /// row read `21 mounts…own /proc` though shortening the interfaces alone made room.
    @Test("values go to one line a kind at a time, paths and interface lists first")
    func oneKindAtATime() {
        var view = Self.containerView()
        for index in view.rows.indices where view.rows[index].kind == .mount {
            view.rows[index].hostFact = "21 mounts, own /proc"
            view.rows[index].childFact = "22 mounts, own /proc"
        }
        // The 120x35 panel: 64 columns inside, 10 rows.
        let text = ComparisonPanel.text(view, width: 64, height: 10)
        let shown = text.lines.map(\.text).joined(separator: " ")
        #expect(text.lines.count <= 10, "\(text.lines.map(\.text))")
        #expect(!shown.contains("mounts…"), "the mount count is whole: \(shown)")
        #expect(shown.contains("21 mounts, own") && shown.contains("/proc"), "\(shown)")
    }

    /// Guards against a path leaving its id alone on the first line (the whole path on the next), which cost the
    /// cgroup row a line and cut `libpod-` itself.
    @Test("a path goes on right after its id")
    func pathAfterID() {
        let lines = ComparisonPanel.wrapped("[…1835] " + Self.podmanCgroup, width: 38)
        #expect(lines.first == "[…1835] /libpod_parent/libpod-3f2a9c1e", "\(lines)")
        #expect(lines.joined() == "[…1835] " + Self.podmanCgroup)
        #expect(ComparisonPanel.wrapped("[…1833] lo up, eth0 up", width: 16) == ["[…1833] lo up,", "eth0 up"])
    }

    @Test("a list keeps its first and last items and counts the rest; a path keeps its ends")
    func shorteners() {
        let list = ComparisonShortening.shortened(
            "lo up, eth0 up, podman0 up, veth1 up, veth2 up, last0 down", kind: .net, width: 36)
        #expect(list == "lo up, eth0 up, … 3 more, last0 down", "\(list)")
        let named = ComparisonShortening.shortened(
            "netns blue: lo up, eth0 up, podman0 up, veth1 up, last0 down", kind: .net, width: 40)
        #expect(named.hasPrefix("netns blue: lo up") && named.hasSuffix("last0 down"), "\(named)")
        let path = ComparisonShortening.shortened(Self.podmanCgroup, kind: .cgroup, width: 40)
        #expect(DisplayWidth.width(of: path) <= 40, "\(path)")
        #expect(path.hasPrefix("/libpod_parent/libpod-3f2") && path.hasSuffix("/ctr") && path.contains("…"), "\(path)")
        for width in [1, 3, 8, 20] {
            for kind in NamespaceKind.allCases {
                let short = ComparisonShortening.shortened(Self.podmanCgroup, kind: kind, width: width)
                #expect(DisplayWidth.width(of: short) <= width, "\(kind) \(width): \(short)")
            }
        }
        #expect(ComparisonShortening.shortened("vm", kind: .uts, width: 10) == "vm")
    }
}
