import NamespaceKit

/// The process tree: pid, pid inside, user, one letter per kind that differs from the host, command.
public enum ProcessTreePanel {
    /// The column header.
    static let header = "    PID  INSIDE USER     KINDS    COMMAND"
    /// Where the kind letters start in a row: after pid (7), pid inside (7) and user (8), each plus a space.
    static let kindsColumn = 25

    /// The kind letters of a row: the letter where it differs from the host, "?" where either side could not
    /// be read (unknown is never shown as the same), "·" where it is the same.
    public static func kindLetters(_ kinds: Set<NamespaceKind>, unknown: Set<NamespaceKind> = []) -> String {
        String(NamespaceKind.allCases.map { kinds.contains($0) ? $0.letter : unknown.contains($0) ? "?" : "·" })
    }

    /// One row as text, the tree drawn by indentation and ▸/▾ for collapsed/expanded parents.
    public static func line(for row: ProcessRow, collapsed: Bool) -> String {
        let pid = String(row.pid)
        let inside =
            row.pidLevels.isEmpty ? row.pidInside.map(String.init) ?? "-" : Self.levels(row.pidLevels)
        let user = DisplayWidth.padded(row.user, to: 8)
        let indent = String(repeating: " ", count: max(0, min(row.depth, 12)))  // one column per level: commands matter more
        let marker = row.hasChildren ? (collapsed ? "▸ " : "▾ ") : "  "
        return pad(pid, 7) + " " + pad(inside, 7) + " " + user + " "
            + kindLetters(row.differingKinds, unknown: row.unknownKinds) + " "
            + indent + marker + (row.container.map { "{\($0)} " } ?? "") + row.command
    }

    /// The pids inside of a nested process, outermost first (`146/1`; the PID column holds nslab's level), cut
    /// from the left to the column's 7 cells so the kind letters stay aligned.
    public static func levels(_ pids: [Int32]) -> String {
        let text = pids.map(String.init).joined(separator: "/")
        return text.count <= 7 ? text : "…" + text.suffix(6)
    }

    /// Right-aligns `text` in `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Draws the panel into `rect`; when the rows do not all fit, the bottom border says which are shown.
    public static func render(
        state: DashboardModel, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let rows = state.visibleProcesses
        let title =
            "Processes (\(state.processes.count))" + (state.containersOnly ? " containers and children (c: all)" : "")
        let inner = PanelFrame.draw(title, in: rect, focused: focused, buffer: &buffer, theme: theme)
        guard !inner.isEmpty else { return }
        buffer.write(header, x: inner.x, y: inner.y, style: theme[.title], clip: inner)
        let searchRows = state.search == nil ? 0 : 1
        let listHeight = max(0, inner.height - 1 - searchRows)
        let scroll = max(0, min(state.processScroll, rows.count - listHeight))
        for offset in 0..<listHeight {
            guard let row = rows[safe: scroll + offset] else { break }
            let y = inner.y + 1 + offset
            let selected = row.pid == state.selectedPID
            var style = row.isChild ? theme[.childHighlight] : theme[.normal]
            if state.matchesSearch(row) { style = theme[.match] }
            if selected { style = focused ? theme[.selection] : theme[.selection].adding(.dim) }
            let text = line(for: row, collapsed: state.collapsed.contains(row.pid))
            buffer.write(DisplayWidth.truncated(text, to: inner.width), x: inner.x, y: y, style: style, clip: inner)
            if selected { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            if !row.differingKinds.isEmpty && !selected {
                // The letters carry the lesson ("this one differs"), so they keep the differs colour.
                buffer.restyle(
                    Rect(x: inner.x + kindsColumn, y: y, width: 8, height: 1).intersection(inner),
                    style: theme[.differs])
            }
        }
        if rows.isEmpty {
            buffer.write("no processes to show", x: inner.x, y: inner.y + 1, style: theme[.hint], clip: inner)
        }
        // Where the view is in a tree longer than the panel (the title counts every process, hidden or not).
        if rows.count > listHeight, listHeight > 0 {
            let last = min(rows.count, scroll + listHeight)
            PanelFrame.marker(
                ["\(scroll + 1)-\(last) of \(rows.count)", "PgUp PgDn"], in: rect, focused: focused, buffer: &buffer,
                theme: theme)
        }
        if let search = state.search {
            let y = inner.maxY - 1
            let text = "/" + search.query + (search.editing ? "▏" : "   (n next, Esc clear)")
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: theme[.input])
            buffer.write(
                DisplayWidth.truncated(text, to: inner.width), x: inner.x, y: y, style: theme[.input],
                clip: inner)
        }
    }
}
