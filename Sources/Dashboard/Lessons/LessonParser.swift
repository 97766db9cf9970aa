import NamespaceKit

/// A lesson file that cannot be used, and where: one line, `FILE:LINE:COLUMN: what is wrong`.
public struct LessonError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// 1-based line and column of the mistake.
    public var line: Int
    public var column: Int
    /// What is wrong, in one sentence.
    public var message: String

    /// The message as printed and shown in the status line.
    /// (Control characters in the message, such as a newline toml++ quotes, are escaped to keep it one line.)
    public var description: String { "\(file):\(line):\(column): \(message.escapingControls)" }
}

/// Reads one lesson file (the format is docs/lessons.md). Every mistake is reported at the value or key that
/// is wrong; unknown keys are mistakes too, so a typo in a teacher's file never goes unnoticed.
public enum LessonParser {
    /// The top-level keys a lesson may have.
    static let lessonKeys: Set = ["number", "name", "title", "goal", "kinds", "needs_root", "options", "step"]
    /// The keys of `[options]`.
    static let optionKeys: Set = [
        "hostname", "fresh_proc", "loopback_up", "uid_map", "gid_map", "maps", "boottime", "monotonic",
    ]
    /// The keys of a `[[step]]`.
    static let stepKeys: Set = [
        "kind", "command", "alternatives", "status", "output", "expect", "check", "value", "hint", "hint_status",
        "hint_output", "row",
    ]

