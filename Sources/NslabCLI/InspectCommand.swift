import ArgumentParser
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
        let leftTitle = "pid \(comparison.left.pid) \(comparison.left.comm)"
        let rightTitle = "pid \(comparison.right.pid) \(comparison.right.comm)" + (against == nil ? " (host)" : "")
        // The left column is as wide as its longest entry (within reason), so facts are rarely cut.
        let leftTexts = [leftTitle] + comparison.kinds.flatMap { $0.leftFacts.map { "  " + factText($0) } }
        let width = min(max(leftTexts.map(\.count).max() ?? 0, 24), 60)
        var text = pad("KIND", 7) + " " + pad(leftTitle, width) + "  " + pad("", 5) + "  " + rightTitle + "\n"
        // Which container each side is in (cgroup path and engine state), when either is in one.
        let leftContainer = comparison.leftFacts.container?.text
        let rightContainer = comparison.rightFacts.container?.text
        if leftContainer != nil || rightContainer != nil {
            text +=
                pad("", 7) + "   " + pad("container: " + (leftContainer ?? "none"), width - 2) + "  " + pad("", 5)
                + "    container: " + (rightContainer ?? "none") + "\n"
        }
        for row in comparison.kinds {
            let verdict = row.same.map { $0 ? "same" : "DIFF" } ?? "?"
            text +=
                pad(row.kind.procName, 7) + " " + pad(idText(row.leftID), width) + "  " + pad(verdict, 5) + "  "
                + idText(row.rightID) + "\n"
            for index in 0..<max(row.leftFacts.count, row.rightFacts.count) {
                let left = index < row.leftFacts.count ? factText(row.leftFacts[index]) : ""
                let right = index < row.rightFacts.count ? factText(row.rightFacts[index]) : ""
                text += pad("", 7) + "   " + pad(left, width - 2) + "  " + pad("", 5) + "    " + right + "\n"
            }
            if row.kind == .mount {
                for line in mountChanges(comparison) { text += pad("", 7) + "   " + singleLine(line) + "\n" }
            }
        }
        return text
    }

    /// The mounts the inspected process has (+) and lacks (-) against the other, as the dashboard's mount row
    /// detail lists them (`MountDifference`); nothing when they share the mount namespace or a side is unread.
    private func mountChanges(_ comparison: Comparison) -> [String] {
        guard comparison.kinds.first(where: { $0.kind == .mount })?.same == false,
            let left = comparison.leftFacts.mount.value, let right = comparison.rightFacts.mount.value
        else { return [] }
        let lines = MountDifference(target: left.mounts, reference: right.mounts).lines
        return ["mounts against pid \(comparison.right.pid):"] + lines.map { "  " + $0 }
    }

    private func idText(_ id: Fact<UInt64>) -> String {
        switch id {
        case .known(let value): String(value)
        case .unknown: "unknown"
        case .unavailable: "unavailable"
        }
    }

    private func factText(_ line: FactLine) -> String {
        singleLine(line.label + ": " + line.value)
    }
}
