/// The dashboard's panels (Tab visits them in `screenOrder`).
public enum Panel: Int, CaseIterable, Sendable, Hashable {
    /// The eight checkboxes, their options and Launch.
    case namespaces
    /// The process tree.
    case processes
    /// The uid/gid map viewer.
    case maps
    /// Host vs child, side by side, one row per kind.
    case comparison
    /// The child's terminal; only in the Tab cycle while a child's tab is open.
    case child

    /// The title shown in the panel's frame and in the compact layout's tab bar.
    public var title: String {
        switch self {
        case .namespaces: "Namespaces"
        case .processes: "Processes"
        case .maps: "uid/gid maps"
        case .comparison: "Host vs child"
        case .child: "Child terminal"
        }
    }

    /// Tab's order: as the full layout puts the panels on screen, the left column top to bottom, then the right
    /// one (Host vs child, maps); Tab once jumped from the tree to the maps at the bottom right. The child pane
    /// comes last although it is drawn at the top right: it keeps Tab for the child (only Ctrl-] leaves it), so
    /// anywhere earlier in the cycle it would swallow every Tab meant for the panels after it.
    public static let screenOrder: [Panel] = [.namespaces, .processes, .comparison, .maps, .child]
}

/// Where each panel sits for a terminal size; pure, so mouse hits and drawing agree.
public struct DashboardLayout: Equatable, Sendable {
    /// The smallest size the dashboard draws in; below it a centred message asks for more room.
    public static let minimum = TerminalSize(columns: 60, rows: 20)
    /// From this size on, every panel is on screen at once.
    public static let full = TerminalSize(columns: 100, rows: 30)

    /// The terminal size this layout is for.
    public var size: TerminalSize
    /// Panel rects; in the compact layout only the focused panel has one.
    public var panels: [Panel: Rect]
    /// The compact layout's tab bar row (nil in the full layout).
    public var tabBar: Rect?
    /// The status bar row.
    public var statusBar: Rect
    /// True below the minimum size: nothing but the "too small" message is drawn.
    public var tooSmall: Bool
    /// The lesson card beside the child pane, while a lesson is followed in the full layout.
    public var lessonCard: Rect?
    /// The compact layout's lesson line above the status bar, while a lesson is followed: its current step and
    /// that step's mark, since a whole card does not fit beside one panel.
    public var lessonLine: Rect?
    /// True when this is the presenter layout (`P`, `--present`): the Host vs child panel and the child pane only,
    /// both large (`Model/Presenter.swift`).
    public var presenter = false

    /// Computes the layout; `focus` matters only in the compact layout, which shows one panel at a time.
    /// `split` (only from `PaneSplit.minimum` on) gives the child pane the full width for its two sides; a lesson's
    /// card then waits for the split to close.
    /// `presenter` asks for the presenter layout, which needs the full layout's size and no split; below that size
    /// the ordinary layout is drawn.
    public init(
        size: TerminalSize, focus: Panel, split: Bool = false, lessonCard: Bool = false, presenter: Bool = false
    ) {
        self.size = size
        let screen = Rect(x: 0, y: 0, width: size.columns, height: size.rows)
        tooSmall = size.columns < Self.minimum.columns || size.rows < Self.minimum.rows
        panels = [:]
        tabBar = nil
        let (body, status) = screen.splitBottom(1)
        statusBar = status
        if tooSmall { return }
        if split {
            self.panels = PaneSplit.panels(in: body)
        } else if presenter && Self.fitsPresenter(size) {
            self.presenter = true
            (panels, lessonLine) = Self.presenterPanels(in: body, lessonLine: lessonCard)
        } else if size.columns >= Self.full.columns && size.rows >= Self.full.rows {
            // Left: the controls and the tree. Right: the child's terminal gets whatever height is left
            // after the comparison (one row per kind) and the maps.
            let leftWidth = min(72, max(50, size.columns * 45 / 100))
            let (left, right) = body.splitLeft(leftWidth)
            // 13 rows: the eight kinds, a hint, Launch and the unshare line under it (View/NamespacesPanel).
            let (namespaces, processes) = left.splitTop(13)
            // Room for two readers' views of the maps once the screen is tall enough.
            let (upper, maps) = right.splitBottom(size.rows >= 36 ? 12 : 7)
            // One line per kind, and from 35 rows two more for rows that wrap (a fact is wrapped, never cut
            // off: at 120x35 the time row's boottime offset is on its second line).
            let (child, comparison) = upper.splitBottom(size.rows >= 35 ? 12 : 10)
            panels = [
                .namespaces: namespaces, .processes: processes, .maps: maps, .comparison: comparison,
                .child: child,
            ]
            // A lesson's card takes the right part of the child pane's row (Lessons/, View/LessonCard.swift).
            if lessonCard {
                // At least 28 columns for the card, which was 10 wide at 100x30 (8 inside its frame: no step fit).
                let card = max(28, child.width * 2 / 5)
                let (pane, cardRect) = child.splitLeft(max(20, child.width - card))
                panels[.child] = pane
                self.lessonCard = cardRect
            }
        } else {
            let (bar, rest) = body.splitTop(1)
            tabBar = bar
            panels = [focus: rest]
            if lessonCard {
                let (panel, line) = rest.splitBottom(1)
                panels[focus] = panel
                lessonLine = line
            }
        }
    }

    /// The panel under the cell at `x`, `y`, if any.
    public func panel(atX x: Int, y: Int) -> Panel? {
        panels.first { $0.value.contains(x: x, y: y) }?.key
    }

    /// The tab bar's tabs as (panel, rect), for drawing and mouse hits in the compact layout.
    public func tabs(including panelsShown: [Panel]) -> [(Panel, Rect)] {
        guard let bar = tabBar else { return [] }
        var x = bar.x
        var result: [(Panel, Rect)] = []
        for panel in panelsShown {
            let width = DisplayWidth.width(of: panel.title) + 2
            result.append((panel, Rect(x: x, y: bar.y, width: width, height: 1).intersection(bar)))
            x += width + 1
        }
        return result
    }
}