    /// Parses `text`, which came from `file`.
    public static func parse(_ text: String, file: String) throws(LessonError) -> Lesson {
        let root: LocatedTOML
        do {
            root = try LocatedTOML.parse(text)
        } catch {
            throw LessonError(file: file, line: error.line, column: error.column, message: error.message)
        }
        var reader = TableReader(root, file: file, allowed: lessonKeys, what: "a lesson")
        try reader.checkKeys()
        let number = try reader.integer("number", in: 1...99)
        let name = try reader.string("name")
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw reader.error(at: reader.node("name"), "name \(name.quoted) must be letters, digits and '-'")
        }
        let title = try reader.string("title")
        let goal = try reader.string("goal")
        var kinds = Set<NamespaceKind>()
        for node in try reader.list("kinds") {
            guard case .string(let word) = node.value else {
                throw reader.error(at: node, "a kind is a string, not \(node.typeName)")
            }
            guard let kind = NamespaceKind(rawValue: word == "mnt" ? "mount" : word) else {
                throw reader.error(
                    at: node, "unknown kind \(word.quoted): use uts, ipc, pid, mount, net, user, cgroup or time")
            }
            kinds.insert(kind)
        }
        let needsRoot = try reader.optionalBoolean("needs_root") ?? false
        var options = NamespaceOptions()
        if let table = reader.optionalNode("options") {
            options = try parseOptions(table, file: file)
        }
        guard let stepNodes = reader.optionalNode("step"), case .array(let elements) = stepNodes.value,
            !elements.isEmpty
        else {
            throw reader.error(at: reader.optionalNode("step") ?? root, "a lesson needs at least one [[step]]")
        }
        let steps = try elements.map { element throws(LessonError) in try parseStep(element, file: file) }
        return Lesson(
            number: number, name: name, title: title, goal: goal, kinds: kinds, options: options,
            needsRoot: needsRoot, steps: steps, file: file)
    }

    static func parseOptions(_ node: LocatedTOML, file: String) throws(LessonError) -> NamespaceOptions {
        var reader = TableReader(node, file: file, allowed: optionKeys, what: "[options]")
        try reader.checkKeys()
        var options = NamespaceOptions()
        if let hostname = try reader.optionalString("hostname") {
            do {
                try LaunchSpec.validateHostname(hostname)
            } catch {
                throw reader.error(at: reader.node("hostname"), error.description)
            }
            options.hostname = hostname
        }
        options.freshProc = try reader.optionalBoolean("fresh_proc") ?? options.freshProc
        options.loopbackUp = try reader.optionalBoolean("loopback_up") ?? options.loopbackUp
        options.writeMaps = try reader.optionalBoolean("maps") ?? options.writeMaps
        for (key, isUID) in [("uid_map", true), ("gid_map", false)] {
            guard let node = reader.optionalNode(key) else { continue }
            guard case .string(let line) = node.value, (try? IDMapEntry(parsing: line)) != nil else {
                throw reader.error(at: node, "\(key) is a map line 'INSIDE OUTSIDE COUNT'")
            }
            if isUID { options.uidMaps = [line] } else { options.gidMaps = [line] }
        }
        if let seconds = try reader.optionalInteger("boottime") { options.boottimeOffset = Int64(seconds) }
        if let seconds = try reader.optionalInteger("monotonic") { options.monotonicOffset = Int64(seconds) }
        return options
    }

    static func parseStep(_ node: LocatedTOML, file: String) throws(LessonError) -> LessonStep {
        let reader = TableReader(node, file: file, allowed: stepKeys, what: "a [[step]]")
        guard case .table = node.value else { throw reader.error(at: node, "a step is a table ([[step]])") }
        try reader.checkKeys()
        let kindWord = try reader.optionalString("kind") ?? "child"
        guard let kind = StepKind(rawValue: kindWord) else {
            throw reader.error(
                at: reader.node("kind"), "unknown step kind \(kindWord.quoted): use child, host or observe")
        }
        let command = try reader.optionalString("command") ?? ""
        if kind != .observe && command.isEmpty {
            throw reader.error(at: node, "a \(kind.rawValue) step needs a command")
        }
        let expect = try reader.string("expect")
        var step = LessonStep(kind: kind, command: command, expect: expect, check: nil)
        step.hint = try reader.optionalString("hint")
        step.hintStatus = try reader.optionalString("hint_status")
        step.hintOutput = try reader.optionalString("hint_output")
        try parseCommandKeys(reader, into: &step)
        if let word = try reader.optionalString("row") {
            guard let row = NamespaceKind(rawValue: word == "mnt" ? "mount" : word) else {
                throw reader.error(
                    at: reader.node("row"),
                    "unknown row \(word.quoted): a Host vs child row is a kind "
                        + "(uts ipc pid mount net user cgroup time)")
            }
            step.row = row
        }
        guard let checkName = try reader.optionalString("check") else {
            if let value = reader.optionalNode("value") { throw reader.error(at: value, "value without a check") }
            return step
        }
        guard let entry = LessonCheck.vocabulary.first(where: { $0.name == checkName }) else {
            throw reader.error(
                at: reader.node("check"),
                "unknown check \(checkName.quoted); docs/lessons.md lists them: "
                    + LessonCheck.vocabulary.map(\.name).joined(separator: ", "))
        }
        let value = reader.optionalNode("value")
        var kindValue: NamespaceKind?
        var text: String?
        var number: Int?
        switch (entry.argument, value?.value) {
        case (.none, nil): break
        case (.none, _?): throw reader.error(at: value!, "check \(checkName.quoted) takes no value")
        case (_, nil): throw reader.error(at: reader.node("check"), "check \(checkName.quoted) needs a value")
        case (.kind, .string(let word)?):
            kindValue = NamespaceKind(rawValue: word == "mnt" ? "mount" : word)
            if kindValue == nil { throw reader.error(at: value!, "unknown kind \(word.quoted)") }
        case (.text, .string(let word)?): text = word
        case (.number, .integer(let n)?):
            guard let exact = Int(exactly: n), abs(exact) <= 1 << 40 else {
                throw reader.error(at: value!, "value \(n) is out of range")
            }
            number = exact
        case (let argument, _?):
            let wanted = argument == .number ? "an integer" : argument == .kind ? "a kind" : "a string"
            throw reader.error(at: value!, "check \(checkName.quoted) takes \(wanted), not \(value!.typeName)")
        }
        step.check = LessonCheck.make(checkName, kind: kindValue, text: text, number: number)
        return step
    }

    /// The keys about the learner's command: `alternatives`, `status` and `output` (only where there is a
    /// command to type), the expression compiled here so a bad one is reported at its place.
    static func parseCommandKeys(_ reader: TableReader, into step: inout LessonStep) throws(LessonError) {
        let keys = ["alternatives", "status", "output", "hint_status", "hint_output"]
        if step.kind == .observe, let key = keys.first(where: { reader.optionalNode($0) != nil }) {
            throw reader.error(at: reader.node(key), "\(key) is about a command: an observe step has none")
        }
        if let node = reader.optionalNode("alternatives") {
            guard case .array(let elements) = node.value else {
                throw reader.error(at: node, "alternatives is a list of strings, not \(node.typeName)")
            }
            for element in elements {
                guard case .string(let line) = element.value else {
                    throw reader.error(
                        at: element, "an alternative is a command line (a string), not \(element.typeName)")
                }
                if line.isEmpty { throw reader.error(at: element, "an alternative is a command line, not empty") }
                step.alternatives.append(line)
            }
        }
        if reader.optionalNode("status") != nil { step.status = Int32(try reader.integer("status", in: 0...255)) }
        if let text = try reader.optionalString("output") {
            do {
                step.output = try OutputPattern(text)
            } catch {
                throw reader.error(
                    at: reader.node("output"),
                    "output \(text.quoted) is not a POSIX extended regular expression: \(error.message)")
            }
        }
    }
}

