import Foundation
import Testing

/// Guards scripts/test-private-clone.sh against drifting from the tests: every test that runs something as uid
/// 65534 must be in its list, or a new one could again read the checkout (out of reach in a clone under a 0700
/// home, issue 25) and nobody would see it fail before a user's clone did.
@Suite("the private-clone script's list of uid-65534 tests")
struct PrivateCloneCoverageTests {
    /// What in a test's body says it runs something as uid 65534.
    static let markers = ["--reuid=65534", "runUnprivileged", "publicCopy", "asNobody: true", "unprivileged: true"]

    /// The script's test patterns (the quoted lines of its `tests=( ... )` list).
    static func scriptPatterns() throws -> [String] {
        let script = try String(contentsOfFile: Binary.checkout + "/scripts/test-private-clone.sh", encoding: .utf8)
        let list = try #require(script.range(of: "tests=(")).upperBound
        let end = try #require(script[list...].range(of: "\n)")).lowerBound
        return script[list..<end].split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("'"), trimmed.hasSuffix("'"), trimmed.count > 2 else { return nil }
            return String(trimmed.dropFirst().dropLast())
        }
    }

    /// Every `@Test` function in the test folders as "Type/function", with its body's text (up to the next test).
    static func tests() throws -> [(id: String, body: String)] {
        var found: [(String, String)] = []
        for folder in ["nslabTests", "DashboardTests", "NamespaceKitTests", "TerminalKitTests"] {
            let path = Binary.checkout + "/Tests/" + folder
            let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".swift") }
            for file in files {
                let lines = try String(contentsOfFile: path + "/" + file, encoding: .utf8).split(
                    separator: "\n", omittingEmptySubsequences: false)
                var type = ""
                var current: (String, [Substring])?
                var awaitingFunction = false
                for line in lines {
                    // A suite's tests may sit in an extension of it in another file (WiringEndToEndTests.swift).
                    if let name = Self.word(after: "struct ", in: line, atStart: true)
                        ?? Self.word(after: "extension ", in: line, atStart: true)
                    {
                        type = name
                    }
                    if line.contains("@Test") {
                        if let current { found.append((current.0, current.1.joined(separator: "\n"))) }
                        current = nil
                        awaitingFunction = true
                    }
                    if awaitingFunction, let name = Self.word(after: "func ", in: line, atStart: false) {
                        current = (type + "/" + name, [])
                        awaitingFunction = false
                    }
                    current?.1.append(line)
                }
                if let current { found.append((current.0, current.1.joined(separator: "\n"))) }
            }
        }
        return found
    }

    /// The identifier after `keyword` in `line` (at the line's start, after indentation or `@Suite(...)`, for a
    /// type); nil when there is none.
    private static func word(after keyword: String, in line: Substring, atStart: Bool) -> String? {
        guard let range = line.range(of: keyword) else { return nil }
        if atStart {
            let before = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            guard before.isEmpty || before.hasPrefix("@Suite") || before == "final" else { return nil }
        }
        let name = line[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    @Test("every test that runs something as uid 65534 is in scripts/test-private-clone.sh")
    func everyUnprivilegedTestIsListed() throws {
        let patterns = try Self.scriptPatterns().map { try Regex($0) }
        #expect(patterns.count >= 10)
        let unprivileged = try Self.tests().filter { test in Self.markers.contains { test.body.contains($0) } }
        // The scan finds the tests it must: lesson 15's, for one, which found no lessons from a private clone.
        #expect(unprivileged.contains { $0.id == "LessonEndToEndTests/heldLesson" }, "\(unprivileged.map(\.id))")
        for test in unprivileged {
            #expect(
                patterns.contains { test.id.contains($0) }, "\(test.id) runs as uid 65534 but the script skips it")
        }
    }
}
