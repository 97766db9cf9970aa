import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// Lesson files: what a good one becomes, the one message (file, line, column) a bad one gets, a fuzz of
/// broken files, and every lesson the repository ships.
@Suite("Lesson files")
struct LessonParserTests {
    static let good = """
        number = 3
        name = "pid"
        title = "PID: the first process is 1"
        goal = "The shell is pid 1 inside."
        kinds = ["pid", "mnt"]
        needs_root = true

        [options]
        hostname = "myhost"
        boottime = 86400
        fresh_proc = false

        [[step]]
        command = "echo $$"
        expect = "1"
        check = "pid-inside"
        value = 1
        hint = "tick PID"

        [[step]]
        kind = "observe"
        expect = "ids differ"
        check = "own-namespace"
        value = "pid"
        """

    /// The message `text` gets, or nil when it parses.
    func problem(_ text: String) -> LessonError? {
        do {
            _ = try LessonParser.parse(text, file: "t.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test("a good file becomes a lesson with its kinds, options and steps")
    func goodFile() throws {
        let lesson = try LessonParser.parse(Self.good, file: "t.toml")
        #expect(lesson.number == 3 && lesson.name == "pid" && lesson.needsRoot)
        #expect(lesson.kinds == [.pid, .mount])
        #expect(lesson.options.hostname == "myhost" && lesson.options.boottimeOffset == 86400)
        #expect(lesson.options.freshProc == false && lesson.options.loopbackUp == NamespaceOptions().loopbackUp)
        #expect(lesson.steps.count == 2)
        #expect(lesson.steps[0].kind == .child && lesson.steps[0].command == "echo $$")
        #expect(lesson.steps[0].check == .pidInside(1) && lesson.steps[0].hint == "tick PID")
        #expect(lesson.steps[1].kind == .observe && lesson.steps[1].check == .ownNamespace(.pid))
    }

    @Test("each mistake is reported at its line and column, once")
    func mistakes() throws {
        let cases: [(String, String, Int, Int, String)] = [
            ("syntax", "number = 3\nname = \"x\ntitle = 1", 2, 0, ""),
            ("unknown check", "check = \"pid-inside\"", 16, 9, "unknown check 'pid-insde'"),
            ("unknown kind", "kinds = [\"pid\", \"mnt\"]", 5, 17, "unknown kind 'mtn'"),
            ("unknown step kind", "kind = \"observe\"", 21, 8, "unknown step kind 'obsrve'"),
            ("wrong value type", "value = 1", 17, 9, "takes an integer, not a string"),
            ("unknown key", "needs_root = true", 6, 13, "unknown key 'needs_rot'"),
        ]
        let broken: [String: (String, String)] = [
            "syntax": ("name = \"pid\"", "name = \"pid"),
            "unknown check": ("check = \"pid-inside\"", "check = \"pid-insde\""),
            "unknown kind": ("\"mnt\"]", "\"mtn\"]"),
            "unknown step kind": ("kind = \"observe\"", "kind = \"obsrve\""),
            "wrong value type": ("value = 1", "value = \"1\""),
            "unknown key": ("needs_root = true", "needs_rot = true"),
        ]
        for (name, _, line, column, words) in cases {
            let (from, to) = try #require(broken[name])
            let text = Self.good.replacingFirst(from, with: to)
            #expect(text != Self.good, "\(name): the mutation applied")
            let error = try #require(problem(text), "\(name) is refused")
            #expect(error.file == "t.toml")
            #expect(error.line == line, "\(name): \(error)")
            if column > 0 { #expect(error.column == column, "\(name): \(error)") }
            #expect(error.description.hasPrefix("t.toml:\(line):"), "\(name): \(error)")
            #expect(words.isEmpty || error.message.contains(words), "\(name): \(error)")
            #expect(!error.description.contains("\n"), "one line: \(error)")
        }
    }

    @Test(
        "table headers without a name are syntax errors, not a toml++ assertion",
        arguments: [
            "[\na]", "[[\na]]", "[[ \na]]", "[[=]]", "[.a]", "[ #c\na]",
        ])
    func namelessHeader(_ text: String) throws {
        let error = try #require(problem("number = 1\n" + text))
        #expect(error.line == 2 && error.message.contains("table name"), "\(error)")
        #expect(throws: TOMLSyntaxError.self) { try TOMLReader.parse(text) }
    }

    @Test("a second file with a taken number is left out, the first stays")
    func duplicateNumber() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.toml", Self.good)
        try folder.write("b.toml", Self.good.replacingFirst("name = \"pid\"", with: "name = \"other\""))
        try folder.write("c.toml", "number = ")
        let loaded = LessonLoader(environment: ["NSLAB_LESSON_PATH": folder.path], executableDirectory: nil).load()
        #expect(loaded.lessons.map(\.name) == ["pid"])
        #expect(loaded.problems.count == 2)
        let duplicate = try #require(loaded.problems.first { $0.file.hasSuffix("/b.toml") })
        #expect(duplicate.line == 1 && duplicate.column == 10, "at the number: \(duplicate)")
        #expect(duplicate.message.contains("taken by") && duplicate.message.contains("a.toml"))
        #expect(loaded.problems.contains { $0.file.hasSuffix("/c.toml") && $0.line == 1 })
    }

    @Test("a fuzz of broken files: never a crash, always a position inside the file or a lesson")
    func fuzz() throws {
        var random = SplitMix(seed: 15)
        let bytes = Array(Self.good.utf8)
        let alphabet = Array("=[]\"'{}.,#\n x1-".utf8)
        var refused = 0
        for _ in 0..<400 {
            var mutated = bytes
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let at = Int(random.next() % UInt64(mutated.count))
                switch random.next() % 3 {
                case 0: mutated.remove(at: at)
                case 1: mutated.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                default: mutated[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            let text = String(decoding: mutated, as: UTF8.self)
            guard let error = problem(text) else { continue }
            refused += 1
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.line >= 1 && error.line <= lines + 1, "\(error) in\n\(text)")
            #expect(error.column >= 1, "\(error)")
            #expect(!error.message.isEmpty && !error.description.contains("\n"), "\(error)")
        }
        #expect(refused > 200, "most mutations break the file (\(refused) of 400)")
    }

    @Test("the held checks take a kind: parsed, and a wrong or missing value is one message at its place")
    func heldChecks() throws {
        func file(_ check: String, _ value: String?) -> String {
            "number = 15\nname = \"held\"\ntitle = \"t\"\ngoal = \"g\"\nkinds = [\"mount\"]\n\n[[step]]\n"
                + "command = \"c\"\nexpect = \"e\"\ncheck = \"\(check)\"\n" + (value.map { "value = \($0)\n" } ?? "")
        }
        let expected: [(String, LessonCheck)] = [
            ("held-namespace", .heldNamespace(.uts)), ("held-entered", .heldEntered(.uts)),
            ("held-released", .heldReleased(.uts)),
        ]
        for (name, check) in expected {
            let lesson = try LessonParser.parse(file(name, "\"uts\""), file: "t.toml")
            #expect(lesson.steps.first?.check == check, "\(name)")
        }
        let mount = try LessonParser.parse(file("held-namespace", "\"mnt\""), file: "t.toml")
        #expect(mount.steps[0].check == .heldNamespace(.mount))
        let refused: [(String?, Int, Int, String)] = [
            ("\"utz\"", 11, 9, "unknown kind 'utz'"),
            ("3", 11, 9, "check 'held-namespace' takes a kind, not an integer"),
            (nil, 10, 9, "check 'held-namespace' needs a value"),
        ]
        for (value, line, column, words) in refused {
            let error = try #require(problem(file("held-namespace", value)), "\(value ?? "no value")")
            #expect(error.line == line && error.column == column && error.message.contains(words), "\(error)")
        }
        #expect(problem(file("held-namespaces", "\"uts\""))?.message.contains("unknown check") == true)
    }

    @Test("every shipped lesson loads: 1 to 8 are the classic experiments in DESIGN.md's order")
    func shippedLessons() throws {
        let loaded = LessonLoader(environment: ["NSLAB_LESSON_PATH": Self.repoLessons], executableDirectory: nil)
            .load()
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let classic = loaded.lessons.filter { (1...8).contains($0.number) }
        #expect(classic.map(\.name) == ["uts", "ipc", "pid", "mount", "user", "net", "cgroup", "time"])
        for lesson in loaded.lessons {
            // Every step is judged on something: a live check, or what the learner's command printed.
            #expect(
                !lesson.steps.isEmpty && lesson.steps.allSatisfy { $0.check != nil || $0.output != nil },
                "\(lesson.name)")
        }
        #expect(loaded.find("8")?.options.boottimeOffset == 86_400)
        #expect(loaded.find("TIME")?.kinds == [.time])
        #expect(loaded.find("veth")?.needsRoot == true && loaded.find("orphan")?.needsRoot == false)
        #expect(loaded.lessons.map(\.number) == Array(1...15), "every lesson the issue lists, in order")
        let held = try #require(loaded.find("held"))
        #expect(held.number == 15 && !held.needsRoot && held.kinds == [.mount, .uts])
        let checks: [LessonCheck?] = [
            .mountSeen("/mnt"), .heldNamespace(.uts), nil, .heldReleased(.uts),
        ]
        #expect(held.steps.map(\.check) == checks)
    }

    /// The repository's lessons/ folder.
    static var repoLessons: String {
        let file = #filePath
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        return parts.dropLast(3).joined(separator: "/") + "/lessons"
    }
}

/// A deterministic random source, so a fuzz failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A folder under /tmp, removed with its files when the value goes.
final class TemporaryFolder {
    let path: String
    private var files: [String] = []

    init() throws {
        var template = Array("/tmp/nslab-lessons-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TemporaryFolderError() }
        path = String(cString: made)
    }

    func write(_ name: String, _ text: String) throws {
        let file = path + "/" + name
        guard let handle = fopen(file, "w") else { throw TemporaryFolderError() }
        fputs(text, handle)
        fclose(handle)
        files.append(file)
    }

    deinit {
        for file in files { unlink(file) }
        rmdir(path)
    }
}

struct TemporaryFolderError: Error {}

extension String {
    /// The text with the first `from` replaced.
    func replacingFirst(_ from: String, with to: String) -> String {
        guard let range = range(of: from) else { return self }
        return replacingCharacters(in: range, with: to)
    }
}
