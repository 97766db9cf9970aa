import NamespaceKit

/// The host-vs-child panel: one row per kind, `kind  host-id host-fact = child-id child-fact`, in the
/// theme's same/differs styles; Enter opens the kind's explanation under its row. Pure.
public enum ComparisonPanel {
    /// The panel's lines with their roles (before the focus and cursor styles); the cursor's row is the
    /// `cursorCount` lines from index `cursorLine` (a row that does not fit wraps onto more lines).
    ///
    /// A fact is never cut off: it is what differs, and the end of it (a boottime offset, the last interface)
    /// is often the point. When a row does not fit, the namespace ids shorten first (on every row, so the
    /// columns still read alike); a row that still does not fit wraps, each side within its own column.
    public static func lines(
        _ view: ComparisonView, width: Int
    ) -> (lines: [(text: String, role: ThemeRole)], cursorLine: Int, cursorCount: Int) {
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
        var result: [(String, ThemeRole)] = []
        var cursorLine = 0
        var cursorCount = 1
        for (index, row) in view.rows.enumerated() {
            let marker = row.same.map { $0 ? " = " : " ≠ " } ?? " ? "
            let host = TextWrap.lines(cell(row.hostID, row.hostFact, short: short), width: side)
            let child = TextWrap.lines(cell(row.childID, row.childFact, short: short), width: side)
            let count = max(1, host.count, child.count)
            if index == view.cursor {
                cursorLine = result.count
                cursorCount = count
            }
            let role: ThemeRole = view.ended != nil ? .disabled : row.same.map { $0 ? .same : .differs } ?? .normal
            for part in 0..<count {
                let label = DisplayWidth.padded(part == 0 ? row.kind.procName : "", to: labelWidth)
                let left = DisplayWidth.padded(host[safe: part] ?? "", to: side)
                let right = child[safe: part] ?? ""
                result.append((label + left + (part == 0 ? marker : "   ") + right, role))
            }
            if view.expanded == row.kind {
                var text = ComparisonLessons.lesson(row.kind)
                if row.same == true, view.ended == nil {
                    text += " " + ComparisonLessons.sharedHint(row.kind, ownChild: view.isOwnChild)
                }
                for line in TextWrap.lines(text, width: max(1, width - 2)) { result.append(("  " + line, .hint)) }
                for detail in row.detail {
                    for line in TextWrap.lines(detail, width: max(1, width - 4)) {
                        result.append(("    " + line, .hint))
                    }
                }
            }
        }
        return (result, cursorLine, cursorCount)
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

    /// Draws `view` into `rect` (nil: a hint to launch or select a process).
    public static func render(
        _ view: ComparisonView?, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme
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
        let (lines, cursorLine, cursorCount) = lines(view, width: inner.width)
        // Keep the cursor's row and its open explanation on screen; rows scroll only when they must.
        let isOpen = view.expanded != nil && view.expanded == view.rows[safe: view.cursor]?.kind
        let explanation = isOpen ? lines.dropFirst(cursorLine + cursorCount).prefix { $0.role == .hint }.count : 0
        let lastNeeded = cursorLine + cursorCount - 1 + explanation
        let scroll = max(0, min(cursorLine, lastNeeded - inner.height + 1))
        let cursorLines = cursorLine..<cursorLine + cursorCount
        for (offset, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let isCursor = focused && cursorLines.contains(scroll + offset)
            let style = isCursor ? theme[.selection] : theme[line.role]
            if isCursor { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            buffer.write(line.text, x: inner.x, y: y, style: style, clip: inner)
        }
    }
}