/// Typed reads of one table's keys, each failing at the right place.
struct TableReader {
    let table: LocatedTOML
    let entries: [(key: String, value: LocatedTOML)]
    let file: String
    let allowed: Set<String>
    let what: String

    init(_ table: LocatedTOML, file: String, allowed: Set<String>, what: String) {
        self.table = table
        if case .table(let entries) = table.value { self.entries = entries } else { self.entries = [] }
        self.file = file
        self.allowed = allowed
        self.what = what
    }

    func error(at node: LocatedTOML, _ message: String) -> LessonError {
        LessonError(file: file, line: max(1, node.line), column: max(1, node.column), message: message)
    }

    func checkKeys() throws(LessonError) {
        guard case .table = table.value else { throw error(at: table, "\(what) is a table, not \(table.typeName)") }
        for (key, value) in entries where !allowed.contains(key) {
            throw error(
                at: value, "unknown key \(key.quoted) in \(what); known: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    func optionalNode(_ key: String) -> LocatedTOML? { entries.first { $0.key == key }?.value }

    /// The node of a key known to be there (else the table itself, for the position).
    func node(_ key: String) -> LocatedTOML { optionalNode(key) ?? table }

    func required(_ key: String) throws(LessonError) -> LocatedTOML {
        guard let node = optionalNode(key) else { throw error(at: table, "\(what) needs \(key.quoted)") }
        return node
    }

    func string(_ key: String) throws(LessonError) -> String {
        let node = try required(key)
        guard case .string(let text) = node.value else {
            throw error(at: node, "\(key) is a string, not \(node.typeName)")
        }
        return text
    }

    func optionalString(_ key: String) throws(LessonError) -> String? {
        optionalNode(key) == nil ? nil : try string(key)
    }

    func integer(_ key: String, in range: ClosedRange<Int>? = nil) throws(LessonError) -> Int {
        let node = try required(key)
        guard case .integer(let value) = node.value, let number = Int(exactly: value) else {
            throw error(at: node, "\(key) is an integer, not \(node.typeName)")
        }
        if let range, !range.contains(number) {
            throw error(at: node, "\(key) \(number) is not between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func optionalInteger(_ key: String) throws(LessonError) -> Int? {
        optionalNode(key) == nil ? nil : try integer(key, in: -(1 << 40)...(1 << 40))
    }

    func optionalBoolean(_ key: String) throws(LessonError) -> Bool? {
        guard let node = optionalNode(key) else { return nil }
        guard case .boolean(let value) = node.value else {
            throw error(at: node, "\(key) is true or false, not \(node.typeName)")
        }
        return value
    }

    func list(_ key: String) throws(LessonError) -> [LocatedTOML] {
        let node = try required(key)
        guard case .array(let elements) = node.value else {
            throw error(at: node, "\(key) is a list, not \(node.typeName)")
        }
        return elements
    }
}
