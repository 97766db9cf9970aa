import NamespaceKit

/// The host-vs-child panel: one row per kind, `kind  host-id host-fact = child-id child-fact`, in the
/// theme's same/differs styles; Enter opens the kind's explanation under its row. Pure.
public enum ComparisonPanel {
    /// The panel's text for a width and height: its lines with their roles (before the focus and cursor
    /// styles), where each row starts and how many lines it takes, and the cursor's row.
    public struct Text {
        /// The lines, rows and open explanation in order.
        public var lines: [(text: String, role: ThemeRole)]
        /// The first line of each row of the view, in the view's row order.
        public var rowStarts: [Int]
        /// How many lines each row takes (one, or two when a value wraps; more only for a long clock).
        public var rowCounts: [Int]
        /// The cursor's row: its first line and how many it takes.
        public var cursorLine: Int
        /// How many lines the cursor's row takes.
        public var cursorCount: Int
        /// How many lines the open explanation under the cursor's row takes (0 when none is open).
        public var explanationCount: Int
    }

    /// The panel's lines with their roles; the cursor's row is the `cursorCount` lines from index `cursorLine`.
    /// The same as `text(_:width:)`, for callers that need no more.
    public static func lines(
        _ view: ComparisonView, width: Int, height: Int = .max, ascii: Bool = false
    ) -> (lines: [(text: String, role: ThemeRole)], cursorLine: Int, cursorCount: Int) {
        let text = Self.text(view, width: width, height: height, ascii: ascii)
        return (text.lines, text.cursorLine, text.cursorCount)
    }

    /// Kinds whose value may be shortened to fit: lists and paths. A clock is never cut (its end, a boottime
    /// offset, is the point); it wraps.
    static func mayShorten(_ kind: NamespaceKind) -> Bool { kind != .time }

