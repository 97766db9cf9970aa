import NamespaceKit

/// The lab notebook (`notebook.md`): a Markdown handout written as the lab goes. Each start adds a dated section
/// after whatever the file held; each command gets its tab and namespaces, the command, its output (long output
/// cut, saying how many lines were left out), its exit status and what differed from the host; each lesson step
/// its ✓ or ✗. Every entry is one `write()`, so a `kill -9` of nslab leaves a readable file.
public final class LabNotebook {
    /// Where the text goes (opened for appending).
    let sink: any NotebookSink
    /// Unix time and monotonic time at the start, to turn a command's monotonic times into the time of day.
    let wallStart: Int
    /// See `wallStart`.
    let monotonicStart: UInt64

    /// Output rows kept from the start of a long output.
    static let headRows = 20
    /// Output rows kept from its end.
    static let tailRows = 10

    /// Starts a section in `sink`: `separator` first (the newlines that put a blank line after the text the file
    /// already holds), then
    /// `## Lab, YYYY-MM-DD HH:MM UTC` and what the section holds. Throws the write's error.
    public init(
        sink: any NotebookSink, wallStart: Int, monotonicStart: UInt64, recording: String?, separator: String = ""
    ) throws(Errno) {
        self.sink = sink
        self.wallStart = wallStart
        self.monotonicStart = monotonicStart
        var text = separator
        text += "## Lab, \(Self.date(wallStart)) UTC\n\n"
        text += "Written by nslab as the lab went: each command with its namespaces, output, exit status and what "
        text += "differed from the host."
        if let recording { text += " The recording is `\(recording)` (`asciinema play \(recording)`)." }
        text += "\n\n"
        if let error = sink.write(text) { throw error }
    }

    /// Starts a new section after a reset (`R`): a dated heading like the first one's, and what the reset did,
    /// so the next student's lab reads apart from the last one's.
    public func reset(closedTabs: Int, at time: UInt64) -> Errno? {
        let unix = wallStart + Int((time &- monotonicStart) / 1_000_000_000)
        var text = "## Lab, \(Self.date(unix)) UTC, after a reset\n\n"
        let tabs = closedTabs == 1 ? "1 tab" : "\(closedTabs) tabs"
        text += "The dashboard was reset at \(clock(time)): \(tabs) closed, "
        text += "every child and every process of its session killed. What follows starts afresh.\n\n"
        return sink.write(text)
    }

    /// Adds a launch: the tab and the line that makes its namespaces.
    public func launch(tab: String, namespaces: String?, at time: UInt64) -> Errno? {
        var text = "### \(clock(time)) · \(Self.inline(tab)) started\n\n"
        if let namespaces {
            text += Self.fenced([namespaces], info: "sh")
        } else {
            text += "In nslab's own namespaces (the host's).\n\n"
        }
        return sink.write(text)
    }

    /// Adds one command.
    public func record(_ command: NotebookCommand) -> Errno? {
        var text = "#### \(clock(command.ended)) · \(Self.inline(command.command))"
        text += command.status.map { " · exit \($0)" } ?? " · exit status unknown"
        text += "\n\n"
        text += "In \(Self.inline(command.tab))"
        text += command.namespaces.map { ": \(Self.inline($0))" } ?? " (the host's namespaces)"
        if command.ended > command.started {
            text += ", \(Self.duration(command.ended - command.started))"
        }
        text += ".\n\n"
        text += Self.fenced(
            ["$ " + command.command] + Self.cut(command.output, leftOutBefore: command.outputLeftOut),
            info: "console")
        if command.differences.isEmpty {
            text += "Nothing differed from the host.\n\n"
        } else {
            text += "| differs | host | child |\n|---|---|---|\n"
            for row in command.differences {
                let kind = "\(row.kind.title) \(row.hostID == row.childID ? "" : "\(row.hostID) → \(row.childID)")"
                text += "| \(Self.cell(kind)) | \(Self.cell(row.hostFact)) | \(Self.cell(row.childFact)) |\n"
            }
            text += "\n"
        }
        return sink.write(text)
    }

