import NamespaceKit

/// The kinds and options the dashboard started with, which a reset (`R`) goes back to.
public struct StartChoices: Equatable, Sendable {
    /// The kinds ticked at start (`--ns`).
    public var ticked: Set<NamespaceKind> = []
    /// The options at start (`--hostname`, `--uid-map`, `--gid-map`).
    public var options = NamespaceOptions()

    /// The start's `ticked` kinds and `options` (nothing ticked and the defaults unless given).
    public init(ticked: Set<NamespaceKind> = [], options: NamespaceOptions = NamespaceOptions()) {
        self.ticked = ticked
        self.options = options
    }
}

/// The presenter layout's place on screen: the Host vs child panel across the top, the child's pane under it,
/// the lesson's current step in one line above the status bar. Nothing else competes for a projector's few rows.
extension DashboardLayout {
    /// The smallest size the presenter layout is drawn in; below it the ordinary layout is, and says so.
    public static let presenterMinimum = full

    /// True when `size` holds the presenter layout.
    public static func fitsPresenter(_ size: TerminalSize) -> Bool {
        size.columns >= presenterMinimum.columns && size.rows >= presenterMinimum.rows
    }

    /// The rows the presenter layout's comparison takes at `rows` terminal rows: its frame, a header and the eight
    /// kinds, with room for facts that wrap (two lines at 30 rows: a host's interface list often takes a second
    /// one; more as the screen grows). Fixed for a size, so a fact that grows never resizes the child's pty.
    static func presenterComparisonHeight(rows: Int) -> Int { rows >= 40 ? 16 : rows >= 35 ? 14 : 13 }

    /// The comparison and the pane in `body` (the screen above the status bar), and the lesson's line when asked.
    static func presenterPanels(in body: Rect, lessonLine: Bool) -> ([Panel: Rect], Rect?) {
        var rest = body
        var line: Rect?
        if lessonLine {
            let (above, bottom) = body.splitBottom(1)
            rest = above
            line = bottom
        }
        let (comparison, child) = rest.splitTop(presenterComparisonHeight(rows: body.height + 1))
        return ([.comparison: comparison, .child: child], line)
    }
}

/// The presenter layout's part of the model: the key that turns it on and off, which panels take the keys, and
/// the comparison's own keys there.
extension DashboardModel {
    /// The panels the presenter layout shows, in Tab order.
    static let presenterPanels: [Panel] = [.comparison, .child]

    /// True when the presenter layout is on screen: asked for, the terminal large enough and no split shown.
    public var presenterShown: Bool {
        presenter && !splitShown && DashboardLayout.fitsPresenter(size)
    }

    /// What the compact layout's tab bar says while the presenter layout is asked for but does not fit.
    public var presenterNote: String? {
        guard presenter, !presenterShown else { return nil }
        if splitShown { return "presenter after split" }
        return "presenter needs \(DashboardLayout.presenterMinimum)"
    }

    /// `P`: the presenter layout on or off. The keys stay with a panel on screen.
    mutating func togglePresenter() {
        presenter.toggle()
        presenterScroll = 0
        settlePresenterFocus()
        if !presenter {
            show("Presenter layout off.")
        } else if presenterShown {
            show("Presenter layout (P: back).")
        } else {
            show("The presenter layout needs \(DashboardLayout.presenterMinimum) or more; this is \(size).")
        }
    }

    /// Keeps the keys on a panel the layout shows: in the presenter layout the Host vs child panel takes them
    /// from a panel it hides (after Ctrl-], the last tab closed, a resize that made it fit).
    public mutating func settlePresenterFocus() {
        guard presenterShown, !Self.presenterPanels.contains(focus) else { return }
        focus = .comparison
    }

    /// Keys of the Host vs child panel in the presenter layout: `a` shows every kind or only those that differ,
    /// the arrows scroll rows that do not fit. Nil for a key that is not one of them (the panel's own keys then).
    mutating func handlePresenterKey(_ key: Key) -> [DashboardAction]? {
        switch key {
        case .character("a"):
            presenterAllRows.toggle()
            presenterScroll = 0
            return []
        case .up, .down, .character("k"), .character("j"), .home, .end:
            let last = presenterMaxScroll
            presenterScroll = key.movedPosition(from: min(presenterScroll, last), last: last, page: 1) ?? 0
            return []
        default:
            return nil
        }
    }

    /// How far the presenter layout's comparison can scroll: its lines past those that fit.
    var presenterMaxScroll: Int {
        guard let rect = layout.panels[.comparison], let view = comparison.view else { return 0 }
        let inner = rect.inset(by: 1)
        let lines = PresenterPanel.lines(view, allRows: presenterAllRows, width: inner.width).count
        return max(0, lines - PresenterPanel.bodyHeight(inner))
    }
}
