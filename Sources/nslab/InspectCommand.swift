import ArgumentParser
import Glibc
import NamespaceKit

/// `nslab inspect PID`: one process against another (nslab itself by default), kind by kind.
struct InspectCommand: ParsableCommand {
    /// Name and abstract.
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Compare a process with another (default: nslab itself, i.e. the host), kind by kind."
    )

    @Argument(help: "The process to inspect.")
    var pid: Int32

    @Option(
        name: .long, help: ArgumentHelp("The process to compare with (default: nslab's own process).", valueName: "PID")
    )
    var against: Int32?

    @Flag(name: .long, help: "Print JSON (schema in docs/json.md).")
    var json = false

    /// Rejects non-positive pids before reading anything.
    func validate() throws {
        guard pid > 0 else { throw ValidationError("PID must be a positive process id, not \(pid).") }
        if let against, against <= 0 {
            throw ValidationError("--against must be a positive process id, not \(against).")
        }
    }

    /// Compares the two processes and prints a table or JSON.
    func run() throws {
        let comparison: Comparison
        do {
            let scanner = try ProcScanner()
            comparison = try scanner.compare(pid, with: against ?? getpid())
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
        }
        return text
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