    /// Adds a lesson step with its ✓ or ✗ (and the hint when it failed).
    public func step(_ step: NotebookStep, at time: UInt64) -> Errno? {
        var text = "- \(step.passed ? "✓" : "✗") \(clock(time)) · lesson \(Self.escapedText(step.lesson)), step "
        text += "\(step.number) of \(step.of): \(Self.escapedText(step.text))"
        if !step.passed, let hint = step.hint { text += " (\(Self.escapedText(hint)))" }
        return sink.write(text + "\n\n")
    }

    /// The output as kept: rows lost before it said, and the middle of a long output left out with a count.
    static func cut(_ rows: [String], leftOutBefore: Int) -> [String] {
        var kept: [String] = []
        if leftOutBefore > 0 { kept.append("… \(lines(leftOutBefore)) left out …") }
        if rows.count <= headRows + tailRows + 1 { return kept + rows }
        kept += rows.prefix(headRows)
        kept.append("… \(lines(rows.count - headRows - tailRows)) left out …")
        kept += rows.suffix(tailRows)
        return kept
    }

    /// "1 line", "12 lines".
    static func lines(_ count: Int) -> String { count == 1 ? "1 line" : "\(count) lines" }

    /// A code block fenced with more backticks than any run inside it (CommonMark), so output holding ``` stays
    /// inside the block.
    static func fenced(_ rows: [String], info: String) -> String {
        var longest = 0
        for row in rows {
            var run = 0
            for character in row {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + rows.map(printable).joined(separator: "\n") + "\n" + fence + "\n\n"
    }

    /// Inline code that holds any text: backticks around it one more than its longest run of them.
    static func inline(_ text: String) -> String {
        let text = printable(text)
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let ticks = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return ticks + pad + text + pad + ticks
    }

    /// A table cell: `|` escaped, and never empty.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in printable(text) {
            if character == "|" { out.append("\\") }
            out.append(character)
        }
        return out.allSatisfy { $0 == " " } ? "–" : out
    }

    /// Plain text with Markdown's active characters escaped.
    static func escapedText(_ text: String) -> String {
        var out = ""
        for character in printable(text) {
            if "\\`*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The text with control characters (a stray escape, a tab) shown as `^[`-style or spaces, never written raw.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: out += " "
            case 0x00..<0x20: out += "^" + String(UnicodeScalar(UInt8(scalar.value) + 0x40))
            case 0x7F: out += "^?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A monotonic time as the time of day, `HH:MM:SS` UTC.
    func clock(_ time: UInt64) -> String {
        let seconds = wallStart + Int((time &- monotonicStart) / 1_000_000_000)
        let inDay = ((seconds % 86_400) + 86_400) % 86_400
        return "\(Self.two(inDay / 3600)):\(Self.two(inDay / 60 % 60)):\(Self.two(inDay % 60))"
    }

    /// A duration, "0.02 s" or "3 min 5 s".
    static func duration(_ nanoseconds: UInt64) -> String {
        let hundredths = nanoseconds / 10_000_000
        if hundredths < 6_000 { return "\(hundredths / 100).\(two(Int(hundredths % 100))) s" }
        let seconds = hundredths / 100
        return "\(seconds / 60) min \(seconds % 60) s"
    }

    /// Unix time as `YYYY-MM-DD HH:MM` in UTC (the civil calendar from a day count; no libc, no locale).
    static func date(_ unix: Int) -> String {
        let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
        let inDay = unix - days * 86_400
        // Days since 0000-03-01, so that leap days fall at the end of a 400-year era's years.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(two(month))-\(two(day)) \(two(inDay / 3600)):\(two(inDay / 60 % 60))"
    }

    /// Two digits.
    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
