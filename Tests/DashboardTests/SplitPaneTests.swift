import Glibc
import NamespaceKit
import TerminalKit
import Testing

@testable import Dashboard

/// The split pane area (F7) through the real update step: a real host shell beside a real child in a new
/// UTS namespace; which side the keys reach, broadcast, zoom, sizes, and the way out. Needs root.
@Suite("Split panes", .serialized)
struct SplitPaneTests {
    /// A harness at `size` with one child in a new UTS namespace named `splitkid`, then F7 pressed.
    func split(size: TerminalSize = TerminalSize(columns: 120, rows: 35)) throws -> (
        Harness, host: ChildTab, child: ChildTab
    ) {
        try #require(getuid() == 0, "needs root")
        let harness = Harness(system: .live(shell: "/bin/sh", scrollback: 200), size: size)
        harness.model.options.hostname = "splitkid"
        let child = try #require(harness.launch([.uts]), "launch failed: \(String(describing: harness.model.message))")
        harness.press(.function(7))
        let host = try #require(harness.model.openTabs.first { $0.isHost }, "F7 started no host shell")
        return (harness, host, child)
    }

    /// The visible text of tab `id`'s screen, one string per row.
    func screenText(_ harness: Harness, _ id: ChildTab.ID) -> String {
        guard let terminal = harness.update.panes.screen(of: id) else { return "" }
        return (0..<terminal.rows).map { row in
            (0..<terminal.cols).map { col in
                let text = terminal.visibleCell(row: row, col: col).text
                return text.isEmpty ? " " : text
            }.joined()
        }.joined(separator: "\n")
    }

    /// Reads tab `id`'s pty as the loop would, until its screen shows `text` (up to 5 s); true when it did.
    func waitFor(_ text: String, in id: ChildTab.ID, _ harness: Harness) -> Bool {
        for _ in 0..<500 {
            if let fd = harness.fd(of: id) { harness.send(.ptyReadable(fd)) }
            if screenText(harness, id).contains(text) { return true }
            usleep(10_000)
        }
        return false
    }

    /// Alt-N for the tab `id`.
    func altKey(showing id: ChildTab.ID, _ harness: Harness) throws -> Key {
        let index = try #require(harness.model.openTabs.firstIndex { $0.id == id })
        return .modified(.character(Character(String(index + 1))), .alt)
    }

    /// Types `text` as keys (a newline as Enter).
    func type(_ text: String, _ harness: Harness) {
        for character in text { harness.press(character == "\n" ? .enter : .character(character)) }
    }

