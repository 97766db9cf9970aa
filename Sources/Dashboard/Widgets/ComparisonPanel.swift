import NamespaceKit

/// One kind in the host-vs-child panel: the namespace id and a telling fact on each side.
public struct ComparisonRow: Equatable, Sendable {
    /// The kind.
    public var kind: NamespaceKind
    /// The host's namespace id, e.g. `[4026531838]`.
    public var hostID: String
    /// The host's side of the fact (e.g. its hostname).
    public var hostFact: String
    /// The child's namespace id.
    public var childID: String
    /// The child's side of the fact.
    public var childFact: String
    /// True/false when both ids are known, nil otherwise.
    public var same: Bool?

    /// Makes a row.
    public init(
        kind: NamespaceKind, hostID: String, hostFact: String, childID: String, childFact: String, same: Bool?
    ) {
        self.kind = kind
        self.hostID = hostID
        self.hostFact = hostFact
        self.childID = childID
        self.childFact = childFact
        self.same = same
    }
}

/// What the host-vs-child panel shows: whose comparison, the rows, the cursor and the open explanation.
public struct ComparisonView: Equatable, Sendable {
    /// Who is compared with the host, e.g. "pid 4242 (bash)".
    public var subject: String
    /// One row per kind.
    public var rows: [ComparisonRow]
    /// Set once the process has ended (e.g. "exited: status 0"): the last values stay, greyed.
    public var ended: String?
    /// The row under the cursor.
    public var cursor: Int
    /// The kind whose explanation is open (Enter), if any.
    public var expanded: NamespaceKind?

    /// Makes a view.
    public init(
        subject: String, rows: [ComparisonRow], ended: String? = nil, cursor: Int = 0,
        expanded: NamespaceKind? = nil
    ) {
        self.subject = subject
        self.rows = rows
        self.ended = ended
        self.cursor = cursor
        self.expanded = expanded
    }
}

/// The host-vs-child panel: one row per kind, `kind  host-id host-fact = child-id child-fact`, in the
/// theme's same/differs styles; Enter opens the kind's explanation under its row. Pure.
public enum ComparisonPanel {
    /// The panel's lines with their roles (before the focus and cursor styles); `cursorLine` is the
    /// index of the cursor's row among them.
    public static func lines(
        _ view: ComparisonView, width: Int
    ) -> (lines: [(text: String, role: ThemeRole)], cursorLine: Int) {
        let labelWidth = 7
        let side = max(1, (width - labelWidth - 3) / 2)
        var result: [(String, ThemeRole)] = []
        var cursorLine = 0
        for (index, row) in view.rows.enumerated() {
            if index == view.cursor { cursorLine = result.count }
            let marker = row.same.map { $0 ? " = " : " ≠ " } ?? " ? "
            // On a narrow panel the ids shrink to their last digits (where sibling namespaces differ),
            // leaving room for the facts; the = / ≠ between the sides still says same or not.
            let short = side < 26
            let host = DisplayWidth.padded(idText(row.hostID, short: short) + " " + row.hostFact, to: side)
            let child = DisplayWidth.truncated(idText(row.childID, short: short) + " " + row.childFact, to: side)
            let label = DisplayWidth.padded(row.kind.procName, to: labelWidth)
            let role: ThemeRole = view.ended != nil ? .disabled : row.same.map { $0 ? .same : .differs } ?? .normal
            result.append((label + host + marker + child, role))
            if view.expanded == row.kind {
                var text = ComparisonLessons.lesson(row.kind)
                if row.same == true, view.ended == nil { text += " " + ComparisonLessons.sharedHint(row.kind) }
                for line in wrap(text, width: max(1, width - 2)) { result.append(("  " + line, .hint)) }
            }
        }
        return (result, cursorLine)
    }

    /// An id as given, or with `short` as its last four digits: `[4026531838]` becomes `[…1838]`.
    static func idText(_ id: String, short: Bool) -> String {
        guard short, id.hasPrefix("["), id.hasSuffix("]"), id.count > 7 else { return id }
        return "[…" + id.dropLast().suffix(4) + "]"
    }

    /// Breaks `text` into lines of at most `width` columns at spaces (a longer word is cut). A command in
    /// backticks stays on one line when it fits, so it can be read and typed as shown.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var words: [String] = []
        var inCommand = false
        for word in text.split(separator: " ") {
            if inCommand, let last = words.popLast() {
                words.append(last + " " + word)
            } else {
                words.append(String(word))
            }
            if word.filter({ $0 == "`" }).count % 2 == 1 { inCommand.toggle() }
        }
        var lines: [String] = []
        var current = ""
        for word in words {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.width(of: candidate) <= width {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = DisplayWidth.truncated(String(word), to: width)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The frame's title: the subject, and how it ended.
    public static func title(_ view: ComparisonView?) -> String {
        guard let view else { return Panel.comparison.title }
        return "Host vs child: \(view.subject)" + (view.ended.map { " [\($0)]" } ?? "")
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
        let (lines, cursorLine) = lines(view, width: inner.width)
        // Keep the cursor's row and its open explanation on screen; rows scroll only when they must.
        let isOpen = view.expanded != nil && view.expanded == view.rows[safe: view.cursor]?.kind
        let explanation = isOpen ? lines.dropFirst(cursorLine + 1).prefix { $0.role == .hint }.count : 0
        let lastNeeded = cursorLine + explanation
        let scroll = max(0, min(cursorLine, lastNeeded - inner.height + 1))
        for (offset, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let isCursor = focused && scroll + offset == cursorLine
            let style = isCursor ? theme[.selection] : theme[line.role]
            if isCursor { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            buffer.write(line.text, x: inner.x, y: y, style: style, clip: inner)
        }
    }
}