    /// The panel's text for `width` columns and (when known) `height` rows.
    ///
    /// When a row does not fit, the namespace ids shorten first (on every row, so the columns still read alike);
    /// a value that still does not fit wraps, each side within its own column, onto two lines at most: a longer
    /// one (a container's cgroup path, a host's interfaces) is shortened, its whole text first in the row's
    /// explanation (Enter). When the rows still do not all fit `height`, such values shorten to one line. With
    /// `ascii` (a terminal without UTF-8) a difference is marked `!=` in the three-cell column of `≠`.
    public static func text(_ view: ComparisonView, width: Int, height: Int = .max, ascii: Bool = false) -> Text {
        let labelWidth = 7
        let side = max(1, (width - labelWidth - 3) / 2)
        func cell(_ id: String, _ fact: String, short: Bool) -> String { idText(id, short: short) + " " + fact }
        func fits(_ row: ComparisonRow, short: Bool) -> Bool {
            DisplayWidth.width(of: cell(row.hostID, row.hostFact, short: short)) <= side
                && DisplayWidth.width(of: cell(row.childID, row.childFact, short: short)) <= side
        }
        // On a narrow panel the ids always shrink to their last digits (where sibling namespaces differ); the
        // = / ≠ between the sides still says same or not.
        let short = side < 26 || !view.rows.allSatisfy { fits($0, short: false) }
        // Without UTF-8 the marker is `!= ` with no space before it: the host's side stops a column short, so
        // its text never runs into the marker.
        let hostSide = ascii ? max(1, side - 1) : side
        /// One side's lines in `width`, its value shortened to `most` lines when it may be.
        func sideLines(_ id: String, _ fact: String, kind: NamespaceKind, width: Int, most: Int) -> [String] {
            let whole = wrapped(cell(id, fact, short: short), width: width)
            guard whole.count > most, mayShorten(kind) else { return whole }
            let room = most * width - DisplayWidth.width(of: idText(id, short: short)) - 1
            // Wrapping at spaces loses a few columns per line, so the value is cut a little further until it fits.
            var budget = room
            while budget > 0 {
                let candidate = wrapped(
                    cell(id, ComparisonShortening.shortened(fact, kind: kind, width: budget), short: short),
                    width: width)
                if candidate.count <= most { return candidate }
                budget -= max(1, width / 4)
            }
            return Array(whole.prefix(most))
        }
        func rowLines(_ row: ComparisonRow, most: Int) -> (host: [String], child: [String]) {
            (
                sideLines(row.hostID, row.hostFact, kind: row.kind, width: hostSide, most: most),
                sideLines(row.childID, row.childFact, kind: row.kind, width: side, most: most)
            )
        }
        var sides = view.rows.map { rowLines($0, most: 2) }
        func total() -> Int { sides.reduce(0) { $0 + max(1, $1.host.count, $1.child.count) } }
        // Still taller than the panel: the values that say least when cut go to one line first, a kind at a time,
        // until the rows fit (a path's middle before a mount count).
        for kind in [NamespaceKind.cgroup, .net, .user, .uts, .mount, .ipc, .pid] where total() > height {
            for index in view.rows.indices where view.rows[index].kind == kind {
                sides[index] = rowLines(view.rows[index], most: 1)
            }
        }
        var text = Text(lines: [], rowStarts: [], rowCounts: [], cursorLine: 0, cursorCount: 1, explanationCount: 0)
        for (index, row) in view.rows.enumerated() {
            let marker = row.same.map { $0 ? " = " : ascii ? "!= " : " ≠ " } ?? " ? "
            let (host, child) = sides[index]
            let count = max(1, host.count, child.count)
            text.rowStarts.append(text.lines.count)
            text.rowCounts.append(count)
            if index == view.cursor {
                text.cursorLine = text.lines.count
                text.cursorCount = count
            }
            let role: ThemeRole = view.ended != nil ? .disabled : row.same.map { $0 ? .same : .differs } ?? .normal
            for part in 0..<count {
                let label = DisplayWidth.padded(part == 0 ? row.kind.procName : "", to: labelWidth)
                let left = DisplayWidth.padded(host[safe: part] ?? "", to: side)
                let right = child[safe: part] ?? ""
                text.lines.append((label + left + (part == 0 ? marker : "   ") + right, role))
            }
            if view.expanded == row.kind {
                let before = text.lines.count
                for line in explanation(row, view: view, width: width) { text.lines.append((line, .hint)) }
                if index == view.cursor { text.explanationCount = text.lines.count - before }
            }
        }
        return text
    }

    /// A cell's lines in `width`: wrapped at spaces, except that a value of one word (a path) goes on right after
    /// the id and is cut where the line ends, rather than leaving the id alone on a line of its own.
    static func wrapped(_ cell: String, width: Int) -> [String] {
        let words = cell.split(separator: " ")
        guard words.count == 2, DisplayWidth.width(of: cell) > width else { return TextWrap.lines(cell, width: width) }
        var lines: [String] = []
        var rest = Substring(cell)
        while !rest.isEmpty {
            var piece = DisplayWidth.prefix(String(rest), fitting: max(1, width))
            if piece.isEmpty { piece = String(rest.prefix(1)) }
            lines.append(piece)
            rest = rest.dropFirst(piece.count)
        }
        return lines
    }

    /// The open explanation of `row`: both whole values first (the row may show them shortened, and its ids
    /// cut to their last digits), then what the kind isolates with an experiment, then the row's detail.
    static func explanation(_ row: ComparisonRow, view: ComparisonView, width: Int) -> [String] {
        var result: [String] = []
        // PID and cgroup show the child on both sides: as the host sees it, and as it sees itself.
        let bothChild = row.kind == .pid || row.kind == .cgroup
        let (left, right) = bothChild ? ("host sees ", "inside    ") : ("host  ", "child ")
        for (label, id, fact) in [(left, row.hostID, row.hostFact), (right, row.childID, row.childFact)] {
            // The value first: a path longer than a line is cut into pieces, and an id before it would sit alone.
            let lines = TextWrap.lines(fact + " " + id, width: max(1, width - 2 - label.count))
            for (number, line) in lines.enumerated() {
                result.append("  " + (number == 0 ? label : String(repeating: " ", count: label.count)) + line)
            }
        }
        var lesson = ComparisonLessons.lesson(row.kind)
        if row.same == true, view.ended == nil {
            lesson += " " + ComparisonLessons.sharedHint(row.kind, ownChild: view.isOwnChild)
        }
        for line in TextWrap.lines(lesson, width: max(1, width - 2)) { result.append("  " + line) }
        for detail in row.detail {
            for line in TextWrap.lines(detail, width: max(1, width - 4)) { result.append("    " + line) }
        }
        return result
    }

