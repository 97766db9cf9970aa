import Foundation
import Glibc
import TestSupport
import Testing

/// The repository's lessons/ folder, given to the binary under test however it was built or copied.
private let repositoryLessons: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/") + "/lessons"
}()

/// Text output that stays aligned and whole (issue 24's "correct facts"): `nslab lesson --list` and `nslab inspect`.
@Suite(.serialized) struct AlignedTextTests {
    /// Regression: names longer than the fixed name column (`propagation`) pushed their titles one column off
    /// the others'. Every name and every title now starts in the same column.
    @Test func lessonListColumnsAlign() throws {
        let result = try Binary.run(["lesson", "--list"], environment: ["NSLAB_LESSON_PATH": repositoryLessons])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count >= 14, "\(result.stdout)")
        var nameStarts = Set<Int>()
        var titleStarts = Set<Int>()
        var rootStarts = Set<Int>()
        for line in lines {
            let characters = Array(line)
            var index = characters.firstIndex { $0 != " " } ?? 0
            while index < characters.count, characters[index].isNumber { index += 1 }
            while index < characters.count, characters[index] == " " { index += 1 }
            nameStarts.insert(index)
            while index < characters.count, characters[index] != " " { index += 1 }
            while index < characters.count, characters[index] == " " { index += 1 }
            if String(characters[index...]).hasPrefix("root ") {
                rootStarts.insert(index)
                index += 4
                while index < characters.count, characters[index] == " " { index += 1 }
            }
            titleStarts.insert(index)
        }
        #expect(lines.contains { $0.contains(" propagation ") }, "\(result.stdout)")
        #expect(nameStarts.count == 1, "\(result.stdout)")
        #expect(titleStarts.count == 1, "titles start in columns \(titleStarts.sorted()):\n\(result.stdout)")
        #expect(rootStarts.count <= 1, "\(result.stdout)")
    }

    /// Regression: the text of `nslab inspect` cut the left column's facts at 58 characters (`private 25
    /// unbinda`) and ran past a terminal's right edge. On a 64-column terminal every line fits, the verdicts
    /// line up, and the propagation facts, read back from their wrapped column, are whole.
    @Test func inspectTextIsWholeAndAlignedOnANarrowTerminal() throws {
        let columns = 64
        let pid = getpid()
        let json = try runNslab(["inspect", String(pid), "--json"]).json()
        let kinds = try #require(json["kinds"] as? [[String: Any]])
        let mount = try #require(kinds.first { $0["type"] as? String == "mnt" })
        let run = try Binary.runProgram(
            "/usr/bin/script",
            ["-qec", "stty cols \(columns) rows 50; exec \(Binary.path) inspect \(pid)", "/dev/null"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        let table = lines.drop { !$0.hasPrefix("KIND") }
        #expect(table.count > 16, "\(run.stdout)")
        for line in table { #expect(line.count <= columns, "wider than the terminal: \(line)") }
        // The verdict of every kind row in one column.
        let kindNames = ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"]
        var verdictColumns = Set<Int>()
        for line in table where kindNames.contains(String(line.prefix { $0 != " " })) {
            let match = try #require(line.range(of: #"  (same|DIFF|\?)  "#, options: .regularExpression), "\(line)")
            verdictColumns.insert(line.distance(from: line.startIndex, to: match.lowerBound) + 2)
        }
        #expect(verdictColumns.count == 1, "verdicts in \(verdictColumns.sorted()):\n\(table.joined(separator: "\n"))")
        let verdict = try #require(verdictColumns.first)
        // The mnt row's facts, each column read back with its wrapped parts joined.
        let mntStart = try #require(table.firstIndex { $0.hasPrefix("mnt ") })
        let mntRows = table[(mntStart + 1)...].prefix { $0.hasPrefix(" ") }
        func column(_ range: (String) -> Substring) -> String {
            mntRows.map { range($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        }
        let left = column { String($0).count > 8 ? $0.dropFirst(8).prefix(verdict - 2 - 8) : "" }
        let right = column { $0.count > verdict + 7 ? $0.dropFirst(verdict + 7) : "" }
        for (side, text) in [("left_facts", left), ("right_facts", right)] {
            let facts = try #require(mount[side] as? [String: Any], "\(mount)")
            let counts = try #require(facts["propagation"] as? [String: Any], "\(facts)")
            let privateCount = try #require(counts["private"] as? Int)
            let unbindable = try #require(counts["unbindable"] as? Int)
            #expect(text.contains("private \(privateCount) unbindable \(unbindable)"), "\(side): \(text)")
        }
    }
}
