import NamespaceKit

/// One line of the presenter layout's comparison: its text, its role, and whether it is a difference (drawn
/// bold besides its colour, so it still reads on a washed-out projector or in a theme without colour).
public struct PresenterLine: Equatable, Sendable {
    /// The text, columns padded.
    public var text: String
    /// The style's role.
    public var role: ThemeRole
    /// True for a kind that differs: bold, marked `*` in the first column and `≠` between the sides.
    public var emphasised: Bool
}

/// The Host vs child panel as the presenter layout draws it: large, one line per kind (only the kinds that differ
/// unless `a` asked for all), the namespace ids whole, a difference marked three ways beyond colour (a `*` in a
/// marker column, `≠` between the sides, bold). No cursor and no explanations: it is for a room to read. Pure.
public enum PresenterPanel {
    /// The marker column's width and the kind column's.
    static let markerWidth = 2
    static let kindWidth = 8

    /// The rows `allRows` keeps: every kind, or those not known to be the same (a kind that cannot be read is
    /// kept: unknown is never shown as same).
    public static func shownRows(_ view: ComparisonView, allRows: Bool) -> [ComparisonRow] {
        allRows ? view.rows : view.rows.filter { $0.same != true }
    }

    /// How many kinds differ, and how many are compared.
    public static func differingCount(_ view: ComparisonView) -> (differ: Int, of: Int) {
        (view.rows.filter { $0.same == false }.count, view.rows.count)
    }

    /// The lines under the header for `view` in a panel `width` columns wide inside. A fact too long for its side
    /// wraps within it; ids are never shortened.
    public static func lines(_ view: ComparisonView, allRows: Bool, width: Int, ascii: Bool = false) -> [PresenterLine] {
        let side = sideWidth(width)
        let rows = shownRows(view, allRows: allRows)
        guard !rows.isEmpty else {
            let text = "no kind differs: the child shares every namespace with the host (a: show every kind)"
            return TextWrap.lines(text, width: max(1, width)).map {
                PresenterLine(text: $0, role: .same, emphasised: false)
            }
        }
        var result: [PresenterLine] = []
        for row in rows {
            let (mark, between): (String, String) =
                switch row.same {
                case false?: ("*", ascii ? "!= " : " ≠ ")  // a terminal without UTF-8: the comparison's `!=`
                case true?: (" ", " = ")
                case nil: ("?", " ? ")
                }
            let host = TextWrap.lines(row.hostID + " " + row.hostFact, width: side)
            let child = TextWrap.lines(row.childID + " " + row.childFact, width: side)
            let role: ThemeRole = view.ended != nil ? .disabled : row.same.map { $0 ? .same : .differs } ?? .normal
            for part in 0..<max(1, host.count, child.count) {
                let first = part == 0
                var text = DisplayWidth.padded(first ? mark : "", to: markerWidth)
                text += DisplayWidth.padded(first ? row.kind.procName : "", to: kindWidth)
                text += DisplayWidth.padded(host[safe: part] ?? "", to: side)
                text += first ? between : "   "
                text += child[safe: part] ?? ""
                result.append(PresenterLine(text: text, role: role, emphasised: row.same == false))
            }
        }
        return result
    }

    /// The header over the columns.
    static func header(width: Int) -> String {
        let side = sideWidth(width)
        return DisplayWidth.padded("", to: markerWidth) + DisplayWidth.padded("kind", to: kindWidth)
            + DisplayWidth.padded("host: id, fact", to: side) + "   " + "child: id, fact"
    }

    /// Each side's width in a panel `width` columns wide inside.
    static func sideWidth(_ width: Int) -> Int { max(1, (width - markerWidth - kindWidth - 3) / 2) }

    /// The rows for lines inside the frame `inner`, the header taken.
    public static func bodyHeight(_ inner: Rect) -> Int { max(0, inner.height - 1) }

    /// The frame's title: the subject, how many kinds differ, and how it ended.
    public static func title(_ view: ComparisonView?, allRows: Bool) -> String {
        guard let view else { return Panel.comparison.title }
        let (differ, of) = differingCount(view)
        let which = allRows ? "a: differing only" : "a: all kinds"
        return "Host vs child: \(view.subject) · \(differ) of \(of) kinds differ · \(which)"
            + (view.ended.map { " [\($0)]" } ?? "")
    }

    /// Draws the panel for `state` into `rect`.
    public static func render(
        state: DashboardModel, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let view = state.comparison.view
        let inner = PanelFrame.draw(
            title(view, allRows: state.presenterAllRows), in: rect, focused: focused, buffer: &buffer, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        guard let view else {
            buffer.write(
                DisplayWidth.truncated(
                    "tick kinds (1-8) and launch a child (F5): what differs from the host shows here", to: inner.width),
                x: inner.x, y: inner.y, style: theme[.hint], clip: inner)
            return
        }
        buffer.write(header(width: inner.width), x: inner.x, y: inner.y, style: theme[.hint], clip: inner)
        let all = lines(view, allRows: state.presenterAllRows, width: inner.width, ascii: state.asciiGlyphs)
        let room = bodyHeight(inner)
        let scroll = max(0, min(state.presenterScroll, all.count - room))
        let shown = all.dropFirst(scroll).prefix(room)
        for (offset, line) in shown.enumerated() {
            let style = line.emphasised ? theme[line.role].adding(.bold) : theme[line.role]
            buffer.write(line.text, x: inner.x, y: inner.y + 1 + offset, style: style, clip: inner)
        }
        // Lines that do not fit are never hidden silently: the bottom border says which are on show.
        if all.count > room, room > 0 {
            let label = " lines \(scroll + 1)-\(scroll + shown.count) of \(all.count), ↑↓ scroll "
            let border = Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1)
            let x = max(border.x, border.maxX - DisplayWidth.width(of: label) - 1)
            buffer.write(label, x: x, y: border.y, style: theme[.title], clip: border)
        }
    }

    /// Draws, at the right end of the compact layout's tab bar `bar`, why the presenter layout asked for is not
    /// on screen (the size it needs), so falling back never looks like the key did nothing.
    public static func renderNote(_ state: DashboardModel, in bar: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        guard let note = state.presenterNote else { return }
        let text = " " + DisplayWidth.truncated(note, to: max(0, bar.width - 2)) + " "
        let x = max(bar.x, bar.maxX - DisplayWidth.width(of: text))
        buffer.write(text, x: x, y: bar.y, style: theme[.error], clip: bar)
    }
}
