import ArgumentParser
import Dashboard
import NamespaceKit

/// `nslab inspect PID`: one process against another (nslab itself by default), kind by kind.
struct InspectCommand: ParsableCommand {
    /// Name, abstract and usage (the pid is read by hand, see `words`).
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Compare a process with another (default: nslab itself, i.e. the host), kind by kind.",
        usage: "nslab inspect <pid> [--against <pid>] [--json]"
    )

    // The pid is read from every argument ArgumentParser does not know, because it reads "-5" as an option
    // and would answer "Missing expected argument"; validate() says what is wrong with the number instead.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The process to inspect.", valueName: "pid"))
    var words: [String] = []

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp("The process to compare with (default: nslab's own process).", valueName: "PID"))
    var against: String?

    @Flag(name: .long, help: "Print JSON (schema in docs/json.md).")
    var json = false

    /// The process to inspect; valid after `validate()`.
    var pid: Int32 { Self.pid(words.first ?? "") ?? 0 }

    /// The process to compare with, if one was given; valid after `validate()`.
    var againstPID: Int32? { against.flatMap(Self.pid) }

    /// A pid as given on the command line: a positive number.
    static func pid(_ text: String) -> Int32? {
        guard let value = Int32(text), value > 0 else { return nil }
        return value
    }

    /// Rejects anything but one positive pid (and a positive --against) before reading anything.
    func validate() throws {
        // A word that starts with "-" and is no number is an option ArgumentParser did not know.
        if let unknown = words.first(where: { $0.hasPrefix("-") && Int($0) == nil }) {
            throw ValidationError("Unknown option \(unknown.quoted)")
        }
        guard let first = words.first else {
            throw ValidationError("inspect needs the pid of a process, e.g. nslab inspect 1234")
        }
        guard Self.pid(first) != nil else {
            throw ValidationError("a pid is a positive number, e.g. nslab inspect 1234; \(first.quoted) is not one")
        }
        if words.count > 1 {
            throw ValidationError(
                "inspect takes one pid (compare two with --against); \(words[1].quoted) is one too many")
        }
        if let against, Self.pid(against) == nil {
            throw ValidationError("--against: a pid is a positive number; \(against.quoted) is not one")
        }
    }

    /// Compares the two processes and prints a table or JSON.
    func run() throws {
        let comparison: Comparison
        do {
            let scanner = try ProcScanner()
            comparison = try scanner.compare(pid, with: againstPID ?? SystemCall.processID)
        } catch let error as ProcError {
            throw CommandFailure(error.description)
        } catch let error as ComparisonError {
            throw CommandFailure(error.description)
        }
        if json {
            var writer = JSONWriter(capacity: 8192)
            writer.writeComparison(comparison)
            writer.newline()
            StandardOutput.write(writer.bytes)
        } else {
            StandardOutput.write(table(comparison))
        }
    }

    private func table(_ comparison: Comparison) -> String {
        Self.table(comparison, againstHost: against == nil, columns: terminalColumns())
    }

    /// The text table: KIND, the inspected process's column, same/DIFF, the other's column. Every fact is
    /// whole: a fact wider than its column wraps within the column, so the columns stay aligned. On a terminal
    /// (`columns`) the two columns share its width; otherwise each is as wide as its widest entry.
    static func table(_ comparison: Comparison, againstHost: Bool, columns: Int?) -> String {
        let leftTitle = "pid \(comparison.left.pid) \(comparison.left.comm)"
        let rightTitle = "pid \(comparison.right.pid) \(comparison.right.comm)" + (againstHost ? " (host)" : "")
        // Which container each side is in (cgroup path and engine state), when either is in one.
        let leftContainer = comparison.leftFacts.container?.text
        let rightContainer = comparison.rightFacts.container?.text
        let containers =
            leftContainer == nil && rightContainer == nil
            ? [] : [("container: " + (leftContainer ?? "none"), "container: " + (rightContainer ?? "none"))]
        func facts(_ row: KindComparison) -> [(String, String)] {
            (0..<max(row.leftFacts.count, row.rightFacts.count)).map { index in
                (
                    index < row.leftFacts.count ? factText(row.leftFacts[index]) : "",
                    index < row.rightFacts.count ? factText(row.rightFacts[index]) : ""
                )
            }
        }
        // KIND (7), a blank, the left column, two blanks, the verdict (5), two blanks, the right column; facts
        // are indented two within their column.
        let fixed = 7 + 1 + 2 + 5 + 2
        let leftTexts = [leftTitle] + (containers + comparison.kinds.flatMap(facts)).map { "  " + $0.0 }
        let rightTexts = [rightTitle] + (containers + comparison.kinds.flatMap(facts)).map { "  " + $0.1 }
        let leftNatural = max(leftTexts.map(\.count).max() ?? 0, 24)
        let rightNatural = rightTexts.map(\.count).max() ?? 0
        var leftWidth = leftNatural
        var rightWidth: Int?
        if let columns, fixed + leftNatural + rightNatural > columns {
            let room = max(columns - fixed, 24)
            leftWidth = max(12, min(leftNatural, max(room / 2, room - rightNatural)))
            rightWidth = max(12, room - leftWidth)
        }
        /// A cell's text in parts of `width`, indented; a part after the first hangs two further in, so it does not
        /// read as a fact of its own.
        func parts(_ text: String, width: Int, indent: Int) -> [String] {
            let lead = String(repeating: " ", count: indent)
            guard text.count > width - indent else { return [lead + text] }
            let parts = TextWrap.lines(text, width: max(1, width - indent - 2))
            return parts.enumerated().map { $0.offset == 0 ? lead + $0.element : lead + "  " + $0.element }
        }
        /// One table line per wrapped part of the two cells.
        func lines(_ kind: String, _ left: String, _ verdict: String, _ right: String, indent: Int) -> String {
            let leftParts = parts(left, width: leftWidth, indent: indent)
            let rightParts =
                rightWidth.map { parts(right, width: $0, indent: indent) }
                ?? [String(repeating: " ", count: indent) + right]
            var text = ""
            for part in 0..<max(leftParts.count, rightParts.count, 1) {
                let leftPart = part < leftParts.count ? leftParts[part] : ""
                let rightPart = part < rightParts.count ? rightParts[part] : ""
                let line =
                    pad(part == 0 ? kind : "", 7) + " " + pad(leftPart, leftWidth) + "  "
                    + pad(part == 0 ? verdict : "", 5) + "  " + rightPart
                text += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
            }
            return text
        }
        var text = lines("KIND", leftTitle, "", rightTitle, indent: 0)
        for (left, right) in containers { text += lines("", left, "", right, indent: 2) }
        for row in comparison.kinds {
            let verdict = row.same.map { $0 ? "same" : "DIFF" } ?? "?"
            text += lines(row.kind.procName, idText(row.leftID), verdict, idText(row.rightID), indent: 0)
            for (left, right) in facts(row) { text += lines("", left, "", right, indent: 2) }
            if row.kind == .mount {
                for line in mountChanges(comparison) {
                    let indent = line.prefix { $0 == " " }.count
                    let body = String(line.dropFirst(indent))
                    // On a terminal a long mount line wraps under itself rather than past the right edge.
                    let parts = columns.map { TextWrap.lines(body, width: max(10, $0 - 10 - indent)) } ?? [body]
                    for part in parts { text += pad("", 10) + String(repeating: " ", count: indent) + part + "\n" }
                }
            }
        }
        return text
    }

    /// The mounts the inspected process has (+) and lacks (-) against the other, as the dashboard's mount row
    /// detail lists them (`MountDifference`); nothing when they share the mount namespace or a side is unread.
    private static func mountChanges(_ comparison: Comparison) -> [String] {
        guard comparison.kinds.first(where: { $0.kind == .mount })?.same == false,
            let left = comparison.leftFacts.mount.value, let right = comparison.rightFacts.mount.value
        else { return [] }
        let lines = MountDifference(target: left.mounts, reference: right.mounts).lines
        return ["mounts against pid \(comparison.right.pid):"] + lines.map { "  " + singleLine($0) }
    }

    private static func idText(_ id: Fact<UInt64>) -> String {
        switch id {
        case .known(let value): String(value)
        case .unknown: "unknown"
        case .unavailable: "unavailable"
        }
    }

    private static func factText(_ line: FactLine) -> String {
        singleLine(line.label + ": " + line.value)
    }
}
