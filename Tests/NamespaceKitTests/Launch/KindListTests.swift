import Testing

@testable import NamespaceKit

@Suite("--ns kind lists")
struct KindListTests {
    static let lists: [(String, Set<NamespaceKind>)] = [
        ("uts", [.uts]),
        ("uts,pid", [.uts, .pid]),
        (" mnt , mount ,NET", [.mount, .net]),
        ("all", Set(NamespaceKind.allCases)),
        ("user,all", Set(NamespaceKind.allCases)),
        ("", []),
    ]

    @Test("lists parse with aliases, blanks and all", arguments: lists)
    func parses(text: String, expected: Set<NamespaceKind>) throws {
        #expect(try NamespaceKind.parseList(text) == expected)
    }

    @Test(
        "an unknown or empty word is named in the error",
        arguments: [("uts,foo", "foo"), ("uts,,pid", ""), ("pids", "pids")])
    func rejects(text: String, word: String) {
        #expect(throws: KindListError(word: word)) { try NamespaceKind.parseList(text) }
        #expect(KindListError(word: word).description.hasPrefix("'\(word)' is not a namespace kind"))
    }
}
