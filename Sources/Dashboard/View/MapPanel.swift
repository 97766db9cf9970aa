/// The uid/gid map viewer: each map line as "inside outside count" with its reading in plain words.
public enum MapPanel {
    /// The plain-words reading of one map line, e.g. "uid 0 inside is uid 1000 outside".
    public static func reading(_ line: MapLine, idName: String) -> String {
        if line.inside == 0 && line.outside == 0 && line.count == UInt32.max {
            return "every \(idName) is the same inside and outside"
        }
        if line.outside == UInt32.max {
            // The kernel prints -1 when the range's first id has no id in the reader's namespace.
            return "\(idName) \(line.inside) has no \(idName) in the reader's namespace (4294967295: unmapped)"
        }
        if line.count == 1 {
            return "\(idName) \(line.inside) inside is \(idName) \(line.outside) outside"
        }
        let insideEnd = UInt64(line.inside) + UInt64(line.count) - 1
        let outsideEnd = UInt64(line.outside) + UInt64(line.count) - 1
        return "\(idName)s \(line.inside)-\(insideEnd) inside are \(idName)s \(line.outside)-\(outsideEnd) outside"
    }

    /// What the setgroups file means for the learner.
    public static func setgroupsReading(_ value: String?) -> String {
        switch value {
        case "deny": return "setgroups: deny (setgroups(2) is refused in this namespace)"
        case "allow": return "setgroups: allow"
        case let other?: return "setgroups: \(other)"
        case nil: return "setgroups: unknown"
        }
    }

    /// The panel's text lines for the views, each with the role it is drawn in: the column header once,
    /// then per view its subject, its uid and gid lines with their readings, and setgroups. A line wider
    /// than `width` goes on over the next lines, indented, instead of being cut: the reading is the lesson.
    public static func lines(for views: [MapView], width: Int = .max) -> [(text: String, role: ThemeRole)] {
        var result: [(String, ThemeRole)] = [("     inside outside   count", .hint)]
        func add(_ head: String, reading: String? = nil, _ role: ThemeRole) {
            result += fitted(head, reading: reading, width: width).map { ($0, role) }
        }
        for view in views {
            add(view.subject, .title)
            for (name, lines) in [("uid", view.uidLines), ("gid", view.gidLines)] {
                if lines.isEmpty {
                    add("\(name)  (no map: every \(name) reads as the overflow id 65534)", .differs)
                }
                for line in lines {
                    let numbers = pad(line.inside) + " " + pad(line.outside) + " " + pad(line.count)
                    let role: ThemeRole = line.inside == line.outside ? .same : .differs
                    add("\(name) " + numbers, reading: reading(line, idName: name), role)
                }
            }
            add(setgroupsReading(view.setgroups), .normal)
        }
        return result
    }

    /// How far continuation lines are indented, so they read as part of the line above.
    static let continuationIndent = "    "

    /// `head` and its `reading` on one line when they fit in `width`; else the head (word-wrapped when it
    /// is prose) and then the reading on indented lines of their own.
    static func fitted(_ head: String, reading: String?, width: Int) -> [String] {
        let whole = reading.map { head + "  " + $0 } ?? head
        // Too narrow to wrap into anything readable: the renderer cuts the line with an ellipsis instead.
        guard DisplayWidth.width(of: whole) > width, width >= 20 else { return [whole] }
        let indent = continuationIndent
        if let reading {
            return [head] + TextWrap.lines(reading, width: width - indent.count).map { indent + $0 }
        }
        let rows = TextWrap.lines(head, width: width)
        guard let first = rows.first else { return [whole] }  // nothing but spaces
        let rest = rows.dropFirst().joined(separator: " ")
        return [first] + TextWrap.lines(rest, width: width - indent.count).map { indent + $0 }
    }

    /// Right-aligns a number in 7 columns (wider numbers just take more).
    static func pad(_ value: UInt32) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, 7 - text.count)) + text
    }

    /// Draws the panel into `rect`, from line `state.mapScroll` on; when the lines do not all fit, the
    /// bottom border says which are shown and how to scroll.
    public static func render(
        state: DashboardModel, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let inner = PanelFrame.draw(Panel.maps.title, in: rect, focused: focused, buffer: &buffer, theme: theme)
        guard !state.maps.isEmpty else {
            buffer.write(
                "select a process or launch a child to see its maps", x: inner.x, y: inner.y,
                style: theme[.hint], clip: inner)
            return
        }
        var all = lines(for: state.maps, width: inner.width)
        let first = min(max(0, state.mapScroll), max(0, all.count - inner.height))
        var body = inner
        // Scrolled, the column header stays on top, so the numbers below still say which is which. It takes
        // one row and is one line fewer to scroll, so the scroll range is the same either way.
        if all.count > inner.height && inner.height >= 3 {
            let header = all.removeFirst()
            buffer.write(header.text, x: inner.x, y: inner.y, style: theme[header.role], clip: inner)
            body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        }
        for (offset, line) in all.dropFirst(first).prefix(body.height).enumerated() {
            buffer.write(
                DisplayWidth.truncated(line.text, to: body.width), x: body.x, y: body.y + offset,
                style: theme[line.role], clip: body)
        }
        guard all.count > body.height, body.height > 0, rect.width > 4 else { return }
        let last = min(all.count, first + body.height)
        PanelFrame.marker(
            ["\(first + 1)-\(last) of \(all.count)", scrollKeys], in: rect, focused: focused, buffer: &buffer,
            theme: theme)
    }

    /// The keys that scroll the panel, as the bottom border and the status bar show them.
    public static let scrollKeys = "↑↓ PgUp PgDn"
}
