import NamespaceKit

/// Long values of the Host vs child panel (a container's cgroup path, a host's many interfaces) shortened to a
/// width, so every row takes one or two lines and all eight fit; the whole value is in the row's explanation
/// (Enter). Each kind is shortened where it says least: an interface list keeps its first and last entries and
/// counts the rest, a path keeps its ends and cuts the middle of its longest parts (the 64-hex container id of
/// `/machine.slice/libpod-<id>.scope/container`), anything else loses its middle. Pure.
public enum ComparisonShortening {
    /// `fact` of `kind` shortened to at most `width` columns (unchanged when it fits).
    public static func shortened(_ fact: String, kind: NamespaceKind, width: Int) -> String {
        guard DisplayWidth.width(of: fact) > width else { return fact }
        let result: String
        switch kind {
        case .net, .user:
            // `netns blue: lo up, eth0 up` keeps its names before the list.
            let (head, items) = splitNetnsHead(fact)
            result = head + list(items, separator: ", ", width: width - DisplayWidth.width(of: head))
        case .cgroup:
            result = path(fact, width: width)
        default:
            result = middle(fact, width: width)
        }
        return DisplayWidth.width(of: result) <= width ? result : middle(fact, width: width)
    }

    /// `netns NAMES: ` and the list after it, or no head.
    static func splitNetnsHead(_ fact: String) -> (String, String) {
        let parts = pieces(fact, separator: ": ")
        guard fact.hasPrefix("netns "), parts.count > 1 else { return ("", fact) }
        let head = parts[0] + ": "
        return (head, String(fact.dropFirst(head.count)))
    }

    /// A `separator`-joined list in `width`: as many leading items as fit, `… N more`, and the last item (a veth
    /// end just added is often the point).
    static func list(_ text: String, separator: String, width: Int) -> String {
        let items = pieces(text, separator: separator)
        guard items.count > 2 else { return middle(text, width: width) }
        let last = items[items.count - 1]
        for kept in stride(from: items.count - 2, through: 0, by: -1) {
            let hidden = items.count - 1 - kept
            let parts = Array(items.prefix(kept)) + ["… \(hidden) more", last]
            let candidate = parts.joined(separator: separator)
            if DisplayWidth.width(of: candidate) <= width { return candidate }
        }
        return middle(text, width: width)
    }

    /// `text` split at every `separator` (Foundation's `components(separatedBy:)`, which the module does without).
    static func pieces(_ text: String, separator: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let index = rest.indices.first(where: { rest[$0...].hasPrefix(separator) }) {
            result.append(String(rest[..<index]))
            rest = rest[index...].dropFirst(separator.count)
        }
        result.append(String(rest))
        return result
    }

    /// A path in `width`: the middle of its longest component cut (down to a few characters each side) until it
    /// fits, then leading components dropped as `…/`.
    static func path(_ text: String, width: Int) -> String {
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func joined() -> String { parts.joined(separator: "/") }
        while DisplayWidth.width(of: joined()) > width {
            guard let longest = parts.indices.max(by: { parts[$0].count < parts[$1].count }),
                parts[longest].count > 11
            else { break }
            let excess = DisplayWidth.width(of: joined()) - width
            parts[longest] = middle(parts[longest], width: max(11, parts[longest].count - excess))
        }
        while DisplayWidth.width(of: joined()) > width, parts.count > 2 {
            parts.removeFirst(parts[0] == "…" ? 2 : 1)
            parts.insert("…", at: 0)
        }
        return joined()
    }

    /// `text` with its middle replaced by `…` to fit `width`: a little more of the start than of the end.
    static func middle(_ text: String, width: Int) -> String {
        guard DisplayWidth.width(of: text) > width else { return text }
        guard width > 2 else { return DisplayWidth.truncated(text, to: width) }
        let tail = (width - 1) / 2
        let head = width - 1 - tail
        var end = ""
        var used = 0
        for character in text.reversed() {
            let w = DisplayWidth.width(of: character)
            if used + w > tail { break }
            end = String(character) + end
            used += w
        }
        return DisplayWidth.prefix(text, fitting: head) + "…" + end
    }
}
