/// The split pane area (F7): two live terminals side by side, the left one (the host shell, or another child)
/// and the tab on show on the right, so a class sees the same command typed on both sides at once.
public struct PaneSplit: Equatable, Sendable {
    /// Which side of the split.
    public enum Side: Equatable, Sendable {
        case left, right
    }

    /// The tab the left side shows.
    public var leftTabID: ChildTab.ID
    /// The tab the right side showed when last looked at: when a tab key brings the left tab to the right, the
    /// two swap instead of showing one screen twice.
    public var rightTabID: ChildTab.ID?
    /// The side whose child gets the keys.
    public var keys: Side = .right
    /// True while the side with the keys fills the whole pane area.
    public var zoomed = false
    /// True while every key typed goes to both sides.
    public var broadcast = false

    /// A split showing `left` beside `right`, the keys on the right.
    public init(left: ChildTab.ID, right: ChildTab.ID?) {
        leftTabID = left
        rightTabID = right
    }

    /// From this terminal size on both sides are on screen (each at least 40 columns); below it the split
    /// falls back to tabs.
    public static let minimum = TerminalSize(columns: 120, rows: 35)

    /// True when a terminal of `size` has room for both sides.
    public static func fits(_ size: TerminalSize) -> Bool {
        size.columns >= minimum.columns && size.rows >= minimum.rows
    }

    /// The panels of the split layout in `body` (the screen above the status bar): the pane area across the
    /// whole width on top, as tall as it is beside the comparison in the full layout, and the four panels
    /// below it in two columns, so every panel stays on screen.
    static func panels(in body: Rect) -> [Panel: Rect] {
        let paneHeight = max(12, body.height - 20)
        let (pane, rest) = body.splitTop(paneHeight)
        let leftWidth = min(72, max(50, body.width * 45 / 100))
        let (left, right) = rest.splitLeft(leftWidth)
        let (namespaces, processes) = left.splitTop(min(12, max(3, left.height - 4)))
        let (comparison, maps) = right.splitTop(min(12, max(3, right.height - 4)))
        return [.namespaces: namespaces, .processes: processes, .comparison: comparison, .maps: maps, .child: pane]
    }

    /// The two sides' frames in the pane area `rect`; when zoomed, the side with the keys takes all of it and
    /// the other has none.
    public func sides(in rect: Rect) -> (left: Rect?, right: Rect?) {
        if zoomed { return keys == .left ? (rect, nil) : (nil, rect) }
        let (left, right) = rect.splitLeft(rect.width / 2)
        return (left, right)
    }
}

extension DashboardModel {
    /// True when the split is on and the screen has room for it (else the tabs show as before).
    public var splitShown: Bool { split != nil && PaneSplit.fits(size) }

    /// The tab whose child gets the keys: the split side with the keys, else the tab on show.
    public var keyboardTabID: ChildTab.ID? {
        guard let split, splitShown, split.keys == .left else { return shownTabID }
        return split.leftTabID
    }

    /// The tabs typed keys go to: both sides while broadcasting, else the one with the keys. A zoom pauses the
    /// broadcast: nothing is typed into a side that is out of sight.
    public var typingTabIDs: [ChildTab.ID] {
        if let split, splitShown, split.broadcast, !split.zoomed, let right = shownTabID {
            return [split.leftTabID, right]
        }
        return keyboardTabID.map { [$0] } ?? []
    }

    /// The open tab the left side shows after `current` when F7 cycles it: the host shell first, then the
    /// other children, never the one on the right; nil when there is no other.
    func nextLeftTab(after current: ChildTab.ID?) -> ChildTab.ID? {
        let candidates = openTabs.filter { $0.id != shownTabID }.sorted {
            ($0.isHost ? 0 : 1, $0.id) < ($1.isHost ? 0 : 1, $1.id)
        }
        guard !candidates.isEmpty else { return nil }
        guard let current, let index = candidates.firstIndex(where: { $0.id == current }) else {
            return candidates[0].id
        }
        return candidates[(index + 1) % candidates.count].id
    }

