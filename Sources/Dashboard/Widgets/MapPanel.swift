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
    /// then per view its subject, its uid and gid lines with their readings, and setgroups.
    public static func lines(for views: [MapView]) -> [(text: String, role: ThemeRole)] {
        var result: [(String, ThemeRole)] = [("     inside outside   count", .hint)]
        for view in views {
            result.append((view.subject, .title))
            for (name, lines) in [("uid", view.uidLines), ("gid", view.gidLines)] {
                if lines.isEmpty {
                    result.append(("\(name)  (no map: every \(name) reads as the overflow id 65534)", .differs))
                }
                for line in lines {
                    let numbers = pad(line.inside) + " " + pad(line.outside) + " " + pad(line.count)
                    let role: ThemeRole = line.inside == line.outside ? .same : .differs
                    result.append(("\(name) " + numbers + "  " + reading(line, idName: name), role))
                }
            }
            result.append((setgroupsReading(view.setgroups), .normal))
        }
        return result
    }

    /// Right-aligns a number in 7 columns (wider numbers just take more).
    static func pad(_ value: UInt32) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, 7 - text.count)) + text
    }

    /// Draws the panel into `rect`.
    public static func render(state: AppState, in rect: Rect, focused: Bool, buffer: inout ScreenBuffer, theme: Theme) {
        let inner = PanelFrame.draw(Panel.maps.title, in: rect, focused: focused, buffer: &buffer, theme: theme)
        guard !state.maps.isEmpty else {
            buffer.write(
                "select a process or launch a child to see its maps", x: inner.x, y: inner.y,
                style: theme[.hint], clip: inner)
            return
        }
        for (offset, line) in lines(for: state.maps).enumerated() {
            buffer.write(
                DisplayWidth.truncated(line.text, to: inner.width), x: inner.x, y: inner.y + offset,
                style: theme[line.role], clip: inner)
        }
    }
}
