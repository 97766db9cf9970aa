/// Why a list of kinds such as `uts,pid` is refused.
public struct KindListError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The word that is not a kind.
    public let word: String

    public var description: String {
        "\(word.quoted) is not a namespace kind; use a comma-separated list of "
            + "uts, ipc, pid, mount (or mnt), net, user, cgroup, time, or all"
    }
}

extension NamespaceKind {
    /// Parses a comma-separated list of kinds as `--ns` takes it: `uts,pid`, `mnt`, `all`.
    /// Blanks around words are ignored; an empty list is no kinds.
    public static func parseList(_ text: String) throws(KindListError) -> Set<NamespaceKind> {
        var kinds = Set<NamespaceKind>()
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = raw.trimmingBlanks()
            if word.isEmpty && text.trimmingBlanks().isEmpty { continue }
            if word.lowercased() == "all" {
                kinds.formUnion(allCases)
            } else if let kind = NamespaceKind(argument: word) {
                kinds.insert(kind)
            } else {
                throw KindListError(word: word)
            }
        }
        return kinds
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