    /// The namespace links of `pid` (inode strings), kind by kind.
    func links(_ pid: Int32) -> [String] {
        ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup"].map { kind in
            var buffer = [CChar](repeating: 0, count: 256)
            let count = readlink("/proc/\(pid)/ns/\(kind)", &buffer, 255)
            return count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        }
    }

    @Test("F7 starts a host shell in nslab's own namespaces, none of the child's options, on the left")
    func hostShell() throws {
        let (harness, host, child) = try split()
        #expect(harness.model.split?.leftTabID == host.id)
        #expect(harness.model.shownTabID == child.id, "the child keeps the right side and the comparison")
        #expect(harness.model.splitShown)
        #expect(host.request.kinds.isEmpty && host.kindList == "host")
        #expect(links(host.pid) == links(getpid()), "the host shell is in nslab's own namespaces")
        #expect(links(child.pid)[0] != links(getpid())[0], "the child is in its own UTS namespace")
        #expect(harness.watched.contains(try #require(harness.fd(of: host.id))), "the host pty is watched")
        var hostname = [CChar](repeating: 0, count: 256)
        gethostname(&hostname, 255)
        let host_name = String(cString: hostname)
        harness.press(.function(10))  // broadcast
        type("cat /proc/sys/kernel/hostname\n", harness)
        #expect(waitFor("splitkid", in: child.id, harness))
        #expect(waitFor(host_name, in: host.id, harness))
        #expect(!screenText(harness, host.id).contains("splitkid"), "the host shell never gets the child's hostname")
    }

    @Test("keys reach the side with the keys; F9 moves them; broadcast sends keys and pastes to both")
    func routing() throws {
        let (harness, host, child) = try split()
        #expect(harness.model.split?.keys == .right)
        type("echo R$((1+1))R\n", harness)
        #expect(waitFor("R2R", in: child.id, harness))
        harness.press(.function(9))
        #expect(harness.model.split?.keys == .left)
        #expect(harness.model.keyboardTabID == host.id)
        type("echo L$((2+2))L\n", harness)
        #expect(waitFor("L4L", in: host.id, harness))
        #expect(!screenText(harness, child.id).contains("L4L"), "a key without broadcast reached the other side")
        #expect(!screenText(harness, host.id).contains("R2R"))
        harness.press(.function(10))
        #expect(harness.model.split?.broadcast == true)
        #expect(harness.model.typingTabIDs.sorted() == [host.id, child.id].sorted())
        type("echo B$((3+3))B\n", harness)
        harness.press(.paste("echo P$((4+4))P\n"))
        for id in [host.id, child.id] {
            #expect(waitFor("B6B", in: id, harness), "broadcast typing missed tab \(id)")
            #expect(waitFor("P8P", in: id, harness), "broadcast paste missed tab \(id)")
        }
        // A zoom pauses the broadcast: the side out of sight gets nothing, and the status bar says so.
        harness.press(.modified(.function(9), .shift))
        #expect(harness.model.split?.zoomed == true)
        #expect(harness.model.typingTabIDs == [host.id])
        #expect(harness.model.splitStatus == "broadcast paused while zoomed (S-F9)")
        type("echo Z$((6+6))Z\n", harness)
        #expect(waitFor("Z12Z", in: host.id, harness))
        #expect(!screenText(harness, child.id).contains("Z12Z"), "a key reached the side zoomed away")
        harness.press(.modified(.function(9), .shift))
        #expect(harness.model.typingTabIDs.sorted() == [host.id, child.id].sorted())
        harness.press(.function(10))
        #expect(harness.model.split?.broadcast == false)
        #expect(harness.model.typingTabIDs == [host.id])
    }

    @Test("nothing is broadcast while a dialog or the help is open")
    func noBroadcastUnderOverlays() throws {
        let (harness, host, child) = try split()
        harness.press(.function(10), Key.leavePane, .character("h"))
        #expect(harness.model.overlay != .none, "h opens the hostname dialog")
        type("zq9", harness)
        harness.press(.escape, .character("?"))
        #expect(harness.model.overlay == .help)
        harness.press(.character("x"))
        #expect(harness.model.overlay == .none)
        harness.press(.function(7))  // back into the split, left side cycled: no other tab, so it stays
        #expect(harness.model.focus == .child)
        type("echo D$((5+5))D\n", harness)
        for id in [host.id, child.id] {
            #expect(waitFor("D10D", in: id, harness))
            #expect(!screenText(harness, id).contains("zq9"), "dialog typing reached tab \(id)")
        }
    }

    @Test("each side's pty has its side's size (stty size), after the split, a zoom and resizes; small is tabs")
    func sizes() throws {
        let (harness, host, child) = try split()
        func sides() throws -> (Rect, Rect) {
            let split = try #require(harness.model.split)
            let rect = try #require(harness.model.layout.panels[.child])
            let (left, right) = split.sides(in: rect)
            return (ChildPaneView.screenArea(in: try #require(left)), ChildPaneView.screenArea(in: try #require(right)))
        }
        func check(_ marker: String) throws {
            let (left, right) = try sides()
            #expect(left.width >= 40 && right.width >= 40, "each side at least 40 columns")
            type("echo \"\(marker)$(stty size)\(marker)\"\n", harness)
            let hostSays = "\(marker)\(left.height) \(left.width)\(marker)"
            let childSays = "\(marker)\(right.height) \(right.width)\(marker)"
            #expect(waitFor(hostSays, in: host.id, harness), "\(marker): host side \(screenText(harness, host.id))")
            #expect(waitFor(childSays, in: child.id, harness), "\(marker): child side \(screenText(harness, child.id))")
        }
        harness.press(.function(10))
        try check("split")
        harness.send(.input(.resize(TerminalSize(columns: 150, rows: 44))))
        try check("wider")
        harness.press(.modified(.function(9), .shift))
        #expect(harness.model.split?.zoomed == true)
        let pane = try #require(harness.model.layout.panels[.child])
        let zoomed = try #require(harness.update.panes.screen(of: child.id))
        #expect(zoomed.cols == ChildPaneView.screenArea(in: pane).width, "the zoomed side fills the pane area")
        harness.press(.modified(.function(9), .shift))
        try check("unzoomed")
        harness.send(.input(.resize(TerminalSize(columns: 110, rows: 33))))
        #expect(!harness.model.splitShown && harness.model.split != nil, "too small: shown as tabs")
        #expect(harness.model.splitStatus?.contains("showing tabs") == true)
        let single = ChildPaneView.screenArea(in: try #require(harness.model.layout.panels[.child]))
        for id in [host.id, child.id] {
            let screen = try #require(harness.update.panes.screen(of: id))
            #expect(screen.cols == single.width && screen.rows == single.height)
        }
        #expect(harness.model.typingTabIDs == [child.id], "no broadcast while shown as tabs")
    }

    @Test("F7 cycles the left side through the host and the other children; tab keys swap, never show one twice")
    func cycling() throws {
        let (harness, host, first) = try split()
        harness.model.focus = .namespaces
        let second = try #require(harness.launch([.ipc]))
        #expect(harness.model.shownTabID == second.id)
        #expect(harness.model.split?.leftTabID == host.id)
        harness.press(.function(7))
        #expect(harness.model.split?.leftTabID == first.id)
        harness.press(.function(7))
        #expect(harness.model.split?.leftTabID == host.id)
        #expect(harness.model.openTabs.filter(\.isHost).count == 1, "F7 reuses the running host shell")
        harness.press(.modified(.character("1"), .alt))  // the first child to the right
        #expect(harness.model.shownTabID == first.id)
        harness.press(try altKey(showing: host.id, harness))
        #expect(harness.model.shownTabID == host.id)
        #expect(harness.model.split?.leftTabID == first.id, "bringing the left tab right swaps the sides")
        harness.press(.modified(.function(7), .shift))
        #expect(harness.model.split == nil)
    }

    @Test("F8 on the host side closes it and ends the split; quitting kills and reaps the host shell")
    func closingAndQuitting() throws {
        let (harness, host, child) = try split()
        harness.press(.function(9), .function(8))
        #expect(harness.model.split == nil)
        #expect(harness.model.shownTabID == child.id, "the child stays on show")
        #expect(harness.waitEnded(host.id))
        #expect(harness.model.tab(host.id) == nil)
        harness.press(.function(7))
        let again = try #require(harness.model.openTabs.first { $0.isHost })
        #expect(again.id != host.id)
        harness.update.shutdown()
        #expect(kill(again.pid, 0) == -1 && errno == ESRCH, "the host shell is killed and reaped on the way out")
        #expect(kill(child.pid, 0) == -1 && errno == ESRCH)
    }

    @Test("the split screen: HOST title on the left, the child's on the right, broadcast in both and the status bar")
    func titles() throws {
        let (harness, host, child) = try split()
        harness.press(.function(10))
        let buffer = DashboardView.render(harness.model, theme: .builtinDefault, screens: harness.update.panes)
        let rect = try #require(harness.model.layout.panels[.child])
        let top = text(of: Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), in: buffer)[0]
        let status = text(of: harness.model.layout.statusBar, in: buffer)[0]
        #expect(top.contains("HOST shell \(host.pid)"))
        #expect(top.contains("Child \(child.pid) [uts]"))
        #expect(top.components(separatedBy: "BROADCAST").count == 3, "both titles say BROADCAST: \(top)")
        #expect(status.contains("BROADCAST"))
        let hostX = try #require(top.range(of: "HOST")).lowerBound.utf16Offset(in: top)
        #expect(buffer[rect.x + hostX, rect.y].style == SplitPaneView.hostStyle(.builtinDefault, shown: false))
        #expect(harness.model.split?.keys == .right)
    }

    @Test("a click on a side gives it the keys and reaches its child; F7 with the host on show reuses it")
    func mouseAndReuse() throws {
        let (harness, host, child) = try split()
        let rect = try #require(harness.model.layout.panels[.child])
        let (left, _) = try #require(harness.model.split).sides(in: rect)
        let inLeft = try #require(left)
        harness.send(.input(.mouse(MouseEvent(x: inLeft.x + 5, y: inLeft.y + 3, kind: .leftClick))))
        #expect(harness.model.split?.keys == .left)
        #expect(harness.model.keyboardTabID == host.id)
        let cursor = try #require(ChildPaneView.cursor(harness.model, screens: harness.update.panes))
        #expect(inLeft.contains(x: cursor.x, y: cursor.y), "the cursor is drawn in the side with the keys")
        harness.press(.modified(.function(7), .shift))
        #expect(harness.model.split == nil)
        harness.press(try altKey(showing: host.id, harness))
        #expect(harness.model.shownTabID == host.id)
        harness.press(.function(7))
        #expect(harness.model.openTabs.filter(\.isHost).count == 1, "no second host shell")
        #expect(harness.model.split?.leftTabID == child.id && harness.model.shownTabID == host.id)
    }
}