    /// An id as given, or with `short` as its last four digits: `[4026531838]` becomes `[…1838]`.
    static func idText(_ id: String, short: Bool) -> String {
        guard short, id.hasPrefix("["), id.hasSuffix("]"), id.count > 7 else { return id }
        return "[…" + id.dropLast().suffix(4) + "]"
    }

    /// The frame's title: the columns in the order shown (the host, or the process a nested child is compared
    /// with, then the child), and how it ended.
    public static func title(_ view: ComparisonView?) -> String {
        guard let view else { return Panel.comparison.title }
        let columns = view.reference.map { "\($0) vs child: " } ?? "Host vs child: "
        return columns + view.subject + (view.ended.map { " [\($0)]" } ?? "")
    }

    /// Draws `view` into `rect` (nil: a hint to launch or select a process), from line `view.scroll` on; when the
    /// lines do not all fit, the bottom border says which are shown, which kinds are out of view, and how to scroll.
    public static func render(
        _ view: ComparisonView?, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme,
        ascii: Bool = false
    ) {
        let inner = PanelFrame.draw(title(view), in: rect, focused: focused, buffer: &buffer, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        guard let view else {
            buffer.write(
                DisplayWidth.truncated(
                    "launch a child (F5) or select a process to compare it with the host", to: inner.width),
                x: inner.x, y: inner.y, style: theme[.hint], clip: inner)
            return
        }
        let text = Self.text(view, width: inner.width, height: inner.height, ascii: ascii)
        let first = firstLine(scroll: view.scroll, lineCount: text.lines.count, height: inner.height)
        let cursorLines = text.cursorLine..<text.cursorLine + text.cursorCount
        for (offset, line) in text.lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let isCursor = focused && cursorLines.contains(first + offset)
            let style = isCursor ? theme[.selection] : theme[line.role]
            if isCursor { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            buffer.write(line.text, x: inner.x, y: y, style: style, clip: inner)
        }
        guard text.lines.count > inner.height else { return }
        PanelFrame.marker(
            position(first: first, height: inner.height, text: text, rows: view.rows), in: rect, focused: focused,
            buffer: &buffer, theme: theme)
    }

    /// The first line shown for a wanted `scroll`: never past the point where the last line sits at the bottom.
    public static func firstLine(scroll: Int, lineCount: Int, height: Int) -> Int {
        max(0, min(scroll, lineCount - height))
    }

    /// The bottom border's parts while lines are hidden: `1-10 of 14`, the kinds out of view above and below
    /// (a row counts as out of view unless all its lines are shown), and the keys that scroll.
    static func position(first: Int, height: Int, text: Text, rows: [ComparisonRow]) -> [String] {
        let last = min(text.lines.count, first + height)
        var above: [String] = []
        var below: [String] = []
        for (index, row) in rows.enumerated() {
            guard let start = text.rowStarts[safe: index], let count = text.rowCounts[safe: index] else { continue }
            if start < first {
                above.append(row.kind.procName)
            } else if start + count > last {
                below.append(row.kind.procName)
            }
        }
        var parts = ["\(first + 1)-\(last) of \(text.lines.count)"]
        if !above.isEmpty { parts.append("↑ " + above.joined(separator: " ")) }
        if !below.isEmpty { parts.append("↓ " + below.joined(separator: " ")) }
        parts.append(scrollKeys)
        return parts
    }

    /// The keys that scroll the panel, as its bottom border shows them.
    public static let scrollKeys = "↑↓ PgUp PgDn"
}