    /// The host shell's open tab, if one runs.
    var hostTab: ChildTab? { openTabs.first { $0.isHost && $0.exit == nil } }

    /// Keeps the split consistent after tabs changed: a tab key that brought the left tab to the right swaps
    /// the sides; a side whose tab closed ends the split (the tabs show as before).
    mutating func settleSplit() {
        guard var current = split else { return }
        let open = Set(openTabs.map(\.id))
        if shownTabID == current.leftTabID, let previous = current.rightTabID, previous != current.leftTabID,
            open.contains(previous)
        {
            current.leftTabID = previous
        }
        guard open.contains(current.leftTabID), let right = shownTabID, right != current.leftTabID else {
            split = nil
            show("Split ended: one side's tab closed.")
            return
        }
        current.rightTabID = right
        split = current
    }

    /// The status-bar words for the split: how it is shown and whether keys go to both sides.
    public var splitStatus: String? {
        guard let split else { return nil }
        guard splitShown else { return "split needs 120x35: showing tabs" }
        guard split.broadcast else { return nil }
        return split.zoomed ? "broadcast paused while zoomed (S-F9)" : "BROADCAST to both sides"
    }
}

/// The split's keys, as pure changes of the model (`DashboardUpdate` starts the host shell when one is asked for).
extension DashboardModel {
    /// F7: splits the pane area, the host shell on the left (started when none runs, `.openSplit`); in a split,
    /// the left side shows the next tab (the host shell first, then the other children).
    mutating func pressSplit() -> [DashboardAction] {
        guard shownTab != nil else {
            show("F7 splits host and child: launch a child first (F5).", isError: true)
            return []
        }
        focus = .child
        guard var current = split else {
            guard let host = hostTab else { return [.openSplit] }
            // The host shell on show: it keeps the right side, the next child goes left (a second host shell
            // would only be the same namespaces again).
            guard let left = host.id == shownTabID ? nextLeftTab(after: nil) : host.id else {
                show("No other tab for the left side: F5 launches a child.")
                return []
            }
            split = PaneSplit(left: left, right: shownTabID)
            announceSplit()
            return []
        }
        guard let next = nextLeftTab(after: current.leftTabID), next != current.leftTabID else {
            show("No other tab for the left side: F5 launches another child.")
            return []
        }
        current.leftTabID = next
        split = current
        announceSplit()
        return []
    }

    /// Says what the split shows, or that the screen is too small for it.
    mutating func announceSplit() {
        guard let split, let left = tab(split.leftTabID) else { return }
        let what = left.isHost ? "the HOST shell (pid \(left.pid), nslab's own namespaces)" : "child \(left.pid)"
        if splitShown {
            show("Split: \(what) on the left. F9 other side · S-F9 zoom · F10 broadcast · S-F7 back to tabs.")
        } else {
            show("The split needs 120x35 or more: showing tabs (F6 switches to \(what)).")
        }
    }

    /// The split's other keys (S-F7, F9, S-F9, F10); false for a key that is not one of them.
    mutating func splitCommand(_ command: PaneCommand) -> Bool {
        switch command {
        case .unsplit:
            if split != nil { show("Back to tabs: F6 switches between them.") }
            split = nil
        case .otherSide:
            guard var current = split else { return noSplit() }
            current.keys = current.keys == .left ? .right : .left
            split = current
        case .zoom:
            guard var current = split else { return noSplit() }
            current.zoomed.toggle()
            split = current
            if current.broadcast {
                show(current.zoomed ? "Zoomed: keys go to this side only; S-F9 zooms back and broadcasts again."
                    : "Both sides again: every key and paste goes to both.")
            }
        case .broadcast:
            guard var current = split else { return noSplit() }
            current.broadcast.toggle()
            split = current
            show(current.broadcast ? "every key and paste goes to both sides; F10 stops it" : "Broadcast off.")
        default:
            return false
        }
        return true
    }

    /// A split key without a split: says how to make one.
    private mutating func noSplit() -> Bool {
        show("No split: F7 puts a host shell beside the child.")
        return true
    }
}
